import { describe, expect, it } from 'vitest';
import {
  affectedStep,
  parseClientMessage,
  visitsFingerprint,
} from '../../../tenants/admin/affected-bookings.ts';
import { clientNoticeFor } from '../../../tenants/jobs/booking-jobs.ts';
import { DEFAULT_LOCATION_POLICY } from '../../../tenants/policy/location-policy.ts';
import type { BookingView } from '../../../tenants/booking/results.ts';
import type { ActorKind, BookingState } from '../../../tenants/booking/state-machine.ts';

describe('the decision about visits a change touches', () => {
  const ids = ['b2', 'b1'];

  it('no visits: nothing to ask', async () => {
    expect(await affectedStep({}, [])).toEqual({ kind: 'none' });
    expect(await affectedStep({ decision: 'cancel' }, [])).toEqual({ kind: 'none' });
  });

  it('asks until a known decision comes with the fingerprint of exactly the visits shown', async () => {
    const shown = await visitsFingerprint(ids);
    expect(await affectedStep({}, ids)).toEqual({
      kind: 'ask',
      changed: false,
      messageTooLong: false,
    });
    expect(await affectedStep({ decision: 'drop', shown }, ids)).toEqual({
      kind: 'ask',
      changed: false,
      messageTooLong: false,
    });
    expect(await affectedStep({ decision: 'keep' }, ids)).toMatchObject({
      kind: 'ask',
      changed: true,
    });
    expect(await affectedStep({ decision: 'keep', shown }, [...ids, 'b3'])).toMatchObject({
      kind: 'ask',
      changed: true,
    });
    // The order they were listed in does not matter.
    expect(await affectedStep({ decision: 'keep', shown }, ['b1', 'b2'])).toEqual({
      kind: 'decided',
      decision: 'keep',
      message: undefined,
    });
  });

  it('a message goes with a cancellation only, trimmed, at most 500 characters', async () => {
    const shown = await visitsFingerprint(ids);
    expect(
      await affectedStep({ decision: 'cancel', shown, client_message: '  Sorry!  ' }, ids),
    ).toEqual({ kind: 'decided', decision: 'cancel', message: 'Sorry!' });
    expect(await affectedStep({ decision: 'keep', shown, client_message: 'Sorry!' }, ids)).toEqual({
      kind: 'decided',
      decision: 'keep',
      message: undefined,
    });
    expect(
      await affectedStep({ decision: 'cancel', shown, client_message: 'x'.repeat(501) }, ids),
    ).toEqual({ kind: 'ask', changed: false, messageTooLong: true });
    expect(parseClientMessage('x'.repeat(500))).toEqual({ ok: true, value: 'x'.repeat(500) });
    expect(parseClientMessage('   ')).toEqual({ ok: true, value: undefined });
  });
});

describe('the notice a booking change owes its client', () => {
  const booking = (status: BookingState): BookingView =>
    ({
      id: '7f0c2d1e-8a8b-4c4d-9e9f-0a1b2c3d4e5f',
      status,
      start: 0,
      end: 1,
      holdExpiresAt: null,
    }) as unknown as BookingView;
  const change = (from: BookingState, to: BookingState, actor: ActorKind, reason?: string) =>
    ({
      kind: 'status',
      tenantId: 't',
      booking: booking(to),
      from,
      event: 'cancel',
      actor,
      policy: DEFAULT_LOCATION_POLICY,
      ...(reason ? { reason } : {}),
    }) as const;

  it('staff cancelling a visit still ahead: one notice, keyed by the booking, with the message', () => {
    for (const actor of ['owner', 'manager', 'platform_admin'] as const) {
      const job = clientNoticeFor(
        change('confirmed', 'cancelled', actor, 'Closed for repairs'),
        1000,
      );
      expect(job).toMatchObject({
        kind: 'client_notice',
        runAt: 1000,
        key: 'client_notice:7f0c2d1e-8a8b-4c4d-9e9f-0a1b2c3d4e5f:cancelled_by_business',
        payload: { notice: 'cancelled_by_business', message: 'Closed for repairs' },
      });
    }
    expect(clientNoticeFor(change('held', 'cancelled', 'owner'), 0)?.payload).not.toHaveProperty(
      'message',
    );
  });

  it('staff moving a visit: one notice for the new booking, with the time it was at; a client moving it: none', () => {
    const moved = (actor: ActorKind) =>
      ({
        kind: 'rescheduled',
        tenantId: 't',
        booking: booking('confirmed'),
        previousId: 'old',
        previousStart: 123,
        actor,
        policy: DEFAULT_LOCATION_POLICY,
      }) as const;
    expect(clientNoticeFor(moved('manager'), 5)).toMatchObject({
      kind: 'client_notice',
      key: 'client_notice:7f0c2d1e-8a8b-4c4d-9e9f-0a1b2c3d4e5f:moved_by_business',
      payload: { notice: 'moved_by_business', previousStart: 123 },
    });
    expect(clientNoticeFor(moved('client'), 5)).toBeUndefined();
  });

  it('the client cancelling, the system expiring, or a visit already over: no notice', () => {
    expect(clientNoticeFor(change('confirmed', 'cancelled', 'client'), 0)).toBeUndefined();
    expect(clientNoticeFor(change('confirmed', 'cancelled', 'system'), 0)).toBeUndefined();
    expect(clientNoticeFor(change('held', 'expired', 'owner'), 0)).toBeUndefined();
    expect(clientNoticeFor(change('completed', 'cancelled', 'owner'), 0)).toBeUndefined();
  });
});

import type { BookingChange, BookingEffects } from '../booking/effects.ts';
import type { BookingView } from '../booking/results.ts';
import type { Logger } from '../observability/logger.ts';
import type { LocationPolicy } from '../policy/location-policy.ts';
import { BLOCKING_STATES, BUSINESS_STAFF } from '../booking/state-machine.ts';
import type { OwnerNotifier } from '../notify/owner-notifier.ts';
import { planReminders } from './reminder-plan.ts';
import type { JobRequest, Scheduler } from './types.ts';

export const holdExpireKey = (bookingId: string) => `hold_expire:${bookingId}`;
export const reminderKey = (bookingId: string, leadMinutes: number) =>
  `reminder:${bookingId}:${leadMinutes}`;
export const clientNoticeKey = (bookingId: string, notice: ClientNotice) =>
  `client_notice:${bookingId}:${notice}`;

/** What a client is told of a change the business made: a visit cancelled or moved by staff. */
export type ClientNotice = 'cancelled_by_business' | 'moved_by_business';

/** The notice a change owes its client, if any: staff cancelling a visit that was still ahead, or moving one. */
export function clientNoticeFor(change: BookingChange, now: number): JobRequest | undefined {
  if (change.kind === 'rescheduled' && BUSINESS_STAFF.includes(change.actor)) {
    return {
      kind: 'client_notice',
      key: clientNoticeKey(change.booking.id, 'moved_by_business'),
      runAt: now,
      payload: {
        bookingId: change.booking.id,
        notice: 'moved_by_business',
        previousStart: change.previousStart,
      },
      tenantId: change.tenantId,
      ...(change.correlationId ? { correlationId: change.correlationId } : {}),
    };
  }
  if (
    change.kind !== 'status' ||
    change.booking.status !== 'cancelled' ||
    !BUSINESS_STAFF.includes(change.actor) ||
    !BLOCKING_STATES.includes(change.from)
  )
    return undefined;
  return {
    kind: 'client_notice',
    key: clientNoticeKey(change.booking.id, 'cancelled_by_business'),
    runAt: now,
    payload: {
      bookingId: change.booking.id,
      notice: 'cancelled_by_business',
      ...(change.reason ? { message: change.reason } : {}),
    },
    tenantId: change.tenantId,
    ...(change.correlationId ? { correlationId: change.correlationId } : {}),
  };
}

/** The jobs a booking in its current state needs: hold expiry while held, reminders once confirmed. */
export function jobsForBooking(
  tenantId: string,
  booking: BookingView,
  policy: LocationPolicy | undefined,
  now: number,
  correlationId?: string,
): JobRequest[] {
  const common = { tenantId, ...(correlationId ? { correlationId } : {}) };
  if (
    (booking.status === 'held' || booking.status === 'pending_payment') &&
    booking.holdExpiresAt !== null
  ) {
    return [
      {
        kind: 'hold_expire',
        key: holdExpireKey(booking.id),
        runAt: booking.holdExpiresAt,
        payload: { bookingId: booking.id },
        ...common,
      },
    ];
  }
  if (booking.status === 'confirmed' && policy) {
    return planReminders(policy, booking.start, now).map((r) => ({
      kind: 'reminder_send' as const,
      key: reminderKey(booking.id, r.leadMinutes),
      runAt: r.runAt,
      payload: { bookingId: booking.id, leadMinutes: r.leadMinutes, startAt: booking.start },
      ...common,
    }));
  }
  return [];
}

/** Booking effects: the jobs each change needs and the owner notices it causes. */
export function createBookingJobs(deps: {
  scheduler: Scheduler;
  notifier?: OwnerNotifier;
  now: () => number;
  logger: Logger;
}): BookingEffects {
  return {
    async changed(change: BookingChange) {
      const policy = change.kind === 'held' ? undefined : change.policy;
      for (const job of jobsForBooking(
        change.tenantId,
        change.booking,
        policy,
        deps.now(),
        change.correlationId,
      ))
        await deps.scheduler.schedule(job);
      const notice = clientNoticeFor(change, deps.now());
      if (notice) await deps.scheduler.schedule(notice);
      if (!deps.notifier || change.kind !== 'status') return;
      const to = change.booking.status;
      if (to === 'confirmed')
        await deps.notifier.record({
          tenantId: change.tenantId,
          kind: 'booking_created',
          bookingId: change.booking.id,
        });
      else if (to === 'no_show')
        await deps.notifier.record({
          tenantId: change.tenantId,
          kind: 'no_show',
          bookingId: change.booking.id,
        });
      else if (to === 'cancelled' && change.from === 'confirmed')
        await deps.notifier.record({
          tenantId: change.tenantId,
          kind: 'booking_cancelled',
          bookingId: change.booking.id,
        });
    },
  };
}

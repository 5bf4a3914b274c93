import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBookingError, type BookingRefusalKind } from '../../db/booking-errors.ts';
import type { Database } from '../../db/port.ts';
import {
  bookingHistory,
  bookSlot,
  bookSlots,
  bookSlotScoped,
  BookingWriteError,
  rescheduleBooking,
  type BookSlotParams,
} from '../../db/queries/bookings.ts';
import { asPlatform, asTenant, tenantClaims } from '../../db/scope.ts';
import { bookingService, OPEN_POLICY } from '../support/booking-world.ts';
import { migratedPostgres } from '../support/pg.ts';

/**
 * The booking RPC is safe to expose: called directly as `authenticated` (as through PostgREST),
 * book_slot, book_slots and reschedule_booking hold every request to the master's schedule and
 * the booking window (app.check_booking), each refusal with its own typed reason; only staff may
 * set the schedule aside, with a reason that the history keeps.
 */

/**
 * A fixed-offset zone where it is late morning now, so that "today" still has working hours
 * ahead of the clock and a cutoff of 10:00 has passed, whenever the test runs.
 */
function lateMorningZone(): string {
  const utcHour = new Date().getUTCHours();
  // Etc/GMT-N is UTC+N (POSIX signs); offsets from UTC-12 to UTC+14 exist.
  let offset = (11 - utcHour + 24) % 24;
  if (offset > 14) offset -= 24;
  return offset === 0 ? 'Etc/UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

describe('the booking check on direct RPC calls (real PostgreSQL)', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const zone = lateMorningZone();
  let tenantId: string;
  let locationId: string;
  let masterId: string;
  let clientId: string;
  let cut: string;

  /** Local `hh:mm` on the day `days` from today, in the location's zone. */
  const at = (days: number, hhmm: string) => {
    const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
    return DateTime.now()
      .setZone(zone)
      .startOf('day')
      .plus({ days })
      .set({ hour, minute })
      .toJSDate();
  };
  const params = (start: Date, over: Partial<BookSlotParams> = {}): BookSlotParams => ({
    tenantId,
    locationId,
    masterId,
    clientId,
    serviceIds: [cut],
    start,
    actorKind: 'client',
    actorId: 'tg:7',
    ...over,
  });
  /** book_slot as the tenant-scoped `authenticated` role, with the claims of `appRole`. */
  const rpc = (p: BookSlotParams, appRole = p.actorKind) =>
    asTenant(db, { tenantId, subject: p.actorId ?? 'x', appRole }, (tx) => bookSlot(tx, p));
  const refusal = async (call: Promise<unknown>): Promise<BookingRefusalKind | 'booked'> => {
    try {
      await call;
      return 'booked';
    } catch (error) {
      const decoded = decodeBookingError(error);
      if (!decoded) throw error;
      return decoded.reason;
    }
  };

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('booking_check'));
    await asPlatform(db, async (tx) => {
      const one = async (text: string, values: unknown[]) =>
        (await tx.query<{ id: string }>(text, values))[0]!.id;
      tenantId = await one(
        "insert into tenants (slug, name) values ('check-' || substr(md5(random()::text), 1, 8), 'Check') returning id",
        [],
      );
      locationId = await one(
        "insert into locations (tenant_id, name, timezone, currency, policy) values ($1, 'Studio', $2, 'EUR', $3::jsonb) returning id",
        [
          tenantId,
          zone,
          JSON.stringify({ ...OPEN_POLICY, sameDayCutoff: '10:00', bufferAfterMinutes: 10 }),
        ],
      );
      cut = await one(
        "insert into services (tenant_id, location_id, name, duration_min, price_minor) values ($1, $2, 'cut', 30, 3000) returning id",
        [tenantId, locationId],
      );
      masterId = await one(
        "insert into masters (tenant_id, location_id, display_name) values ($1, $2, 'Anna') returning id",
        [tenantId, locationId],
      );
      await tx.query(
        'insert into master_skills (tenant_id, location_id, master_id, service_id) values ($1, $2, $3, $4)',
        [tenantId, locationId, masterId, cut],
      );
      // 09:00–18:00 with lunch 13:00–14:00, every day; two days ahead 15:00–16:00 off, three days ahead off all day.
      for (let weekday = 1; weekday <= 7; weekday++) {
        await tx.query(
          "insert into working_hours (tenant_id, master_id, weekday, start_local, end_local) values ($1, $2, $3, '09:00', '18:00')",
          [tenantId, masterId, weekday],
        );
        await tx.query(
          "insert into breaks (tenant_id, master_id, weekday, start_local, end_local, label) values ($1, $2, $3, '13:00', '14:00', 'lunch')",
          [tenantId, masterId, weekday],
        );
      }
      await tx.query(
        'insert into time_off (tenant_id, master_id, all_day, starts_at, ends_at) values ($1, $2, false, $3, $4)',
        [tenantId, masterId, at(2, '15:00'), at(2, '16:00')],
      );
      await tx.query(
        'insert into time_off (tenant_id, master_id, all_day, first_day, last_day) values ($1, $2, true, $3, $3)',
        [tenantId, masterId, DateTime.fromJSDate(at(3, '12:00')).setZone(zone).toISODate()],
      );
      clientId = await one(
        'insert into clients (tenant_id, telegram_user_id, first_name) values ($1, 7, $2) returning id',
        [tenantId, 'Client'],
      );
    });
  });
  afterAll(() => cleanup());

  it('refuses, as authenticated, a start outside working hours, in a break, in time off, past the cutoff or off the grid, each with its reason', async () => {
    expect(await refusal(rpc(params(at(1, '07:00'))))).toBe('outside_hours');
    // Starts inside, ends after 18:00.
    expect(await refusal(rpc(params(at(1, '17:45'))))).toBe('outside_hours');
    expect(await refusal(rpc(params(at(1, '13:00'))))).toBe('in_break');
    // Starts before lunch, runs into it.
    expect(await refusal(rpc(params(at(1, '12:45'))))).toBe('in_break');
    expect(await refusal(rpc(params(at(2, '15:30'))))).toBe('time_off');
    expect(await refusal(rpc(params(at(2, '14:45'))))).toBe('time_off');
    expect(await refusal(rpc(params(at(3, '10:00'))))).toBe('time_off');
    // Today, in working hours and ahead of the clock, but the 10:00 cutoff has passed.
    expect(await refusal(rpc(params(at(0, '16:00'))))).toBe('same_day_cutoff');
    expect(await refusal(rpc(params(at(1, '10:07'))))).toBe('off_grid');
    // Nothing was written; the times next to the refused ones are bookable.
    const [{ n }] = (await asPlatform(db, (tx) =>
      tx.query<{ n: number }>('select count(*)::int as n from bookings where tenant_id = $1', [
        tenantId,
      ]),
    )) as [{ n: number }];
    expect(n).toBe(0);
    expect(await refusal(rpc(params(at(1, '17:30'))))).toBe('booked');
    expect(await refusal(rpc(params(at(1, '14:00'), { clientId })))).toBe('booked');
    expect(await refusal(rpc(params(at(2, '16:00'))))).toBe('booked');
  });

  it('lets an owner book outside the schedule with a reason, recorded in the history; refuses the override to a client', async () => {
    const ownerParams = params(at(1, '19:00'), {
      actorKind: 'owner',
      actorId: 'staff-owner',
      overrideReason: 'regular client after closing',
    });
    const booked = await rpc(ownerParams);
    expect(booked).toMatchObject({ status: 'held', start_at: at(1, '19:00') });
    const history = await asPlatform(db, (tx) => bookingHistory(tx, booked.id));
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      from_status: null,
      to_status: 'held',
      actor_kind: 'owner',
      actor_id: 'staff-owner',
    });
    expect(history[0]!.reason).toBe(
      'booked (override: the visit is outside the working hours): regular client after closing',
    );

    // A client may not, whether they say who they are or pretend to be the owner.
    expect(await refusal(rpc(params(at(1, '19:30'), { overrideReason: 'please' })))).toBe(
      'override_not_allowed',
    );
    expect(
      await refusal(
        rpc(params(at(1, '19:30'), { actorKind: 'owner', overrideReason: 'please' }), 'client'),
      ),
    ).toBe('override_not_allowed');
    // A master neither.
    expect(
      await refusal(rpc(params(at(1, '19:30'), { actorKind: 'master', overrideReason: 'please' }))),
    ).toBe('override_not_allowed');
    // The override sets the schedule aside, not the lead time, nor other bookings.
    expect(
      await refusal(
        rpc(params(at(0, '00:00'), { actorKind: 'owner', overrideReason: 'in the past' })),
      ),
    ).toBe('lead_time');
    expect(
      await refusal(
        rpc(
          params(at(1, '19:15'), {
            actorKind: 'manager',
            overrideReason: 'overlaps the one above',
          }),
        ),
      ),
    ).toBe('slot_taken');
    // Within the schedule an override changes nothing: a plain "booked".
    const plain = await rpc(
      params(at(4, '10:00'), {
        actorKind: 'owner',
        actorId: 'staff-owner',
        overrideReason: 'not needed',
      }),
    );
    expect((await asPlatform(db, (tx) => bookingHistory(tx, plain.id)))[0]!.reason).toBe('booked');
  });

  it('holds book_slots (the group-commit path) to the same check, overrides included', async () => {
    const outcomes = await asTenant(
      db,
      { tenantId, appRole: 'owner', subject: 'staff-owner' },
      (tx) =>
        bookSlots(tx, tenantId, [
          params(at(5, '11:00')),
          params(at(5, '13:15')),
          params(at(5, '20:00')),
          params(at(5, '21:00'), {
            actorKind: 'owner',
            actorId: 'staff-owner',
            overrideReason: 'late opening',
            masterId,
          }),
        ]),
    );
    expect(
      outcomes.map((o) =>
        o instanceof BookingWriteError ? decodeBookingError(o)?.reason : 'booked',
      ),
    ).toEqual(['booked', 'in_break', 'outside_hours', 'booked']);
    const overridden = outcomes[3] as Exclude<(typeof outcomes)[number], BookingWriteError>;
    expect((await asPlatform(db, (tx) => bookingHistory(tx, overridden.id)))[0]!.reason).toBe(
      'booked (override: the visit is outside the working hours): late opening',
    );
  });

  it('holds the one-statement write (book_slot alone) to the same check, overrides included', async () => {
    const scoped = (p: BookSlotParams, appRole = p.actorKind) =>
      bookSlotScoped(db, tenantClaims({ tenantId, appRole, subject: 'staff-owner' }), p);
    expect(await refusal(scoped(params(at(5, '13:15'))))).toBe('in_break');
    expect(await refusal(scoped(params(at(5, '20:00'))))).toBe('outside_hours');
    expect(await refusal(scoped(params(at(5, '10:00'))))).toBe('booked');
    const overridden = await scoped(
      params(at(5, '20:00'), {
        actorKind: 'owner',
        actorId: 'staff-owner',
        overrideReason: 'late opening',
      }),
    );
    expect((await asPlatform(db, (tx) => bookingHistory(tx, overridden.id)))[0]!.reason).toBe(
      'booked (override: the visit is outside the working hours): late opening',
    );
  });

  it('refuses a reschedule into a break and keeps the booking; an owner moves it there with a reason', async () => {
    const original = await rpc(params(at(6, '11:00')));
    const move = (appRole: string, over: { actorKind: string; overrideReason?: string }) =>
      asTenant(db, { tenantId, appRole, subject: 'x' }, (tx) =>
        rescheduleBooking(tx, { tenantId, bookingId: original.id, start: at(6, '13:30'), ...over }),
      );
    expect(await refusal(move('client', { actorKind: 'client' }))).toBe('in_break');
    expect(
      (
        await asPlatform(db, (tx) =>
          tx.query<{ status: string }>('select status from bookings where id = $1', [original.id]),
        )
      )[0]!.status,
    ).toBe('held');
    const moved = await move('owner', {
      actorKind: 'owner',
      overrideReason: 'client asked, lunch moved',
    });
    expect(moved.start_at).toEqual(at(6, '13:30'));
    const history = await asPlatform(db, (tx) => bookingHistory(tx, moved.id));
    expect(history[0]!.reason).toBe(
      'rescheduled (override: the visit overlaps a break): client asked, lunch moved',
    );
  });

  it('does not confirm a late payment for a time the master has taken off since: the service says taken, with the reason', async () => {
    const held = await rpc(params(at(7, '10:00')));
    await asPlatform(db, async (tx) => {
      await tx.query(
        "update bookings set hold_expires_at = now() - interval '1 minute' where id = $1",
        [held.id],
      );
      await tx.query('select public.expire_holds()');
      await tx.query(
        'insert into time_off (tenant_id, master_id, all_day, starts_at, ends_at) values ($1, $2, false, $3, $4)',
        [tenantId, masterId, at(7, '09:00'), at(7, '12:00')],
      );
    });
    const service = bookingService(db);
    expect(await service.confirmLatePayment(tenantId, held.id, { kind: 'system' })).toEqual({
      kind: 'taken',
      reason: 'time_off',
    });
    expect(
      (
        await asPlatform(db, (tx) =>
          tx.query<{ status: string }>('select status from bookings where id = $1', [held.id]),
        )
      )[0]!.status,
    ).toBe('expired');
  });
});

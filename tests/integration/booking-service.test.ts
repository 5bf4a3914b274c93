import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform, asTenant } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { bookingHistory } from '../../db/queries/bookings.ts';
import { bookingMinutes } from '../../tenants/availability/duration.ts';
import fc from 'fast-check';
import { migratedPostgres } from '../support/pg.ts';
import { DateTime } from 'luxon';
import {
  bookingService,
  createBookingWorld,
  localStart,
  OPEN_POLICY,
  ZONE,
  type BookingWorld,
} from '../support/booking-world.ts';

/** A client acting on their own bookings (the booking service checks whose they are). */
const clientActor = (clientId: string) => ({ kind: 'client' as const, id: 'tg:1', clientId });
const owner = { kind: 'owner' as const, id: 'owner-1' };
const H = 3_600_000;

/**
 * The first start on the 15-minute grid after `ms` whose 30-minute visit and 10-minute buffer
 * stay within one local day (the masters' hours are 00:00–24:00 each day), else the next local
 * midnight: at most 40 minutes later, whatever the time the test runs.
 */
function sameDayStartAfter(ms: number): number {
  const start = ms - (ms % (15 * 60_000)) + 15 * 60_000;
  const midnight = DateTime.fromMillis(start, { zone: ZONE })
    .startOf('day')
    .plus({ days: 1 })
    .toMillis();
  return start + 40 * 60_000 > midnight ? midnight : start;
}

describe('booking service', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let service: ReturnType<typeof bookingService>;
  let day = 1;
  /** A fresh local day per test, so tests never meet each other's bookings. */
  const nextDay = () => ++day;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('booking_service'));
    w = await createBookingWorld(db, { masters: 3, clients: 6 });
    // Most bookings here are the first client's.
    client = clientActor(w.clientIds[0]!);
    service = bookingService(db);
  });
  afterAll(() => cleanup());

  const book = (over: Partial<Parameters<typeof service.book>[0]> & { start: number }) =>
    service.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: w.clientIds[0]!,
      serviceIds: [w.services.cut],
      actor: clientActor(over.clientId ?? w.clientIds[0]!),
      masterId: w.masterIds[0],
      ...over,
    });
  /** The client whose booking `r` is. */
  const ownerOf = (r: { booking: { clientId: string } }) => clientActor(r.booking.clientId);
  let client = { kind: 'client' as const, id: 'tg:1', clientId: '' };

  it('books a composite service with the length, price snapshot and items from the database', async () => {
    const start = localStart(nextDay(), '10:00');
    const result = await book({ start, serviceIds: [w.services.cut, w.services.style] });
    expect(result).toMatchObject({ kind: 'booked', replayed: false, payment: { required: false } });
    if (result.kind !== 'booked') return;
    expect(result.booking).toMatchObject({
      status: 'held',
      masterId: w.masterIds[0],
      start,
      end: start + 75 * 60_000,
      total: { amountMinor: 7500, currency: 'EUR' },
    });
    expect(result.booking.holdExpiresAt! - Date.now()).toBeGreaterThan(14 * 60_000);
    const items = await asPlatform(db, (tx) =>
      tx.query(
        'select service_name, duration_min, price_minor::int as price, position from booking_items where booking_id = $1 order by position',
        [result.booking.id],
      ),
    );
    expect(items).toEqual([
      { service_name: 'cut', duration_min: 30, price: 3000, position: 0 },
      { service_name: 'style', duration_min: 45, price: 4500, position: 1 },
    ]);
    const [span] = await db.query<{ lower: Date; upper: Date }>(
      'select lower(span), upper(span) from bookings where id = $1',
      [result.booking.id],
    );
    expect(span!.upper.getTime() - span!.lower.getTime()).toBe((75 + 10) * 60_000);
    expect(
      (await bookingHistory(db, result.booking.id)).map((h) => [
        h.from_status,
        h.to_status,
        h.actor_kind,
      ]),
    ).toEqual([[null, 'held', 'client']]);
  });

  it('books the same length in SQL as the engine computes (overrides, speed, rounding to the step)', async () => {
    let n = 0;
    const own = await createBookingWorld(db, { masters: 1, clients: 1 });
    const master = own.masterIds[0]!;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 25, max: 400 }),
        fc.constantFrom(5, 10, 15, 20, 30),
        fc.option(fc.integer({ min: 5, max: 200 }), { nil: null }),
        async (speed, step, override) => {
          await asPlatform(db, async (tx) => {
            await tx.query('update masters set speed_factor = $2 where id = $1', [
              master,
              speed / 100,
            ]);
            await tx.query(
              'update master_skills set duration_override_min = $2 where master_id = $1 and service_id = $3',
              [master, override, own.services.style],
            );
            await tx.query(
              "update locations set policy = jsonb_set(policy, '{slotStepMinutes}', to_jsonb($2::int)) where id = $1",
              [own.locationId, step],
            );
          });
          // A day each, from local midnight: the longest (4 x 245 minutes) still ends that day, inside the hours.
          const start = new Date(localStart(1 + ++n, '00:00')).toISOString();
          const [row] = await asPlatform(db, (tx) =>
            tx.query<{ minutes: number }>(
              `select extract(epoch from end_at - start_at)::int / 60 as minutes from public.book_slot(p_tenant_id => $1, p_location_id => $2, p_master_id => $3, p_client_id => $4, p_service_ids => $5::uuid[], p_start_at => $6)`,
              [
                own.tenantId,
                own.locationId,
                master,
                own.clientIds[0],
                `{${own.services.cut},${own.services.style}}`,
                start,
              ],
            ),
          );
          const engine = bookingMinutes(
            {
              id: 'x',
              speedPercent: speed,
              skills: new Map([
                [own.services.cut, null],
                [own.services.style, override],
              ]),
              hours: [],
              breaks: [],
              timeOff: [],
              busy: [],
            },
            [
              { id: own.services.cut, durationMin: 30 },
              { id: own.services.style, durationMin: 45 },
            ],
            step,
          );
          expect(row!.minutes).toBe(engine);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses a taken slot with alternatives, and frees the slot at once on cancel', async () => {
    const start = localStart(nextDay(), '11:00');
    const first = await book({ start });
    expect(first.kind).toBe('booked');
    const second = await book({ start: start + 15 * 60_000, clientId: w.clientIds[1]! });
    expect(second.kind).toBe('slot_taken');
    if (second.kind !== 'slot_taken') return;
    expect(second.alternatives.length).toBe(3);
    expect(second.alternatives.every((a) => a.masterId === w.masterIds[0])).toBe(true);
    // 11:00-11:30 plus 10 minutes after: 10:30 ends too late? 10:30-11:00 + 10 after overlaps; nearest free: 10:15 and 11:45.
    expect(second.alternatives.map((a) => a.start)).toEqual(
      expect.arrayContaining([start - 45 * 60_000, start + 45 * 60_000]),
    );
    if (first.kind !== 'booked') return;
    expect(await service.cancel(w.tenantId, first.booking.id, client)).toMatchObject({
      kind: 'cancelled',
      fee: { amountMinor: 0 },
    });
    expect(await book({ start: start + 15 * 60_000, clientId: w.clientIds[1]! })).toMatchObject({
      kind: 'booked',
    });
  });

  it('fills the alternatives to a taken slot with colleagues when the master has too few starts of their own', async () => {
    // A world of its own: its first master works one 90-minute window a week, on the test's day.
    const few = await createBookingWorld(db, { masters: 3, clients: 2 });
    const start = localStart(9, '09:30');
    const weekday = DateTime.fromMillis(start, { zone: ZONE }).weekday;
    await asPlatform(db, async (tx) => {
      await tx.query('delete from working_hours where master_id = $1', [few.masterIds[0]]);
      await tx.query(
        "insert into working_hours (tenant_id, master_id, weekday, start_local, end_local) values ($1, $2, $3, '09:00', '10:30')",
        [few.tenantId, few.masterIds[0], weekday],
      );
    });
    const request = (clientId: string) => ({
      tenantId: few.tenantId,
      locationId: few.locationId,
      clientId,
      serviceIds: [few.services.cut],
      actor: clientActor(clientId),
      masterId: few.masterIds[0]!,
      start,
    });
    expect(await service.book(request(few.clientIds[0]!))).toMatchObject({ kind: 'booked' });

    const taken = await service.book(request(few.clientIds[1]!));
    expect(taken.kind).toBe('slot_taken');
    if (taken.kind !== 'slot_taken') return;
    // 09:30-10:00 plus 10 minutes after leaves the master no other start in the window; the
    // colleagues are free around the clock: the same time first, then 15 minutes either side.
    expect(taken.alternatives.map((a) => (a.start - start) / 60_000)).toEqual([0, -15, 15]);
    expect(taken.alternatives.every((a) => a.masterId !== few.masterIds[0])).toBe(true);
  });

  it('books "any master" with the least loaded master, and tries the next when one is taken', async () => {
    const d = nextDay();
    await book({ start: localStart(d, '09:00'), masterId: w.masterIds[0] });
    await book({
      start: localStart(d, '15:00'),
      masterId: w.masterIds[1],
      serviceIds: [w.services.long],
    });
    const any = await book({
      start: localStart(d, '12:00'),
      masterId: undefined as unknown as string,
      clientId: w.clientIds[2]!,
    });
    expect(any).toMatchObject({ kind: 'booked', booking: { masterId: w.masterIds[2] } });
  });

  it('explains policy refusals and offers alternatives', async () => {
    const past = await book({ start: localStart(0, '00:00') - 24 * H });
    expect(past).toMatchObject({ kind: 'policy_blocked', rule: 'lead_time' });
    const far = await book({ start: localStart(OPEN_POLICY.horizonDays + 2, '10:00') });
    expect(far).toMatchObject({ kind: 'policy_blocked', rule: 'horizon' });
    const offGrid = await book({ start: localStart(nextDay(), '10:05') });
    expect(offGrid).toMatchObject({ kind: 'policy_blocked', rule: 'outside_schedule' });
    if (offGrid.kind === 'policy_blocked') expect(offGrid.alternatives?.length).toBe(3);
  });

  it('says when a service or master is no longer available, with alternatives', async () => {
    const d = nextDay();
    await asPlatform(db, (tx) =>
      tx.query('update services set active = false where id = $1', [w.services.colour]),
    );
    const service_ = await book({ start: localStart(d, '10:00'), serviceIds: [w.services.colour] });
    expect(service_).toMatchObject({
      kind: 'service_unavailable',
      serviceIds: [w.services.colour],
    });
    if (service_.kind === 'service_unavailable')
      expect(service_.alternatives.map((a) => a.name).sort()).toEqual(['cut', 'long', 'style']);
    await asPlatform(db, (tx) =>
      tx.query('update services set active = true where id = $1', [w.services.colour]),
    );

    await asPlatform(db, (tx) =>
      tx.query('update masters set active = false where id = $1', [w.masterIds[1]]),
    );
    const master = await book({ start: localStart(d, '10:00'), masterId: w.masterIds[1] });
    expect(master).toMatchObject({ kind: 'master_unavailable', masterId: w.masterIds[1] });
    if (master.kind === 'master_unavailable') {
      expect(master.alternatives.length).toBe(3);
      expect(master.alternatives.every((a) => a.masterId !== w.masterIds[1])).toBe(true);
      expect(master.alternatives[0]!.start).toBe(localStart(d, '10:00'));
    }
    await asPlatform(db, (tx) =>
      tx.query('update masters set active = true where id = $1', [w.masterIds[1]]),
    );
  });

  it('blocks new bookings and reschedules in maintenance, but not cancellations; a suspended tenant does nothing', async () => {
    const d = nextDay();
    const held = await book({ start: localStart(d, '10:00') });
    if (held.kind !== 'booked') throw new Error('setup');
    await asPlatform(db, (tx) =>
      tx.query(
        "update tenants set maintenance = true, maintenance_message = 'Moving house', maintenance_until = '2030-01-01' where id = $1",
        [w.tenantId],
      ),
    );
    try {
      expect(await book({ start: localStart(d, '14:00') })).toMatchObject({
        kind: 'tenant_unavailable',
        reason: 'maintenance',
        message: 'Moving house',
      });
      expect(
        await service.reschedule(
          w.tenantId,
          held.booking.id,
          { start: localStart(d, '15:00') },
          client,
        ),
      ).toMatchObject({ kind: 'tenant_unavailable', reason: 'maintenance' });
      expect(await service.cancel(w.tenantId, held.booking.id, client)).toMatchObject({
        kind: 'cancelled',
      });
    } finally {
      await asPlatform(db, (tx) =>
        tx.query('update tenants set maintenance = false where id = $1', [w.tenantId]),
      );
    }
    await asPlatform(db, (tx) =>
      tx.query("update tenants set status = 'suspended' where id = $1", [w.tenantId]),
    );
    try {
      expect(await book({ start: localStart(d, '16:00') })).toMatchObject({
        kind: 'tenant_unavailable',
        reason: 'suspended',
      });
    } finally {
      await asPlatform(db, (tx) =>
        tx.query("update tenants set status = 'active' where id = $1", [w.tenantId]),
      );
    }
  });

  it('cancels within policy: free early, a fee late, refused inside the lock window', async () => {
    const confirmedAt = async (start: number) => {
      const r = await book({ start });
      if (r.kind !== 'booked') throw new Error(`setup: ${r.kind}`);
      expect(await service.confirm(w.tenantId, r.booking.id, client)).toMatchObject({
        kind: 'changed',
        booking: { status: 'confirmed', holdExpiresAt: null },
      });
      return r.booking.id;
    };
    const early = await confirmedAt(localStart(nextDay() + 2, '10:00'));
    expect(await service.quoteCancel(w.tenantId, early, client)).toMatchObject({
      allowed: true,
      window: 'free',
    });
    // Within 24 h but beyond 2 h: 50 % of 30.00.
    const late = await confirmedAt(sameDayStartAfter(Date.now() + 5 * H));
    expect(await service.quoteCancel(w.tenantId, late, client)).toMatchObject({
      allowed: true,
      window: 'late',
      fee: { amountMinor: 1500, currency: 'EUR' },
    });
    expect(await service.cancel(w.tenantId, late, client)).toMatchObject({
      kind: 'cancelled',
      fee: { amountMinor: 1500 },
    });
    const locked = await confirmedAt(sameDayStartAfter(Date.now() + H));
    expect(await service.cancel(w.tenantId, locked, client)).toMatchObject({
      kind: 'policy_blocked',
      rule: 'locked',
    });
    expect(await service.cancel(w.tenantId, locked, owner)).toMatchObject({
      kind: 'cancelled',
      fee: { amountMinor: 0 },
    });
  });

  it('reschedules atomically: into a free slot it moves, into a taken slot the original stays as it was', async () => {
    const d = nextDay();
    const mine = await book({ start: localStart(d, '10:00') });
    const theirs = await book({ start: localStart(d, '13:00'), clientId: w.clientIds[3]! });
    if (mine.kind !== 'booked' || theirs.kind !== 'booked') throw new Error('setup');
    await service.confirm(w.tenantId, mine.booking.id, client);
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into payments (tenant_id, booking_id, provider, purpose, status, amount_minor, currency, invoice_payload) values ($1, $2, 'venue', 'deposit', 'succeeded', 900, 'EUR', $3)",
        [w.tenantId, mine.booking.id, `p-${mine.booking.id}`],
      ),
    );
    const before = await db.query('select * from bookings where id = $1', [mine.booking.id]);

    const refused = await service.reschedule(
      w.tenantId,
      mine.booking.id,
      { start: localStart(d, '13:15') },
      client,
    );
    expect(refused.kind).toBe('slot_taken');
    expect(await db.query('select * from bookings where id = $1', [mine.booking.id])).toEqual(
      before,
    );

    // Onto an overlapping time of its own: allowed, because the old one is released in the same transaction.
    const moved = await service.reschedule(
      w.tenantId,
      mine.booking.id,
      { start: localStart(d, '10:15') },
      client,
    );
    expect(moved).toMatchObject({
      kind: 'rescheduled',
      previousId: mine.booking.id,
      booking: {
        status: 'confirmed',
        start: localStart(d, '10:15'),
        rescheduledFromId: mine.booking.id,
      },
    });
    if (moved.kind !== 'rescheduled') return;
    const [old] = await db.query<{ status: string }>('select status from bookings where id = $1', [
      mine.booking.id,
    ]);
    expect(old!.status).toBe('cancelled');
    expect((await bookingHistory(db, mine.booking.id)).at(-1)).toMatchObject({
      to_status: 'cancelled',
      reason: 'rescheduled',
    });
    const [payment] = await db.query<{ booking_id: string }>(
      'select booking_id from payments where invoice_payload = $1',
      [`p-${mine.booking.id}`],
    );
    expect(payment!.booking_id).toBe(moved.booking.id);
    expect((await bookingHistory(db, moved.booking.id)).map((h) => h.to_status)).toEqual([
      'held',
      'confirmed',
    ]);
  });

  it("a client acts on their own bookings only: another client's is not found, and stays as it was", async () => {
    const d = nextDay();
    const r = await book({ start: localStart(d, '11:00'), clientId: w.clientIds[1]! });
    if (r.kind !== 'booked') throw new Error('setup');
    const intruder = clientActor(w.clientIds[2]!);
    const anonymous = { kind: 'client' as const, id: 'tg:1' };
    for (const actor of [intruder, anonymous]) {
      expect(await service.quoteCancel(w.tenantId, r.booking.id, actor)).toBeUndefined();
      expect(await service.quoteReschedule(w.tenantId, r.booking.id, actor)).toBeUndefined();
      expect(await service.cancel(w.tenantId, r.booking.id, actor)).toEqual({ kind: 'not_found' });
      expect(
        await service.reschedule(
          w.tenantId,
          r.booking.id,
          { start: localStart(d, '14:00') },
          actor,
        ),
      ).toEqual({ kind: 'not_found' });
      expect(await service.confirm(w.tenantId, r.booking.id, actor)).toEqual({ kind: 'not_found' });
    }
    expect((await bookingHistory(db, r.booking.id)).map((h) => h.to_status)).toEqual(['held']);
    expect(await service.confirm(w.tenantId, r.booking.id, ownerOf(r))).toMatchObject({
      kind: 'changed',
      booking: { status: 'confirmed' },
    });
  });

  it('marks outcomes only after the start, by the booking master or the owner; a no-show counts', async () => {
    const d = nextDay();
    const r = await book({ start: localStart(d, '09:00'), clientId: w.clientIds[4]! });
    if (r.kind !== 'booked') throw new Error('setup');
    await service.confirm(w.tenantId, r.booking.id, ownerOf(r));
    const master = { kind: 'master' as const, id: w.masterIds[0]! };
    expect(await service.markOutcome(w.tenantId, r.booking.id, 'no_show', master)).toMatchObject({
      kind: 'policy_blocked',
      rule: 'not_started',
    });
    // Move the visit into the past (as if time had passed).
    await asPlatform(db, (tx) =>
      tx.query(
        "update bookings set start_at = start_at - interval '30 days', end_at = end_at - interval '30 days', span = tstzrange(lower(span) - interval '30 days', upper(span) - interval '30 days') where id = $1",
        [r.booking.id],
      ),
    );
    expect(
      await service.markOutcome(w.tenantId, r.booking.id, 'no_show', {
        kind: 'master',
        id: w.masterIds[1]!,
      }),
    ).toMatchObject({ kind: 'conflict' });
    expect(
      await service.markOutcome(w.tenantId, r.booking.id, 'no_show', ownerOf(r)),
    ).toMatchObject({ kind: 'conflict' });
    expect(await service.markOutcome(w.tenantId, r.booking.id, 'no_show', master)).toMatchObject({
      kind: 'changed',
      booking: { status: 'no_show' },
    });
    const [c] = await db.query<{ no_show_count: number }>(
      'select no_show_count from clients where id = $1',
      [w.clientIds[4]],
    );
    expect(c!.no_show_count).toBe(1);
    expect(await service.markOutcome(w.tenantId, r.booking.id, 'completed', owner)).toMatchObject({
      kind: 'conflict',
      status: 'no_show',
    });
  });

  it('asks flagged clients to prepay and refuses to confirm without payment', async () => {
    await asPlatform(db, (tx) =>
      tx.query('update clients set no_show_count = 2 where id = $1', [w.clientIds[5]]),
    );
    const r = await book({ start: localStart(nextDay(), '10:00'), clientId: w.clientIds[5]! });
    expect(r).toMatchObject({
      kind: 'booked',
      payment: {
        required: true,
        reason: 'no_show_history',
        amount: { amountMinor: 3000, currency: 'EUR' },
      },
    });
    if (r.kind !== 'booked') return;
    expect(await service.confirm(w.tenantId, r.booking.id, ownerOf(r))).toMatchObject({
      kind: 'policy_blocked',
      rule: 'payment_required',
    });
    expect(await service.requestPayment(w.tenantId, r.booking.id, ownerOf(r))).toMatchObject({
      kind: 'changed',
      booking: { status: 'pending_payment' },
    });
  });

  it('lets the book_slot RPC act only for the caller tenant', async () => {
    const other = await createBookingWorld(db, { masters: 1, clients: 1 });
    const call = (tenantScope: string) =>
      asTenant(db, { tenantId: tenantScope }, (tx) =>
        tx.query(
          'select id from public.book_slot(p_tenant_id => $1, p_location_id => $2, p_master_id => $3, p_client_id => $4, p_service_ids => $5::uuid[], p_start_at => $6)',
          [
            other.tenantId,
            other.locationId,
            other.masterIds[0],
            other.clientIds[0],
            `{${other.services.cut}}`,
            new Date(localStart(nextDay(), '10:00')).toISOString(),
          ],
        ),
      );
    await expect(call(w.tenantId)).rejects.toMatchObject({ code: '42501' });
    expect(await call(other.tenantId)).toHaveLength(1);
    await expect(
      db.transaction(async (tx) => {
        await tx.query("select set_config('role', 'anon', true)");
        return tx.query('select public.expire_holds()');
      }),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('a hold past its expiry whose release job never ran does not keep the time: it is offered and booked again', async () => {
    const start = localStart(nextDay(), '15:00');
    const first = await book({ start });
    if (first.kind !== 'booked') throw new Error(first.kind);
    // The hold ran out a minute ago, and no job or sweep has released it.
    await asPlatform(db, (tx) =>
      tx.query("update bookings set hold_expires_at = now() - interval '1 minute' where id = $1", [
        first.booking.id,
      ]),
    );
    const day = new Date(start).toISOString().slice(0, 10);
    const offered = await service.findSlots({
      tenantId: w.tenantId,
      locationId: w.locationId,
      serviceIds: [w.services.cut],
      masterId: w.masterIds[0],
      fromDate: day,
      toDate: day,
      actor: client,
    });
    expect(offered!.slots.some((s) => s.start === start)).toBe(true);
    const second = await book({ start, clientId: w.clientIds[1]! });
    expect(second).toMatchObject({ kind: 'booked', booking: { start, masterId: w.masterIds[0] } });
    const history = await asPlatform(db, (tx) => bookingHistory(tx, first.booking.id));
    expect(history.at(-1)).toMatchObject({
      from_status: 'held',
      to_status: 'expired',
      actor_kind: 'system',
      reason: 'hold expired',
    });
    if (second.kind !== 'booked') return;
    const own = await asPlatform(db, (tx) => bookingHistory(tx, second.booking.id));
    expect(own).toEqual([
      expect.objectContaining({
        to_status: 'held',
        actor_kind: 'client',
        actor_id: 'tg:1',
        reason: 'booked',
      }),
    ]);
  });
});

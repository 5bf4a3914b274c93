import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Transaction } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import {
  bookSlot,
  bookSlots,
  BookingWriteError,
  type BookSlotOutcome,
  type BookSlotParams,
} from '../../db/queries/bookings.ts';
import { migratedPostgres } from '../support/pg.ts';
import {
  createBookingWorld,
  localStart,
  slotRequest,
  OPEN_POLICY,
  type BookingWorld,
} from '../support/booking-world.ts';

const MINUTE = 60_000;

class Rollback extends Error {}

/**
 * book_slots books a batch of plain requests (valid, free, no earlier overlapping request, no
 * repeated key) in one statement and sends every other request through app.insert_booking, the
 * path of book_slot. These tests pin down that the two paths book exactly the same thing, and
 * which requests take which path. Two witnesses say which: app.insert_booking's count of calls
 * that returned, and xmin, which the one statement shares among its rows while each request of
 * the one-by-one path writes in a subtransaction of its own.
 */
describe('book_slots: plain requests in one statement (real PostgreSQL)', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let version: number;

  const request = (
    over: Partial<Omit<BookSlotParams, 'start'>> & { masterId: string; start: number },
  ): BookSlotParams =>
    slotRequest(w, 'tg:plain', { catalogVersion: version, ...over, start: new Date(over.start) });

  /** Runs `fn` as the tenant, counting app.insert_booking calls; rolls back unless `keep`. */
  async function asTenantCounting<T>(
    fn: (tx: Transaction) => Promise<T>,
    keep = false,
  ): Promise<{ value: T; oneByOne: number; advisoryLocks: number }> {
    let out: { value: T; oneByOne: number; advisoryLocks: number } | undefined;
    try {
      await db.transaction(async (tx) => {
        await tx.query("set local track_functions = 'pl'");
        // The backend's counts not yet reported, which may include earlier transactions of this connection.
        const calls = async () =>
          Number(
            (
              await tx.query<{ n: string }>(
                "select coalesce(pg_stat_get_xact_function_calls('app.insert_booking'::regproc), 0)::text as n",
              )
            )[0]!.n,
          );
        const before = await calls();
        await tx.query(
          "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)",
          [JSON.stringify({ role: 'authenticated', tenant_id: w.tenantId })],
        );
        const value = await fn(tx);
        const [locks] = await tx.query<{ n: string }>(
          "select count(*)::text as n from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()",
        );
        out = { value, oneByOne: (await calls()) - before, advisoryLocks: Number(locks!.n) };
        if (!keep) throw new Rollback();
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    return out!;
  }

  const writers = async (tx: Transaction, outcomes: BookSlotOutcome[]) => {
    const ids = outcomes.flatMap((o) => (o instanceof BookingWriteError ? [] : [o.id]));
    const rows = await tx.query<{ xmin: string }>(
      'select xmin::text as xmin from bookings where id = any($1::uuid[])',
      [`{${ids.join(',')}}`],
    );
    return new Set(rows.map((r) => r.xmin)).size;
  };

  /** What a booking looks like apart from its id and its transaction's clock. */
  async function described(tx: Transaction, bookingId: string) {
    const [row] = await tx.query(
      `select master_id, client_id, status, start_at, end_at, span::text as span, (hold_expires_at - created_at)::text as hold_for,
              total_minor::text as total, currency, idempotency_key, client_comment, booked_by_kind, booked_by_id,
              (select json_agg(json_build_array(i.service_id, i.position, i.service_name, i.duration_min, i.price_minor::text, i.currency) order by i.position)
                 from booking_items i where i.booking_id = b.id) as items,
              (select json_agg(json_build_array(h.from_status, h.to_status, h.actor_kind, h.actor_id, h.reason))
                 from booking_status_history h where h.booking_id = b.id) as history
       from bookings b where b.id = $1`,
      [bookingId],
    );
    return row;
  }

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('plain'));
    w = await createBookingWorld(db, {
      masters: 6,
      clients: 3,
      policy: { ...OPEN_POLICY, bufferBeforeMinutes: 5, bufferAfterMinutes: 10 },
    });
    await asPlatform(db, async (tx) => {
      await tx.query('update masters set speed_factor = 1.25 where id = $1', [w.masterIds[0]]);
      await tx.query(
        'update master_skills set duration_override_min = 40 where master_id = $1 and service_id = $2',
        [w.masterIds[0], w.services.style],
      );
    });
    version = Number(
      (
        await db.query<{ v: string }>(
          'select catalog_version::text as v from locations where id = $1',
          [w.locationId],
        )
      )[0]!.v,
    );
  });
  afterAll(async () => cleanup());

  it('books a plain batch in one statement, exactly as book_slot books each request', async () => {
    const day = localStart(3, '00:00');
    const requests = [
      request({ masterId: w.masterIds[0]!, start: day + 10 * 60 * MINUTE }),
      // Slower master with an override: (30 + 40) x 1.25 = 87.5, rounded up to the 15-minute step.
      request({
        masterId: w.masterIds[0]!,
        start: day + 14 * 60 * MINUTE,
        serviceIds: [w.services.cut, w.services.style],
        clientId: w.clientIds[1]!,
        actorId: 'tg:second',
      }),
      // 150 minutes from 21:30, to the end of the working day; the buffer after runs into the next
      // local day (two day locks). The visit itself never does: windows are a day's.
      request({
        masterId: w.masterIds[1]!,
        start: localStart(3, '21:30'),
        serviceIds: [w.services.colour, w.services.long],
        actorKind: 'owner',
        actorId: 'owner-1',
      }),
      request({
        masterId: w.masterIds[2]!,
        start: day + 9 * 60 * MINUTE,
        idempotencyKey: 'plain-key',
        comment: 'window seat',
        clientId: w.clientIds[2]!,
      }),
    ];

    let oneWriter = 0;
    const batched = await asTenantCounting(async (tx) => {
      const outcomes = await bookSlots(tx, w.tenantId, requests);
      oneWriter = await writers(tx, outcomes);
      return Promise.all(
        outcomes.map((o) => (o instanceof BookingWriteError ? o : described(tx, o.id))),
      );
    });
    expect(batched.oneByOne).toBe(0);
    expect(oneWriter).toBe(1);
    // master 0 on day 3, master 1 on days 3 and 4, master 2 on day 3.
    expect(batched.advisoryLocks).toBe(4);

    const single = await asTenantCounting(async (tx) => {
      const rows = [];
      for (const r of requests) rows.push(await described(tx, (await bookSlot(tx, r)).id));
      return rows;
    });
    expect(single.oneByOne).toBe(requests.length);

    expect(batched.value).toEqual(single.value);
    const [, composite, untilMidnight, keyed] = batched.value as Record<string, unknown>[];
    expect(new Date(composite!.end_at as string).getTime() - requests[1]!.start.getTime()).toBe(
      90 * MINUTE,
    );
    expect(untilMidnight!.history).toEqual([[null, 'held', 'owner', 'owner-1', 'booked']]);
    expect(keyed).toMatchObject({
      idempotency_key: 'plain-key',
      client_comment: 'window seat',
      booked_by_id: 'tg:plain',
    });
  });

  it('sends every request that is not plain one by one, with the outcome book_slot gives it', async () => {
    const day = localStart(4, '00:00');
    const existing = request({
      masterId: w.masterIds[3]!,
      start: day + 10 * 60 * MINUTE,
      idempotencyKey: 'earlier-tap',
    });
    await asTenantCounting((tx) => bookSlot(tx, existing), true);

    const requests = [
      request({ masterId: w.masterIds[3]!, start: day + 10 * 60 * MINUTE + 15 * MINUTE }), // overlaps the existing booking
      existing, // the same key again: handed back
      request({ masterId: w.masterIds[4]!, start: day + 10 * 60 * MINUTE }), // plain
      request({ masterId: w.masterIds[4]!, start: day + 10 * 60 * MINUTE + 15 * MINUTE }), // overlaps the plain one above
      request({
        masterId: w.masterIds[5]!,
        start: day + 11 * 60 * MINUTE,
        catalogVersion: version - 1,
      }), // stale catalog
      request({ masterId: w.masterIds[5]!, start: day + 12 * 60 * MINUTE }), // plain
    ];
    const { value } = await asTenantCounting(async (tx) => {
      const outcomes = await bookSlots(tx, w.tenantId, requests);
      return { outcomes, plainWriters: await writers(tx, [outcomes[2]!, outcomes[5]!]) };
    });
    const codes = value.outcomes.map((o: BookSlotOutcome) =>
      o instanceof BookingWriteError ? o.code : o.replayed ? 'replayed' : 'booked',
    );
    expect(codes).toEqual(['SB007', 'replayed', 'booked', 'SB007', 'SB011', 'booked']);
    expect(value.plainWriters).toBe(1);
  });

  it('falls back to one by one when the one statement fails, so only the faulty request is refused', async () => {
    const day = localStart(5, '00:00');
    const requests = [
      request({ masterId: w.masterIds[0]!, start: day + 10 * 60 * MINUTE }),
      request({
        masterId: w.masterIds[1]!,
        start: day + 10 * 60 * MINUTE,
        clientId: '00000000-0000-4000-8000-000000000000',
      }),
      request({ masterId: w.masterIds[2]!, start: day + 10 * 60 * MINUTE }),
    ];
    const { value, oneByOne } = await asTenantCounting(async (tx) => {
      const outcomes = await bookSlots(tx, w.tenantId, requests);
      return { outcomes, bookedWriters: await writers(tx, outcomes) };
    });
    expect(value.outcomes.map((o) => (o instanceof BookingWriteError ? o.code : 'booked'))).toEqual(
      ['booked', '23503', 'booked'],
    );
    expect(value.bookedWriters).toBe(2);
    expect(oneByOne).toBe(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import { pgErrorInfo, type Database } from '../../db/port.ts';
import {
  allowedEdges,
  BLOCKING_STATES,
  BOOKING_STATES,
  type BookingState,
} from '../../tenants/booking/state-machine.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld, type BookingWorld } from '../support/booking-world.ts';

/** The database enforces exactly the state machine's edges, for every pair of states. */
describe('booking status changes in the database', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let slot = 0;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('transitions'));
    w = await createBookingWorld(db, { masters: 1, clients: 1 });
  });
  afterAll(() => cleanup());

  /** Path from held to each state, along allowed edges; outcomes need a start in the past. */
  const PATHS: Record<BookingState, BookingState[]> = {
    held: [],
    pending_payment: ['pending_payment'],
    confirmed: ['confirmed'],
    completed: ['confirmed', 'completed'],
    no_show: ['confirmed', 'no_show'],
    cancelled: ['cancelled'],
    expired: ['expired'],
  };

  async function bookingIn(state: BookingState): Promise<string> {
    // A distinct hour per booking, in the past so outcomes are allowed.
    const start = new Date(Date.UTC(2020, 0, 1, 0, 0) + ++slot * 3_600_000);
    const end = new Date(start.getTime() + 30 * 60_000);
    return asPlatform(db, async (tx) => {
      const [row] = await tx.query<{ id: string }>(
        `insert into bookings (tenant_id, location_id, master_id, client_id, start_at, end_at, span, hold_expires_at, total_minor, currency)
         values ($1, $2, $3, $4, $5, $6, tstzrange($5, $6), now(), 3000, 'EUR') returning id`,
        [
          w.tenantId,
          w.locationId,
          w.masterIds[0],
          w.clientIds[0],
          start.toISOString(),
          end.toISOString(),
        ],
      );
      for (const next of PATHS[state])
        await tx.query('update bookings set status = $2 where id = $1', [row!.id, next]);
      return row!.id;
    });
  }

  const allowed = new Set(allowedEdges().map(([a, b]) => `${a}>${b}`));

  it('matches the code table exactly', async () => {
    const rows = await db.query<{ from_status: string; to_status: string }>(
      'select from_status, to_status from app.booking_transitions',
    );
    expect(new Set(rows.map((r) => `${r.from_status}>${r.to_status}`))).toEqual(allowed);
  });

  it("agrees with the database on which states keep the master's time (app.is_blocking)", async () => {
    const rows = await db.query<{ status: string }>(
      'select s as status from unnest($1::text[]) s where app.is_blocking(s::app.booking_status)',
      [`{${BOOKING_STATES.join(',')}}`],
    );
    expect(rows.map((r) => r.status)).toEqual([...BLOCKING_STATES]);
  });

  for (const from of BOOKING_STATES) {
    for (const to of BOOKING_STATES) {
      if (from === to) continue;
      const legal = allowed.has(`${from}>${to}`);
      it(`${from} -> ${to} is ${legal ? 'allowed' : 'refused'}`, async () => {
        const id = await bookingIn(from);
        const attempt = asPlatform(db, (tx) =>
          tx.query('update bookings set status = $2 where id = $1 returning status', [id, to]),
        );
        if (legal) {
          expect(await attempt).toEqual([{ status: to }]);
          const history = await db.query<{ from_status: string | null; to_status: string }>(
            'select from_status, to_status from booking_status_history where booking_id = $1 order by occurred_at',
            [id],
          );
          expect(history.at(-1)).toEqual({ from_status: from, to_status: to });
          expect(history[0]).toEqual({ from_status: null, to_status: 'held' });
        } else {
          const error = await attempt.then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(pgErrorInfo(error)?.code).toBe('SB021');
          const [row] = await db.query<{ status: string }>(
            'select status from bookings where id = $1',
            [id],
          );
          expect(row!.status).toBe(from);
        }
      });
    }
  }

  it('refuses a booking born in any state but held, and an outcome before the start', async () => {
    const future = new Date(Date.now() + 86_400_000);
    const insert = (status: string) =>
      asPlatform(db, (tx) =>
        tx.query(
          `insert into bookings (tenant_id, location_id, master_id, client_id, status, start_at, end_at, span, hold_expires_at, total_minor, currency)
           values ($1, $2, $3, $4, $5, $6, $6::timestamptz + interval '30 minutes', tstzrange($6, $6::timestamptz + interval '30 minutes'), now(), 0, 'EUR')`,
          [w.tenantId, w.locationId, w.masterIds[0], w.clientIds[0], status, future.toISOString()],
        ),
      );
    await expect(insert('confirmed')).rejects.toMatchObject({ code: 'SB020' });
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>(
        `insert into bookings (tenant_id, location_id, master_id, client_id, start_at, end_at, span, hold_expires_at, total_minor, currency)
         values ($1, $2, $3, $4, $5, $5::timestamptz + interval '30 minutes', tstzrange($5, $5::timestamptz + interval '30 minutes'), now(), 0, 'EUR') returning id`,
        [w.tenantId, w.locationId, w.masterIds[0], w.clientIds[0], future.toISOString()],
      ),
    );
    await asPlatform(db, (tx) =>
      tx.query("update bookings set status = 'confirmed' where id = $1", [row!.id]),
    );
    await expect(
      asPlatform(db, (tx) =>
        tx.query("update bookings set status = 'no_show' where id = $1", [row!.id]),
      ),
    ).rejects.toMatchObject({ code: 'SB022' });
  });

  it('records the actor and reason set for the transaction, and counts no-shows', async () => {
    const id = await bookingIn('confirmed');
    await asPlatform(db, async (tx) => {
      await tx.query("select app.set_actor('master', 'm-1', 'client never came')");
      await tx.query("update bookings set status = 'no_show' where id = $1", [id]);
    });
    const [last] = await db.query<{ actor_kind: string; actor_id: string; reason: string }>(
      'select actor_kind, actor_id, reason from booking_status_history where booking_id = $1 order by occurred_at desc limit 1',
      [id],
    );
    expect(last).toEqual({ actor_kind: 'master', actor_id: 'm-1', reason: 'client never came' });
    const [client] = await db.query<{ no_show_count: number }>(
      'select no_show_count from clients where id = $1',
      [w.clientIds[0]],
    );
    expect(client!.no_show_count).toBeGreaterThanOrEqual(1);
  });
});

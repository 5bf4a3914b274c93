import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../db/postgres.ts';
import type { Database } from '../../db/port.ts';
import { asTenant, tenantClaims } from '../../db/scope.ts';
import {
  bookSlots,
  bookSlotsScoped,
  BookingWriteError,
  type BookSlotParams,
} from '../../db/queries/bookings.ts';
import { createBookingWriter } from '../../db/booking-writer.ts';
import { migratedPostgres } from '../support/pg.ts';
import {
  createBookingWorld,
  localStart,
  slotRequest,
  type BookingWorld,
} from '../support/booking-world.ts';

const MINUTE = 60_000;

describe('booking writer: group commit of held bookings (real PostgreSQL)', () => {
  let db: Database;
  let pool: Database;
  let cleanup: () => Promise<void>;
  let url: string;
  let w: BookingWorld;
  let catalogVersion: number;

  const hold = (over: Partial<BookSlotParams> & { masterId: string; start: Date }) =>
    slotRequest(w, 'tg:writer', { catalogVersion, ...over });
  /**
   * The transaction that wrote each booking, told by its start time: created_at is now(), which is
   * fixed for a transaction (xmin would not do: each request runs in its own subtransaction).
   */
  const writtenBy = async (ids: string[]) =>
    (
      await db.query<{ id: string; tx: string }>(
        "select id, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.US') as tx from bookings where id = any($1::uuid[])",
        [`{${ids.join(',')}}`],
      )
    ).reduce((m, r) => m.set(r.id, r.tx), new Map<string, string>());

  beforeAll(async () => {
    ({ db, url, cleanup } = await migratedPostgres('writer'));
    pool = openPostgres(url, { max: 4 });
    w = await createBookingWorld(db, { masters: 6, clients: 6 });
    catalogVersion = Number(
      (
        await db.query<{ v: string }>(
          'select catalog_version::text as v from locations where id = $1',
          [w.locationId],
        )
      )[0]!.v,
    );
  });
  afterAll(async () => {
    await pool.close();
    await cleanup();
  });

  it('requests that queue while a transaction runs share the next one, each with its own outcome', async () => {
    const writer = createBookingWriter(pool, { maxInFlight: 1 });
    const day = localStart(5, '09:00');
    const first = writer.hold(hold({ masterId: w.masterIds[5]!, start: new Date(day) }));
    // Queued behind the first: four free slots, one overlapping a slot of the same batch, one
    // checked against an old catalog, one with a client of no tenant.
    const queued = [
      writer.hold(hold({ masterId: w.masterIds[0]!, start: new Date(day) })),
      writer.hold(
        hold({
          masterId: w.masterIds[1]!,
          start: new Date(day),
          serviceIds: [w.services.cut, w.services.colour],
        }),
      ),
      writer.hold(hold({ masterId: w.masterIds[2]!, start: new Date(day) })),
      writer.hold(hold({ masterId: w.masterIds[0]!, start: new Date(day + 15 * MINUTE) })),
      writer.hold(
        hold({
          masterId: w.masterIds[3]!,
          start: new Date(day),
          catalogVersion: catalogVersion - 1,
        }),
      ),
      writer.hold(
        hold({
          masterId: w.masterIds[4]!,
          start: new Date(day),
          clientId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    ];
    const settled = await Promise.allSettled([first, ...queued]);
    const ok = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.flatMap((s) =>
      s.status === 'rejected' ? [s.reason as BookingWriteError] : [],
    );

    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(failed.map((e) => e.code)).toEqual(['SB007', 'SB011', '23503']);
    expect(failed.every((e) => e instanceof BookingWriteError)).toBe(true);

    const tx = await writtenBy(ok.map((b) => b.id));
    expect(tx.get(ok[0]!.id)).not.toBe(tx.get(ok[1]!.id));
    expect(new Set(ok.slice(1).map((b) => tx.get(b.id))).size).toBe(1);

    // The composite booking has both items and its price; every booking its history.
    const items = await db.query<{ booking_id: string; n: number; total: string }>(
      'select booking_id, count(*)::int as n, sum(price_minor)::text as total from booking_items where booking_id = any($1::uuid[]) group by booking_id',
      [`{${ok.map((b) => b.id).join(',')}}`],
    );
    expect(items.find((i) => i.booking_id === ok[2]!.id)).toMatchObject({ n: 2, total: '9000' });
    expect(ok[2]!.total_minor).toBe(9000);
    const history = await db.query<{ n: number }>(
      "select count(*)::int as n from booking_status_history where booking_id = any($1::uuid[]) and to_status = 'held' and actor_id = 'tg:writer'",
      [`{${ok.map((b) => b.id).join(',')}}`],
    );
    expect(history[0]!.n).toBe(4);
    // The refused requests left nothing behind.
    const [{ n }] = (await db.query<{ n: number }>(
      'select count(*)::int as n from bookings where tenant_id = $1',
      [w.tenantId],
    )) as [{ n: number }];
    expect(n).toBe(4);
  });

  it('a repeated idempotency key inside one batch yields one booking, handed back to the second request', async () => {
    const writer = createBookingWriter(pool, { maxInFlight: 1 });
    const start = new Date(localStart(6, '10:00'));
    const blocker = writer.hold(
      hold({ masterId: w.masterIds[4]!, start: new Date(localStart(6, '18:00')) }),
    );
    const twice = [0, 1].map(() =>
      writer.hold(hold({ masterId: w.masterIds[3]!, start, idempotencyKey: 'same-tap' })),
    );
    const [, a, b] = await Promise.all([blocker, ...twice]);
    expect(a!.id).toBe(b!.id);
    expect([a!.replayed, b!.replayed].sort()).toEqual([false, true]);
  });

  it('splits queued work evenly over the transactions it may run, instead of one long and one short', async () => {
    const writer = createBookingWriter(pool, { maxInFlight: 2 });
    const day = localStart(4, '08:00');
    // The first two take the two free transactions at once; the next six queue behind them.
    const all = Array.from({ length: 8 }, (_, i) =>
      writer.hold(
        hold({
          masterId: w.masterIds[i % 6]!,
          start: new Date(day + Math.floor(i / 6) * 60 * MINUTE),
        }),
      ),
    );
    const booked = await Promise.all(all);
    const tx = await writtenBy(booked.map((b) => b.id));
    const sizes = [
      ...booked
        .reduce(
          (m, b) => m.set(tx.get(b.id)!, (m.get(tx.get(b.id)!) ?? 0) + 1),
          new Map<string, number>(),
        )
        .values(),
    ];
    // When the first finishes, four of the six go (half of the six queued and one running, rounded
    // up); the last two follow when the second finishes. All six in one would be [1, 1, 6].
    expect(sizes.sort()).toEqual([1, 1, 2, 4]);
  });

  it('never mixes tenants in one transaction', async () => {
    const other = await createBookingWorld(db, { masters: 1, clients: 1 });
    const otherVersion = Number(
      (
        await db.query<{ v: string }>(
          'select catalog_version::text as v from locations where id = $1',
          [other.locationId],
        )
      )[0]!.v,
    );
    const writer = createBookingWriter(pool, { maxInFlight: 1 });
    const start = new Date(localStart(7, '11:00'));
    const [mine, theirs, mine2] = await Promise.all([
      writer.hold(hold({ masterId: w.masterIds[0]!, start })),
      writer.hold({
        tenantId: other.tenantId,
        locationId: other.locationId,
        masterId: other.masterIds[0]!,
        clientId: other.clientIds[0]!,
        serviceIds: [other.services.cut],
        start,
        actorKind: 'client',
        catalogVersion: otherVersion,
      }),
      writer.hold(hold({ masterId: w.masterIds[1]!, start })),
    ]);
    const tx = await writtenBy([mine.id, theirs.id, mine2.id]);
    expect(tx.get(theirs.id)).not.toBe(tx.get(mine.id));
    expect(tx.get(theirs.id)).not.toBe(tx.get(mine2.id));
    expect(theirs.tenant_id).toBe(other.tenantId);
  });

  it('book_slots acts only for the caller tenant and takes 1 to 32 requests', async () => {
    const other = await createBookingWorld(db, { masters: 1, clients: 1 });
    const start = new Date(localStart(8, '12:00'));
    const asOther = (requests: BookSlotParams[]) =>
      asTenant(db, { tenantId: other.tenantId }, (tx) => bookSlots(tx, w.tenantId, requests));
    await expect(asOther([hold({ masterId: w.masterIds[0]!, start })])).rejects.toMatchObject({
      code: '42501',
    });
    const asMine = (requests: BookSlotParams[]) =>
      asTenant(db, { tenantId: w.tenantId }, (tx) => bookSlots(tx, w.tenantId, requests));
    await expect(asMine([])).rejects.toMatchObject({ code: '22023' });
    await expect(
      asMine(
        Array.from({ length: 33 }, (_, i) =>
          hold({
            masterId: w.masterIds[i % 6]!,
            start: new Date(start.getTime() + i * 60 * MINUTE),
          }),
        ),
      ),
    ).rejects.toMatchObject({ code: '22023' });
    const [{ n }] = (await db.query<{ n: number }>(
      'select count(*)::int as n from bookings where start_at >= $1',
      [start.toISOString()],
    )) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('a scoped batch statement acts only for the tenant its claims name, and the claims end with it', async () => {
    const other = await createBookingWorld(db, { masters: 1, clients: 1 });
    const start = new Date(localStart(8, '15:00'));
    const one = openPostgres(url, { max: 1 }); // one connection: what the statement leaves behind is visible to the next
    try {
      const request = [hold({ masterId: w.masterIds[0]!, start })];
      await expect(
        bookSlotsScoped(one, tenantClaims({ tenantId: other.tenantId }), w.tenantId, request),
      ).rejects.toMatchObject({ code: '42501' });
      const [booked] = await bookSlotsScoped(
        one,
        tenantClaims({ tenantId: w.tenantId }),
        w.tenantId,
        request,
      );
      expect(booked).not.toBeInstanceOf(BookingWriteError);
      const [left] = await one.query<{ claims: string | null }>(
        "select nullif(current_setting('request.jwt.claims', true), '') as claims",
      );
      expect(left!.claims).toBeNull();
      // Without claims the function refuses: nothing of the scope outlived its statement.
      await expect(
        bookSlots(one, w.tenantId, [hold({ masterId: w.masterIds[1]!, start })]),
      ).rejects.toMatchObject({ code: '42501' });
    } finally {
      await one.close();
    }
  });
});

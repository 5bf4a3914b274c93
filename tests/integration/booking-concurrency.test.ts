import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresOptions } from '../../db/postgres.ts';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { prng } from '../../bench/availability-fixture.ts';
import { migratedPostgres } from '../support/pg.ts';
import { bookingService, createBookingWorld, localStart } from '../support/booking-world.ts';
import { pgbouncerStats, POOLER, poolerUrl } from '../support/pgbouncer.ts';

const client = { kind: 'client' as const, id: 'tg:race' };

/** Overlapping blocking bookings of one master: must always be none. */
async function overlaps(db: Database, tenantId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `select count(*)::int as n from bookings a join bookings b
       on a.master_id = b.master_id and a.id < b.id and a.span && b.span
     where a.tenant_id = $1
       and a.status in ('held', 'pending_payment', 'confirmed') and b.status in ('held', 'pending_payment', 'confirmed')`,
    [tenantId],
  );
  return row!.n;
}

/**
 * The same guarantees directly and through a transaction-mode pooler (PgBouncer, as Supavisor on
 * Supabase's port 6543 or Hyperdrive would be): there every transaction may get another server
 * connection, so the adapter runs with `poolMode: 'transaction'` (no named prepared statements).
 * The world is set up and checked over a direct connection; the contenders go through the route.
 */
const routes: {
  name: string;
  skip: boolean;
  url: (direct: string) => string;
  options: PostgresOptions;
}[] = [
  { name: 'direct connections', skip: false, url: (direct) => direct, options: {} },
  {
    name: POOLER.available
      ? 'through PgBouncer in transaction mode'
      : `through PgBouncer in transaction mode (skipped: ${POOLER.reason})`,
    skip: !POOLER.available,
    url: poolerUrl,
    options: { poolMode: 'transaction' },
  },
];

describe.each(routes)('booking under concurrency (separate connections), $name', (route) => {
  if (route.skip) {
    it.skip('needs PgBouncer', () => {});
    return;
  }
  let db: Database;
  let url: string;
  let cleanup: () => Promise<void>;
  const pools: Database[] = [];
  const pool = (max: number) => {
    const c = openPostgres(route.url(url), { max, ...route.options });
    pools.push(c);
    return c;
  };
  const connection = () => pool(1);

  beforeAll(async () => {
    ({ db, url, cleanup } = await migratedPostgres('concurrency'));
  });
  // Each test's own connections are closed after it: the suite shares one PostgreSQL (100
  // connections) with the test files running beside it.
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await cleanup();
  });

  if (route.options.poolMode === 'transaction') {
    afterAll(async () => {
      // The contenders' transactions really went through the pooler, in transaction mode.
      const stats = await pgbouncerStats(new URL(url).pathname.slice(1));
      expect(stats.poolMode).toBe('transaction');
      expect(stats.transactions).toBeGreaterThan(0);
    });
  }

  it('50 concurrent attempts at one slot: one held booking, 49 "slot taken" with alternatives that really are free', async () => {
    const w = await createBookingWorld(db, { masters: 2, clients: 50 });
    const start = localStart(3, '14:00');
    const services = Array.from({ length: 50 }, () => bookingService(connection()));
    const results = await Promise.all(
      services.map((s, i) =>
        s.book({
          tenantId: w.tenantId,
          locationId: w.locationId,
          clientId: w.clientIds[i]!,
          serviceIds: [w.services.colour],
          start,
          masterId: w.masterIds[0],
          actor: client,
        }),
      ),
    );
    expect(results.filter((r) => r.kind === 'booked')).toHaveLength(1);
    const taken = results.filter((r) => r.kind === 'slot_taken');
    expect(taken).toHaveLength(49);
    const [{ n }] = (await db.query<{ n: number }>(
      "select count(*)::int as n from bookings where tenant_id = $1 and status = 'held'",
      [w.tenantId],
    )) as [{ n: number }];
    expect(n).toBe(1);

    // Every alternative offered is a valid start right now, for the master it names.
    const fresh = await bookingService(db).findSlots({
      tenantId: w.tenantId,
      locationId: w.locationId,
      serviceIds: [w.services.colour],
      fromDate: '2000-01-01',
      toDate: '2100-01-01',
      actor: client,
    });
    const valid = new Map(fresh!.slots.map((s) => [s.start, s.masterIds]));
    for (const r of taken) {
      if (r.kind !== 'slot_taken') continue;
      expect(r.alternatives.length).toBe(3);
      for (const a of r.alternatives) {
        expect(a.start).not.toBe(start);
        expect(valid.get(a.start)).toContain(a.masterId);
      }
    }
    expect(await overlaps(db, w.tenantId)).toBe(0);
  });

  it('the same request with the same idempotency key, retried concurrently, yields one booking', async () => {
    const w = await createBookingWorld(db, { masters: 1, clients: 1 });
    const request = {
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: w.clientIds[0]!,
      serviceIds: [w.services.cut],
      start: localStart(4, '10:00'),
      masterId: w.masterIds[0],
      idempotencyKey: 'tg:42:update:9001',
      actor: client,
    };
    const results = await Promise.all(
      Array.from({ length: 12 }, () => bookingService(connection()).book(request)),
    );
    const ids = new Set(results.map((r) => (r.kind === 'booked' ? r.booking.id : r.kind)));
    expect(ids.size).toBe(1);
    expect(results.every((r) => r.kind === 'booked')).toBe(true);
    expect(results.filter((r) => r.kind === 'booked' && !r.replayed)).toHaveLength(1);
    const [{ n }] = (await db.query<{ n: number }>(
      'select count(*)::int as n from bookings where tenant_id = $1',
      [w.tenantId],
    )) as [{ n: number }];
    expect(n).toBe(1);
    // A retry after the fact returns the same booking too.
    expect(await bookingService(db).book(request)).toMatchObject({
      kind: 'booked',
      replayed: true,
      booking: { id: [...ids][0] },
    });
  });

  it.each([
    ['each worker with its own service and connection', false],
    ['all workers sharing one service over a pool, so held bookings go in groups', true],
  ])(
    'a randomized stress run keeps every master free of overlaps and every success exactly once: %s',
    async (_, shared) => {
      const w = await createBookingWorld(db, { masters: 5, clients: 16 });
      const pooled = shared ? bookingService(pool(8)) : undefined;
      const WORKERS = 16;
      const ATTEMPTS = 2000;
      const serviceSets = [
        [w.services.cut],
        [w.services.style],
        [w.services.colour],
        [w.services.long],
        [w.services.cut, w.services.style],
      ];
      let remaining = ATTEMPTS;
      const seen = {
        booked: new Set<string>(),
        cancelled: new Set<string>(),
        rescheduledFrom: new Map<string, string>(),
        refused: 0,
      };
      const live = new Map<number, string[]>();

      await Promise.all(
        Array.from({ length: WORKERS }, async (_, worker) => {
          const rand = prng(1000 + worker);
          const service = pooled ?? bookingService(connection());
          const mine: string[] = [];
          live.set(worker, mine);
          const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
          // Starts on the grid within two busy days, so attempts collide a lot.
          const randomStart = () =>
            localStart(5 + Math.floor(rand() * 2), '09:00') + Math.floor(rand() * 40) * 15 * 60_000;
          while (remaining-- > 0) {
            const roll = rand();
            if (roll < 0.12 && mine.length > 0) {
              const id = mine.splice(Math.floor(rand() * mine.length), 1)[0]!;
              const r = await service.cancel(w.tenantId, id, {
                ...client,
                clientId: w.clientIds[worker]!,
              });
              expect(r.kind).toBe('cancelled');
              seen.cancelled.add(id);
            } else if (roll < 0.24 && mine.length > 0) {
              const index = Math.floor(rand() * mine.length);
              const r = await service.reschedule(
                w.tenantId,
                mine[index]!,
                { start: randomStart(), ...(rand() < 0.5 ? { masterId: pick(w.masterIds) } : {}) },
                { ...client, clientId: w.clientIds[worker]! },
              );
              if (r.kind === 'rescheduled') {
                seen.rescheduledFrom.set(r.booking.id, r.previousId);
                seen.booked.add(r.booking.id);
                mine[index] = r.booking.id;
              } else {
                expect(['slot_taken', 'policy_blocked']).toContain(r.kind);
                seen.refused++;
              }
            } else {
              const r = await service.book({
                tenantId: w.tenantId,
                locationId: w.locationId,
                clientId: w.clientIds[worker]!,
                serviceIds: pick(serviceSets),
                start: randomStart(),
                ...(rand() < 0.7 ? { masterId: pick(w.masterIds) } : {}),
                actor: client,
              });
              if (r.kind === 'booked') {
                expect(seen.booked.has(r.booking.id)).toBe(false);
                seen.booked.add(r.booking.id);
                mine.push(r.booking.id);
              } else {
                expect(r.kind).toBe('slot_taken');
                seen.refused++;
              }
            }
          }
        }),
      );

      expect(await overlaps(db, w.tenantId)).toBe(0);
      const rows = await asPlatform(db, (tx) =>
        tx.query<{ id: string; status: string; rescheduled_from_id: string | null }>(
          'select id, status, rescheduled_from_id from bookings where tenant_id = $1',
          [w.tenantId],
        ),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.size).toBe(rows.length);
      for (const id of seen.booked) expect(byId.has(id), `booking ${id} a worker saw`).toBe(true);
      expect(rows.length).toBe(seen.booked.size);
      for (const id of seen.cancelled) expect(byId.get(id)!.status).toBe('cancelled');
      for (const [id, previous] of seen.rescheduledFrom) {
        expect(byId.get(id)!.rescheduled_from_id).toBe(previous);
        expect(byId.get(previous)!.status).toBe('cancelled');
      }
      const stillLive = [...live.values()].flat();
      for (const id of stillLive) expect(byId.get(id)!.status).toBe('held');
      expect(rows.filter((r) => r.status === 'held').length).toBe(stillLive.length);
      expect(seen.booked.size).toBeGreaterThan(100);
      expect(seen.refused).toBeGreaterThan(100);
      if (shared) {
        // Held bookings written by one transaction share its now() as created_at.
        const [{ grouped }] = (await db.query<{ grouped: number }>(
          'select count(*)::int as grouped from (select 1 from bookings where tenant_id = $1 and rescheduled_from_id is null group by created_at having count(*) > 1) g',
          [w.tenantId],
        )) as [{ grouped: number }];
        expect(grouped).toBeGreaterThan(0);
      }
    },
    240_000,
  );

  it('expire_holds from several workers at once releases each expired hold exactly once', async () => {
    const w = await createBookingWorld(db, { masters: 3, clients: 3 });
    const service = bookingService(db);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await service.book({
        tenantId: w.tenantId,
        locationId: w.locationId,
        clientId: w.clientIds[i % 3]!,
        serviceIds: [w.services.cut],
        start: localStart(6, '08:00') + i * 30 * 60_000,
        masterId: w.masterIds[i % 3],
        actor: client,
      });
      if (r.kind === 'booked') ids.push(r.booking.id);
    }
    expect(ids).toHaveLength(30);
    await asPlatform(db, (tx) =>
      tx.query(
        "update bookings set hold_expires_at = now() - interval '1 minute' where id = any ($1::uuid[]) and extract(minute from start_at) = 0",
        [`{${ids.join(',')}}`],
      ),
    );
    const released = await Promise.all(
      Array.from({ length: 4 }, () => bookingService(connection()).expireHolds()),
    );
    const all = released.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(15);
    expect(await bookingService(db).expireHolds()).toEqual([]);
    const [{ n }] = (await db.query<{ n: number }>(
      "select count(*)::int as n from booking_status_history where booking_id = any ($1::uuid[]) and to_status = 'expired' and actor_kind = 'system'",
      [`{${ids.join(',')}}`],
    )) as [{ n: number }];
    expect(n).toBe(15);
  });
});

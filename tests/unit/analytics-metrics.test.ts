import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/port.ts';
import { asTenant } from '../../db/scope.ts';
import { analyticsReport, type AnalyticsReport } from '../../tenants/analytics/report.ts';
import {
  ANALYTICS_EXPECTED as X,
  DST_DAY,
  PERIOD,
  seedAnalyticsWorld,
  type AnalyticsWorld,
} from '../support/analytics-world.ts';
import { migratedPglite } from '../support/pg.ts';

/**
 * The metrics' queries (the SQL itself, on embedded PostgreSQL, as the tenant under RLS) against
 * figures worked out by hand: refunds, cancellations late and free, by the client and by the
 * business, a reschedule, an expired hold with a mismatched charge, two locations in EUR and USD
 * (chain-wide: two currency groups, never one sum), and the spring-forward day in Berlin.
 */
describe('analytics metrics on hand-computed fixtures', () => {
  let db: Database;
  let w: AnalyticsWorld;
  const report = (
    locationIds: string[],
    period: { fromDate: string; toDate: string } = PERIOD,
  ): Promise<AnalyticsReport> =>
    asTenant(db, { tenantId: w.tenantId, subject: 'test', appRole: 'owner' }, (tx) =>
      analyticsReport(tx, { tenantId: w.tenantId, locationIds, ...period }),
    );

  beforeAll(async () => {
    db = await migratedPglite();
    w = await seedAnalyticsWorld(db);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('one location: bookings per local day, revenue without refunds, LTV, retention, no-shows with late cancellations, pipeline, lead times', async () => {
    const r = await report([w.berlinId]);
    expect(r.perDay).toEqual(X.berlin.perDay);
    expect(r.summary.revenue).toEqual(X.berlin.revenue);
    expect(r.summary.retention).toEqual({ ...X.berlin.retention, share: 2 / 3 });
    expect(r.summary.noShows).toEqual({ ...X.berlin.noShows, share: 0.25 });
    expect(r.pipeline).toEqual(X.berlin.pipeline);
    expect(r.leadTime.buckets.map((b) => b.bookings)).toEqual(X.berlin.leadCounts);
    expect(r.leadTime.medianHours).toBeCloseTo(X.berlin.leadMedianHours, 6);
  });

  it('a refunded payment is not revenue: a free cancellation refunded in full realizes nothing, a partial refund only what was kept', async () => {
    const r = await report([w.berlinId], { fromDate: '2026-03-30', toDate: '2026-03-30' });
    // 03-30: b5 (refunded in full), b6 (cancelled by the owner, nothing paid), b9 (reschedule) and b7 (still ahead) — no revenue.
    expect(r.summary.revenue).toEqual([]);
    const sunday = await report([w.berlinId], { fromDate: DST_DAY, toDate: DST_DAY });
    // b1 50.00 + b2 30.00 − 10.00 refunded + b3 deposit 12.00 + b4 40.00 − 20.00 refunded; b10's mismatched charge is owed back.
    expect(sunday.summary.revenue).toEqual([
      { currency: 'EUR', realizedMinor: 10_200, clients: 3, ltvMinor: 3_400 },
    ]);
  });

  it('a late cancellation is the client’s, inside the free window, from confirmed; free ones, the business’s and reschedules are not', async () => {
    const r = await report([w.berlinId], { fromDate: '2026-03-30', toDate: '2026-03-30' });
    // 03-30: b7 confirmed, b5 free (48 h), b6 by the owner: 3 confirmed, none missed; b9 moved, not counted.
    expect(r.summary.noShows).toEqual({
      part: 0,
      whole: 3,
      share: 0,
      noShows: 0,
      lateCancellations: 0,
    });
  });

  it('chain-wide: money per currency, never summed; counts across both zones', async () => {
    const r = await report([w.berlinId, w.newYorkId]);
    expect(r.summary.revenue).toEqual(X.chain.revenue);
    expect(r.perDay).toEqual(X.chain.perDay);
    expect(r.summary.retention).toEqual({ ...X.chain.retention, share: 0.5 });
    expect(r.summary.noShows).toEqual({ ...X.chain.noShows, share: 0.2 });
    expect(r.pipeline.map((p) => p.currency)).toEqual(['EUR']);
    expect(r.load.map((l) => [l.locationName, l.name])).toEqual([
      ['Studio Berlin', 'Anna'],
      ['Studio Berlin', 'Ben'],
      ['Studio New York', 'Carl'],
    ]);
  });

  it('the spring-forward day: 23 hours long, its bookings on it, working minutes of real time less breaks and time off', async () => {
    const r = await report([w.berlinId], { fromDate: DST_DAY, toDate: DST_DAY });
    expect(r.perDay).toEqual(X.dstDay.perDay);
    expect(
      r.load.map(({ name, bookedMinutes, workingMinutes }) => ({
        name,
        bookedMinutes,
        workingMinutes,
      })),
    ).toEqual(X.dstDay.load);
    expect(r.load[0]!.load).toBeCloseTo(150 / 1320, 10);
    // Over the three days Ben's Monday is a whole day off: still 120 minutes.
    const three = await report([w.berlinId]);
    expect(three.load.find((l) => l.name === 'Ben')).toMatchObject({
      workingMinutes: 120,
      bookedMinutes: 45,
    });
  });

  it("a booking's paid and refunded sums follow its payments as they are made, succeed, are refunded, move and go", async () => {
    const sums: string[] = [];
    const rolledBack = asTenant(
      db,
      { tenantId: w.tenantId, subject: 'test', appRole: 'owner' },
      async (tx) => {
        const [a, b] = await tx.query<{ id: string }>(
          'select id from bookings x where not exists (select 1 from payments y where y.booking_id = x.id) order by id limit 2',
        );
        const look = async () => {
          const rows = await tx.query<{ id: string; paid_minor: string; refunded_minor: string }>(
            'select id, paid_minor::text, refunded_minor::text from bookings where id = any($1::uuid[]) order by id',
            [[a!.id, b!.id]],
          );
          sums.push(
            rows
              .map((r) => `${r.id === a!.id ? 'a' : 'b'} ${r.paid_minor}/${r.refunded_minor}`)
              .join(', '),
          );
        };
        const [pay] = await tx.query<{ id: string }>(
          `insert into payments (tenant_id, booking_id, provider, purpose, amount_minor, currency, invoice_payload)
           values ($1, $2, 'telegram', 'deposit', 1000, 'EUR', 'sums-test') returning id`,
          [w.tenantId, a!.id],
        );
        await look(); // pending: nothing yet
        await tx.query("update payments set status = 'succeeded' where id = $1", [pay!.id]);
        await look();
        await tx.query('update payments set refunded_minor = 400 where id = $1', [pay!.id]);
        await look();
        await tx.query('update payments set booking_id = $2 where id = $1', [pay!.id, b!.id]);
        await look(); // moved, as a reschedule moves them
        await tx.query(
          "update payments set status = 'refunded', refunded_minor = 1000 where id = $1",
          [pay!.id],
        );
        await look();
        await tx.query('delete from payments where id = $1', [pay!.id]);
        await look();
        throw new Error('rolled back');
      },
    );
    await expect(rolledBack).rejects.toThrow('rolled back');
    expect(sums).toEqual([
      'a 0/0, b 0/0',
      'a 1000/0, b 0/0',
      'a 600/400, b 0/0',
      'a 0/0, b 600/400',
      'a 0/0, b 0/1000',
      'a 0/0, b 0/0',
    ]);
  });

  it('nothing in the period: empty money groups, shares of nothing are null, every day listed with 0', async () => {
    const r = await report([w.berlinId], { fromDate: '2025-01-01', toDate: '2025-01-03' });
    expect(r.summary.revenue).toEqual([]);
    expect(r.summary.retention.share).toBeNull();
    expect(r.summary.noShows.share).toBeNull();
    expect(r.perDay.map((d) => d.bookings)).toEqual([0, 0, 0]);
    expect(r.leadTime.medianHours).toBeNull();
    expect(r.pipeline).toEqual([]);
  });
});

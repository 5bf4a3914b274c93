import type { Queryable } from '../db/port.ts';
import { asTenant } from '../db/scope.ts';
import {
  bookingsPerDay,
  leadTimes,
  loadPerMaster,
  noShows,
  pipeline,
  retention,
  revenueByCurrency,
  tuneForAnalytics,
  type AnalyticsScope,
} from '../db/queries/analytics.ts';
import { LEAD_TIME_EDGES_HOURS } from '../tenants/analytics/metrics.ts';
import { presetPeriod } from '../tenants/analytics/period.ts';
import { BotHarness } from '../tests/support/bot-harness.ts';
import { fmt, percentile, report, timeRuns } from './harness.ts';
import { explainAll, planLine } from './explain.ts';
import { MILLION_ZONE, openMillion, signedInOwner } from './million-fixture.ts';

const ZONE = MILLION_ZONE;
const RUNS = 30;
const TARGET_MS = 100;

/**
 * Analytics on one business with a million bookings (`npm run bench -- analytics`; the data set:
 * bench/million-fixture.ts). Each metric's query runs as the tenant (RLS) for the page's default
 * period (the last 30 days) and for the last 90; p50 and p99 of 30 runs, and EXPLAIN ANALYZE of
 * each with the indexes it reads. Then the whole page over HTTP.
 */
export async function analyticsBench(): Promise<void> {
  const million = await openMillion('analytics');
  if (!million) {
    report('analytics figures', 'skipped: no PostgreSQL server');
    return;
  }
  const { db, tenantId, locationId } = million;
  const h = new BotHarness(db);
  let started = false;
  try {
    const owner = { tenantId, subject: 'bench', appRole: 'owner' };
    const now = Date.now();
    const scopes: [string, AnalyticsScope][] = [
      [
        'last 30 days',
        { tenantId, locationIds: [locationId], ...presetPeriod('last30', ZONE, now) },
      ],
      [
        'last 90 days',
        { tenantId, locationIds: [locationId], ...presetPeriod('last90', ZONE, now) },
      ],
    ];
    const metrics: [string, (q: Queryable, s: AnalyticsScope) => Promise<unknown>][] = [
      ['revenue and LTV', revenueByCurrency],
      ['retention', retention],
      ['no-show rate', noShows],
      ['revenue pipeline', pipeline],
      ['bookings per day', bookingsPerDay],
      ['load per master', loadPerMaster],
      ['lead time', (q, s) => leadTimes(q, s, LEAD_TIME_EDGES_HOURS)],
    ];
    let worst = 0;
    for (const [periodName, scope] of scopes) {
      const [rows] = await asTenant(db, owner, (tx) =>
        bookingsPerDay(tx, scope).then((days) => [days.reduce((a, d) => a + d.bookings, 0)]),
      );
      report(`## ${periodName}`, `${rows!.toLocaleString('en-US')} visits in the period`);
      for (const [name, run] of metrics) {
        // As the page runs it: a transaction as the tenant, JIT off, the query.
        const once = () =>
          asTenant(db, owner, async (tx) => {
            await tuneForAnalytics(tx);
            return run(tx, scope);
          });
        await timeRuns(3, once);
        const times = await timeRuns(RUNS, once);
        const p99 = percentile(times, 99);
        if (periodName === 'last 30 days') worst = Math.max(worst, p99);
        report(`${name}`, `p50 ${fmt(percentile(times, 50))} ms, p99 ${fmt(p99)} ms`);
      }
    }
    report(
      'target',
      `each metric p99 < ${TARGET_MS} ms for the default period: ${worst < TARGET_MS ? 'met' : 'NOT met'} (worst p99 ${fmt(worst)} ms)`,
    );

    // The plans (last 30 days): which indexes each query reads, and any sequential scan.
    const scope = scopes[0]![1];
    for (const [name, run] of metrics) {
      const plan = await asTenant(db, owner, async (tx) => {
        await tuneForAnalytics(tx);
        return explainAll(tx, (spy) => run(spy, scope));
      });
      report(`plan: ${name}`, planLine(plan));
    }

    // The whole page (every metric, rendered) over HTTP, as the owner.
    const browser = await signedInOwner(million, h);
    started = true;
    for (const [periodName, s] of scopes) {
      const path = `/admin/analytics?location=${locationId}&from=${s.fromDate}&to=${s.toDate}`;
      const load = async () => {
        const answer = await browser.get(path);
        if (answer.status !== 200) throw new Error(`${path}: ${answer.status}`);
      };
      await timeRuns(3, load);
      const times = await timeRuns(20, load);
      report(
        `page: all seven metrics, ${periodName}`,
        `p50 ${fmt(percentile(times, 50))} ms, p99 ${fmt(percentile(times, 99))} ms`,
      );
    }
  } finally {
    if (started) await h.stop();
    await million.close();
  }
}

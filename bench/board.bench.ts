import { DateTime } from 'luxon';
import type { Queryable } from '../db/port.ts';
import { boardBooking, boardPage, boardStamp, type BoardQuery } from '../db/queries/board.ts';
import { asTenant } from '../db/scope.ts';
import { boardWindow, DEFAULT_SPAN_DAYS, MAX_SPAN_DAYS } from '../tenants/board/board-filter.ts';
import { BotHarness } from '../tests/support/bot-harness.ts';
import { explainAll, planLine } from './explain.ts';
import { fmt, percentile, report, timeRuns } from './harness.ts';
import { MILLION_ZONE, openMillion, signedInOwner } from './million-fixture.ts';

const RUNS = 30;
const TARGET_MS = 100;
/** As the board asks: a page of 50 and one more to know there is a next. */
const PAGE = 51;

/**
 * The bookings board on one business with a million bookings (`npm run bench -- board`; the data
 * set: bench/million-fixture.ts). Each query runs as the tenant (RLS), as the page runs it: the
 * first page (today and the next two weeks), pages filtered by master, service, statuses, a year's
 * dates, a client search by name, @username and phone (over two weeks and over a year), filters
 * combined, page 200 by keyset, a booking's detail and the open board's change stamp; p50 and p99
 * of 30 runs and EXPLAIN (ANALYZE, BUFFERS) of each. Then the first page over HTTP and a 90-day
 * CSV export streamed: rows a second and the process's memory while it streams.
 */
export async function boardBench(): Promise<void> {
  const million = await openMillion('board');
  if (!million) {
    report('board figures', 'skipped: no PostgreSQL server');
    return;
  }
  const { db, tenantId, locationId } = million;
  const owner = { tenantId, subject: 'bench', appRole: 'owner' };
  const h = new BotHarness(db);
  let started = false;
  try {
    const today = DateTime.now().setZone(MILLION_ZONE).toISODate()!;
    const days = (from: string, n: number) => ({
      fromDate: from,
      toDate: DateTime.fromISO(from).plus({ days: n }).toISODate()!,
    });
    const twoWeeks = days(today, DEFAULT_SPAN_DAYS);
    const year = days(
      DateTime.fromISO(today).minus({ days: MAX_SPAN_DAYS }).toISODate()!,
      MAX_SPAN_DAYS,
    );
    const window = (d: { fromDate: string; toDate: string }) => boardWindow(d, MILLION_ZONE);
    // What a person would pick: a master, a service, a client seen in the next two weeks.
    const [picked] = await db.query<{
      master_id: string;
      service_id: string;
      client_name: string;
      username: string;
      phone: string;
      booking_id: string;
    }>(
      `select b.master_id, i.service_id, concat_ws(' ', c.first_name, c.last_name) as client_name, c.username, c.phone, b.id as booking_id
       from bookings b join booking_items i on i.booking_id = b.id join clients c on c.id = b.client_id
       where b.location_id = $1 and b.start_at >= $2 and c.username is not null and c.phone is not null
       order by b.start_at limit 1`,
      [locationId, window(twoWeeks).from],
    );
    const [past] = await db.query<{ id: string }>(
      `select b.id from bookings b join payments p on p.booking_id = b.id
       where b.location_id = $1 order by b.status = 'cancelled' and b.start_at < now() desc, b.start_at desc limit 1`,
      [locationId],
    );
    const base = { tenantId, locationId, statuses: [] as string[], limit: PAGE };
    const yearWindow = window(year);
    // Page 200 of the year: the keyset starts after the 9,950th booking.
    const [deep] = await db.query<{ id: string }>(
      `select id from bookings where location_id = $1 and start_at >= $2 and start_at < $3 order by start_at, id offset $4 limit 1`,
      [locationId, yearWindow.from, yearWindow.to, 199 * 50 - 1],
    );
    const phonePart = picked!.phone.replace(/^\+49 /, '').slice(0, 10);
    const cases: [string, BoardQuery][] = [
      ['first page (two weeks from today)', { ...base, ...window(twoWeeks) }],
      ['by master', { ...base, ...window(twoWeeks), masterId: picked!.master_id }],
      ['by service', { ...base, ...window(twoWeeks), serviceId: picked!.service_id }],
      ['by status: cancelled', { ...base, ...window(twoWeeks), statuses: ['cancelled'] }],
      ['a year of dates', { ...base, ...yearWindow }],
      ['a year, status no-show', { ...base, ...yearWindow, statuses: ['no_show'] }],
      [
        'a year, status awaiting payment (none)',
        { ...base, ...yearWindow, statuses: ['pending_payment'] },
      ],
      ['a year, by service', { ...base, ...yearWindow, serviceId: picked!.service_id }],
      [
        `search name "${picked!.client_name}"`,
        { ...base, ...window(twoWeeks), search: picked!.client_name },
      ],
      [
        `search @username "${picked!.username}"`,
        { ...base, ...window(twoWeeks), search: picked!.username },
      ],
      [`search phone "${phonePart}"`, { ...base, ...window(twoWeeks), search: phonePart }],
      [`a year, search name`, { ...base, ...yearWindow, search: picked!.client_name }],
      [`a year, search @username`, { ...base, ...yearWindow, search: picked!.username }],
      [`a year, search phone`, { ...base, ...yearWindow, search: phonePart }],
      ['a year, search "zzz" (no match)', { ...base, ...yearWindow, search: 'zzz' }],
      [
        'combined: master, service, statuses, search',
        {
          ...base,
          ...yearWindow,
          masterId: picked!.master_id,
          serviceId: picked!.service_id,
          statuses: ['completed', 'confirmed'],
          search: picked!.client_name.split(' ')[0],
        },
      ],
    ];
    if (deep)
      cases.push(['page 200 of a year (keyset)', { ...base, ...yearWindow, afterId: deep.id }]);
    const queries: [string, (q: Queryable) => Promise<unknown>][] = [
      ...cases.map(([name, p]): [string, (q: Queryable) => Promise<unknown>] => [
        name,
        (q) => boardPage(q, p),
      ]),
      ['booking detail (payments, history)', (q) => boardBooking(q, { tenantId, id: past!.id })],
      ['change stamp', (q) => boardStamp(q, { tenantId, locationId })],
    ];
    let worst = 0;
    for (const [name, run] of queries) {
      const once = () => asTenant(db, owner, (tx) => run(tx));
      await timeRuns(3, once);
      const times = await timeRuns(RUNS, once);
      const p50 = percentile(times, 50);
      worst = Math.max(worst, p50);
      report(name, `p50 ${fmt(p50)} ms, p99 ${fmt(percentile(times, 99))} ms`);
    }
    report(
      'target',
      `each query p50 < ${TARGET_MS} ms: ${worst < TARGET_MS ? 'met' : 'NOT met'} (worst p50 ${fmt(worst)} ms)`,
    );
    for (const [name, run] of queries) {
      const plan = await asTenant(db, owner, (tx) => explainAll(tx, run));
      report(`plan: ${name}`, planLine(plan));
    }

    // Over HTTP as the owner: the first page, and a 90-day export streamed.
    const browser = await signedInOwner(million, h);
    started = true;
    const first = `/admin/bookings?location=${locationId}`;
    const load = async () => {
      const answer = await browser.get(first);
      if (answer.status !== 200) throw new Error(`${first}: ${answer.status}`);
    };
    await timeRuns(3, load);
    const times = await timeRuns(20, load);
    report(
      'page: first page over HTTP',
      `p50 ${fmt(percentile(times, 50))} ms, p99 ${fmt(percentile(times, 99))} ms`,
    );
    const quarter = days(DateTime.fromISO(today).minus({ days: 90 }).toISODate()!, 89);
    const exportPath = `/admin/bookings/export?location=${locationId}&from=${quarter.fromDate}&to=${quarter.toDate}`;
    globalThis.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const start = performance.now();
    const response = await browser.raw(exportPath);
    if (response.status !== 200) throw new Error(`${exportPath}: ${response.status}`);
    const reader = response.body!.getReader();
    let lines = 0;
    let bytes = 0;
    // The heap every 25,000 rows: flat if nothing accumulates.
    const heapAt: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      const was = lines;
      for (const byte of value) if (byte === 10) lines++;
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
      if (Math.floor(lines / 25_000) > Math.floor(was / 25_000))
        heapAt.push(`${Math.floor(lines / 1000)}k: ${fmt(now.heapUsed / 1024 / 1024, 0)}`);
    }
    const seconds = (performance.now() - start) / 1000;
    const mb = (n: number) => `${fmt(n / 1024 / 1024)} MB`;
    report(
      'export: 90 days as CSV, streamed',
      `${(lines - 1).toLocaleString('en-US')} rows (${mb(bytes)}) in ${fmt(seconds)} s: ${Math.round((lines - 1) / seconds).toLocaleString('en-US')} rows/s`,
    );
    report(
      'export: memory while streaming',
      `RSS ${mb(before.rss)} before, peak ${mb(peakRss)}; heap ${mb(before.heapUsed)} before, peak ${mb(peakHeap)}; heap MB at ${heapAt.join(', ')}`,
    );
  } finally {
    if (started) await h.stop();
    await million.close();
  }
}

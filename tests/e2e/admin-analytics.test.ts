import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { migratedPostgres } from '../support/pg.ts';
import { BotHarness } from '../support/bot-harness.ts';
import type { AdminClient } from '../support/admin-client.ts';
import {
  BERLIN,
  PERIOD,
  seedAnalyticsWorld,
  type AnalyticsWorld,
} from '../support/analytics-world.ts';

/**
 * The analytics page against the real app on PostgreSQL, on the hand-computed world of
 * tests/support/analytics-world.ts: the figures on the page and in each CSV (UTF-8 with BOM,
 * decimals), one location and the chain with one group per currency, the period's default and
 * presets, charts as accessible SVG, and who may see what (a manager limited to Berlin: New York is
 * a 404, the chain a 403; a master: 403).
 */
describe('admin analytics', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: AnalyticsWorld;
  let h: BotHarness;
  const OWNER = 9_910_001;
  const MANAGER = 9_910_002;
  const MASTER = 9_910_003;
  const range = `from=${PERIOD.fromDate}&to=${PERIOD.toDate}`;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_analytics'));
    w = await seedAnalyticsWorld(db);
    await asPlatform(db, async (tx) => {
      await tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', $2)",
        [w.tenantId, OWNER],
      );
      const [manager] = await tx.query<{ id: string }>(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'manager', 'Mia', $2) returning id",
        [w.tenantId, MANAGER],
      );
      await tx.query(
        'insert into staff_locations (tenant_id, staff_user_id, location_id) values ($1, $2, $3)',
        [w.tenantId, manager!.id, w.berlinId],
      );
      await tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'master', 'Anna', $2)",
        [w.tenantId, MASTER],
      );
    });
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  /** The text of the page without tags, spaces collapsed. */
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;|\u00a0|\u202f/g, ' ')
      .replace(/\s+/g, ' ');
  /** A download as its bytes say: the byte order mark kept, lines split at CRLF. */
  const csv = async (c: AdminClient, chart: string, query: string) => {
    const res = await c.raw(`/admin/analytics/csv/${chart}?${query}`);
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      disposition: res.headers.get('content-disposition'),
      body,
    };
  };
  const cells = (body: string) =>
    body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));

  it('one location: the figures worked out by hand, as tiles, tables and SVG charts', async () => {
    const owner = await h.signIn(OWNER);
    const page = await owner.get(`/admin/analytics?location=${w.berlinId}&${range}`);
    expect(page.status).toBe(200);
    const t = text(page.html);
    expect(t).toContain('Studio Berlin: Mar 28, 2026 – Mar 30, 2026 (3 days)');
    expect(t).toContain('Europe/Berlin');
    // Realized revenue €102.00 from 3 clients, LTV €34.00; retention 2 of 3; no-shows 1 + 1 late of 8.
    expect(t).toContain('Realized revenue EUR €102.00 from 3 clients');
    expect(t).toContain('Lifetime value (LTV) EUR €34.00');
    expect(t).toContain('Retention 66.7% 2 of 3 clients with a visit booked more than once');
    expect(t).toContain(
      'No-show rate 25% 1 no-show and 1 late cancellation of 8 confirmed bookings',
    );
    // Bookings per day by local date: the 03-29 00:30 visit (03-28 by UTC) is on the 29th.
    expect(t).toMatch(/Sat, Mar 28 1 Sun, Mar 29 3 Mon, Mar 30 1/);
    // Pipeline: 7.50 paid, 47.50 to pay. Load: Anna works the DST Sunday, 23 h less a 1 h break, and has
    // b8, b1, b2, b3 (3 h); Ben 01:00–05:00 that day (3 real hours) less 1 h off, and b7 (45 min).
    expect(t).toMatch(/EUR 2 \(with a payment: 1\) €7\.50 €47\.50 €55\.00/);
    expect(t).toMatch(/Anna 3 hr 22 hr 13\.6%/);
    expect(t).toMatch(/Ben 45 min 2 hr 37\.5%/);
    expect(t).toMatch(
      /under 2 h 2 2–24 h 0 1–3 days 1 3–7 days 1 1–2 weeks 0 2–4 weeks 0 4 weeks \+ 1/,
    );
    expect(t).toContain('Median: 24 h ahead.');
    // Charts: SVG with role img, named and described; no inline styles or scripts anywhere.
    const svgs = [...page.html.matchAll(/<svg [^>]*>/g)].map((m) => m[0]);
    expect(svgs.length).toBe(4);
    for (const svg of svgs) {
      expect(svg).toContain('role="img"');
      expect(svg).toMatch(/aria-labelledby="chart-[a-z-A-Z]+-title chart-[a-z-A-Z]+-desc"/);
      expect(svg).toMatch(/viewBox="0 0 400 \d+"/);
    }
    expect(page.html).toContain(
      '<desc id="chart-per-day-desc">5 bookings over 3 days; the busiest day was Sun, Mar 29 with 3. The table below lists every day.</desc>',
    );
    expect(page.html).not.toMatch(/style=|<script/);
    expect(page.response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    // The menu has the section, marked as the current page.
    expect(page.html).toContain('<a href="/admin/analytics" aria-current="page">Analytics</a>');
  });

  it('each chart’s numbers as CSV: UTF-8 with BOM, dates, decimals, percentages', async () => {
    const owner = await h.signIn(OWNER);
    const q = `location=${w.berlinId}&${range}`;
    const perDay = await csv(owner, 'per-day', q);
    expect(perDay.status).toBe(200);
    expect(perDay.type).toBe('text/csv; charset=utf-8');
    expect(perDay.disposition).toBe(
      `attachment; filename="analytics-per-day-location-${PERIOD.fromDate}_${PERIOD.toDate}.csv"`,
    );
    expect(perDay.body.startsWith('\uFEFF')).toBe(true);
    expect(cells(perDay.body)).toEqual([
      ['Day', 'Bookings'],
      ['2026-03-28', '1'],
      ['2026-03-29', '3'],
      ['2026-03-30', '1'],
    ]);
    expect(cells((await csv(owner, 'summary', q)).body)).toEqual([
      ['Figure', 'Currency', 'Value', 'Count', 'Out of'],
      ['Realized revenue', 'EUR', '102.00', '', ''],
      ['Paying clients', 'EUR', '', '3', ''],
      ['Lifetime value (LTV)', 'EUR', '34.00', '', ''],
      ['Retention', '', '66.7', '2', '3'],
      ['No-show rate', '', '25', '2', '8'],
      ['No-shows', '', '', '1', '8'],
      ['Late cancellations', '', '', '1', '8'],
    ]);
    expect(cells((await csv(owner, 'pipeline', q)).body)).toEqual([
      [
        'Currency',
        'Confirmed bookings',
        'With a payment',
        'Without',
        'Paid',
        'Still to pay',
        'Total',
      ],
      ['EUR', '2', '1', '1', '7.50', '47.50', '55.00'],
    ]);
    expect(cells((await csv(owner, 'load', q)).body)).toEqual([
      ['Location', 'Master', 'Booked (minutes)', 'Working (minutes)', 'Load (%)'],
      ['Studio Berlin', 'Anna', '180', '1320', '13.6'],
      ['Studio Berlin', 'Ben', '45', '120', '37.5'],
    ]);
    expect(cells((await csv(owner, 'lead-time', q)).body)[1]).toEqual(['under 2 h', '', '2', '2']);
    expect((await csv(owner, 'nonsense', q)).status).toBe(404);
    expect(
      (await csv(owner, 'per-day', `location=${w.berlinId}&from=2026-03-30&to=2026-03-01`)).status,
    ).toBe(400);
  });

  it('the chain (owners): money per currency, never one sum; counts over both zones', async () => {
    const owner = await h.signIn(OWNER);
    const page = await owner.get(`/admin/analytics?scope=chain&${range}`);
    expect(page.status).toBe(200);
    const t = text(page.html);
    expect(t).toContain('All locations (per currency): Mar 28, 2026 – Mar 30, 2026 (3 days)');
    expect(t).toContain('Realized revenue EUR €102.00 from 3 clients');
    expect(t).toContain('Realized revenue USD $90.00 from 2 clients');
    expect(t).toContain('Lifetime value (LTV) USD $45.00');
    expect(t).not.toContain('$192.00');
    expect(t).toContain('Retention 50% 2 of 4 clients');
    expect(t).toMatch(/Sat, Mar 28 1 Sun, Mar 29 5 Mon, Mar 30 1/);
    expect(t).toMatch(/Carl Studio New York/);
    expect(
      cells((await csv(owner, 'summary', `scope=chain&${range}`)).body).filter(
        (row) => row[0] === 'Realized revenue',
      ),
    ).toEqual([
      ['Realized revenue', 'EUR', '102.00', '', ''],
      ['Realized revenue', 'USD', '90.00', '', ''],
    ]);
    // The location picker offers the chain to the owner.
    expect(page.html).toContain(
      '<option value="chain" selected="">All locations (per currency)</option>',
    );
  });

  it('the period: the last 30 local days by default, presets, and a wrong date said with the default shown', async () => {
    const owner = await h.signIn(OWNER);
    const today = DateTime.fromMillis(h.now(), { zone: BERLIN });
    const page = await owner.get(`/admin/analytics?location=${w.berlinId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(
      `name="from" type="date" value="${today.minus({ days: 29 }).toISODate()}"`,
    );
    expect(page.html).toContain(`name="to" type="date" value="${today.toISODate()}"`);
    expect(page.html).toMatch(/aria-current="true">Last 30 days</);
    expect(page.html).toContain(
      `from=${today.minus({ days: 6 }).toISODate()}&amp;to=${today.toISODate()}`,
    );
    const wrong = await owner.get(`/admin/analytics?location=${w.berlinId}&from=2026-02-30`);
    expect(wrong.status).toBe(400);
    expect(text(wrong.html)).toContain('“From” is not a date');
  });

  it('who may see what: a manager only their location (another is a 404, the chain a 403); a master nothing', async () => {
    const manager = await h.signIn(MANAGER);
    const own = await manager.get(`/admin/analytics?${range}`);
    expect(own.status).toBe(200);
    expect(text(own.html)).toContain('Studio Berlin: Mar 28, 2026');
    expect(own.html).not.toContain('Studio New York');
    expect(own.html).not.toContain('value="chain"');
    expect((await manager.get(`/admin/analytics?location=${w.newYorkId}&${range}`)).status).toBe(
      404,
    );
    expect((await csv(manager, 'per-day', `location=${w.newYorkId}&${range}`)).status).toBe(404);
    expect((await manager.get(`/admin/analytics?scope=chain&${range}`)).status).toBe(403);
    expect((await csv(manager, 'summary', `scope=chain&${range}`)).status).toBe(403);
    const master = await h.signIn(MASTER);
    expect((await master.get(`/admin/analytics?${range}`)).status).toBe(403);
    expect((await master.get(`/admin/analytics/csv/per-day?${range}`)).status).toBe(403);
    expect((await master.get('/admin')).html).not.toContain('/admin/analytics');
  });
});

import { openPostgres } from '../db/postgres.ts';
import { asPlatform } from '../db/scope.ts';
import type { Queryable } from '../db/port.ts';
import {
  listTenants,
  listTroubleJobs,
  platformCounts,
  tenantDetail,
} from '../db/queries/console.ts';
import { listAudit } from '../db/queries/admin.ts';
import { bootstrapPlatformAdmin } from '../tenants/admin/platform-admins.ts';
import { AdminClient, linkIn } from '../tests/support/admin-client.ts';
import { BotHarness } from '../tests/support/bot-harness.ts';
import { createBookingWorld } from '../tests/support/booking-world.ts';
import { fmt, percentile, report } from './harness.ts';
import { insertPlaceholderBots, insertTenants } from './platform-fixture.ts';
import { postgresAvailable, scratchDatabase } from './pg-scratch.ts';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}

const TENANTS = 2_000;
const BOOKINGS = 20_000;
const AUDIT_ROWS = 50_000;
const JOBS = 5_000;
const UPDATES = 100_000;
const RUNS = 200;
const TARGET_P99_MS = 100;
const ADMIN = 990_001;
const OWNER = 990_002;
const MASTER = 990_003;

/**
 * The admin pages on PostgreSQL with a realistic platform: 2,000 businesses with a bot each, one
 * of them with 20,000 bookings, 100,000 received updates, 50,000 audit entries and 5,000 jobs.
 * Each page is requested through the real app over HTTP with a platform admin's session cookie
 * (the business's page asks the Telegram stand-in for its webhook); p50 and p99 of 200 requests.
 */
export async function adminBench(): Promise<void> {
  if (!(await postgresAvailable())) {
    report('admin figures', 'skipped: no PostgreSQL server');
    return;
  }
  const scratch = await scratchDatabase('admin');
  const db = openPostgres(scratch.url, { max: 10 });
  const h = new BotHarness(db);
  try {
    const world = await createBookingWorld(db, { masters: 10, clients: 2_000 });
    await asPlatform(db, async (tx) => {
      await tx.query("update tenants set name = 'Big Studio', slug = 'big-studio' where id = $1", [
        world.tenantId,
      ]);
      // 20,000 bookings over the last 90 days (a week of them recent), 10 masters, no overlaps.
      await tx.query(
        `insert into bookings (tenant_id, location_id, master_id, client_id, status, start_at, end_at, span, hold_expires_at, total_minor, currency, created_at)
         select $1, $2, m.ids[1 + i % 10], c.ids[1 + i % 2000], 'held',
                now() + make_interval(hours => i / 10), now() + make_interval(hours => i / 10, mins => 30),
                tstzrange(now() + make_interval(hours => i / 10), now() + make_interval(hours => i / 10, mins => 40)),
                now() + interval '1 day', 3000, 'EUR', now() - make_interval(mins => (i * 6.48)::int)
         from generate_series(0, $3 - 1) i,
              (select array_agg(id order by id) as ids from masters where tenant_id = $1) m,
              (select array_agg(id order by id) as ids from clients where tenant_id = $1) c`,
        [world.tenantId, world.locationId, BOOKINGS],
      );
      await insertTenants(tx, TENANTS - 1, { mixed: true });
      await insertPlaceholderBots(tx);
      await tx.query(
        `insert into telegram_updates (tenant_id, bot_id, update_id, received_at, state)
         select b.tenant_id, b.id, g, now() - make_interval(secs => g), 'done'
         from generate_series(1, $1) g,
              (select array_agg(id order by telegram_bot_id) as ids, array_agg(tenant_id order by telegram_bot_id) as tenants from tenant_bots where telegram_bot_id >= 5000000) all_bots,
              lateral (select all_bots.tenants[1 + g % 1999] as tenant_id, all_bots.ids[1 + g % 1999] as id) b`,
        [UPDATES],
      );
      await tx.query(
        `insert into audit_log (tenant_id, actor_role, action, target_kind, target_id, before, after, at)
         select t.ids[1 + g % 2000], 'system', 'bench.seed', 'tenant', g::text, '{"status":"active"}', '{"status":"suspended"}', now() - make_interval(secs => $1 - g)
         from generate_series(1, $1) g, (select array_agg(id order by slug) as ids from tenants) t`,
        [AUDIT_ROWS],
      );
      await tx.query(
        `insert into jobs (tenant_id, kind, key, run_at, status, attempts, last_error, finished_at)
         select t.ids[1 + g % 2000], 'reminder_send', 'bench:' || g, now() - make_interval(mins => g),
                case when g % 10 = 0 then 'dead' when g % 10 = 1 then 'pending' else 'succeeded' end,
                case when g % 10 = 0 then 8 when g % 10 = 1 then 2 else 1 end,
                case when g % 10 in (0, 1) then 'Telegram answered 502: Bad Gateway' end,
                case when g % 10 <> 1 then now() end
         from generate_series(1, $1) g, (select array_agg(id order by slug) as ids from tenants) t`,
        [JOBS],
      );
      await tx.query('analyze');
    });
    await bootstrapPlatformAdmin(db, { telegramUserId: ADMIN, displayName: 'Bench' });
    await h.start(world.tenantId);
    const u = h.user(ADMIN);
    await u.send('/admin');
    const browser = new AdminClient(h.baseUrl);
    await browser.signInWithLink(linkIn(u.lastMessage().text));

    // The business's own people: its owner and a master (their pages run as the tenant, under RLS).
    await asPlatform(db, async (tx) => {
      await tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Big Owner', $2)",
        [world.tenantId, OWNER],
      );
      const [master] = await tx.query<{ id: string }>(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'master', 'Big Master', $2) returning id",
        [world.tenantId, MASTER],
      );
      await tx.query('update masters set staff_user_id = $2, telegram_user_id = $3 where id = $1', [
        world.masterIds[0],
        master!.id,
        MASTER,
      ]);
      await tx.query(
        `insert into audit_log (tenant_id, actor_role, action, target_kind, target_id, at)
         select $1, 'owner', 'bench.seed', 'service', g::text, now() - make_interval(secs => g) from generate_series(1, 5000) g`,
        [world.tenantId],
      );
    });
    const signedIn = async (telegramId: number) => {
      const person = h.user(telegramId);
      await person.send('/admin');
      const client = new AdminClient(h.baseUrl);
      await client.signInWithLink(linkIn(person.lastMessage().text));
      return client;
    };
    const owner = await signedIn(OWNER);
    const masterBrowser = await signedIn(MASTER);

    const [later] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>('select id from tenants order by name, id offset 1000 limit 1'),
    );
    const [deep] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>('select id::text from audit_log order by id offset 40000 limit 1'),
    );
    const [busy] = await asPlatform(db, (tx) =>
      tx.query<{ tenant_id: string }>("select tenant_id from jobs where status = 'dead' limit 1"),
    );
    if (process.env.ADMIN_BENCH_KEEP) return;
    const pages: [string, string, AdminClient?][] = [
      ['home (platform figures)', '/admin'],
      ['businesses, page 1', '/admin/platform/tenants'],
      ['businesses, a page 1,000 names in', `/admin/platform/tenants?after=${later!.id}`],
      ['businesses, search "tenant-12"', '/admin/platform/tenants?q=tenant-12'],
      ['businesses, pending only', '/admin/platform/tenants?status=pending'],
      [
        'business detail (20,000 bookings; webhook via stand-in)',
        `/admin/platform/tenants/${world.tenantId}`,
      ],
      ['jobs in trouble, all', '/admin/platform/jobs'],
      ['jobs in trouble, one business', `/admin/platform/jobs?tenant=${busy!.tenant_id}`],
      ['audit log, first page', '/admin/audit'],
      ['audit log, 40,000 entries deep', `/admin/audit?before=${deep!.id}`],
      ['sessions', '/admin/sessions'],
      ['owner: home (checklist done, 10 masters)', '/admin', owner],
      ['owner: staff', '/admin/staff', owner],
      ['owner: audit log (5,000 of the business)', '/admin/audit', owner],
      [
        'master: schedule, next 7 days (20,000 bookings in the business)',
        '/admin/schedule?range=week',
        masterBrowser,
      ],
    ];
    // The plans of the console's queries on this data: each read goes through an index.
    const plans = await asPlatform(db, async (tx) => {
      const seen: { name: string; seqScans: string[]; ms: number }[] = [];
      const explain = async (name: string, run: (q: Queryable) => Promise<unknown>) => {
        const spy: Queryable = {
          query: async <T>(text: string, params?: unknown[]) => {
            const [row] = await tx.query<{ 'QUERY PLAN': unknown }>(
              `explain (analyze, format json) ${text}`,
              params,
            );
            const plan = (
              typeof row!['QUERY PLAN'] === 'string'
                ? JSON.parse(row!['QUERY PLAN'])
                : row!['QUERY PLAN']
            ) as [{ Plan: PlanNode; 'Execution Time': number }];
            const seqScans: string[] = [];
            const walk = (node: PlanNode) => {
              if (node['Node Type'] === 'Seq Scan')
                seqScans.push(`${node['Relation Name']} (${node['Actual Rows'] ?? '?'} rows)`);
              for (const child of node.Plans ?? []) walk(child);
            };
            walk(plan[0].Plan);
            seen.push({ name, seqScans, ms: plan[0]['Execution Time'] });
            return [] as T[];
          },
        } as Queryable;
        await run(spy).catch(() => undefined);
      };
      const now = new Date();
      await explain('tenants page 1', (q) => listTenants(q, { now, limit: 26 }));
      await explain('tenants later page', (q) =>
        listTenants(q, { now, afterId: later!.id, limit: 26 }),
      );
      await explain('tenants search', (q) =>
        listTenants(q, { now, search: 'tenant-12', limit: 26 }),
      );
      await explain('tenants pending', (q) =>
        listTenants(q, { now, status: 'pending', limit: 26 }),
      );
      await explain('tenant detail', (q) => tenantDetail(q, { id: world.tenantId, now }));
      await explain('platform counts', (q) => platformCounts(q));
      await explain('jobs in trouble', (q) => listTroubleJobs(q, { limit: 26 }));
      await explain('jobs of one business', (q) =>
        listTroubleJobs(q, { tenantId: busy!.tenant_id, limit: 26 }),
      );
      await explain('audit deep page', (q) => listAudit(q, { beforeId: deep!.id, limit: 51 }));
      return seen;
    });
    for (const p of plans)
      report(
        `plan: ${p.name}`,
        `${fmt(p.ms, 2)} ms in the server, ${p.seqScans.length ? `sequential scans: ${p.seqScans.join(', ')}` : 'no sequential scan'}`,
      );
    // The same reads without HTTP or rendering: one transaction each, as the pages run them.
    const reads: [string, () => Promise<unknown>][] = [
      [
        'query: tenants page 1',
        () => asPlatform(db, (tx) => listTenants(tx, { now: new Date(), limit: 26 })),
      ],
      ['query: jobs in trouble', () => asPlatform(db, (tx) => listTroubleJobs(tx, { limit: 26 }))],
      ['query: platform counts', () => asPlatform(db, (tx) => platformCounts(tx))],
    ];
    for (const [name, read] of reads) {
      const times: number[] = [];
      for (let i = 0; i < 20; i++) await read();
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        await read();
        times.push(performance.now() - start);
      }
      report(name, `p50 ${fmt(percentile(times, 50))} ms, p99 ${fmt(percentile(times, 99))} ms`);
    }
    report(
      'data',
      `${TENANTS.toLocaleString('en-US')} businesses, ${BOOKINGS.toLocaleString('en-US')} bookings in one, ${UPDATES.toLocaleString('en-US')} updates, ${AUDIT_ROWS.toLocaleString('en-US')} audit rows, ${JOBS.toLocaleString('en-US')} jobs`,
    );
    let worst = 0;
    for (const [name, path, as = browser] of pages) {
      for (let i = 0; i < 20; i++) await as.get(path); // warm: plans prepared, bot built
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        const answer = await as.get(path);
        times.push(performance.now() - start);
        if (answer.status !== 200) throw new Error(`${path}: ${answer.status}`);
      }
      const p99 = percentile(times, 99);
      worst = Math.max(worst, p99);
      report(name, `p50 ${fmt(percentile(times, 50))} ms, p99 ${fmt(p99)} ms`);
    }
    report(
      'target',
      `every admin page p99 < ${TARGET_P99_MS} ms: ${worst < TARGET_P99_MS ? 'met' : 'NOT met'} (worst p99 ${fmt(worst)} ms)`,
    );
  } finally {
    await h.stop();
    await db.close();
    // ADMIN_BENCH_KEEP=1 leaves the database for EXPLAIN by hand.
    if (process.env.ADMIN_BENCH_KEEP) report('database kept', scratch.url);
    else await scratch.drop();
  }
}

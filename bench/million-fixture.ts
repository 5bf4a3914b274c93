import { DateTime } from 'luxon';
import type { Database } from '../db/port.ts';
import { openPostgres } from '../db/postgres.ts';
import { asPlatform } from '../db/scope.ts';
import { AdminClient, linkIn } from '../tests/support/admin-client.ts';
import type { BotHarness } from '../tests/support/bot-harness.ts';
import { DEFAULT_LOCATION_POLICY } from '../tenants/policy/location-policy.ts';
import { fmt, report } from './harness.ts';
import { postgresAvailable, scratchDatabase } from './pg-scratch.ts';

/**
 * One business with a million bookings, shared by the analytics and board suites: one location in
 * Berlin, 82 masters working Monday to Saturday, 16 visits a master-day over 900 days (the last
 * ~870 behind, a month ahead), one of six services each, outcomes marked for the past (completed,
 * no-shows, cancellations by clients and the business, some left unmarked), deposits on three in
 * ten (half of the cancelled ones' refunded), 100,000 clients with names, most with a Telegram
 * username, half with a phone. Bulk-loaded with triggers off (session_replication_role = replica):
 * the status history and the bookings' payment sums are written as the triggers would write them.
 *
 * `BENCH_MILLION_DAYS` makes a smaller set (a quick check of a bench itself); `BENCH_MILLION_KEEP=1`
 * keeps the database (its address is printed) and `BENCH_MILLION_URL=<that address>` runs a suite
 * on it again without generating (after a schema change, generate anew).
 */
export const MILLION_ZONE = 'Europe/Berlin';
const MASTERS = 82;
const SLOTS_PER_DAY = 16;
const DAYS = Number(process.env.BENCH_MILLION_DAYS ?? 900);
const CLIENTS = 100_000;
/** The six services: name and price (minor units, EUR); every visit is 30 minutes. */
const SERVICES: [string, number][] = [
  ['Haircut', 2500],
  ['Beard trim', 1500],
  ['Colour', 8900],
  ['Wash and style', 3500],
  ['Manicure', 3000],
  ['Facial', 5500],
];
const FIRST_NAMES = [
  'Anna',
  'Lena',
  'Mia',
  'Emma',
  'Sofia',
  'Hanna',
  'Lea',
  'Marie',
  'Clara',
  'Lina',
];
const LAST_NAMES = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Koch',
  'Richter',
  'Klein',
  'Wolf',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hofmann',
];

export interface Million {
  db: Database;
  tenantId: string;
  locationId: string;
  /** The database's address (for a kept one). */
  url: string;
  close(): Promise<void>;
}

/**
 * Opens the million-booking business: generated in a scratch database (dropped on close unless
 * kept), or the kept one named by `BENCH_MILLION_URL`. Undefined without a PostgreSQL server.
 */
export async function openMillion(label: string): Promise<Million | undefined> {
  if (!(await postgresAvailable())) return undefined;
  const reuse = process.env.BENCH_MILLION_URL;
  const scratch = reuse ? undefined : await scratchDatabase(label);
  const url = reuse ?? scratch!.url;
  const db = openPostgres(url, { max: 4 });
  let ids: { tenantId: string; locationId: string };
  if (reuse) {
    const [row] = await db.query<{ tenantId: string; locationId: string }>(
      `select t.id as "tenantId", l.id as "locationId" from public.tenants t join public.locations l on l.tenant_id = t.id where t.slug = 'million'`,
    );
    if (!row) throw new Error(`${reuse} holds no million-booking business`);
    ids = row;
    report('data', `reused ${reuse}`);
  } else {
    const loadStart = performance.now();
    ids = await generate(db);
    // As autovacuum would after a bulk load: the visibility map and statistics.
    await db.query('vacuum (analyze)');
    report(
      'data',
      `${(await count(db, 'bookings')).toLocaleString('en-US')} bookings, ${(await count(db, 'booking_items')).toLocaleString('en-US')} items, ${(await count(db, 'booking_status_history')).toLocaleString('en-US')} history rows, ${(await count(db, 'payments')).toLocaleString('en-US')} payments, ${(await count(db, 'clients')).toLocaleString('en-US')} clients, generated in ${fmt((performance.now() - loadStart) / 1000)} s`,
    );
  }
  return {
    db,
    ...ids,
    url,
    async close() {
      await db.close();
      if (!scratch) return;
      if (process.env.BENCH_MILLION_KEEP) report('database kept', scratch.url);
      else await scratch.drop();
    },
  };
}

const OWNER = 990_101;

/** Starts the app on the business (`h.stop()` ends it) and signs its owner in to the admin pages. */
export async function signedInOwner(m: Million, h: BotHarness): Promise<AdminClient> {
  await asPlatform(m.db, (tx) =>
    tx.query(
      `insert into staff_users (tenant_id, role, display_name, telegram_user_id)
       select $1, 'owner', 'Bench Owner', $2 where not exists (select 1 from staff_users where tenant_id = $1 and telegram_user_id = $2)`,
      [m.tenantId, OWNER],
    ),
  );
  await h.start(m.tenantId);
  const person = h.user(OWNER);
  await person.send('/admin');
  const browser = new AdminClient(h.baseUrl);
  await browser.signInWithLink(linkIn(person.lastMessage().text));
  return browser;
}

async function count(db: Database, table: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(`select count(*)::int as n from public.${table}`);
  return row!.n;
}

/** The business and its million bookings, set-based; returns its ids. */
async function generate(db: Database): Promise<{ tenantId: string; locationId: string }> {
  const first = DateTime.now()
    .setZone(MILLION_ZONE)
    .startOf('day')
    .minus({ days: DAYS - 30 })
    .toISODate()!;
  return db.transaction(async (tx) => {
    // Bulk load: the state machine's triggers (born held, history rows) and the payments' sums
    // are off for this transaction; what they would write is written below.
    await tx.query('set local session_replication_role = replica');
    const [tenant] = await tx.query<{ id: string }>(
      "insert into tenants (slug, name) values ('million', 'Million Studio') returning id",
    );
    const tenantId = tenant!.id;
    const [location] = await tx.query<{ id: string }>(
      "insert into locations (tenant_id, name, timezone, currency, policy) values ($1, 'Big Berlin', $2, 'EUR', $3::jsonb) returning id",
      [tenantId, MILLION_ZONE, JSON.stringify(DEFAULT_LOCATION_POLICY)],
    );
    const locationId = location!.id;
    await tx.query(
      'insert into masters (tenant_id, location_id, display_name, sort_order) select $1, $2, $3 || g, g from generate_series(1, $4::int) g',
      [tenantId, locationId, 'Master ', MASTERS],
    );
    await tx.query(
      `insert into services (tenant_id, location_id, name, duration_min, price_minor, sort_order)
       select $1, $2, s.name, 30, s.price, s.ord from unnest($3::text[], $4::bigint[]) with ordinality as s(name, price, ord)`,
      [tenantId, locationId, SERVICES.map((s) => s[0]), SERVICES.map((s) => s[1])],
    );
    await tx.query(
      `insert into working_hours (tenant_id, master_id, weekday, start_local, end_local)
       select $1, m.id, d, time '09:00', time '19:00' from masters m, generate_series(1, 6) d where m.tenant_id = $1`,
      [tenantId],
    );
    await tx.query(
      `insert into breaks (tenant_id, master_id, weekday, start_local, end_local, label)
       select $1, m.id, d, time '13:00', time '13:30', 'Lunch' from masters m, generate_series(1, 6) d where m.tenant_id = $1`,
      [tenantId],
    );
    await tx.query(
      `insert into clients (tenant_id, telegram_user_id, first_name, last_name, username, phone)
       select $1, 1000000 + g, ($3::text[])[1 + g % array_length($3::text[], 1)], ($4::text[])[1 + (g / 10) % array_length($4::text[], 1)],
              case when g % 3 <> 0 then 'user' || g end, case when g % 2 = 0 then '+49 170 ' || lpad(g::text, 7, '0') end
       from generate_series(1, $2::int) g`,
      [tenantId, CLIENTS, FIRST_NAMES, LAST_NAMES],
    );
    // Sixteen 30-minute visits a master-day, every 35 minutes from 09:00, Monday to Saturday; a
    // deposit (30 %) on three in ten, refunded on half of the cancelled ones.
    await tx.query(
      `with slots as (
         select mi, ((d.day::date + time '09:00') + k * interval '35 minutes') at time zone $3 as start_at,
                abs(hashtext(mi || ':' || d.day::date || ':' || k)) as h
         from generate_series($4::date, $4::date + $5::int - 1, interval '1 day') as d(day), generate_series(1, $6::int) mi, generate_series(0, $7::int - 1) k
         where extract(isodow from d.day) < 7
       ), visits as (
         select s.*,
                case when s.start_at < now() then (case when s.h % 100 < 80 then 'completed' when s.h % 100 < 85 then 'no_show' when s.h % 100 < 95 then 'cancelled' else 'confirmed' end)
                     else (case when s.h % 100 < 90 then 'confirmed' else 'cancelled' end) end as status,
                (s.h / 1000) % 10 < 3 as deposit
         from slots s
       ), paid as (
         select v.*, v.deposit and v.status = 'cancelled' and (v.h / 10000) % 2 = 1 as refunded from visits v
       )
       insert into bookings (tenant_id, location_id, master_id, client_id, status, start_at, end_at, span, total_minor, currency, created_at, updated_at, paid_minor, refunded_minor)
       select $1, $2, m.id, c.id, v.status,
              v.start_at, v.start_at + interval '30 minutes', tstzrange(v.start_at, v.start_at + interval '35 minutes', '[)'),
              sv.price_minor, 'EUR', least(now(), v.start_at) - make_interval(mins => 30 + ((v.h / 13) % 43200)::int),
              case when v.start_at < now() - interval '1 hour' then v.start_at + interval '30 minutes'
                   else least(now(), v.start_at) - make_interval(mins => 30 + ((v.h / 13) % 43200)::int) end,
              case when v.deposit and not v.refunded then sv.price_minor * 3 / 10 else 0 end,
              case when v.refunded then sv.price_minor * 3 / 10 else 0 end
       from paid v
       join masters m on m.tenant_id = $1 and m.sort_order = v.mi
       join clients c on c.tenant_id = $1 and c.telegram_user_id = 1000001 + (v.h / 100) % $8
       join services sv on sv.tenant_id = $1 and sv.sort_order = 1 + (v.h / 7) % $9`,
      [
        tenantId,
        locationId,
        MILLION_ZONE,
        first,
        DAYS,
        MASTERS,
        SLOTS_PER_DAY,
        CLIENTS,
        SERVICES.length,
      ],
    );
    await tx.query(
      `insert into booking_items (tenant_id, booking_id, service_id, position, service_name, duration_min, price_minor, currency)
       select b.tenant_id, b.id, s.id, 0, s.name, 30, s.price_minor, b.currency
       from bookings b join services s on s.tenant_id = b.tenant_id and s.price_minor = b.total_minor where b.tenant_id = $1`,
      [tenantId],
    );
    // The history of each outcome; a cancellation by the client (late or free) or by the business.
    await tx.query(
      `insert into booking_status_history (tenant_id, booking_id, from_status, to_status, actor_kind, occurred_at)
       select tenant_id, id, 'held', 'confirmed', 'system', created_at + interval '1 minute' from bookings where tenant_id = $1`,
      [tenantId],
    );
    await tx.query(
      `insert into booking_status_history (tenant_id, booking_id, from_status, to_status, actor_kind, occurred_at)
       select tenant_id, id, 'confirmed', status,
              case when status = 'cancelled' and abs(hashtext(id::text)) % 4 = 0 then 'manager' when status = 'cancelled' then 'client' else 'master' end,
              case when status = 'cancelled' then greatest(created_at + interval '2 minutes', start_at - make_interval(hours => abs(hashtext(id::text)) % 72)) else end_at end
       from bookings where tenant_id = $1 and status in ('completed', 'no_show', 'cancelled')`,
      [tenantId],
    );
    // The deposits whose sums the bookings carry.
    await tx.query(
      `insert into payments (tenant_id, booking_id, provider, purpose, status, amount_minor, refunded_minor, currency, invoice_payload)
       select tenant_id, id, 'telegram', 'deposit', case when refunded_minor > 0 then 'refunded' else 'succeeded' end,
              paid_minor + refunded_minor, refunded_minor, currency, 'bench-' || id
       from bookings where tenant_id = $1 and paid_minor + refunded_minor > 0`,
      [tenantId],
    );
    return { tenantId, locationId };
  });
}

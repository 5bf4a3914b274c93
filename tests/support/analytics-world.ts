import { DateTime } from 'luxon';
import type { Database, Queryable } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { DEFAULT_LOCATION_POLICY } from '../../tenants/policy/location-policy.ts';

/**
 * A small business with hand-computed analytics, around the spring-forward day in Berlin
 * (2026-03-29 has 23 hours there): "Studio Berlin" (Europe/Berlin, EUR, free cancellation until
 * 24 h before) with Anna and Ben, "Studio New York" (America/New_York, USD) with Carl. Every
 * booking is written as the booking core allows (born held, then along the state machine's edges),
 * with its history's time set where the figures depend on it. The expected figures are in
 * `ANALYTICS_EXPECTED`; the comments on each booking say what it counts for.
 */
export const BERLIN = 'Europe/Berlin';
export const NEW_YORK = 'America/New_York';
export const PERIOD = { fromDate: '2026-03-28', toDate: '2026-03-30' } as const;
export const DST_DAY = '2026-03-29';

export interface AnalyticsWorld {
  tenantId: string;
  berlinId: string;
  newYorkId: string;
  masters: { anna: string; ben: string; carl: string };
  clients: string[];
}

const at = (local: string, zone = BERLIN) => DateTime.fromISO(local, { zone }).toJSDate();
const hours = (d: Date, h: number) => new Date(d.getTime() + h * 3_600_000);

interface Plan {
  location: 'berlin' | 'newYork';
  master: 'anna' | 'ben' | 'carl';
  client: number;
  start: Date;
  minutes: number;
  total: number;
  currency: string;
  /** Hours before the start the booking was made. */
  leadHours: number;
  path: ('confirmed' | 'completed' | 'no_show' | 'cancelled' | 'expired')[];
  /** Who cancelled, how many hours before the start, and why. */
  cancel?: { actor: string; hoursBefore: number; reason?: string };
  payments?: {
    purpose: 'deposit' | 'prepayment' | 'late_cancel_fee';
    status: 'succeeded' | 'refunded' | 'failed' | 'mismatched';
    amount: number;
    refunded?: number;
  }[];
}

/** The bookings, by name: what each one is there for. */
export const PLANS: Record<string, Plan> = {
  // Berlin, 03-29 00:30 local = 03-28 23:30 UTC: a day by UTC would miscount it. Completed 50.00
  // (a failed payment beside it is no money); made 24 h ahead.
  b1: {
    location: 'berlin',
    master: 'anna',
    client: 1,
    start: at('2026-03-29T00:30'),
    minutes: 60,
    total: 5000,
    currency: 'EUR',
    leadHours: 24,
    path: ['confirmed', 'completed'],
    payments: [{ purpose: 'prepayment', status: 'failed', amount: 5000 }],
  },
  // Completed 30.00, prepaid, 10.00 of it refunded later: 20.00 realized. Made 1 h ahead.
  b2: {
    location: 'berlin',
    master: 'anna',
    client: 1,
    start: at('2026-03-29T23:30'),
    minutes: 30,
    total: 3000,
    currency: 'EUR',
    leadHours: 1,
    path: ['confirmed', 'completed'],
    payments: [{ purpose: 'prepayment', status: 'succeeded', amount: 3000, refunded: 1000 }],
  },
  // A no-show whose 12.00 deposit is kept. Made 3 days ahead.
  b3: {
    location: 'berlin',
    master: 'anna',
    client: 2,
    start: at('2026-03-29T10:00'),
    minutes: 60,
    total: 4000,
    currency: 'EUR',
    leadHours: 72,
    path: ['confirmed', 'no_show'],
    payments: [{ purpose: 'deposit', status: 'succeeded', amount: 1200 }],
  },
  // Cancelled by the client 10 h ahead (late: the free window is 24 h): half the prepayment refunded, 20.00 kept.
  b4: {
    location: 'berlin',
    master: 'ben',
    client: 3,
    start: at('2026-03-29T01:00'),
    minutes: 60,
    total: 4000,
    currency: 'EUR',
    leadHours: 100,
    path: ['confirmed', 'cancelled'],
    cancel: { actor: 'client', hoursBefore: 10 },
    payments: [{ purpose: 'prepayment', status: 'succeeded', amount: 4000, refunded: 2000 }],
  },
  // Cancelled by the client 48 h ahead (free): the prepayment refunded in full, nothing realized.
  b5: {
    location: 'berlin',
    master: 'ben',
    client: 3,
    start: at('2026-03-30T10:00'),
    minutes: 60,
    total: 4000,
    currency: 'EUR',
    leadHours: 100,
    path: ['confirmed', 'cancelled'],
    cancel: { actor: 'client', hoursBefore: 48 },
    payments: [{ purpose: 'prepayment', status: 'refunded', amount: 4000, refunded: 4000 }],
  },
  // Cancelled by the owner 2 h ahead: the business's doing, not a late cancellation.
  b6: {
    location: 'berlin',
    master: 'anna',
    client: 4,
    start: at('2026-03-30T12:00'),
    minutes: 60,
    total: 6000,
    currency: 'EUR',
    leadHours: 100,
    path: ['confirmed', 'cancelled'],
    cancel: { actor: 'owner', hoursBefore: 2 },
  },
  // Confirmed, outcome not marked: 7.50 of 25.00 paid ahead (pipeline). Made 30 minutes ahead.
  b7: {
    location: 'berlin',
    master: 'ben',
    client: 2,
    start: at('2026-03-30T15:00'),
    minutes: 45,
    total: 2500,
    currency: 'EUR',
    leadHours: 0.5,
    path: ['confirmed'],
    payments: [{ purpose: 'deposit', status: 'succeeded', amount: 750 }],
  },
  // Confirmed on the evening of 03-28 local, nothing paid (pipeline). Made 30 days ahead.
  b8: {
    location: 'berlin',
    master: 'anna',
    client: 4,
    start: at('2026-03-28T23:30'),
    minutes: 30,
    total: 3000,
    currency: 'EUR',
    leadHours: 720,
    path: ['confirmed'],
  },
  // The old half of a reschedule, by the client 5 h ahead: neither confirmed nor late for the figures.
  b9: {
    location: 'berlin',
    master: 'ben',
    client: 1,
    start: at('2026-03-30T09:00'),
    minutes: 30,
    total: 3000,
    currency: 'EUR',
    leadHours: 100,
    path: ['confirmed', 'cancelled'],
    cancel: { actor: 'client', hoursBefore: 5, reason: 'rescheduled' },
  },
  // A hold that ran out, with a charge that did not match its invoice (owed back): counts nowhere.
  b10: {
    location: 'berlin',
    master: 'anna',
    client: 2,
    start: at('2026-03-29T15:00'),
    minutes: 30,
    total: 3000,
    currency: 'EUR',
    leadHours: 5,
    path: ['expired'],
    payments: [{ purpose: 'prepayment', status: 'mismatched', amount: 3000 }],
  },
  // New York (USD): the same client 1, and client 5. Completed 70.00 and 20.00.
  n1: {
    location: 'newYork',
    master: 'carl',
    client: 1,
    start: at('2026-03-29T10:00', NEW_YORK),
    minutes: 60,
    total: 7000,
    currency: 'USD',
    leadHours: 48,
    path: ['confirmed', 'completed'],
  },
  n2: {
    location: 'newYork',
    master: 'carl',
    client: 5,
    start: at('2026-03-29T12:00', NEW_YORK),
    minutes: 90,
    total: 2000,
    currency: 'USD',
    leadHours: 6,
    path: ['confirmed', 'completed'],
  },
  // Outside the period on both sides (03-27 and 03-31 local): counts nowhere.
  before: {
    location: 'berlin',
    master: 'anna',
    client: 1,
    start: at('2026-03-27T23:30'),
    minutes: 30,
    total: 3000,
    currency: 'EUR',
    leadHours: 5,
    path: ['confirmed', 'completed'],
  },
  after: {
    location: 'berlin',
    master: 'anna',
    client: 2,
    start: at('2026-03-31T00:00'),
    minutes: 30,
    total: 3000,
    currency: 'EUR',
    leadHours: 5,
    path: ['confirmed', 'completed'],
  },
};

/**
 * What the figures must be, worked out by hand from `PLANS` (amounts in minor units).
 * Berlin, 03-28..03-30: visits (confirmed, completed, no-show) b8 (03-28), b1 b2 b3 (03-29), b7 (03-30).
 */
export const ANALYTICS_EXPECTED = {
  berlin: {
    perDay: [
      { date: '2026-03-28', bookings: 1 },
      { date: '2026-03-29', bookings: 3 },
      { date: '2026-03-30', bookings: 1 },
    ],
    // b1 5000 (client 1) + b2 3000 − 1000 (client 1) + b3 1200 (client 2) + b4 4000 − 2000 (client 3); b5, b6, b9, b10: 0.
    revenue: [{ currency: 'EUR', realizedMinor: 10_200, clients: 3, ltvMinor: 3_400 }],
    // Clients with visits: 1 (b1, b2), 2 (b3, b7), 4 (b8): two of three came more than once.
    retention: { part: 2, whole: 3 },
    // Confirmed: 5 visits + b4, b5, b6 (cancelled from confirmed; b9 is a reschedule) = 8; b3 no-show + b4 late = 2.
    noShows: { part: 2, whole: 8, noShows: 1, lateCancellations: 1 },
    // b7 (25.00, 7.50 paid) and b8 (30.00, nothing paid).
    pipeline: [
      { currency: 'EUR', bookings: 2, paidBookings: 1, paidMinor: 750, unpaidMinor: 4_750 },
    ],
    // Lead hours of the visits: b7 0.5, b2 1, b1 24, b3 72, b8 720 → under 2 h: 2; 1–3 days: 1; 3–7 days: 1; 4 weeks+: 1.
    leadCounts: [2, 0, 1, 1, 0, 0, 1],
    leadMedianHours: 24,
  },
  chain: {
    perDay: [
      { date: '2026-03-28', bookings: 1 },
      { date: '2026-03-29', bookings: 5 },
      { date: '2026-03-30', bookings: 1 },
    ],
    revenue: [
      { currency: 'EUR', realizedMinor: 10_200, clients: 3, ltvMinor: 3_400 },
      { currency: 'USD', realizedMinor: 9_000, clients: 2, ltvMinor: 4_500 },
    ],
    // Clients 1 (b1, b2, n1), 2 (b3, b7), 4 (b8), 5 (n2).
    retention: { part: 2, whole: 4 },
    noShows: { part: 2, whole: 10, noShows: 1, lateCancellations: 1 },
  },
  /**
   * The DST day alone in Berlin: Anna works Sundays 00:00–24:00 with a 12:00–13:00 break: 23 h − 1 h
   * = 1,320 minutes, 150 of them booked (b1 60, b2 30, b3 60). Ben works Sundays 01:00–05:00 —
   * three real hours that day — with time off 04:00–05:00: 120 minutes, none booked (b4 was
   * cancelled); on Monday 03-30 he has the whole day off.
   */
  dstDay: {
    perDay: [{ date: '2026-03-29', bookings: 3 }],
    load: [
      { name: 'Anna', bookedMinutes: 150, workingMinutes: 1_320 },
      { name: 'Ben', bookedMinutes: 0, workingMinutes: 120 },
    ],
  },
} as const;

async function one(tx: Queryable, text: string, params: unknown[]): Promise<string> {
  return (await tx.query<{ id: string }>(text, params))[0]!.id;
}

/** Seeds the world into a new business, or into `tenantId` (its own locations beside the business's). */
export async function seedAnalyticsWorld(
  db: Database,
  opts: { tenantId?: string } = {},
): Promise<AnalyticsWorld> {
  return asPlatform(db, async (tx) => {
    const tenantId =
      opts.tenantId ??
      (await one(
        tx,
        "insert into tenants (slug, name) values ($1, 'Analytics Studio') returning id",
        [`an-${Math.random().toString(36).slice(2, 10)}`],
      ));
    const policy = JSON.stringify({
      ...DEFAULT_LOCATION_POLICY,
      cancellation: { freeUntilHours: 24, lockHours: 2, fee: { kind: 'percent', percent: 50 } },
    });
    const berlinId = await one(
      tx,
      "insert into locations (tenant_id, name, timezone, currency, policy, sort_order) values ($1, 'Studio Berlin', $2, 'EUR', $3::jsonb, 10) returning id",
      [tenantId, BERLIN, policy],
    );
    const newYorkId = await one(
      tx,
      "insert into locations (tenant_id, name, timezone, currency, policy, sort_order) values ($1, 'Studio New York', $2, 'USD', $3::jsonb, 11) returning id",
      [tenantId, NEW_YORK, policy],
    );
    const master = (location: string, name: string, order: number) =>
      one(
        tx,
        'insert into masters (tenant_id, location_id, display_name, sort_order) values ($1, $2, $3, $4) returning id',
        [tenantId, location, name, order],
      );
    const masters = {
      anna: await master(berlinId, 'Anna', 0),
      ben: await master(berlinId, 'Ben', 1),
      carl: await master(newYorkId, 'Carl', 0),
    };
    const hoursOf = (m: string, weekday: number, from: string, to: string) =>
      tx.query(
        'insert into working_hours (tenant_id, master_id, weekday, start_local, end_local) values ($1, $2, $3, $4, $5)',
        [tenantId, m, weekday, from, to],
      );
    await hoursOf(masters.anna, 7, '00:00', '24:00');
    await tx.query(
      "insert into breaks (tenant_id, master_id, weekday, start_local, end_local, label) values ($1, $2, 7, '12:00', '13:00', 'Lunch')",
      [tenantId, masters.anna],
    );
    await hoursOf(masters.ben, 7, '01:00', '05:00');
    await hoursOf(masters.ben, 1, '09:00', '17:00');
    await tx.query(
      'insert into time_off (tenant_id, master_id, all_day, starts_at, ends_at) values ($1, $2, false, $3, $4)',
      [tenantId, masters.ben, at('2026-03-29T04:00'), at('2026-03-29T05:00')],
    );
    await tx.query(
      "insert into time_off (tenant_id, master_id, all_day, first_day, last_day) values ($1, $2, true, '2026-03-30', '2026-03-30')",
      [tenantId, masters.ben],
    );
    await hoursOf(masters.carl, 7, '09:00', '17:00');
    const clients: string[] = [];
    for (let i = 0; i <= 5; i++) {
      clients.push(
        await one(
          tx,
          'insert into clients (tenant_id, telegram_user_id, first_name) values ($1, $2, $3) returning id',
          [tenantId, 7_700_000 + i + Math.floor(Math.random() * 1_000_000) * 10, `Client ${i}`],
        ),
      );
    }
    const locations = { berlin: berlinId, newYork: newYorkId };
    for (const [name, p] of Object.entries(PLANS)) {
      const end = new Date(p.start.getTime() + p.minutes * 60_000);
      await tx.query(
        "select set_config('slotbot.actor_kind', 'client', true), set_config('slotbot.reason', '', true)",
      );
      const id = await one(
        tx,
        `insert into bookings (tenant_id, location_id, master_id, client_id, status, start_at, end_at, span, hold_expires_at, total_minor, currency, created_at, idempotency_key)
         values ($1, $2, $3, $4, 'held', $5, $6, tstzrange($5, $6, '[)'), $7, $8, $9, $10, $11) returning id`,
        [
          tenantId,
          locations[p.location],
          masters[p.master],
          clients[p.client],
          p.start,
          end,
          hours(p.start, -p.leadHours + 0.25),
          p.total,
          p.currency,
          hours(p.start, -p.leadHours),
          `analytics-${name}`,
        ],
      );
      let changedAt = hours(p.start, -p.leadHours);
      for (const status of p.path) {
        const cancel = status === 'cancelled' ? p.cancel : undefined;
        await tx.query(
          "select set_config('slotbot.actor_kind', $1, true), set_config('slotbot.reason', $2, true)",
          [cancel?.actor ?? 'system', cancel?.reason ?? ''],
        );
        await tx.query(
          `update bookings set status = $2::text, hold_expires_at = case when $2::text = 'expired' then hold_expires_at else null end where id = $1`,
          [id, status],
        );
        changedAt = cancel
          ? hours(p.start, -cancel.hoursBefore)
          : status === 'completed' || status === 'no_show'
            ? hours(p.start, 1)
            : hours(changedAt, 0.1);
        await tx.query(
          'update booking_status_history set occurred_at = $3 where booking_id = $1 and to_status = $2',
          [id, status, changedAt],
        );
      }
      for (const [i, pay] of (p.payments ?? []).entries()) {
        await tx.query(
          `insert into payments (tenant_id, booking_id, provider, purpose, status, amount_minor, refunded_minor, currency, invoice_payload, charged_minor, charged_currency)
           values ($1, $2, 'telegram', $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            tenantId,
            id,
            pay.purpose,
            pay.status,
            pay.amount,
            pay.refunded ?? 0,
            p.currency,
            `analytics-${name}-${i}-${id}`,
            pay.status === 'mismatched' ? pay.amount + 100 : null,
            pay.status === 'mismatched' ? p.currency : null,
          ],
        );
      }
    }
    await tx.query(
      "select set_config('slotbot.actor_kind', '', true), set_config('slotbot.reason', '', true)",
    );
    return { tenantId, berlinId, newYorkId, masters, clients };
  });
}

/**
 * A busy stretch for looking at the page (screenshots, the bench's smaller cousin): for every
 * active master of the business, hourly 45-minute visits inside their working windows (not over
 * breaks) on about two thirds of the slots from `fromDate` to `toDate` (local dates of each
 * location), with clients coming back, deposits on some, outcomes marked for the past (mostly
 * completed, some no-shows and cancellations, late and free, by clients and by the business) and
 * the future confirmed. Written as the booking core allows: held, then along the machine's edges.
 */
export async function seedBusyStretch(
  db: Database,
  p: { tenantId: string; fromDate: string; toDate: string; clients?: number },
): Promise<number> {
  return asPlatform(db, async (tx) => {
    const tag = `busy-${Math.random().toString(36).slice(2, 8)}`;
    await tx.query(
      `insert into clients (tenant_id, telegram_user_id, first_name)
       select $1, 8800000000 + (random() * 1e8)::bigint * 100 + g, 'Guest ' || g from generate_series(1, $2::int) g`,
      [p.tenantId, p.clients ?? 160],
    );
    const [inserted] = await tx.query<{ n: number }>(
      `with pool as (select array_agg(id order by id) as ids from clients where tenant_id = $1),
       slots as (
         select m.id as master_id, m.location_id, l.timezone as tz, l.currency, ((d.day::date + w.start_local) + k * interval '1 hour') as local_start,
                abs(hashtext(m.id::text || d.day::text || k::text)) as h
         from masters m
         join locations l on l.id = m.location_id
         join working_hours w on w.master_id = m.id
         cross join generate_series($2::date, $3::date, interval '1 day') as d(day)
         cross join generate_series(0, 14) as k
         where m.tenant_id = $1 and m.active and w.weekday = extract(isodow from d.day)
           and (d.day::date + w.start_local) + k * interval '1 hour' + interval '45 minutes' <= d.day::date + w.end_local
           and not exists (select 1 from breaks b where b.master_id = m.id and b.weekday = w.weekday
             and (d.day::date + b.start_local, d.day::date + b.end_local) overlaps ((d.day::date + w.start_local) + k * interval '1 hour', (d.day::date + w.start_local) + k * interval '1 hour' + interval '45 minutes'))
       ), picked as (
         select s.*, s.local_start at time zone s.tz as start_at from slots s where s.h % 100 < 65
       ), written as (
         insert into bookings (tenant_id, location_id, master_id, client_id, status, start_at, end_at, span, hold_expires_at, total_minor, currency, created_at, idempotency_key)
         select $1, x.location_id, x.master_id, pool.ids[1 + floor(array_length(pool.ids, 1) * power(((x.h / 7) % 1000) / 1000.0, 2))::int], 'held', x.start_at, x.start_at + interval '45 minutes',
                tstzrange(x.start_at, x.start_at + interval '45 minutes', '[)'), now() + interval '1 hour',
                (array[2500, 3500, 5500, 8900])[1 + (x.h / 11) % 4], x.currency,
                least(now(), x.start_at) - make_interval(mins => 20 + ((x.h / 13) % 30000)::int), $4 || '-' || x.master_id || '-' || x.start_at
         from picked x, pool
         returning 1
       ) select count(*)::int as n from written`,
      [p.tenantId, p.fromDate, p.toDate, tag],
    );
    const mine = `tenant_id = $1 and idempotency_key like $2 || '-%'`;
    const h = `abs(hashtext(id::text))`;
    await tx.query(
      "select set_config('slotbot.actor_kind', 'system', true), set_config('slotbot.reason', '', true)",
    );
    await tx.query(
      `update bookings set status = 'confirmed', hold_expires_at = null where ${mine}`,
      [p.tenantId, tag],
    );
    await tx.query(
      `insert into payments (tenant_id, booking_id, provider, purpose, status, amount_minor, refunded_minor, currency, invoice_payload)
       select tenant_id, id, 'telegram', 'deposit', 'succeeded', total_minor * 3 / 10, 0, currency, 'busy-' || id from bookings where ${mine} and abs(hashtext(id::text || 'deposit')) % 100 < 30`,
      [p.tenantId, tag],
    );
    await tx.query("select set_config('slotbot.actor_kind', 'master', true)");
    await tx.query(
      `update bookings set status = 'completed' where ${mine} and start_at < now() and ${h} % 100 between 4 and 75`,
      [p.tenantId, tag],
    );
    await tx.query(
      `update bookings set status = 'no_show' where ${mine} and start_at < now() and ${h} % 100 between 76 and 83`,
      [p.tenantId, tag],
    );
    await tx.query("select set_config('slotbot.actor_kind', 'client', true)");
    await tx.query(
      `update bookings set status = 'cancelled' where ${mine} and status = 'confirmed' and ${h} % 100 between 84 and 95`,
      [p.tenantId, tag],
    );
    await tx.query("select set_config('slotbot.actor_kind', 'manager', true)");
    await tx.query(
      `update bookings set status = 'cancelled' where ${mine} and status = 'confirmed' and ${h} % 100 > 95`,
      [p.tenantId, tag],
    );
    // Cancelled 3 hours ahead (late) or 3 days ahead (free), refunds as the policy would give them.
    await tx.query(
      `update booking_status_history s set occurred_at = b.start_at - case when abs(hashtext(b.id::text)) % 2 = 0 then interval '3 hours' else interval '72 hours' end
       from bookings b where s.booking_id = b.id and s.to_status = 'cancelled' and b.${mine}`,
      [p.tenantId, tag],
    );
    await tx.query(
      `update payments y set status = 'refunded', refunded_minor = y.amount_minor from bookings b
       where y.booking_id = b.id and b.status = 'cancelled' and b.${mine} and abs(hashtext(b.id::text)) % 2 = 1`,
      [p.tenantId, tag],
    );
    await tx.query("select set_config('slotbot.actor_kind', '', true)");
    return inserted!.n;
  });
}

import { z } from 'zod';
import type { Queryable } from '../port.ts';

/** The bookings board (as the tenant, under RLS): one location's bookings, filtered, a keyset page at a time. */

const boardRowSchema = z.object({
  id: z.string(),
  start_at: z.coerce.date(),
  end_at: z.coerce.date(),
  status: z.string(),
  client_name: z.string(),
  client_username: z.string().nullable(),
  client_phone: z.string().nullable(),
  client_notes: z.string().nullable(),
  client_comment: z.string().nullable(),
  service_names: z.array(z.string()),
  master_name: z.string(),
  total_minor: z.coerce.number(),
  currency: z.string(),
  paid_minor: z.coerce.number(),
});
export type BoardRow = z.infer<typeof boardRowSchema>;

export interface BoardQuery {
  tenantId: string;
  locationId: string;
  from: Date;
  to: Date;
  masterId?: string | undefined;
  serviceId?: string | undefined;
  statuses: readonly string[];
  search?: string | undefined;
  /** The page starts after this booking (keyset on start, id). */
  afterId?: string | undefined;
  limit: number;
}

/** Up to this many clients matching a search, the board starts from their bookings. */
const FEW_CLIENTS = 1000;

/** `%` and `_` typed by a person are matched as themselves. */
const likeAnywhere = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Bookings starting in [from, to) at the location that match the filter, by start then id. The
 * statement holds only the filters in use, and is planned for its values (not a generic plan of a
 * prepared statement): whether a filter is rare or common decides between walking the location's
 * bookings in start order (`bookings_location_start_idx`) and starting from the few that match: a
 * master's, a status's, or a client search's (found by `app.clients_matching` through the trigram
 * index on `clients.search_text`). The page is chosen first; its clients' and masters' names are
 * joined to its rows only.
 */
export async function boardPage(q: Queryable, p: BoardQuery): Promise<BoardRow[]> {
  const params: unknown[] = [p.tenantId, p.locationId, p.from, p.to];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [
    'b.tenant_id = $1 and b.location_id = $2 and b.start_at >= $3 and b.start_at < $4',
  ];
  if (p.masterId) where.push(`b.master_id = ${param(p.masterId)}::uuid`);
  if (p.serviceId)
    where.push(
      `exists (select 1 from public.booking_items i where i.booking_id = b.id and i.service_id = ${param(p.serviceId)}::uuid)`,
    );
  if (p.statuses.length) where.push(`b.status = any(${param([...p.statuses])}::text[])`);
  if (p.search) {
    // A search matching few clients starts from their bookings (`bookings_client_start_idx`, the
    // ids as a list the planner can count). One matching many is checked booking by booking on
    // the way in start order (a scalar subquery: not turned into a join that would read every
    // client), which finds a page soon; listing all of them would cost more than that.
    const pattern = likeAnywhere(p.search);
    const matched = await q.query<{ id: string }>(
      'select app.clients_matching($1) as id limit $2',
      [pattern, FEW_CLIENTS + 1],
    );
    if (matched.length === 0) return [];
    where.push(
      matched.length <= FEW_CLIENTS
        ? `b.client_id = any(${param(matched.map((c) => c.id))}::uuid[])`
        : `(select c.search_text from public.clients c where c.id = b.client_id) ilike ${param(pattern)}`,
    );
  }
  if (p.afterId)
    where.push(
      `(b.start_at, b.id) > (select a.start_at, a.id from public.bookings a where a.id = ${param(p.afterId)}::uuid and a.tenant_id = $1)`,
    );
  await q.query("select set_config('plan_cache_mode', 'force_custom_plan', true)");
  const rows = await q.query(
    `select b.id, b.start_at, b.end_at, b.status, b.total_minor, b.currency, b.client_comment,
            coalesce(nullif(btrim(concat_ws(' ', c.first_name, c.last_name)), ''), c.username, '—') as client_name,
            c.username as client_username, c.phone as client_phone, c.notes as client_notes,
            coalesce((select array_agg(i.service_name order by i.position) from public.booking_items i where i.booking_id = b.id), '{}') as service_names,
            m.display_name as master_name, b.paid_minor
     from (
       select b.id, b.start_at, b.end_at, b.status, b.total_minor, b.currency, b.client_comment, b.client_id, b.master_id, b.paid_minor
       from public.bookings b
       where ${where.join('\n         and ')}
       order by b.start_at, b.id
       limit ${param(p.limit)}
     ) b
     join public.clients c on c.id = b.client_id
     join public.masters m on m.id = b.master_id
     order by b.start_at, b.id`,
    params,
  );
  return rows.map((r) => boardRowSchema.parse(r));
}

const detailSchema = z.object({
  id: z.string(),
  location_id: z.string(),
  master_id: z.string(),
  status: z.string(),
  start_at: z.coerce.date(),
  end_at: z.coerce.date(),
  hold_expires_at: z.coerce.date().nullable(),
  total_minor: z.coerce.number(),
  currency: z.string(),
  client_comment: z.string().nullable(),
  client_id: z.string(),
  created_at: z.coerce.date(),
  rescheduled_from_id: z.string().nullable(),
  client_name: z.string(),
  client_username: z.string().nullable(),
  client_phone: z.string().nullable(),
  client_notes: z.string().nullable(),
  client_language: z.string(),
  client_no_shows: z.coerce.number(),
  /** False: a phone or walk-in client, whom the bot never tells anything. */
  client_in_bot: z.boolean(),
  master_name: z.string(),
  timezone: z.string(),
  location_name: z.string(),
});
export type BoardBooking = z.infer<typeof detailSchema>;

export interface BoardItem extends Record<string, unknown> {
  service_id: string;
  service_name: string;
  duration_min: number;
  price_minor: string;
  currency: string;
}
export interface BoardPayment extends Record<string, unknown> {
  provider: string;
  purpose: string;
  status: string;
  amount_minor: string;
  refunded_minor: string;
  currency: string;
  created_at: Date;
}
export interface BoardHistory extends Record<string, unknown> {
  from_status: string | null;
  to_status: string;
  actor_kind: string;
  actor_name: string | null;
  reason: string | null;
  occurred_at: Date;
}

/** One booking with what was booked (prices as they were), its payments and its history with who did what. */
export async function boardBooking(
  q: Queryable,
  p: { tenantId: string; id: string },
): Promise<
  | { booking: BoardBooking; items: BoardItem[]; payments: BoardPayment[]; history: BoardHistory[] }
  | undefined
> {
  const [row] = await q.query(
    `select b.id, b.location_id, b.master_id, b.status, b.start_at, b.end_at, b.hold_expires_at, b.total_minor, b.currency, b.client_comment, b.client_id, b.created_at, b.rescheduled_from_id,
            coalesce(nullif(btrim(concat_ws(' ', c.first_name, c.last_name)), ''), c.username, '—') as client_name,
            c.username as client_username, c.phone as client_phone, c.notes as client_notes, c.language as client_language, c.no_show_count as client_no_shows,
            c.telegram_user_id is not null as client_in_bot,
            m.display_name as master_name, l.timezone, l.name as location_name
     from public.bookings b join public.clients c on c.id = b.client_id join public.masters m on m.id = b.master_id join public.locations l on l.id = b.location_id
     where b.tenant_id = $1 and b.id = $2`,
    [p.tenantId, p.id],
  );
  if (!row) return undefined;
  const items = await q.query<BoardItem>(
    'select service_id, service_name, duration_min, price_minor::text, currency from public.booking_items where booking_id = $1 order by position',
    [p.id],
  );
  const payments = await q.query<BoardPayment>(
    'select provider, purpose, status, amount_minor::text, refunded_minor::text, currency, created_at from public.payments where booking_id = $1 order by created_at',
    [p.id],
  );
  // Staff act by their staff id, masters by their master id, clients as `tg:<id>`.
  const history = await q.query<BoardHistory>(
    `select h.from_status, h.to_status, h.actor_kind, coalesce(s.display_name, m.display_name) as actor_name, h.reason, h.occurred_at
     from public.booking_status_history h
     left join public.staff_users s on s.tenant_id = h.tenant_id and h.actor_kind in ('owner', 'manager', 'platform_admin') and s.id::text = h.actor_id
     left join public.masters m on m.tenant_id = h.tenant_id and h.actor_kind = 'master' and m.id::text = h.actor_id
     where h.booking_id = $1 order by h.occurred_at, h.id`,
    [p.id],
  );
  return { booking: detailSchema.parse(row), items, payments, history };
}

/** The location's masters and services for the board's filters (inactive ones too: their bookings stay). */
export async function boardChoices(
  q: Queryable,
  p: { tenantId: string; locationId: string },
): Promise<{ masters: { id: string; name: string }[]; services: { id: string; name: string }[] }> {
  const masters = await q.query<{ id: string; name: string }>(
    'select id, display_name as name from public.masters where tenant_id = $1 and location_id = $2 order by sort_order, display_name, id limit 500',
    [p.tenantId, p.locationId],
  );
  const services = await q.query<{ id: string; name: string }>(
    'select id, name from public.services where tenant_id = $1 and location_id = $2 order by sort_order, name, id limit 500',
    [p.tenantId, p.locationId],
  );
  return { masters, services };
}

/** How many exports this staff member started since `since` (their audit entries are the record). */
export async function exportsSince(
  q: Queryable,
  p: { tenantId: string; staffId: string; since: Date },
): Promise<number> {
  const [row] = await q.query<{ n: string }>(
    "select count(*) as n from public.audit_log where tenant_id = $1 and actor_staff_id = $2 and action = 'bookings.export' and at > $3",
    [p.tenantId, p.staffId, p.since],
  );
  return Number(row?.n ?? 0);
}

/** Visits at the location overlapping [from, to) that hold or held their time (not cancelled or expired), for the calendar. */
export async function calendarVisits(
  q: Queryable,
  p: { tenantId: string; locationId: string; from: Date; to: Date },
): Promise<
  {
    id: string;
    master_id: string;
    start_at: Date;
    end_at: Date;
    status: string;
    client_name: string;
    service_names: string[];
  }[]
> {
  const rows = await q.query<{
    id: string;
    master_id: string;
    start_at: Date | string;
    end_at: Date | string;
    status: string;
    client_name: string;
    service_names: string[];
  }>(
    `select b.id, b.master_id, b.start_at, b.end_at, b.status,
            coalesce(nullif(btrim(concat_ws(' ', c.first_name, c.last_name)), ''), c.username, '—') as client_name,
            coalesce((select array_agg(i.service_name order by i.position) from public.booking_items i where i.booking_id = b.id), '{}') as service_names
     from public.bookings b join public.clients c on c.id = b.client_id
     where b.tenant_id = $1 and b.location_id = $2 and b.start_at < $4 and b.end_at > $3 and b.status not in ('cancelled', 'expired')
     order by b.start_at, b.id limit 2000`,
    [p.tenantId, p.locationId, p.from, p.to],
  );
  return rows.map((r) => ({ ...r, start_at: new Date(r.start_at), end_at: new Date(r.end_at) }));
}

/**
 * A location's change stamp for an open board: the latest change to any of its bookings, and how
 * many changed in the last ten minutes (a booking whose transaction began earlier but committed
 * later carries an older time, but still moves the count).
 */
export async function boardStamp(
  q: Queryable,
  p: { tenantId: string; locationId: string },
): Promise<string> {
  const [row] = await q.query<{ stamp: string }>(
    `select coalesce((select max(b.updated_at) from public.bookings b where b.tenant_id = $1 and b.location_id = $2)::text, '') || '/' ||
            (select count(*) from (select 1 from public.bookings b where b.tenant_id = $1 and b.location_id = $2 and b.updated_at > now() - interval '10 minutes' limit 10000) lately) as stamp`,
    [p.tenantId, p.locationId],
  );
  return row?.stamp ?? '';
}

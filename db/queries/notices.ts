import { z } from 'zod';
import type { Queryable } from '../port.ts';

/** Everything a message about one booking needs: who to tell, in which language, what and when. */
export const bookingNoticeSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  status: z.string(),
  start_at: z.coerce.date(),
  end_at: z.coerce.date(),
  hold_expires_at: z.coerce.date().nullable(),
  total_minor: z.coerce.number(),
  currency: z.string(),
  master_id: z.string(),
  location_id: z.string(),
  location_name: z.string(),
  address: z.string().nullable(),
  timezone: z.string(),
  policy: z.unknown(),
  master_name: z.string(),
  client_id: z.string(),
  /** Null: a client without Telegram (booked by phone or in person), who is never messaged. */
  client_telegram_id: z.coerce.number().nullable(),
  client_language: z.string(),
  service_names: z.array(z.string()),
  tenant_name: z.string(),
});
export type BookingNotice = z.infer<typeof bookingNoticeSchema>;

/** A booking as its client is told about it: names in the client's language (app.local_name). */
export async function loadBookingNotice(
  q: Queryable,
  bookingId: string,
): Promise<BookingNotice | undefined> {
  const [row] = await q.query(
    `select b.id, b.tenant_id, b.status, b.start_at, b.end_at, b.hold_expires_at, b.total_minor, b.currency, b.master_id,
            b.location_id, app.local_name(l.name, l.names, c.language) as location_name, l.address, l.timezone, l.policy,
            app.local_name(m.display_name, m.names, c.language) as master_name,
            c.id as client_id, c.telegram_user_id as client_telegram_id, c.language as client_language, t.name as tenant_name,
            coalesce((select array_agg(app.local_name(s.name, s.names, c.language) order by i.position) from public.booking_items i
                      join public.services s on s.id = i.service_id where i.booking_id = b.id), '{}') as service_names
     from public.bookings b
     join public.locations l on l.id = b.location_id
     join public.masters m on m.id = b.master_id
     join public.clients c on c.id = b.client_id
     join public.tenants t on t.id = b.tenant_id
     where b.id = $1`,
    [bookingId],
  );
  return row ? bookingNoticeSchema.parse(row) : undefined;
}

/** Owners' and managers' Telegram ids in a tenant, with their language when known. */
export async function tenantStaffChats(
  q: Queryable,
  tenantId: string,
): Promise<{ telegram_user_id: number; language: string }[]> {
  const rows = await q.query<{ telegram_user_id: string | number; language: string }>(
    `select telegram_user_id, language from public.staff_users
     where tenant_id = $1 and role in ('owner', 'manager') and active and telegram_user_id is not null
     order by created_at`,
    [tenantId],
  );
  return rows.map((r) => ({ telegram_user_id: Number(r.telegram_user_id), language: r.language }));
}

/** The tenant's active bot, the one that talks to its clients and staff. */
export async function activeBotOfTenant(
  q: Queryable,
  tenantId: string,
): Promise<string | undefined> {
  const [row] = await q.query<{ id: string }>(
    "select id from public.tenant_bots where tenant_id = $1 and status = 'active' order by created_at limit 1",
    [tenantId],
  );
  return row?.id;
}

export interface OwnerNoticeRow extends Record<string, unknown> {
  id: string;
  kind: string;
  detail: Record<string, unknown>;
  start_at: Date | null;
  timezone: string | null;
  master_name: string | null;
  client_name: string | null;
  service_names: string[] | null;
  currency: string | null;
}

/** A tenant's unsent owner notices, oldest first, locked so a parallel flush skips them. */
export async function lockUnsentOwnerNotices(
  q: Queryable,
  tenantId: string,
): Promise<OwnerNoticeRow[]> {
  return q.query<OwnerNoticeRow>(
    `select n.id, n.kind, n.detail, b.start_at, l.timezone, m.display_name as master_name, b.currency,
            nullif(btrim(concat_ws(' ', c.first_name, c.last_name)), '') as client_name,
            (select array_agg(s.name order by i.position) from public.booking_items i join public.services s on s.id = i.service_id where i.booking_id = b.id) as service_names
     from public.owner_notifications n
     left join public.bookings b on b.id = n.booking_id
     left join public.locations l on l.id = b.location_id
     left join public.masters m on m.id = b.master_id
     left join public.clients c on c.id = b.client_id
     where n.tenant_id = $1 and n.sent_at is null
     order by n.created_at
     for update of n skip locked`,
    [tenantId],
  );
}

export async function markOwnerNoticesSent(
  q: Queryable,
  ids: readonly string[],
  at: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await q.query('update public.owner_notifications set sent_at = $2 where id = any($1::uuid[])', [
    `{${ids.join(',')}}`,
    at.toISOString(),
  ]);
}

export async function tenantName(q: Queryable, tenantId: string): Promise<string | undefined> {
  const [row] = await q.query<{ name: string }>('select name from public.tenants where id = $1', [
    tenantId,
  ]);
  return row?.name;
}

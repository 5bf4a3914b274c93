import { z } from 'zod';
import type { Queryable } from '../port.ts';

/** An upcoming visit a change to the catalog or a schedule would touch, as staff see it listed. */
const visitSchema = z.object({
  id: z.string(),
  start_at: z.coerce.date(),
  end_at: z.coerce.date(),
  status: z.string(),
  client_name: z.string(),
  service_names: z.array(z.string()),
  master_name: z.string(),
  timezone: z.string(),
});
export type AffectedVisit = z.infer<typeof visitSchema>;

/**
 * The visits still ahead (in one of the `blocking` states, the ones that hold their time; starting
 * after `now`) of one master or including one service, soonest first; at most `limit`.
 */
export async function upcomingVisits(
  q: Queryable,
  p: {
    tenantId: string;
    now: Date;
    blocking: readonly string[];
    masterId?: string;
    serviceId?: string;
    limit?: number;
  },
): Promise<AffectedVisit[]> {
  const rows = await q.query(
    `select b.id, b.start_at, b.end_at, b.status, coalesce(nullif(btrim(concat_ws(' ', c.first_name, c.last_name)), ''), c.username, '—') as client_name,
            coalesce((select array_agg(s.name order by i.position) from public.booking_items i join public.services s on s.id = i.service_id
                      where i.booking_id = b.id), '{}') as service_names,
            m.display_name as master_name, l.timezone
     from public.bookings b
     join public.clients c on c.id = b.client_id
     join public.masters m on m.id = b.master_id
     join public.locations l on l.id = b.location_id
     where b.tenant_id = $1 and b.status = any($2::text[]) and b.start_at > $3
       -- A hold that has run out is about to be released: nothing to decide about.
       and (b.hold_expires_at is null or b.hold_expires_at > $3)
       and ($4::uuid is null or b.master_id = $4)
       and ($5::uuid is null or exists (select 1 from public.booking_items i where i.booking_id = b.id and i.service_id = $5))
     order by b.start_at, b.id
     limit $6`,
    [p.tenantId, [...p.blocking], p.now, p.masterId ?? null, p.serviceId ?? null, p.limit ?? 1000],
  );
  return rows.map((r) => visitSchema.parse(r));
}

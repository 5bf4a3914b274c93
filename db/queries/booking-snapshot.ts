import { z } from 'zod';
import type { Queryable } from '../port.ts';

/**
 * Everything the booking service needs to check a request against a location, in one round trip:
 * tenant flags, the location, its services, its masters with skills, weekly hours, breaks, time off
 * and blocking bookings in a time range. Rows are checked with zod on the way in.
 */
const weekly = z.object({
  weekday: z.number().int(),
  start: z.coerce.number(),
  end: z.coerce.number(),
});

export const snapshotSchema = z.object({
  tenant: z
    .object({
      status: z.enum(['pending', 'active', 'suspended']),
      maintenance: z.boolean(),
      maintenance_until: z.string().nullable(),
      maintenance_message: z.string().nullable(),
    })
    .nullable(),
  location: z
    .object({
      id: z.string(),
      name: z.string(),
      timezone: z.string(),
      currency: z.string(),
      policy: z.unknown(),
      active: z.boolean(),
      catalog_version: z.coerce.number(),
    })
    .nullable(),
  /** The booking already made with the request's idempotency key, if any. */
  replay_id: z.string().nullable(),
  /** Its master (a retried "any master" request goes to the same one). */
  replay_master_id: z.string().nullable(),
  client: z
    .object({ id: z.string(), no_show_count: z.number().int(), language: z.string() })
    .nullable(),
  services: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      duration_min: z.number().int(),
      price_minor: z.coerce.number(),
      active: z.boolean(),
    }),
  ),
  masters: z.array(
    z.object({
      id: z.string(),
      display_name: z.string(),
      speed_factor: z.coerce.number(),
      active: z.boolean(),
      skills: z.array(z.object({ service_id: z.string(), override: z.number().int().nullable() })),
      hours: z.array(weekly),
      breaks: z.array(weekly),
      time_off: z.array(
        z.object({
          all_day: z.boolean(),
          first_day: z.string().nullable(),
          last_day: z.string().nullable(),
          starts_at: z.string().nullable(),
          ends_at: z.string().nullable(),
        }),
      ),
      busy: z.array(z.tuple([z.coerce.number(), z.coerce.number()])),
    }),
  ),
});

export type BookingSnapshot = z.infer<typeof snapshotSchema>;

export interface SnapshotParams {
  tenantId: string;
  locationId: string;
  /** Blocking bookings overlapping [from, to) (epoch ms) are loaded. */
  from: number;
  to: number;
  /** Only these masters (all of the location's when omitted). */
  masterIds?: readonly string[];
  /** A booking that must not count as busy (the one being rescheduled). */
  excludeBookingId?: string;
  /** The client, for the payment rules (no-show count). */
  clientId?: string;
  /** Finds an earlier booking made with this idempotency key. */
  idempotencyKey?: string;
}

const weeklyJson = (
  table: string,
) => `coalesce((select json_agg(json_build_object('weekday', w.weekday,
  'start', extract(epoch from w.start_local) / 60, 'end', extract(epoch from w.end_local) / 60))
  from public.${table} w where w.master_id = m.id), '[]'::json)`;

const SQL = `
select json_build_object(
  'tenant', (select json_build_object('status', t.status, 'maintenance', t.maintenance,
      'maintenance_until', t.maintenance_until, 'maintenance_message', t.maintenance_message)
    from public.tenants t where t.id = $1),
  'location', (select json_build_object('id', l.id, 'name', l.name, 'timezone', l.timezone, 'currency', l.currency,
      'policy', l.policy, 'active', l.active, 'catalog_version', l.catalog_version)
    from public.locations l where l.id = $2 and l.tenant_id = $1),
  'replay_id', (select r.id from public.bookings r where r.tenant_id = $1 and r.idempotency_key = $8),
  'replay_master_id', (select r.master_id from public.bookings r where r.tenant_id = $1 and r.idempotency_key = $8),
  'client', (select json_build_object('id', c.id, 'no_show_count', c.no_show_count, 'language', c.language)
    from public.clients c where c.id = $7::uuid and c.tenant_id = $1),
  'services', coalesce((select json_agg(json_build_object('id', s.id, 'name', s.name, 'duration_min', s.duration_min,
      'price_minor', s.price_minor, 'active', s.active) order by s.sort_order, s.name)
    from public.services s where s.location_id = $2 and s.tenant_id = $1), '[]'::json),
  'masters', coalesce((select json_agg(json_build_object(
      'id', m.id, 'display_name', m.display_name, 'speed_factor', m.speed_factor, 'active', m.active,
      'skills', coalesce((select json_agg(json_build_object('service_id', k.service_id, 'override', k.duration_override_min))
        from public.master_skills k where k.master_id = m.id), '[]'::json),
      'hours', ${weeklyJson('working_hours')},
      'breaks', ${weeklyJson('breaks')},
      'time_off', coalesce((select json_agg(json_build_object('all_day', o.all_day, 'first_day', o.first_day,
          'last_day', o.last_day, 'starts_at', o.starts_at, 'ends_at', o.ends_at))
        from public.time_off o where o.master_id = m.id
          and (o.all_day or tstzrange(o.starts_at, o.ends_at) && tstzrange($3, $4))), '[]'::json),
      'busy', coalesce((select json_agg(json_build_array(extract(epoch from lower(b.span)) * 1000, extract(epoch from upper(b.span)) * 1000) order by b.start_at)
        from public.bookings b where b.master_id = m.id and app.is_blocking(b.status)
          and (b.status = 'confirmed' or b.hold_expires_at > now())
          and b.span && tstzrange($3, $4) and b.id is distinct from $6::uuid), '[]'::json)
    ) order by m.sort_order, m.display_name)
    from public.masters m where m.location_id = $2 and m.tenant_id = $1 and ($5::uuid[] is null or m.id = any ($5::uuid[]))), '[]'::json)
) as snapshot`;

export async function loadBookingSnapshot(
  q: Queryable,
  p: SnapshotParams,
): Promise<BookingSnapshot> {
  const [row] = await q.query<{ snapshot: unknown }>(SQL, [
    p.tenantId,
    p.locationId,
    new Date(p.from).toISOString(),
    new Date(p.to).toISOString(),
    p.masterIds ? `{${p.masterIds.join(',')}}` : null,
    p.excludeBookingId ?? null,
    p.clientId ?? null,
    p.idempotencyKey ?? null,
  ]);
  const raw = typeof row?.snapshot === 'string' ? JSON.parse(row.snapshot) : row?.snapshot;
  return snapshotSchema.parse(raw);
}

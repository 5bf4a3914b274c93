import { z } from 'zod';
import type { Queryable } from '../port.ts';

/** A business's catalog as its staff edit it (as the tenant, under RLS). */

const locationSchema = z.object({ id: z.string(), name: z.string(), currency: z.string(), timezone: z.string() });
export type StaffLocation = z.infer<typeof locationSchema>;

/**
 * The active locations a staff member works with: every one for owners, a manager's chosen ones
 * (none chosen: every one), in the business's order.
 */
export async function locationsOfStaff(q: Queryable, p: { tenantId: string; staffId: string; role: string }): Promise<StaffLocation[]> {
  const rows = await q.query(
    `select l.id, l.name, l.currency, l.timezone from public.locations l
     where l.tenant_id = $1 and l.active
       and ($3 <> 'manager'
            or not exists (select 1 from public.staff_locations s where s.staff_user_id = $2)
            or exists (select 1 from public.staff_locations s where s.staff_user_id = $2 and s.location_id = l.id))
     order by l.sort_order, l.created_at, l.id limit 200`,
    [p.tenantId, p.staffId, p.role],
  );
  return rows.map((r) => locationSchema.parse(r));
}

const serviceSchema = z.object({
  id: z.string(),
  location_id: z.string(),
  name: z.string(),
  names: z.record(z.string(), z.string()),
  duration_min: z.number(),
  price_minor: z.coerce.number(),
  active: z.boolean(),
  sort_order: z.number(),
  upcoming: z.coerce.number(),
});
export type EditableService = z.infer<typeof serviceSchema>;

const SERVICE = `s.id, s.location_id, s.name, s.names, s.duration_min, s.price_minor, s.active, s.sort_order,
  (select count(*) from public.booking_items i join public.bookings b on b.id = i.booking_id
   where i.service_id = s.id and b.status in ('held', 'pending_payment', 'confirmed') and b.start_at > now()) as upcoming`;

/** A location's services, active and not, in the bot's order (a page of up to 200). */
export async function servicesAt(q: Queryable, p: { tenantId: string; locationId: string }): Promise<EditableService[]> {
  const rows = await q.query(`select ${SERVICE} from public.services s where s.tenant_id = $1 and s.location_id = $2 order by s.sort_order, s.name, s.id limit 200`, [p.tenantId, p.locationId]);
  return rows.map((r) => serviceSchema.parse(r));
}

export async function serviceById(q: Queryable, p: { tenantId: string; id: string }): Promise<EditableService | undefined> {
  const [row] = await q.query(`select ${SERVICE} from public.services s where s.tenant_id = $1 and s.id = $2`, [p.tenantId, p.id]);
  return row ? serviceSchema.parse(row) : undefined;
}

export interface ServiceFields {
  name: string;
  names: Record<string, string>;
  durationMin: number;
  priceMinor: number;
  active: boolean;
  sortOrder: number;
}

export async function updateService(q: Queryable, p: { tenantId: string; id: string } & ServiceFields): Promise<void> {
  await q.query(
    'update public.services set name = $3, names = $4::jsonb, duration_min = $5, price_minor = $6, active = $7, sort_order = $8 where tenant_id = $1 and id = $2',
    [p.tenantId, p.id, p.name, JSON.stringify(p.names), p.durationMin, p.priceMinor, p.active, p.sortOrder],
  );
}

import { z } from 'zod';
import type { Queryable } from '../port.ts';

/** A business's catalog as its staff edit it (as the tenant, under RLS). */

const locationSchema = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  timezone: z.string(),
});
export type StaffLocation = z.infer<typeof locationSchema>;

/**
 * Whether the staff member ($2, with role $3) works with location `l`: owners with every one, a
 * manager with their chosen ones (none chosen: every one). The one home of that rule in SQL.
 */
const WORKS_AT = `($3 <> 'manager'
  or not exists (select 1 from public.staff_locations s where s.staff_user_id = $2)
  or exists (select 1 from public.staff_locations s where s.staff_user_id = $2 and s.location_id = l.id))`;

/** The active locations a staff member works with, in the business's order. */
export async function locationsOfStaff(
  q: Queryable,
  p: { tenantId: string; staffId: string; role: string },
): Promise<StaffLocation[]> {
  const rows = await q.query(
    `select l.id, l.name, l.currency, l.timezone from public.locations l
     where l.tenant_id = $1 and l.active and ${WORKS_AT}
     order by l.sort_order, l.created_at, l.id limit 200`,
    [p.tenantId, p.staffId, p.role],
  );
  return rows.map((r) => locationSchema.parse(r));
}

const editableLocationSchema = z.object({
  id: z.string(),
  name: z.string(),
  names: z.record(z.string(), z.string()),
  address: z.string().nullable(),
  timezone: z.string(),
  currency: z.string(),
  policy: z.unknown(),
  active: z.boolean(),
  sort_order: z.number(),
  upcoming: z.coerce.number(),
  services: z.coerce.number(),
});
/** A location as its editor shows it; `policy` as stored (parse it with parseLocationPolicy). */
export type EditableLocation = z.infer<typeof editableLocationSchema>;

const UPCOMING = `(select count(*) from public.bookings b where b.location_id = l.id and app.is_blocking(b.status) and b.start_at > now())`;
const LOCATION = `l.id, l.name, l.names, l.address, l.timezone, l.currency, l.policy, l.active, l.sort_order,
  ${UPCOMING} as upcoming, (select count(*) from public.services s where s.location_id = l.id) as services`;

/**
 * The locations a staff member works with, open and closed, in the business's order: `limit` of
 * them after the location `after` (keyset on the order; none: from the first).
 */
export async function locationsForEditor(
  q: Queryable,
  p: { tenantId: string; staffId: string; role: string; after?: string | undefined; limit: number },
): Promise<EditableLocation[]> {
  const rows = await q.query(
    `select ${LOCATION} from public.locations l
     where l.tenant_id = $1 and ${WORKS_AT}
       and ($4::uuid is null or (l.sort_order, l.created_at, l.id) > (select a.sort_order, a.created_at, a.id from public.locations a where a.tenant_id = $1 and a.id = $4))
     order by l.sort_order, l.created_at, l.id limit $5`,
    [p.tenantId, p.staffId, p.role, p.after ?? null, p.limit],
  );
  return rows.map((r) => editableLocationSchema.parse(r));
}

/**
 * One location if this staff member works with it (undefined otherwise: "not here"); `lock`
 * holds it until the transaction ends, so a change is checked and audited against what it replaces.
 */
export async function editableLocation(
  q: Queryable,
  p: { tenantId: string; staffId: string; role: string; id: string; lock?: boolean },
): Promise<EditableLocation | undefined> {
  const [row] = await q.query(
    `select ${LOCATION} from public.locations l where l.tenant_id = $1 and l.id = $4 and ${WORKS_AT}${p.lock ? ' for update of l' : ''}`,
    [p.tenantId, p.staffId, p.role, p.id],
  );
  return row ? editableLocationSchema.parse(row) : undefined;
}

export interface LocationFields {
  name: string;
  names: Record<string, string>;
  address: string | null;
  timezone: string;
  currency: string;
  policy: unknown;
  active: boolean;
  sortOrder: number;
}

/** Writes a location's fields; its catalog version moves with them (app.locations_bump_own_catalog). */
export async function updateLocation(
  q: Queryable,
  p: { tenantId: string; id: string } & LocationFields,
): Promise<void> {
  await q.query(
    `update public.locations set name = $3, names = $4::jsonb, address = $5, timezone = $6, currency = $7, policy = $8::jsonb, active = $9, sort_order = $10
     where tenant_id = $1 and id = $2`,
    [
      p.tenantId,
      p.id,
      p.name,
      JSON.stringify(p.names),
      p.address,
      p.timezone,
      p.currency,
      JSON.stringify(p.policy),
      p.active,
      p.sortOrder,
    ],
  );
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
   where i.service_id = s.id and app.is_blocking(b.status) and b.start_at > now()) as upcoming`;

/** A page of a location's services, active and not, in the bot's order: `limit` after the service `afterId` (keyset). */
export async function servicesAt(
  q: Queryable,
  p: { tenantId: string; locationId: string; afterId?: string | undefined; limit: number },
): Promise<EditableService[]> {
  const rows = await q.query(
    `select ${SERVICE} from public.services s
     where s.tenant_id = $1 and s.location_id = $2
       and ($3::uuid is null or (s.sort_order, s.name, s.id) > (select c.sort_order, c.name, c.id from public.services c where c.id = $3 and c.tenant_id = $1))
     order by s.sort_order, s.name, s.id limit $4`,
    [p.tenantId, p.locationId, p.afterId ?? null, p.limit],
  );
  return rows.map((r) => serviceSchema.parse(r));
}

export async function serviceById(
  q: Queryable,
  p: { tenantId: string; id: string },
): Promise<EditableService | undefined> {
  const [row] = await q.query(
    `select ${SERVICE} from public.services s where s.tenant_id = $1 and s.id = $2`,
    [p.tenantId, p.id],
  );
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

export async function updateService(
  q: Queryable,
  p: { tenantId: string; id: string } & ServiceFields,
): Promise<void> {
  await q.query(
    'update public.services set name = $3, names = $4::jsonb, duration_min = $5, price_minor = $6, active = $7, sort_order = $8 where tenant_id = $1 and id = $2',
    [
      p.tenantId,
      p.id,
      p.name,
      JSON.stringify(p.names),
      p.durationMin,
      p.priceMinor,
      p.active,
      p.sortOrder,
    ],
  );
}

const masterSchema = z.object({
  id: z.string(),
  location_id: z.string(),
  display_name: z.string(),
  names: z.record(z.string(), z.string()),
  speed_factor: z.coerce.number(),
  active: z.boolean(),
  bound: z.boolean(),
  upcoming: z.coerce.number(),
});
export type EditableMaster = z.infer<typeof masterSchema>;

const MASTER = `m.id, m.location_id, m.display_name, m.names, m.speed_factor, m.active, m.telegram_user_id is not null as bound,
  (select count(*) from public.bookings b where b.master_id = m.id and app.is_blocking(b.status) and b.start_at > now()) as upcoming`;

/** A page of a location's masters, active and not, in the bot's order: `limit` after the master `afterId` (keyset). */
export async function mastersAt(
  q: Queryable,
  p: { tenantId: string; locationId: string; afterId?: string | undefined; limit: number },
): Promise<EditableMaster[]> {
  const rows = await q.query(
    `select ${MASTER} from public.masters m
     where m.tenant_id = $1 and m.location_id = $2
       and ($3::uuid is null or (m.sort_order, m.display_name, m.id) > (select c.sort_order, c.display_name, c.id from public.masters c where c.id = $3 and c.tenant_id = $1))
     order by m.sort_order, m.display_name, m.id limit $4`,
    [p.tenantId, p.locationId, p.afterId ?? null, p.limit],
  );
  return rows.map((r) => masterSchema.parse(r));
}

export async function masterById(
  q: Queryable,
  p: { tenantId: string; id: string },
): Promise<EditableMaster | undefined> {
  const [row] = await q.query(
    `select ${MASTER} from public.masters m where m.tenant_id = $1 and m.id = $2`,
    [p.tenantId, p.id],
  );
  return row ? masterSchema.parse(row) : undefined;
}

export interface Skill extends Record<string, unknown> {
  service_id: string;
  service_name: string;
  duration_min: number;
  /** Null: the master does not do it. */
  has: boolean;
  override_min: number | null;
}

/** Every service of the master's location, with whether the master does it and in how long. */
export async function skillsOf(
  q: Queryable,
  p: { tenantId: string; masterId: string; locationId: string },
): Promise<Skill[]> {
  return q.query<Skill>(
    `select s.id as service_id, s.name as service_name, s.duration_min, k.service_id is not null as has, k.duration_override_min as override_min
     from public.services s left join public.master_skills k on k.service_id = s.id and k.master_id = $2
     where s.tenant_id = $1 and s.location_id = $3 order by s.sort_order, s.name, s.id`,
    [p.tenantId, p.masterId, p.locationId],
  );
}

export async function updateMaster(
  q: Queryable,
  p: {
    tenantId: string;
    id: string;
    name: string;
    names: Record<string, string>;
    speedFactor: number;
    active: boolean;
  },
): Promise<void> {
  await q.query(
    'update public.masters set display_name = $3, names = $4::jsonb, speed_factor = $5, active = $6 where tenant_id = $1 and id = $2',
    [p.tenantId, p.id, p.name, JSON.stringify(p.names), p.speedFactor, p.active],
  );
}

/** The master's services as chosen: each with its override (null: the service's own duration). */
export async function setSkills(
  q: Queryable,
  p: {
    tenantId: string;
    locationId: string;
    masterId: string;
    skills: { serviceId: string; overrideMin: number | null }[];
  },
): Promise<void> {
  await q.query('delete from public.master_skills where tenant_id = $1 and master_id = $2', [
    p.tenantId,
    p.masterId,
  ]);
  if (!p.skills.length) return;
  await q.query(
    `insert into public.master_skills (tenant_id, location_id, master_id, service_id, duration_override_min)
     select $1, $2, $3, k.service_id, k.override_min from jsonb_to_recordset($4::jsonb) as k(service_id uuid, override_min integer)`,
    [
      p.tenantId,
      p.locationId,
      p.masterId,
      JSON.stringify(
        p.skills.map((s) => ({ service_id: s.serviceId, override_min: s.overrideMin })),
      ),
    ],
  );
}

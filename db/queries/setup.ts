import { z } from 'zod';
import type { Queryable } from '../port.ts';

/**
 * The first-run checklist of a business: what it has so far (a location, a service, a master who
 * does it and has hours) and the minimal rows its forms write. Run as the tenant (RLS); every
 * query names the tenant too.
 */

const locationSchema = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  currency: z.string(),
});
export type SetupLocation = z.infer<typeof locationSchema>;
const serviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  duration_min: z.coerce.number(),
  price_minor: z.coerce.number(),
});
export type SetupService = z.infer<typeof serviceSchema>;

export interface SetupState {
  /** The business's first active location: the checklist's forms fill it. */
  location: SetupLocation | undefined;
  services: number;
  /** Active masters who do an active service of an active location and have weekly hours. */
  bookableMasters: number;
  botUsername: string | undefined;
}

export async function setupState(q: Queryable, tenantId: string): Promise<SetupState> {
  const [row] = await q.query<{ services: number; masters: number; bot: string | null }>(
    `select
       (select count(*)::int from public.services s join public.locations l on l.id = s.location_id
         where s.tenant_id = $1 and s.active and l.active) as services,
       (select count(*)::int from public.masters m join public.locations l on l.id = m.location_id
         where m.tenant_id = $1 and m.active and l.active
           and exists (select 1 from public.master_skills k join public.services s on s.id = k.service_id where k.master_id = m.id and s.active)
           and exists (select 1 from public.working_hours w where w.master_id = m.id)) as masters,
       (select b.username from public.tenant_bots b where b.tenant_id = $1 and b.status = 'active' order by b.created_at limit 1) as bot`,
    [tenantId],
  );
  return {
    location: await firstLocation(q, tenantId),
    services: row!.services,
    bookableMasters: row!.masters,
    botUsername: row!.bot ?? undefined,
  };
}

export async function firstLocation(
  q: Queryable,
  tenantId: string,
): Promise<SetupLocation | undefined> {
  const [row] = await q.query(
    'select id, name, timezone, currency from public.locations where tenant_id = $1 and active order by sort_order, created_at, id limit 1',
    [tenantId],
  );
  return row ? locationSchema.parse(row) : undefined;
}

/** The active services of a location, in the bot's order. */
export async function locationServices(
  q: Queryable,
  tenantId: string,
  locationId: string,
): Promise<SetupService[]> {
  const rows = await q.query(
    'select id, name, duration_min, price_minor from public.services where tenant_id = $1 and location_id = $2 and active order by sort_order, created_at, id',
    [tenantId, locationId],
  );
  return rows.map((r) => serviceSchema.parse(r));
}

/** A new location, last in the business's order unless `sortOrder` says; open unless `active` is false. */
export async function insertLocation(
  q: Queryable,
  p: {
    tenantId: string;
    name: string;
    names?: Record<string, string>;
    address: string | null;
    timezone: string;
    currency: string;
    policy: unknown;
    active?: boolean;
    sortOrder?: number | undefined;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `insert into public.locations (tenant_id, name, names, address, timezone, currency, policy, active, sort_order)
     values ($1, $2, $7::jsonb, $3, $4, $5, $6::jsonb, $8, coalesce($9::integer, (select max(sort_order) + 1 from public.locations where tenant_id = $1), 0)) returning id`,
    [
      p.tenantId,
      p.name,
      p.address,
      p.timezone,
      p.currency,
      JSON.stringify(p.policy),
      JSON.stringify(p.names ?? {}),
      p.active ?? true,
      p.sortOrder ?? null,
    ],
  );
  return row!.id;
}

/** A new service, last in its location's order; names per language optional. */
export async function insertService(
  q: Queryable,
  p: {
    tenantId: string;
    locationId: string;
    name: string;
    durationMin: number;
    priceMinor: number;
    names?: Record<string, string>;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `insert into public.services (tenant_id, location_id, name, names, duration_min, price_minor, sort_order)
     values ($1, $2, $3, $6::jsonb, $4, $5, coalesce((select max(sort_order) + 1 from public.services where tenant_id = $1 and location_id = $2), 0)) returning id`,
    [p.tenantId, p.locationId, p.name, p.durationMin, p.priceMinor, JSON.stringify(p.names ?? {})],
  );
  return row!.id;
}

/** A master of a location with skills (ids checked by the caller: array literals) and the same hours on each chosen weekday; no Telegram user bound. */
export async function insertMaster(
  q: Queryable,
  p: {
    tenantId: string;
    locationId: string;
    name: string;
    serviceIds: readonly string[];
    weekdays: readonly number[];
    start: string;
    end: string;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `insert into public.masters (tenant_id, location_id, display_name, sort_order)
     values ($1, $2, $3, coalesce((select max(sort_order) + 1 from public.masters where tenant_id = $1 and location_id = $2), 0)) returning id`,
    [p.tenantId, p.locationId, p.name],
  );
  const masterId = row!.id;
  await q.query(
    'insert into public.master_skills (tenant_id, location_id, master_id, service_id) select $1, $2, $3, s from unnest($4::uuid[]) as s',
    [p.tenantId, p.locationId, masterId, `{${p.serviceIds.join(',')}}`],
  );
  await q.query(
    'insert into public.working_hours (tenant_id, master_id, weekday, start_local, end_local) select $1, $2, d, $4::time, $5::time from unnest($3::smallint[]) as d',
    [p.tenantId, masterId, `{${p.weekdays.join(',')}}`, p.start, p.end],
  );
  return masterId;
}

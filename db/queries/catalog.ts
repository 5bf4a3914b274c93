import type { Queryable } from '../port.ts';

/** What a bot shows: the tenant's active locations, services and masters. */
export interface LocationItem extends Record<string, unknown> {
  id: string;
  name: string;
  address: string | null;
  timezone: string;
  currency: string;
  policy: unknown;
}
export interface ServiceItem extends Record<string, unknown> {
  id: string;
  name: string;
  duration_min: number;
  price_minor: number;
}
export interface MasterItem extends Record<string, unknown> {
  id: string;
  display_name: string;
  service_ids: string[];
}

/** Names are in `lang` where the business entered one, else as entered (app.local_name). */
export function listLocations(
  q: Queryable,
  tenantId: string,
  lang: string,
): Promise<LocationItem[]> {
  return q.query<LocationItem>(
    'select id, app.local_name(name, names, $2) as name, address, timezone, currency, policy from public.locations where tenant_id = $1 and active order by sort_order, name',
    [tenantId, lang],
  );
}

export async function listServices(
  q: Queryable,
  locationId: string,
  lang: string,
): Promise<ServiceItem[]> {
  const rows = await q.query<ServiceItem>(
    'select id, app.local_name(name, names, $2) as name, duration_min, price_minor from public.services where location_id = $1 and active order by sort_order, name',
    [locationId, lang],
  );
  return rows.map((r) => ({ ...r, price_minor: Number(r.price_minor) }));
}

export function listMasters(q: Queryable, locationId: string, lang: string): Promise<MasterItem[]> {
  return q.query<MasterItem>(
    `select m.id, app.local_name(m.display_name, m.names, $2) as display_name,
            coalesce(array_agg(k.service_id::text) filter (where k.service_id is not null), '{}') as service_ids
     from public.masters m left join public.master_skills k on k.master_id = m.id
     where m.location_id = $1 and m.active group by m.id order by m.sort_order, m.display_name`,
    [locationId, lang],
  );
}

export interface TenantState extends Record<string, unknown> {
  status: 'pending' | 'active' | 'suspended';
  maintenance: boolean;
  maintenance_until: Date | null;
  maintenance_message: string | null;
}

export async function tenantState(
  q: Queryable,
  tenantId: string,
): Promise<TenantState | undefined> {
  const [row] = await q.query<TenantState>(
    'select status, maintenance, maintenance_until, maintenance_message from public.tenants where id = $1',
    [tenantId],
  );
  return row;
}

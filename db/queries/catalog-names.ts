import type { Queryable } from '../port.ts';

/**
 * Names of services and masters by id, active or not: what a bot says about a choice that was
 * withdrawn since it was made ("colour is no longer offered").
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A uuid[] literal (the form both postgres.js and PGlite accept); anything not a uuid is left out. */
const uuidArray = (ids: readonly string[]) => `{${ids.filter((id) => UUID.test(id)).join(',')}}`;

export async function catalogNames(
  q: Queryable,
  ids: { serviceIds?: readonly string[]; masterIds?: readonly string[] },
  lang: string,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ids.serviceIds?.length) {
    const rows = await q.query<{ id: string; name: string }>(
      'select id, app.local_name(name, names, $2) as name from public.services where id = any($1::uuid[])',
      [uuidArray(ids.serviceIds), lang],
    );
    for (const r of rows) names.set(r.id, r.name);
  }
  if (ids.masterIds?.length) {
    const rows = await q.query<{ id: string; display_name: string }>(
      'select id, app.local_name(display_name, names, $2) as display_name from public.masters where id = any($1::uuid[])',
      [uuidArray(ids.masterIds), lang],
    );
    for (const r of rows) names.set(r.id, r.display_name);
  }
  return names;
}

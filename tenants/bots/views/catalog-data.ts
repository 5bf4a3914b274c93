import { asTenant, PIPELINED } from '../../../db/scope.ts';
import {
  listLocations,
  listMasters,
  listServices,
  tenantState,
} from '../../../db/queries/catalog.ts';
import { parseLocationPolicy, type LocationPolicy } from '../../policy/location-policy.ts';
import type { FlowEnv } from './types.ts';

/** Catalog reads for the views, in the client's tenant scope. */
const scope = (env: FlowEnv) => ({
  tenantId: env.tenantId,
  subject: `tg:${env.telegramUserId}`,
  appRole: 'client',
});

/**
 * One read per key while the tenant's catalog stays as it is (env.memo; see FlowEnv): a view's act
 * and render often need the same list, and so do the next updates. A failed read is not kept.
 */
function once<T>(env: FlowEnv, key: string, read: () => Promise<T>): Promise<T> {
  let hit = env.memo.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = read();
    env.memo.set(key, hit);
    hit.catch(() => {
      if (env.memo.get(key) === hit) env.memo.delete(key);
    });
  }
  return hit;
}

export const tenantStateOf = (env: FlowEnv) =>
  asTenant(env.db, scope(env), (tx) => tenantState(tx, env.tenantId), PIPELINED);
// Lists carry names in the chat's language, so the language is part of each key.
export const locationsOf = (env: FlowEnv) =>
  once(env, `locations:${env.lang}`, () =>
    asTenant(env.db, scope(env), (tx) => listLocations(tx, env.tenantId, env.lang), PIPELINED),
  );
export const servicesOf = (env: FlowEnv, locationId: string) =>
  once(env, `services:${locationId}:${env.lang}`, () =>
    asTenant(env.db, scope(env), (tx) => listServices(tx, locationId, env.lang), PIPELINED),
  );
export const mastersOf = (env: FlowEnv, locationId: string) =>
  once(env, `masters:${locationId}:${env.lang}`, () =>
    asTenant(env.db, scope(env), (tx) => listMasters(tx, locationId, env.lang), PIPELINED),
  );

export interface LocationView {
  id: string;
  name: string;
  address: string | null;
  timezone: string;
  currency: string;
  policy: LocationPolicy;
}

export function locationOf(env: FlowEnv, locationId: string): Promise<LocationView | undefined> {
  return once(env, `location:${locationId}:${env.lang}`, async () => {
    const location = (await locationsOf(env)).find((l) => l.id === locationId);
    if (!location) return undefined;
    const parsed = parseLocationPolicy(location.policy);
    if (!parsed.ok) return undefined;
    return {
      id: location.id,
      name: location.name,
      address: location.address,
      timezone: location.timezone,
      currency: location.currency,
      policy: parsed.policy,
    };
  });
}

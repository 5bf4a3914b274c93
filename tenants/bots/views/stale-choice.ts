import type { Nav } from '../navigation.ts';
import { mastersOf, servicesOf } from './catalog-data.ts';
import type { Button, FlowEnv, Screen } from './types.ts';

/**
 * A choice made earlier in the flow that no longer holds: a service was withdrawn (inactive), or
 * the chosen master left or no longer does one of the services. The product rule: say so, and
 * offer alternatives as buttons (other services; another master or any master; the nearest times
 * come from the booking attempt itself).
 */
export type StaleChoice =
  | {
      kind: 'services';
      gone: string[];
      remaining: string[];
      others: { id: string; name: string }[];
    }
  | { kind: 'master'; name: string; others: { id: string; name: string }[] };

/** How many other services are offered right on the message (the services screen lists them all). */
const SERVICE_ALTERNATIVES = 6;

/** What, if anything, went stale in a days / times / summary payload. */
export async function staleChoice(
  env: FlowEnv,
  payload: Record<string, unknown>,
): Promise<StaleChoice | undefined> {
  const locationId = String(payload.locationId);
  const ids = (payload.serviceIds as string[] | undefined) ?? [];
  const [services, masters] = await Promise.all([
    servicesOf(env, locationId),
    mastersOf(env, locationId),
  ]);
  const remaining = ids.filter((id) => services.some((s) => s.id === id));
  if (remaining.length !== ids.length || ids.length === 0) {
    const goneIds = ids.filter((id) => !remaining.includes(id));
    const names = await env.reads.names({ serviceIds: goneIds }, env.lang);
    return {
      kind: 'services',
      gone: goneIds.map((id) => names.get(id) ?? '?'),
      remaining,
      others: services.filter((s) => !ids.includes(s.id)).map((s) => ({ id: s.id, name: s.name })),
    };
  }
  // "Any master" (days/times with no master, a summary picked for any master) cannot go stale.
  const masterId = payload.masterId && !payload.anyMaster ? String(payload.masterId) : undefined;
  if (!masterId) return undefined;
  const able = masters.filter((m) => ids.every((id) => m.service_ids.includes(id)));
  if (able.some((m) => m.id === masterId)) return undefined;
  const name =
    masters.find((m) => m.id === masterId)?.display_name ??
    (await env.reads.names({ masterIds: [masterId] }, env.lang)).get(masterId) ??
    '?';
  return { kind: 'master', name, others: able.map((m) => ({ id: m.id, name: m.display_name })) };
}

/** The screen that says what went stale, with the alternatives as buttons. */
export function staleChoiceScreen(
  env: FlowEnv,
  payload: Record<string, unknown>,
  stale: StaleChoice,
): Screen {
  // Moving a booked visit keeps its services; another master is the only other choice there.
  const moving = !!payload.rescheduleOf;
  if (stale.kind === 'services') {
    const buttons: Button[][] = moving
      ? []
      : [
          ...stale.others
            .slice(0, SERVICE_ALTERNATIVES)
            .map((s) => [{ text: `➕ ${s.name}`, action: `fix:sv:${s.id}` }]),
          [{ text: env.t('fix.services'), action: 'fix:svc' }],
        ];
    return { text: env.t('errors.servicesGone', { services: stale.gone.join(', ') }), buttons };
  }
  return {
    text: env.t(stale.others.length ? 'errors.masterGone' : 'errors.masterGoneNoOne', {
      master: stale.name,
    }),
    buttons: stale.others.length
      ? [
          [{ text: env.t('masters.any'), action: 'fix:m:any' }],
          ...stale.others.map((m) => [{ text: m.name, action: `fix:m:${m.id}` }]),
        ]
      : moving
        ? []
        : [[{ text: env.t('fix.services'), action: 'fix:svc' }]],
  };
}

/**
 * The alternatives' actions: back to the services screen with what is still offered (plus the
 * picked replacement), or on to the days of another master / any master. Undefined for other actions.
 */
export async function fixStaleChoice(
  env: FlowEnv,
  payload: Record<string, unknown>,
  action: string,
): Promise<Nav | undefined> {
  if (!action.startsWith('fix:')) return undefined;
  const stale = await staleChoice(env, payload);
  // Resolved meanwhile (or a stale button): show the screen as it now is.
  if (!stale) return { kind: 'replace', payload };
  const locationId = payload.locationId;
  if (!payload.rescheduleOf && (action === 'fix:svc' || action.startsWith('fix:sv:'))) {
    const remaining =
      stale.kind === 'services'
        ? stale.remaining
        : ((payload.serviceIds as string[] | undefined) ?? []);
    const picked = action.startsWith('fix:sv:') ? action.slice(7) : undefined;
    if (picked && !(stale.kind === 'services' && stale.others.some((s) => s.id === picked)))
      return { kind: 'stay' };
    return {
      kind: 'rewind',
      view: 'services',
      payload: {
        locationId,
        selected: picked ? [...remaining, picked] : remaining,
        ...(stale.kind === 'services' ? { gone: stale.gone } : {}),
      },
    };
  }
  if (action.startsWith('fix:m:') && stale.kind === 'master') {
    const id = action.slice(6);
    if (id !== 'any' && !stale.others.some((m) => m.id === id)) return { kind: 'stay' };
    const masterId = id === 'any' ? null : id;
    if (payload.rescheduleOf) {
      return {
        kind: 'rewind',
        view: 'days',
        payload: {
          locationId,
          serviceIds: payload.serviceIds,
          masterId,
          week: 0,
          rescheduleOf: payload.rescheduleOf,
        },
      };
    }
    return {
      kind: 'rewind',
      view: 'masters',
      payload: { locationId, serviceIds: payload.serviceIds },
      then: {
        view: 'days',
        payload: { locationId, serviceIds: payload.serviceIds, masterId, week: 0 },
      },
    };
  }
  return { kind: 'stay' };
}

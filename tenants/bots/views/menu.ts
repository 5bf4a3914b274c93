import { LANGUAGES } from '../../i18n/catalog.ts';
import type { Nav } from '../navigation.ts';
import { formatWhen } from '../../i18n/format.ts';
import { locationsOf, tenantStateOf } from './catalog-data.ts';
import type { FlowEnv, View } from './types.ts';

export const menuView: View = {
  async render(env) {
    return {
      text: env.t('menu.title', { business: env.tenantName }),
      buttons: [
        ...(env.master ? [[{ text: env.t('menu.mySchedule'), action: 'schedule' }]] : []),
        [{ text: env.t('menu.book'), action: 'book' }],
        [{ text: env.t('menu.myBookings'), action: 'mine' }],
        [{ text: env.t('menu.language'), action: 'lang' }],
      ],
    };
  },
  async act(env, _payload, action): Promise<Nav> {
    if (action === 'mine') return { kind: 'push', view: 'myBookings', payload: {} };
    if (action === 'schedule' && env.master)
      return { kind: 'push', view: 'schedule', payload: { range: 'today' } };
    if (action !== 'book') return { kind: 'stay' };
    return startBooking(env);
  },
};

/**
 * The first step of a new booking from the menu: the locations (or, with one location, its
 * services), or why not now (maintenance).
 */
export async function startBooking(env: FlowEnv): Promise<Nav> {
  // Maintenance: no new bookings, said at once and with when to come back.
  const tenant = await tenantStateOf(env);
  if (tenant?.maintenance) {
    const zone = (await locationsOf(env))[0]?.timezone ?? 'UTC';
    const text = tenant.maintenance_until
      ? env.t('errors.maintenanceUntil', {
          until: formatWhen(new Date(tenant.maintenance_until).getTime(), zone, env.lang),
        })
      : env.t('errors.maintenance');
    return {
      kind: 'push',
      view: 'result',
      payload: {
        text: tenant.maintenance_message ? `${text}\n${tenant.maintenance_message}` : text,
      },
    };
  }
  const locations = await locationsOf(env);
  // One location: no need to ask.
  if (locations.length === 1)
    return {
      kind: 'push',
      view: 'services',
      payload: { locationId: locations[0]!.id, selected: [] },
    };
  return { kind: 'push', view: 'locations', payload: {} };
}

/** `nav` (a step from the menu) as a fresh stack: the menu, then that step, so Back leads home. */
export function fromMenu(nav: Nav): Nav {
  return nav.kind === 'push'
    ? { kind: 'reset', view: 'menu', payload: {}, then: { view: nav.view, payload: nav.payload } }
    : nav;
}

export const languageView: View = {
  async render(env) {
    return {
      text: env.t('language.title'),
      buttons: LANGUAGES.map((l) => [
        { text: `${l.code === env.lang ? '✅ ' : ''}${l.name}`, action: `L:${l.code}` },
      ]),
    };
  },
  async act(env, _payload, action): Promise<Nav> {
    const code = action.startsWith('L:') ? action.slice(2) : '';
    if (!LANGUAGES.some((l) => l.code === code)) return { kind: 'stay' };
    await env.setLanguage(code);
    return { kind: 'pop' };
  },
};

export const locationsView: View = {
  async render(env) {
    const locations = await locationsOf(env);
    return {
      text: env.t('location.title'),
      buttons: locations.map((l) => [{ text: l.name, action: `loc:${l.id}` }]),
    };
  },
  async act(env, _payload, action): Promise<Nav> {
    const id = action.startsWith('loc:') ? action.slice(4) : '';
    if (!(await locationsOf(env)).some((l) => l.id === id)) return { kind: 'stay' };
    return { kind: 'push', view: 'services', payload: { locationId: id, selected: [] } };
  },
};

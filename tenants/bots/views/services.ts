import { formatDuration, formatPrice } from '../../i18n/format.ts';
import { money } from '../../money/money.ts';
import type { Nav } from '../navigation.ts';
import { locationOf, mastersOf, servicesOf } from './catalog-data.ts';
import type { View } from './types.ts';

const selectedOf = (payload: Record<string, unknown>) =>
  (payload.selected as string[] | undefined) ?? [];

/** Multi-select with a running total of duration and price. */
export const servicesView: View = {
  async render(env, payload) {
    const locationId = String(payload.locationId);
    const [services, location] = await Promise.all([
      servicesOf(env, locationId),
      locationOf(env, locationId),
    ]);
    const selected = selectedOf(payload).filter((id) => services.some((s) => s.id === id));
    const chosen = services.filter((s) => selected.includes(s.id));
    const summary = chosen.length
      ? env.t('services.selected', {
          count: chosen.length,
          duration: formatDuration(
            chosen.reduce((sum, s) => sum + s.duration_min, 0),
            env.lang,
          ),
          price: formatPrice(
            money(
              chosen.reduce((sum, s) => sum + s.price_minor, 0),
              location?.currency ?? 'EUR',
            ),
            env.lang,
          ),
        })
      : env.t('services.none');
    // Back here because a chosen service was withdrawn: say which, above the alternatives.
    const gone = payload.gone as string[] | undefined;
    const note = gone?.length
      ? `${env.t('errors.servicesGone', { services: gone.join(', ') })}\n\n`
      : '';
    return {
      text: `${note}${env.t('services.title')}\n${summary}`,
      buttons: [
        ...services.map((s) => [
          {
            text: `${selected.includes(s.id) ? '✅ ' : ''}${s.name} · ${formatDuration(s.duration_min, env.lang)} · ${formatPrice(money(s.price_minor, location?.currency ?? 'EUR'), env.lang)}`,
            action: `sv:${s.id}`,
          },
        ]),
        [{ text: env.t('services.next'), action: 'next' }],
      ],
    };
  },
  async act(env, payload, action): Promise<Nav> {
    const locationId = String(payload.locationId);
    const services = await servicesOf(env, locationId);
    // A service withdrawn since it was ticked no longer counts (the screen already hides it).
    const selected = selectedOf(payload).filter((id) => services.some((s) => s.id === id));
    if (action.startsWith('sv:')) {
      const id = action.slice(3);
      if (!services.some((s) => s.id === id)) return { kind: 'stay' };
      return {
        kind: 'replace',
        payload: {
          ...payload,
          selected: selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id],
        },
      };
    }
    if (action === 'next') {
      if (selected.length === 0) return { kind: 'stay', notice: env.t('services.pickOne') };
      // The note has been read: Back from the next screen shows the plain list (the payload is
      // this screen's stack entry).
      delete payload.gone;
      return { kind: 'push', view: 'masters', payload: { locationId, serviceIds: selected } };
    }
    return { kind: 'stay' };
  },
};

/** Masters with every needed skill, plus "any master". */
export const mastersView: View = {
  async render(env, payload) {
    const serviceIds = payload.serviceIds as string[];
    const masters = (await mastersOf(env, String(payload.locationId))).filter((m) =>
      serviceIds.every((id) => m.service_ids.includes(id)),
    );
    if (masters.length === 0) return { text: env.t('masters.none'), buttons: [] };
    return {
      text: env.t('masters.title'),
      buttons: [
        [{ text: env.t('masters.any'), action: 'm:any' }],
        ...masters.map((m) => [{ text: m.display_name, action: `m:${m.id}` }]),
      ],
    };
  },
  async act(env, payload, action): Promise<Nav> {
    if (!action.startsWith('m:')) return { kind: 'stay' };
    const id = action.slice(2);
    if (
      id !== 'any' &&
      !(await mastersOf(env, String(payload.locationId))).some((m) => m.id === id)
    )
      return { kind: 'stay' };
    return {
      kind: 'push',
      view: 'days',
      payload: { ...payload, masterId: id === 'any' ? null : id, week: 0 },
    };
  },
};

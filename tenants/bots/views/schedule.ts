import { chooseMaster } from '../../availability/choice.ts';
import { dayNumber, isoDateOf, localClock, localDayStart } from '../../availability/local-days.ts';
import { formatDay, formatTime } from '../../i18n/format.ts';
import type { Nav } from '../navigation.ts';
import { locationOf } from './catalog-data.ts';
import { fixStaleChoice, staleChoice, staleChoiceScreen } from './stale-choice.ts';
import { clientActor, rows, type FlowEnv, type View } from './types.ts';

/**
 * The local dates of week `week` (0 = starting today) that lie within the booking horizon: today's
 * local date from the clock, the rest by calendar arithmetic (no time zone needed for that).
 */
async function weekRange(env: FlowEnv, payload: Record<string, unknown>) {
  const location = await locationOf(env, String(payload.locationId));
  if (!location) return undefined;
  const week = Number(payload.week ?? 0);
  if (!Number.isSafeInteger(week)) return undefined;
  const today = dayNumber(localClock(location.timezone, env.now()).date);
  const lastWeek = Math.floor(location.policy.horizonDays / 7);
  const from = today + week * 7;
  const to = Math.min(from + 6, today + location.policy.horizonDays);
  return { location, from: isoDateOf(from), to: isoDateOf(to), week, lastWeek };
}

function search(env: FlowEnv, payload: Record<string, unknown>, fromDate: string, toDate: string) {
  return env.booking.findSlots({
    tenantId: env.tenantId,
    locationId: String(payload.locationId),
    serviceIds: payload.serviceIds as string[],
    ...(payload.masterId ? { masterId: String(payload.masterId) } : {}),
    fromDate,
    toDate,
    actor: clientActor(env),
  });
}

/** The local dates (from..to) on which at least one of the ascending `slots` starts. */
function daysWithSlots(
  from: string,
  to: string,
  zone: string,
  slots: { start: number }[],
): string[] {
  const days: string[] = [];
  let i = 0;
  // Each day runs from its first instant to the next day's: one zone lookup per day.
  let start = localDayStart(zone, from);
  for (let day = dayNumber(from); day <= dayNumber(to); day++) {
    const end = localDayStart(zone, isoDateOf(day + 1));
    while (i < slots.length && slots[i]!.start < start) i++;
    if (i < slots.length && slots[i]!.start < end) days.push(isoDateOf(day));
    start = end;
  }
  return days;
}

/** Days of a week that have at least one free start, paged by week. */
export const daysView: View = {
  async render(env, payload) {
    const range = await weekRange(env, payload);
    if (!range) return { text: env.t('errors.noAlternatives'), buttons: [] };
    const result = await search(env, payload, range.from, range.to);
    const days = daysWithSlots(range.from, range.to, range.location.timezone, result?.slots ?? []);
    // Nothing to offer may mean a choice went stale (a service withdrawn, the master gone): say so.
    const stale = days.length === 0 ? await staleChoice(env, payload) : undefined;
    if (stale) return staleChoiceScreen(env, payload, stale);
    const paging = [
      ...(range.week > 0 ? [{ text: env.t('days.prev'), action: 'w:-1' }] : []),
      ...(range.week < range.lastWeek ? [{ text: env.t('days.next'), action: 'w:+1' }] : []),
    ];
    return {
      text: days.length ? env.t('days.title') : env.t('days.none'),
      buttons: [
        ...rows(
          days.map((d) => ({ text: formatDay(d, env.lang), action: `d:${d}` })),
          3,
        ),
        ...(paging.length ? [paging] : []),
      ],
    };
  },
  async act(env, payload, action): Promise<Nav> {
    const fix = await fixStaleChoice(env, payload, action);
    if (fix) return fix;
    if (action === 'w:-1' || action === 'w:+1')
      return {
        kind: 'replace',
        payload: {
          ...payload,
          week: Math.max(0, Number(payload.week ?? 0) + (action === 'w:+1' ? 1 : -1)),
        },
      };
    if (/^d:\d{4}-\d{2}-\d{2}$/.test(action)) {
      // Only a day of the week on screen: anything else is no button this screen ever showed.
      const range = await weekRange(env, payload);
      const date = action.slice(2);
      if (!range || date < range.from || date > range.to)
        return { kind: 'stay', notice: env.t('common.outdated') };
      return { kind: 'push', view: 'times', payload: { ...payload, date } };
    }
    return { kind: 'stay' };
  },
};

const TIMES_PER_PAGE = 24;

/** Valid starts on the chosen day, paged; "any master" picks the fairest master per start. */
export const timesView: View = {
  async render(env, payload) {
    const location = await locationOf(env, String(payload.locationId));
    const date = String(payload.date);
    const result = location ? await search(env, payload, date, date) : undefined;
    const slots = result?.slots ?? [];
    const stale = slots.length === 0 ? await staleChoice(env, payload) : undefined;
    if (stale) return staleChoiceScreen(env, payload, stale);
    const pages = Math.max(1, Math.ceil(slots.length / TIMES_PER_PAGE));
    const page = Math.min(Number(payload.page ?? 0), pages - 1);
    const shown = slots.slice(page * TIMES_PER_PAGE, (page + 1) * TIMES_PER_PAGE);
    const paging = [
      ...(page > 0 ? [{ text: env.t('days.prev'), action: 'p:-1' }] : []),
      ...(page < pages - 1 ? [{ text: env.t('days.next'), action: 'p:+1' }] : []),
    ];
    return {
      text: slots.length
        ? env.t('times.title', { date: formatDay(date, env.lang) })
        : env.t('times.none'),
      buttons: [
        ...rows(
          shown.map((s) => ({
            text: formatTime(s.start, location!.timezone, env.lang),
            action: `t:${s.start / 60_000}`,
          })),
          4,
        ),
        ...(paging.length ? [paging] : []),
      ],
    };
  },
  async act(env, payload, action): Promise<Nav> {
    const fix = await fixStaleChoice(env, payload, action);
    if (fix) return fix;
    if (action === 'p:-1' || action === 'p:+1')
      return {
        kind: 'replace',
        payload: {
          ...payload,
          page: Math.max(0, Number(payload.page ?? 0) + (action === 'p:+1' ? 1 : -1)),
        },
      };
    if (!/^t:\d+$/.test(action)) return { kind: 'stay' };
    const start = Number(action.slice(2)) * 60_000;
    const date = String(payload.date);
    const result = await search(env, payload, date, date);
    const slot = result?.slots.find((s) => s.start === start);
    if (!slot || !result) return { kind: 'stay', notice: env.t('errors.outsideSchedule') };
    const masterId = payload.masterId ? String(payload.masterId) : chooseMaster(slot, date, result);
    // The visit's length with this master (their durations and speed, on the slot grid): what the
    // summary shows as its end, and what the booking will occupy.
    const minutes = result.durations[masterId];
    return {
      kind: 'push',
      view: 'summary',
      payload: {
        locationId: payload.locationId,
        serviceIds: payload.serviceIds,
        masterId,
        anyMaster: !payload.masterId,
        start,
        ...(minutes ? { minutes } : {}),
        ...(payload.rescheduleOf ? { rescheduleOf: payload.rescheduleOf } : {}),
      },
    };
  },
};

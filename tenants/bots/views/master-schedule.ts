import type { MasterBookingItem } from '../../../db/queries/bookings.ts';
import type { MessageKey } from '../../i18n/catalog.ts';
import { formatTime, formatVisit } from '../../i18n/format.ts';
import type { Nav } from '../navigation.ts';
import type { FlowEnv, View } from './types.ts';
import {
  SCHEDULE_RANGES,
  scheduleWindow,
  type ScheduleRange,
} from '../../booking/master-schedule.ts';

type Range = ScheduleRange;
const RANGES = SCHEDULE_RANGES;

const statusText = (env: FlowEnv, status: string) => env.t(`status.${status}` as MessageKey);

async function visits(env: FlowEnv, range: Range): Promise<MasterBookingItem[]> {
  const { from, to } = scheduleWindow(range, env.now(), env.master!.timezone);
  return env.reads.masterVisits(from, to);
}

/** A master's own visits for today, tomorrow or the week. */
export const scheduleView: View = {
  async render(env, payload) {
    if (!env.master) return { text: env.t('common.error'), buttons: [] };
    const range = (RANGES.includes(payload.range as Range) ? payload.range : 'today') as Range;
    const list = await visits(env, range);
    const label = env.t(`schedule.${range}`);
    return {
      text: list.length
        ? env.t('schedule.title', { range: label })
        : env.t('schedule.none', { range: label }),
      buttons: [
        RANGES.map((r) => ({
          text: `${r === range ? '• ' : ''}${env.t(`schedule.${r}`)}`,
          action: `r:${r}`,
        })),
        ...list.map((b) => [
          {
            text: `${range === 'week' ? formatVisit(b.start_at.getTime(), b.end_at.getTime(), b.timezone, env.lang) : `${formatTime(b.start_at.getTime(), b.timezone, env.lang)} – ${formatTime(b.end_at.getTime(), b.timezone, env.lang)}`} · ${b.client_name ?? '—'} · ${statusText(env, b.status)}`,
            action: `v:${b.id}`,
          },
        ]),
      ],
    };
  },
  async act(env, payload, action): Promise<Nav> {
    if (action.startsWith('r:') && RANGES.includes(action.slice(2) as Range))
      return { kind: 'replace', payload: { ...payload, range: action.slice(2) } };
    if (action.startsWith('v:'))
      return {
        kind: 'push',
        view: 'visit',
        payload: { bookingId: action.slice(2), range: payload.range ?? 'today' },
      };
    return { kind: 'stay' };
  },
};

/** One visit; after its start the master marks it completed or a no-show. */
export const visitView: View = {
  async render(env, payload) {
    if (!env.master) return { text: env.t('common.error'), buttons: [] };
    const booking = (await visits(env, 'week')).find((b) => b.id === payload.bookingId);
    if (!booking) return { text: env.t('schedule.none', { range: '' }), buttons: [] };
    const text = env.t('visit.details', {
      when: formatVisit(
        booking.start_at.getTime(),
        booking.end_at.getTime(),
        booking.timezone,
        env.lang,
      ),
      services: booking.services,
      client: booking.client_name ?? '—',
      status: statusText(env, booking.status),
    });
    const canMark = booking.status === 'confirmed';
    return {
      text: payload.notice ? `${text}\n\n${String(payload.notice)}` : text,
      buttons: canMark
        ? [
            [
              { text: env.t('visit.completed'), action: 'done' },
              { text: env.t('visit.noShow'), action: 'noshow' },
            ],
          ]
        : [],
    };
  },
  async act(env, payload, action): Promise<Nav> {
    if (!env.master || (action !== 'done' && action !== 'noshow')) return { kind: 'stay' };
    const outcome = await env.booking.markOutcome(
      env.tenantId,
      String(payload.bookingId),
      action === 'done' ? 'completed' : 'no_show',
      { kind: 'master', id: env.master.id },
    );
    if (outcome.kind === 'changed')
      return {
        kind: 'replace',
        payload: {
          ...payload,
          notice: env.t('visit.marked', { status: statusText(env, outcome.booking.status) }),
        },
      };
    if (outcome.kind === 'policy_blocked')
      return { kind: 'stay', notice: env.t('visit.notStarted') };
    return { kind: 'replace', payload };
  },
};

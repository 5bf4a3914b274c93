import type { ClientBookingItem } from '../../../db/queries/bookings.ts';
import { formatPrice, formatVisit, formatWhen, formatZone } from '../../i18n/format.ts';
import { money } from '../../money/money.ts';
import type { Nav } from '../navigation.ts';
import { calendarFile } from './calendar.ts';
import { locationsOf } from './catalog-data.ts';
import { clientActor, type FlowEnv, type View } from './types.ts';

function upcoming(env: FlowEnv): Promise<ClientBookingItem[]> {
  return env.reads.upcoming(new Date(env.now()), env.lang);
}

/**
 * One visit: when (start to end), what, with whom, the price, and where (name and address). The
 * zone is named when it is not the one of the client's usual location (their latest other
 * booking), so a New York visit does not read like a Berlin one.
 */
async function describe(env: FlowEnv, b: ClientBookingItem): Promise<string> {
  const start = b.start_at.getTime();
  const lines = [
    env.t('myBookings.details', {
      when: formatVisit(start, b.end_at.getTime(), b.timezone, env.lang),
      services: b.services,
      master: b.master_name,
      price: formatPrice(money(b.total_minor, b.currency), env.lang),
    }),
    env.t('myBookings.where', {
      location: b.location_address ? `${b.location_name}, ${b.location_address}` : b.location_name,
    }),
  ];
  const usual = await env.reads.usualZone(b.id);
  if (usual && usual !== b.timezone)
    lines.push(
      env.t('myBookings.zone', {
        location: b.location_name,
        zone: formatZone(b.timezone, env.lang, start),
      }),
    );
  return lines.join('\n');
}

/** Upcoming visits; works in maintenance too (reads are never blocked). */
export const myBookingsView: View = {
  async render(env) {
    const list = await upcoming(env);
    if (list.length === 0) return { text: env.t('myBookings.none'), buttons: [] };
    // A business with several locations: each visit says where.
    const severalLocations = (await locationsOf(env)).length > 1;
    return {
      text: env.t('myBookings.title'),
      buttons: list.map((b) => [
        {
          text: [
            formatWhen(b.start_at.getTime(), b.timezone, env.lang),
            b.services,
            ...(severalLocations ? [b.location_name] : []),
          ].join(' · '),
          action: `bk:${b.id}`,
        },
      ]),
    };
  },
  async act(env, _payload, action): Promise<Nav> {
    const id = action.startsWith('bk:') ? action.slice(3) : '';
    if (!(await upcoming(env)).some((b) => b.id === id)) return { kind: 'stay' };
    return { kind: 'push', view: 'booking', payload: { bookingId: id } };
  },
};

/** One visit, with the cancellation terms stated before the client agrees. */
export const bookingView: View = {
  async render(env, payload) {
    const booking = (await upcoming(env)).find((b) => b.id === payload.bookingId);
    if (!booking) return { text: env.t('myBookings.none'), buttons: [] };
    const lines = [await describe(env, booking)];
    const [quote, move] = await Promise.all([
      env.booking.quoteCancel(env.tenantId, booking.id, clientActor(env)),
      env.booking.quoteReschedule(env.tenantId, booking.id, clientActor(env)),
    ]);
    const buttons = [[{ text: env.t('calendar.add'), action: 'ics' }]];
    if (move?.allowed) {
      lines.push(
        '',
        move.fee.amountMinor > 0
          ? env.t('reschedule.fee', { fee: formatPrice(move.fee, env.lang) })
          : env.t('reschedule.free'),
      );
      buttons.push([{ text: env.t('myBookings.reschedule'), action: 'move' }]);
    } else if (move && move.rule !== 'not_active') {
      lines.push('', env.t('reschedule.locked', { hours: move.lockHours }));
    }
    if (quote?.allowed) {
      lines.push(
        '',
        quote.fee.amountMinor > 0
          ? env.t('cancel.fee', { fee: formatPrice(quote.fee, env.lang) })
          : env.t('cancel.free'),
      );
      buttons.push([{ text: env.t('cancel.yes'), action: 'cancel' }]);
    } else if (quote) {
      lines.push('', env.t('cancel.locked', { hours: quote.lockHours }));
    }
    return { text: lines.join('\n'), buttons };
  },
  async act(env, payload, action): Promise<Nav> {
    if (action === 'ics') {
      const file = await calendarFile(env, String(payload.bookingId));
      // Gone meanwhile (cancelled, expired): the re-render says so.
      return file ? { kind: 'stay', file } : { kind: 'replace', payload };
    }
    if (action !== 'cancel' && action !== 'move') return { kind: 'stay' };
    const booking = (await upcoming(env)).find((b) => b.id === payload.bookingId);
    if (!booking) return { kind: 'pop' };
    if (action === 'move') {
      // The same day and time screens as a new booking, carrying the booking being moved.
      return {
        kind: 'push',
        view: 'days',
        payload: {
          locationId: booking.location_id,
          serviceIds: booking.service_ids,
          masterId: booking.master_id,
          week: 0,
          rescheduleOf: booking.id,
        },
      };
    }
    const result = await env.booking.cancel(
      env.tenantId,
      booking.id,
      clientActor(env),
      'cancelled by the client in the bot',
    );
    const when = formatVisit(
      booking.start_at.getTime(),
      booking.end_at.getTime(),
      booking.timezone,
      env.lang,
    );
    if (result.kind === 'cancelled') {
      const lines = [
        result.fee.amountMinor > 0
          ? env.t('cancel.doneFee', { when, fee: formatPrice(result.fee, env.lang) })
          : env.t('cancel.done', { when }),
      ];
      const refund = await env.payments?.refundAfterCancel(env.tenantId, booking.id, result.fee);
      if (refund?.refunded)
        lines.push(env.t('cancel.refunded', { amount: formatPrice(refund.refunded, env.lang) }));
      if (refund?.manual)
        lines.push(env.t('cancel.refundManual', { amount: formatPrice(refund.manual, env.lang) }));
      return { kind: 'reset', view: 'result', payload: { text: lines.join('\n') } };
    }
    if (result.kind === 'policy_blocked') return { kind: 'replace', payload };
    return { kind: 'push', view: 'result', payload: { text: env.t('common.error') } };
  },
};

import type { Alternative } from '../../availability/choice.ts';
import type { BookResult } from '../../booking/results.ts';
import { formatPrice, formatTime, formatVisit, formatWhen } from '../../i18n/format.ts';
import { money } from '../../money/money.ts';
import { checkout } from '../../payments/checkout.ts';
import { cancellationLine } from '../../policy/policy-preview.ts';
import type { Nav } from '../navigation.ts';
import { calendarFile } from './calendar.ts';
import { fromMenu, startBooking } from './menu.ts';
import { fixStaleChoice, staleChoice, staleChoiceScreen } from './stale-choice.ts';
import { locationOf, mastersOf, servicesOf } from './catalog-data.ts';
import { clientActor, type FlowEnv, type View } from './types.ts';

async function details(env: FlowEnv, payload: Record<string, unknown>) {
  const locationId = String(payload.locationId);
  const [location, services, masters] = await Promise.all([
    locationOf(env, locationId),
    servicesOf(env, locationId),
    mastersOf(env, locationId),
  ]);
  const ids = payload.serviceIds as string[];
  const chosen = ids.map((id) => services.find((s) => s.id === id)).filter((s) => s !== undefined);
  const master = masters.find((m) => m.id === payload.masterId);
  return { location, chosen, master };
}

/**
 * When the visit is: from its start to its end when the length is known (the summary's payload
 * carries it from the times screen), else its start.
 */
function visitTime(payload: Record<string, unknown>, zone: string, lang: string): string {
  const start = Number(payload.start);
  const minutes = Number(payload.minutes);
  return Number.isInteger(minutes) && minutes > 0
    ? formatVisit(start, start + minutes * 60_000, zone, lang)
    : formatWhen(start, zone, lang);
}

/** Everything the client is about to book, the price and the cancellation rule in one line. */
export const summaryView: View = {
  async render(env, payload) {
    const { location, chosen, master } = await details(env, payload);
    if (!location) return { text: env.t('errors.serviceUnavailable'), buttons: [] };
    // A service withdrawn or the master gone since they were picked: say so, offer alternatives.
    const stale = await staleChoice(env, payload);
    if (stale) return staleChoiceScreen(env, payload, stale);
    // Picked for "any master" and that one has left meanwhile: booking picks another.
    const masterName = master?.display_name ?? env.t('masters.any');
    const total = money(
      chosen.reduce((sum, s) => sum + s.price_minor, 0),
      location.currency,
    );
    if (payload.rescheduleOf) {
      const quote = await env.booking.quoteReschedule(
        env.tenantId,
        String(payload.rescheduleOf),
        clientActor(env),
      );
      const when = visitTime(payload, location.timezone, env.lang);
      const feeLine =
        quote?.allowed && quote.fee.amountMinor > 0
          ? env.t('reschedule.fee', { fee: formatPrice(quote.fee, env.lang) })
          : env.t('reschedule.free');
      return {
        text: [
          env.t('reschedule.summary', { when }),
          env.t('summary.master', { master: masterName }),
          feeLine,
        ].join('\n'),
        buttons: [[{ text: env.t('summary.confirm'), action: 'ok' }]],
      };
    }
    const lines = [
      env.t('summary.title'),
      env.t('summary.services', { services: chosen.map((s) => s.name).join(', ') }),
      env.t('summary.master', { master: masterName }),
      env.t('summary.when', { when: visitTime(payload, location.timezone, env.lang) }),
      env.t('summary.price', { price: formatPrice(total, env.lang) }),
      // The same line the admin's location editor previews (tenants/policy/policy-preview.ts).
      cancellationLine(env.lang, location.policy, location.currency),
    ];
    return {
      text: lines.join('\n'),
      buttons: [[{ text: env.t('summary.confirm'), action: 'ok' }]],
    };
  },
  async act(env, payload, action): Promise<Nav> {
    const fix = await fixStaleChoice(env, payload, action);
    if (fix) return fix;
    if (action !== 'ok') return { kind: 'stay' };
    const { location, master } = await details(env, payload);
    if (!location) return { kind: 'stay', notice: env.t('errors.serviceUnavailable') };
    // A withdrawn service cannot be booked: the re-rendered screen says which and offers others.
    // (A gone master goes on to the booking attempt, which answers with the nearest free times.)
    const stale = await staleChoice(env, payload);
    if (stale?.kind === 'services') return { kind: 'replace', payload };
    if (payload.rescheduleOf) {
      const moved = await env.booking.reschedule(
        env.tenantId,
        String(payload.rescheduleOf),
        { start: Number(payload.start), masterId: String(payload.masterId) },
        clientActor(env),
      );
      if (moved.kind === 'rescheduled')
        return {
          kind: 'reset',
          view: 'result',
          payload: {
            text: env.t('reschedule.done', {
              when: formatVisit(
                moved.booking.start,
                moved.booking.end,
                location.timezone,
                env.lang,
              ),
            }),
          },
        };
      return outcome(
        env,
        payload,
        moved.kind === 'not_found' || moved.kind === 'conflict'
          ? { kind: 'service_unavailable', serviceIds: [], alternatives: [] }
          : moved,
        location.timezone,
        master?.display_name,
      );
    }
    const result = await env.booking.book({
      tenantId: env.tenantId,
      locationId: location.id,
      clientId: env.clientId,
      serviceIds: payload.serviceIds as string[],
      start: Number(payload.start),
      ...(payload.anyMaster ? {} : { masterId: String(payload.masterId) }),
      // The same confirmation pressed twice (or delivered twice) is one booking.
      idempotencyKey: `tg:${env.botId}:${env.telegramUserId}:${env.seq}`,
      actor: clientActor(env),
    });
    return outcome(env, payload, result, location.timezone, master?.display_name);
  },
};

async function outcome(
  env: FlowEnv,
  payload: Record<string, unknown>,
  result: BookResult,
  zone: string,
  masterName?: string,
): Promise<Nav> {
  const base = {
    locationId: payload.locationId,
    serviceIds: payload.serviceIds,
    anyMaster: payload.anyMaster,
    ...(payload.rescheduleOf ? { rescheduleOf: payload.rescheduleOf } : {}),
  };
  const withAlternatives = (text: string, alternatives: Alternative[]): Nav => ({
    kind: 'push',
    view: 'result',
    payload: {
      text: alternatives.length ? text : `${text}\n${env.t('errors.noAlternatives')}`,
      alternatives,
      base,
    },
  });
  switch (result.kind) {
    case 'booked': {
      const booking = result.booking;
      const masters = await mastersOf(env, booking.locationId);
      const name = masters.find((m) => m.id === booking.masterId)?.display_name ?? masterName ?? '';
      const when = formatVisit(booking.start, booking.end, zone, env.lang);
      // The invoice names the services: read only when a payment is asked for.
      const services = result.payment.required
        ? (await servicesOf(env, booking.locationId))
            .filter((s) => (payload.serviceIds as string[]).includes(s.id))
            .map((s) => s.name)
        : [];
      const holdMinutes = booking.holdExpiresAt
        ? Math.max(1, Math.round((booking.holdExpiresAt - env.now()) / 60_000))
        : 0;
      // What the hold needs next (confirm, pay at the venue, an invoice) is the services' call.
      const settled = await checkout(
        { booking: env.booking, ...(env.payments ? { payments: env.payments } : {}) },
        {
          tenantId: env.tenantId,
          booked: result,
          chatId: env.telegramUserId,
          actor: clientActor(env),
          text: (purpose) => ({
            title: env.t(
              purpose === 'deposit' ? 'payment.titleDeposit' : 'payment.titlePrepayment',
            ),
            label: env.t(
              purpose === 'deposit' ? 'payment.labelDeposit' : 'payment.labelPrepayment',
            ),
            description: env.t('payment.description', {
              services: services.join(', '),
              master: name,
              when,
              minutes: holdMinutes,
            }),
          }),
        },
      );
      switch (settled.kind) {
        case 'confirmed':
          return {
            kind: 'reset',
            view: 'result',
            payload: { text: env.t('booked.done', { when, master: name }), bookingId: booking.id },
          };
        case 'at_venue':
          return {
            kind: 'reset',
            view: 'result',
            payload: {
              text: env.t('booked.atVenue', {
                when,
                master: name,
                amount: formatPrice(settled.due, env.lang),
              }),
              bookingId: booking.id,
            },
          };
        case 'invoice_sent': {
          const { plan } = settled;
          const amount = formatPrice(plan.amount, env.lang);
          const text =
            plan.purpose === 'deposit' && plan.dueAtVenue.amountMinor > 0
              ? env.t('booked.deposit', {
                  when,
                  master: name,
                  amount,
                  rest: formatPrice(plan.dueAtVenue, env.lang),
                })
              : env.t('booked.prepayment', { when, master: name, amount });
          return { kind: 'reset', view: 'result', payload: { text } };
        }
        default:
          return { kind: 'push', view: 'result', payload: { text: env.t('common.error') } };
      }
    }
    case 'slot_taken':
      return withAlternatives(env.t('errors.slotTaken'), result.alternatives);
    case 'master_unavailable': {
      const nav = withAlternatives(env.t('errors.masterUnavailable'), result.alternatives);
      // Besides the nearest times with colleagues: any master, on the days screen.
      return nav.kind === 'push'
        ? { ...nav, payload: { ...nav.payload, offerAnyMaster: true } }
        : nav;
    }
    case 'policy_blocked': {
      const location = await locationOf(env, String(payload.locationId));
      const policy = location?.policy;
      const text =
        result.rule === 'lead_time'
          ? env.t('errors.leadTime', { minutes: policy?.leadTimeMinutes ?? 0 })
          : result.rule === 'horizon'
            ? env.t('errors.horizon', { days: policy?.horizonDays ?? 0 })
            : result.rule === 'same_day_cutoff'
              ? env.t('errors.sameDayCutoff')
              : env.t('errors.outsideSchedule');
      return withAlternatives(text, result.alternatives ?? []);
    }
    case 'service_unavailable':
    case 'location_unavailable':
      return {
        kind: 'push',
        view: 'result',
        payload: { text: env.t('errors.serviceUnavailable') },
      };
    case 'tenant_unavailable':
      return {
        kind: 'push',
        view: 'result',
        payload: {
          // Maintenance says why, as the menu does: the reason the platform admin gave.
          text:
            result.reason === 'suspended'
              ? env.t('common.suspended')
              : [
                  result.until
                    ? env.t('errors.maintenanceUntil', {
                        until: formatWhen(Date.parse(result.until), zone, env.lang),
                      })
                    : env.t('errors.maintenance'),
                  result.message,
                ]
                  .filter(Boolean)
                  .join('\n'),
        },
      };
    default:
      return { kind: 'push', view: 'result', payload: { text: env.t('common.error') } };
  }
}

/** The outcome of a confirmation: a message, and the nearest alternatives as buttons. */
export const resultView: View = {
  async render(env, payload) {
    const alternatives = (payload.alternatives as Alternative[] | undefined) ?? [];
    const base = payload.base as Record<string, unknown> | undefined;
    const location = base ? await locationOf(env, String(base.locationId)) : undefined;
    const masters = base ? await mastersOf(env, String(base.locationId)) : [];
    return {
      text: String(payload.text ?? ''),
      buttons: [
        ...alternatives.map((a) => [
          {
            text: `${location ? formatWhen(a.start, location.timezone, env.lang) : formatTime(a.start, 'UTC', env.lang)} · ${masters.find((m) => m.id === a.masterId)?.display_name ?? ''}`,
            action: `alt:${a.start / 60_000}:${alternatives.indexOf(a)}`,
          },
        ]),
        ...(payload.offerAnyMaster && base
          ? [[{ text: env.t('masters.any'), action: 'anyMaster' }]]
          : []),
        // Booked: the visit can go straight into the client's calendar.
        ...(payload.bookingId ? [[{ text: env.t('calendar.add'), action: 'ics' }]] : []),
        [{ text: env.t('menu.book'), action: 'again' }],
      ],
    };
  },
  async act(env, payload, action): Promise<Nav> {
    // "Book a visit": straight to the first booking screen, with the menu under it for Back.
    if (action === 'again') return fromMenu(await startBooking(env));
    if (action === 'anyMaster' && payload.offerAnyMaster && payload.base) {
      const base = payload.base as Record<string, unknown>;
      const days = {
        locationId: base.locationId,
        serviceIds: base.serviceIds,
        masterId: null,
        week: 0,
        ...(base.rescheduleOf ? { rescheduleOf: base.rescheduleOf } : {}),
      };
      if (base.rescheduleOf) return { kind: 'rewind', view: 'days', payload: days };
      return {
        kind: 'rewind',
        view: 'masters',
        payload: { locationId: base.locationId, serviceIds: base.serviceIds },
        then: { view: 'days', payload: days },
      };
    }
    if (action === 'ics' && payload.bookingId) {
      const file = await calendarFile(env, String(payload.bookingId));
      return file ? { kind: 'stay', file } : { kind: 'stay', notice: env.t('myBookings.none') };
    }
    const m = /^alt:(\d+):(\d+)$/.exec(action);
    const alternatives = (payload.alternatives as Alternative[] | undefined) ?? [];
    const chosen = m ? alternatives[Number(m[2])] : undefined;
    if (!chosen || chosen.start !== Number(m![1]) * 60_000) return { kind: 'stay' };
    const base = payload.base as Record<string, unknown>;
    return {
      kind: 'push',
      view: 'summary',
      payload: { ...base, masterId: chosen.masterId, anyMaster: false, start: chosen.start },
    };
  },
};

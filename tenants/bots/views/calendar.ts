import { DateTime } from 'luxon';
import { icsBytes } from '../../calendar/ics.ts';
import type { MessageKey } from '../../i18n/catalog.ts';
import { formatPrice, formatVisit } from '../../i18n/format.ts';
import { money } from '../../money/money.ts';
import type { OutgoingFile } from '../navigation.ts';
import { isBlocking } from '../../booking/state-machine.ts';
import type { FlowEnv } from './types.ts';

/** Minutes before the visit at which the calendar app reminds the client. */
const ALARM_MINUTES = 60;

/**
 * The calendar file (.ics) of one of the client's active visits, in their language: the visit in
 * UTC (calendar apps show it in the device's zone), the local time, master and price in the notes.
 * Undefined when the booking is not theirs or no longer active.
 */
export async function calendarFile(
  env: FlowEnv,
  bookingId: string,
): Promise<OutgoingFile | undefined> {
  const booking = await env.reads.calendarBooking(bookingId, env.lang);
  if (!booking || !isBlocking(booking.status)) return undefined;
  const start = booking.start_at.getTime();
  const when = formatVisit(start, booking.end_at.getTime(), booking.timezone, env.lang);
  const description = [
    env.t('summary.when', { when }),
    env.t('summary.master', { master: booking.master_name }),
    env.t('summary.price', {
      price: formatPrice(money(booking.total_minor, booking.currency), env.lang),
    }),
    ...(booking.status === 'confirmed'
      ? []
      : [env.t('calendar.status', { status: env.t(`status.${booking.status}` as MessageKey) })]),
  ].join('\n');
  const summary = env.t('calendar.summary', {
    services: booking.services,
    business: env.tenantName,
  });
  const bytes = icsBytes({
    // The booking id is unique on its own; the tenant part says whose calendar entry it is.
    uid: `${booking.id}@${env.tenantId}.slotbot`,
    stamp: env.now(),
    start,
    end: booking.end_at.getTime(),
    summary,
    location: booking.location_address
      ? `${booking.location_name}, ${booking.location_address}`
      : booking.location_name,
    description,
    status: booking.status === 'confirmed' ? 'CONFIRMED' : 'TENTATIVE',
    alarmMinutesBefore: ALARM_MINUTES,
    alarmText: summary,
  });
  const date = DateTime.fromMillis(start, { zone: booking.timezone }).toISODate();
  return { name: `booking-${date}.ics`, bytes, caption: env.t('calendar.caption', { when }) };
}

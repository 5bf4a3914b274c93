import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import type { BookingService } from '../../tenants/booking/booking-service.ts';
import type { BookingView } from '../../tenants/booking/results.ts';
import { ZONE } from './booking-world.ts';

/** Helpers for the job tests: staff to notify, bookings made and moved as time would have moved them. */

export interface StaffMember {
  role: 'owner' | 'manager' | 'master';
  telegramUserId: number;
  language: string;
  active?: boolean;
}

/** Adds staff users (owners, managers, masters) with their Telegram ids; returns their ids. */
export async function addStaff(
  db: Database,
  tenantId: string,
  staff: readonly StaffMember[],
): Promise<string[]> {
  return asPlatform(db, async (tx) => {
    const ids: string[] = [];
    for (const s of staff) {
      const [row] = await tx.query<{ id: string }>(
        `insert into staff_users (tenant_id, role, email, display_name, telegram_user_id, language, active)
         values ($1, $2, $3, $4, $5, $6, $7) returning id`,
        [
          tenantId,
          s.role,
          `${s.role}${s.telegramUserId}@staff.test`,
          `${s.role} ${s.telegramUserId}`,
          s.telegramUserId,
          s.language,
          s.active ?? true,
        ],
      );
      ids.push(row!.id);
    }
    return ids;
  });
}

/** Books (as the client) and confirms; throws when either is refused, since the test needs the booking. */
export async function bookConfirmed(
  booking: BookingService,
  req: {
    tenantId: string;
    locationId: string;
    clientId: string;
    serviceIds: readonly string[];
    start: number;
    masterId: string;
  },
): Promise<BookingView> {
  const actor = { kind: 'client' as const, id: 'tg:1', clientId: req.clientId };
  const booked = await booking.book({ ...req, actor });
  if (booked.kind !== 'booked')
    throw new Error(`setup: booking refused: ${JSON.stringify(booked)}`);
  const confirmed = await booking.confirm(req.tenantId, booked.booking.id, actor);
  if (confirmed.kind !== 'changed')
    throw new Error(`setup: confirm refused: ${JSON.stringify(confirmed)}`);
  return confirmed.booking;
}

/**
 * Moves a booking's visit (and its span) to start at `start`, keeping its length: as if the time
 * had come. The database decides "has the visit started" with its own clock, so a visit whose
 * outcome a test marks must really lie in the past.
 */
export async function moveVisit(db: Database, bookingId: string, start: number): Promise<void> {
  await asPlatform(db, (tx) =>
    tx.query(
      `update bookings set start_at = $2, end_at = $2::timestamptz + (end_at - start_at),
              span = tstzrange($2::timestamptz - (start_at - lower(span)), $2::timestamptz + (upper(span) - start_at))
       where id = $1`,
      [bookingId, new Date(start).toISOString()],
    ),
  );
}

/** How the app shows a visit's local time (weekday, day, month, hour, minute), built with Intl directly. */
export function localWhen(epochMs: number, lang: string, zone = ZONE): string {
  return new Intl.DateTimeFormat(lang, {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
  }).format(epochMs);
}

import { DateTime } from 'luxon';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import type { BookSlotParams } from '../../db/queries/bookings.ts';
import {
  DEFAULT_LOCATION_POLICY,
  type LocationPolicy,
} from '../../tenants/policy/location-policy.ts';
import { createBookingService } from '../../tenants/booking/booking-service.ts';
import { createLogger } from '../../tenants/observability/logger.ts';

export const ZONE = 'Europe/Berlin';

export interface BookingWorld {
  tenantId: string;
  locationId: string;
  masterIds: string[];
  /** Services by name: cut 30, colour 60, style 45, long 90 (minutes). */
  services: Record<'cut' | 'colour' | 'style' | 'long', string>;
  clientIds: string[];
}

/** A policy where every future grid time is bookable, so tests do not depend on the hour they run. */
export const OPEN_POLICY: LocationPolicy = {
  ...DEFAULT_LOCATION_POLICY,
  leadTimeMinutes: 0,
  horizonDays: 60,
  slotStepMinutes: 15,
  sameDayCutoff: null,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 10,
  holdMinutes: 15,
  cancellation: { freeUntilHours: 24, lockHours: 2, fee: { kind: 'percent', percent: 50 } },
  reschedule: { freeUntilHours: 12, lockHours: 2, fee: null },
  deposit: { mode: 'no_show_flagged', percent: 30, noShowThreshold: 2 },
};

/** A tenant whose masters work around the clock every day, with every skill. */
export async function createBookingWorld(
  db: Database,
  opts: { masters?: number; clients?: number; policy?: LocationPolicy } = {},
): Promise<BookingWorld> {
  return asPlatform(db, async (tx) => {
    const one = async (text: string, params: unknown[]) =>
      (await tx.query<{ id: string }>(text, params))[0]!.id;
    const slug = `bw-${Math.random().toString(36).slice(2, 10)}`;
    const tenantId = await one('insert into tenants (slug, name) values ($1, $1) returning id', [
      slug,
    ]);
    const locationId = await one(
      "insert into locations (tenant_id, name, timezone, currency, policy) values ($1, 'Studio', $2, 'EUR', $3::jsonb) returning id",
      [tenantId, ZONE, JSON.stringify(opts.policy ?? OPEN_POLICY)],
    );
    const services = {} as BookingWorld['services'];
    for (const [name, minutes, price] of [
      ['cut', 30, 3000],
      ['colour', 60, 6000],
      ['style', 45, 4500],
      ['long', 90, 9000],
    ] as const) {
      services[name] = await one(
        'insert into services (tenant_id, location_id, name, duration_min, price_minor) values ($1, $2, $3, $4, $5) returning id',
        [tenantId, locationId, name, minutes, price],
      );
    }
    const masterIds: string[] = [];
    for (let i = 0; i < (opts.masters ?? 3); i++) {
      const id = await one(
        'insert into masters (tenant_id, location_id, display_name, sort_order) values ($1, $2, $3, $4) returning id',
        [tenantId, locationId, `Master ${i + 1}`, i],
      );
      masterIds.push(id);
      for (const serviceId of Object.values(services)) {
        await tx.query(
          'insert into master_skills (tenant_id, location_id, master_id, service_id) values ($1, $2, $3, $4)',
          [tenantId, locationId, id, serviceId],
        );
      }
      for (let weekday = 1; weekday <= 7; weekday++) {
        await tx.query(
          "insert into working_hours (tenant_id, master_id, weekday, start_local, end_local) values ($1, $2, $3, '00:00', '24:00')",
          [tenantId, id, weekday],
        );
      }
    }
    const clientIds: string[] = [];
    for (let i = 0; i < (opts.clients ?? 5); i++) {
      clientIds.push(
        await one(
          'insert into clients (tenant_id, telegram_user_id, first_name) values ($1, $2, $3) returning id',
          [tenantId, 100_000 + i, `Client ${i}`],
        ),
      );
    }
    return { tenantId, locationId, masterIds, services, clientIds };
  });
}

/** The bot's label of the day `days` ahead (Europe/Berlin), as the days screen shows it. */
export function dayLabel(days: number, locale = 'en'): string {
  return DateTime.now()
    .setZone(ZONE)
    .startOf('day')
    .plus({ days })
    .setLocale(locale)
    .toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' });
}

/** A grid start `days` ahead at local `hh:mm` (Europe/Berlin). */
/** A client's request for a cut in the world's location: `over` names the master, start and the rest. */
export function slotRequest(
  w: BookingWorld,
  actorId: string,
  over: Partial<BookSlotParams> & { masterId: string; start: Date },
): BookSlotParams {
  return {
    tenantId: w.tenantId,
    locationId: w.locationId,
    clientId: w.clientIds[0]!,
    serviceIds: [w.services.cut],
    actorKind: 'client',
    actorId,
    ...over,
  };
}

export function localStart(days: number, hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return DateTime.now()
    .setZone(ZONE)
    .startOf('day')
    .plus({ days })
    .set({ hour: h, minute: m })
    .toMillis();
}

export const silentLogger = createLogger({ level: 'silent', writer: () => {} });

export function bookingService(db: Database, now: () => number = Date.now) {
  return createBookingService({ db, now, logger: silentLogger });
}

/**
 * A visit of the Telegram user's client (who sent /start already, so the client exists) booked
 * straight through the booking service, as their own Confirm would, and confirmed if asked: for
 * tests that start from a booked client.
 */
export async function bookVisitFor(
  db: Database,
  world: Pick<BookingWorld, 'tenantId' | 'locationId' | 'services' | 'masterIds'>,
  telegramUserId: number,
  visit: {
    start: number;
    service?: keyof BookingWorld['services'];
    master?: number;
    confirm?: boolean;
  },
): Promise<{ bookingId: string; clientId: string }> {
  const [client] = await asPlatform(db, (tx) =>
    tx.query<{ id: string }>(
      'select id from clients where tenant_id = $1 and telegram_user_id = $2',
      [world.tenantId, telegramUserId],
    ),
  );
  if (!client) throw new Error(`no client for Telegram user ${telegramUserId}: send /start first`);
  const actor = { kind: 'client' as const, clientId: client.id };
  const service = bookingService(db);
  const booked = await service.book({
    tenantId: world.tenantId,
    locationId: world.locationId,
    clientId: client.id,
    serviceIds: [world.services[visit.service ?? 'cut']],
    start: visit.start,
    masterId: world.masterIds[visit.master ?? 0],
    actor,
  });
  if (booked.kind !== 'booked') throw new Error(booked.kind);
  if (visit.confirm) await service.confirm(world.tenantId, booked.booking.id, actor);
  return { bookingId: booked.booking.id, clientId: client.id };
}

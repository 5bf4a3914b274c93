import type { BookingSnapshot } from '../../db/queries/booking-snapshot.ts';
import { ZoneCalendar } from '../availability/calendar.ts';
import type { MasterSchedule } from '../availability/types.ts';
import { parseLocationPolicy, type LocationPolicy } from '../policy/location-policy.ts';
import { BookingError } from './results.ts';
import { mastersFromSnapshot } from './schedule-mapping.ts';

/**
 * What the booking service keeps between requests, and nothing else: the zones' local calendars,
 * each location's catalog per chosen master (policy, services, the master's schedule; no
 * bookings), and the parsed forms of both. The catalog carries the `catalog_version` it was read
 * at, and `book_slot` refuses a booking checked against an older one (catalog_changed), so the
 * cache saves a read but never lets a stale schedule through.
 */
export function createBookingCaches(limits = { zones: 200, catalogs: 1000 }) {
  const calendars = new Map<string, ZoneCalendar>();
  const catalogs = new Map<string, { tenantId: string; snapshot: BookingSnapshot }>();
  const catalogKey = (locationId: string, masterId: string) => `${locationId}:${masterId}`;
  // Parsed forms of a snapshot's parts, so a cached catalog is parsed once, not per booking.
  const parsedPolicies = new WeakMap<object, LocationPolicy>();
  const mappedMasters = new WeakMap<object, MasterSchedule[]>();

  return {
    /** The local-day calendar of a zone (DST transitions worked out once). */
    calendarFor(zone: string): ZoneCalendar {
      let c = calendars.get(zone);
      if (!c) {
        if (calendars.size > limits.zones) calendars.clear();
        c = new ZoneCalendar(zone);
        calendars.set(zone, c);
      }
      return c;
    },

    /** The location's policy, parsed; a stored policy that does not parse is a BookingError. */
    policyOf(snapshot: BookingSnapshot): LocationPolicy {
      const location = snapshot.location!;
      let policy = parsedPolicies.get(location);
      if (!policy) {
        policy = parsePolicy(location.id, location.policy);
        parsedPolicies.set(location, policy);
      }
      return policy;
    },

    /** The snapshot's active masters as the availability engine takes them. */
    mastersOf(snapshot: BookingSnapshot): MasterSchedule[] {
      let masters = mappedMasters.get(snapshot.masters);
      if (!masters) {
        masters = mastersFromSnapshot(snapshot);
        mappedMasters.set(snapshot.masters, masters);
      }
      return masters;
    },

    /** The catalog read last for this location and master, if this tenant's. */
    catalog(tenantId: string, locationId: string, masterId: string): BookingSnapshot | undefined {
      const entry = catalogs.get(catalogKey(locationId, masterId));
      return entry?.tenantId === tenantId ? entry.snapshot : undefined;
    },

    /** Keeps a snapshot's catalog (its bookings and replay left out) for the next request. */
    remember(tenantId: string, masterId: string, snapshot: BookingSnapshot): void {
      if (!snapshot.location) return;
      if (catalogs.size >= limits.catalogs) catalogs.delete(catalogs.keys().next().value!);
      catalogs.set(catalogKey(snapshot.location.id, masterId), {
        tenantId,
        snapshot: {
          ...snapshot,
          replay_id: null,
          replay_master_id: null,
          masters: snapshot.masters.map((m) => ({ ...m, busy: [] })),
        },
      });
    },

    /** Drops a catalog the database called outdated. */
    forget(locationId: string, masterId: string): void {
      catalogs.delete(catalogKey(locationId, masterId));
    },
  };
}

export type BookingCaches = ReturnType<typeof createBookingCaches>;

/** A location's stored policy, parsed; one that does not parse is a BookingError naming the location. */
export function parsePolicy(locationId: string, raw: unknown): LocationPolicy {
  const parsed = parseLocationPolicy(raw);
  if (!parsed.ok)
    throw new BookingError(
      `location ${locationId} has an invalid policy: ${parsed.problems.join('; ')}`,
    );
  return parsed.policy;
}

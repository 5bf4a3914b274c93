import type { Database, Transaction } from './port.ts';
import { asPlatform, asTenant, PIPELINED, type TenantScope } from './scope.ts';
import { lastZoneOfClient, listForMaster, listUpcomingForClient } from './queries/bookings.ts';
import { calendarBookingForClient } from './queries/calendar.ts';
import { listLocations, listMasters, listServices, tenantState } from './queries/catalog.ts';
import { catalogNames } from './queries/catalog-names.ts';
import { loadBookingNotice } from './queries/notices.ts';

/** Who a chat's reads are for: the tenant, the Telegram user, their client record, and whether they are a master. */
export interface ChatParty {
  tenantId: string;
  telegramUserId: number;
  clientId: string;
  masterId?: string;
}

/**
 * What a bot chat's screens read, each its own unit of work as the chat's person (the client, or
 * the master for their own schedule; row-level security applies). The views get these readers
 * instead of the database and open no units of work themselves.
 */
export function createChatReads(db: Database, party: ChatParty) {
  const client: TenantScope = {
    tenantId: party.tenantId,
    subject: `tg:${party.telegramUserId}`,
    appRole: 'client',
  };
  const asClient = <T>(read: (tx: Transaction) => Promise<T>) => asTenant(db, client, read);
  // One statement each, read on the update path: BEGIN, scope, the read and COMMIT in one round trip.
  const oneRead = <T>(read: (tx: Transaction) => Promise<T>) =>
    asTenant(db, client, read, PIPELINED);
  return {
    tenantState: () => oneRead((tx) => tenantState(tx, party.tenantId)),
    locations: (lang: string) => oneRead((tx) => listLocations(tx, party.tenantId, lang)),
    services: (locationId: string, lang: string) =>
      oneRead((tx) => listServices(tx, locationId, lang)),
    masters: (locationId: string, lang: string) =>
      oneRead((tx) => listMasters(tx, locationId, lang)),
    /** Names of services and masters by id, withdrawn ones included. */
    names: (ids: Parameters<typeof catalogNames>[1], lang: string) =>
      asClient((tx) => catalogNames(tx, ids, lang)),
    /** The client's upcoming active visits. */
    upcoming: (now: Date, lang: string) =>
      asClient((tx) => listUpcomingForClient(tx, party.clientId, now, lang)),
    /** The zone of the client's usual location (their latest booking other than `bookingId`). */
    usualZone: (bookingId: string) =>
      asClient((tx) => lastZoneOfClient(tx, party.clientId, bookingId)),
    /** One of the client's visits as a calendar entry needs it. */
    calendarBooking: (bookingId: string, lang: string) =>
      asClient((tx) => calendarBookingForClient(tx, bookingId, party.clientId, lang)),
    /** The chat's master's own visits in [from, to); none for a chat that is no master. */
    masterVisits: async (from: Date, to: Date) =>
      party.masterId
        ? asTenant(
            db,
            { tenantId: party.tenantId, subject: `master:${party.masterId}`, appRole: 'master' },
            (tx) => listForMaster(tx, party.masterId!, from, to),
          )
        : [],
    bookingNotice: (bookingId: string) => bookingNoticeOf(db, bookingId),
  };
}

export type ChatReads = ReturnType<typeof createChatReads>;

/** What a payment notice says of its booking (when, with whom, where); read as the platform. */
export function bookingNoticeOf(db: Database, bookingId: string) {
  return asPlatform(db, (tx) => loadBookingNotice(tx, bookingId));
}

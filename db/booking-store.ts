import type { Database } from './port.ts';
import { createBookingWriter, type BookingWriterOptions } from './booking-writer.ts';
import { asPlatform, asTenant, tenantClaims, type TenantScope } from './scope.ts';
import {
  loadBookingSnapshot,
  type BookingSnapshot,
  type SnapshotParams,
} from './queries/booking-snapshot.ts';
import {
  bookedServiceIds,
  bookingMaster,
  bookSlotScoped,
  clientNoShows,
  expireHolds,
  getBooking,
  locationPolicyRow,
  rescheduleBooking,
  setBookingStatus,
  type BookingRow,
  type BookSlotParams,
  type HeldRow,
} from './queries/bookings.ts';
import { confirmLatePayment } from './queries/payments.ts';

/** A held booking as written (or handed back for a repeated idempotency key). */
export type HeldBooking = HeldRow;

/**
 * The booking service's port to the database: every read and write it makes, each its own unit of
 * work as the tenant (row-level security) or, for the cross-tenant sweep, as the platform. The
 * service opens no transactions and writes no SQL itself. Refusals are raised as the database
 * raised them (decoded by db/booking-errors.ts).
 */
export interface BookingStore {
  /** What a request is checked against: the location around a time (db/queries/booking-snapshot.ts). */
  snapshot(scope: TenantScope, params: SnapshotParams): Promise<BookingSnapshot>;
  /** Holds a slot through `book_slot`: one statement in its own transaction. */
  hold(scope: TenantScope, params: BookSlotParams): Promise<HeldBooking>;
  /**
   * Holds a slot by group commit (db/booking-writer.ts): the tenant's requests that queue while
   * earlier ones are being written go together in one `book_slots` statement, scoped to the
   * tenant only (each request carries its actor). Same outcome and refusals as `hold`; not for a
   * staff override, which needs the actor's claims.
   */
  holdGrouped(params: BookSlotParams): Promise<HeldBooking>;
  /** The master an idempotency key's earlier booking went to. */
  replayedMaster(scope: TenantScope, bookingId: string): Promise<string | undefined>;
  booking(scope: TenantScope, bookingId: string): Promise<BookingRow | undefined>;
  /** A booking with its location's policy (unparsed) and zone, read together. */
  bookingWithLocation(
    scope: TenantScope,
    bookingId: string,
  ): Promise<{ row: BookingRow; policy: unknown; timezone: string } | undefined>;
  bookedServiceIds(scope: TenantScope, bookingId: string): Promise<string[]>;
  clientNoShows(scope: TenantScope, clientId: string): Promise<number>;
  setStatus(
    scope: TenantScope,
    change: Parameters<typeof setBookingStatus>[1],
  ): Promise<BookingRow | undefined>;
  reschedule(
    scope: TenantScope,
    params: Parameters<typeof rescheduleBooking>[1],
  ): Promise<BookingRow>;
  /** `confirm_late_payment`'s outcome: confirmed, taken, a refusal's SQLSTATE, or the status found. */
  confirmLatePayment(scope: TenantScope, bookingId: string): Promise<string>;
  /** Releases every hold past its expiry, across tenants. */
  expireHolds(now: Date): Promise<string[]>;
}

export function createBookingStore(
  db: Database,
  options: { writer?: BookingWriterOptions } = {},
): BookingStore {
  const writer = createBookingWriter(db, options.writer);
  return {
    snapshot: (scope, params) => asTenant(db, scope, (tx) => loadBookingSnapshot(tx, params)),
    hold: (scope, params) => bookSlotScoped(db, tenantClaims(scope), params),
    holdGrouped: (params) => writer.hold(params),
    replayedMaster: (scope, id) => asTenant(db, scope, (tx) => bookingMaster(tx, id)),
    booking: (scope, id) => asTenant(db, scope, (tx) => getBooking(tx, id)),
    bookingWithLocation: (scope, id) =>
      asTenant(db, scope, async (tx) => {
        const row = await getBooking(tx, id);
        if (!row) return undefined;
        const location = await locationPolicyRow(tx, row.location_id);
        return { row, policy: location!.policy, timezone: location!.timezone };
      }),
    bookedServiceIds: (scope, id) => asTenant(db, scope, (tx) => bookedServiceIds(tx, id)),
    clientNoShows: (scope, id) => asTenant(db, scope, (tx) => clientNoShows(tx, id)),
    setStatus: (scope, change) => asTenant(db, scope, (tx) => setBookingStatus(tx, change)),
    reschedule: (scope, params) => asTenant(db, scope, (tx) => rescheduleBooking(tx, params)),
    confirmLatePayment: (scope, id) =>
      asTenant(db, scope, (tx) => confirmLatePayment(tx, scope.tenantId, id)),
    expireHolds: (now) => asPlatform(db, (tx) => expireHolds(tx, now)),
  };
}

import { pgErrorInfo } from './port.ts';

/**
 * The refusals of the booking functions (supabase/migrations/20261126000300_clients_and_bookings.sql:
 * app.check_booking, app.insert_booking, the state-machine trigger), decoded once from their
 * SQLSTATE and detail into typed reasons. Nothing else reads the codes.
 */
export type BookingRefusalReason =
  /** SB001: suspended, or not open yet (signed up, waiting for approval). */
  | { reason: 'tenant_closed' }
  /** SB002. */
  | { reason: 'maintenance'; until: string | null; message: string | null }
  /** SB003: unknown or closed location. */
  | { reason: 'location_unavailable' }
  /** SB004: unknown or inactive master. */
  | { reason: 'master_unavailable' }
  /** SB005: the services that are unknown, inactive or of another location. */
  | { reason: 'service_unavailable'; serviceIds: string[] }
  /** SB006. */
  | { reason: 'skill_missing' }
  /** SB007, or the exclusion constraint itself (23P01): another booking has the time. */
  | { reason: 'slot_taken' }
  /** SB008. */
  | { reason: 'lead_time' }
  | { reason: 'horizon' }
  /** SB015: the local clock has passed the location's same-day cutoff. */
  | { reason: 'same_day_cutoff' }
  /** SB016: not a whole minute on the slot grid counted from local midnight. */
  | { reason: 'off_grid' }
  /** SB012: the visit does not lie inside the master's working hours of that local day. */
  | { reason: 'outside_hours' }
  /** SB013. */
  | { reason: 'in_break' }
  /** SB014: whole days off, or an exact range of time off. */
  | { reason: 'time_off' }
  /** SB017: an override of the schedule asked for by someone who is not staff. */
  | { reason: 'override_not_allowed' }
  /** SB009. */
  | { reason: 'idempotency_key_reused' }
  /** SB010. */
  | { reason: 'booking_not_found' }
  /** SB011: the catalog version the request was checked against is outdated. */
  | { reason: 'catalog_changed'; version: number | null }
  /** SB020, SB021: not an edge of the state machine (someone changed the booking meanwhile). */
  | { reason: 'invalid_transition' }
  /** SB022. */
  | { reason: 'not_started' };

export type BookingRefusalKind = BookingRefusalReason['reason'];

/** The reasons that are about the time asked for: the master's schedule or the booking window. */
export const SCHEDULE_REASONS: ReadonlySet<BookingRefusalKind> = new Set([
  'outside_hours',
  'in_break',
  'time_off',
  'off_grid',
  'same_day_cutoff',
]);

function json(detail: string | undefined): unknown {
  if (!detail) return undefined;
  try {
    return JSON.parse(detail) as unknown;
  } catch {
    return undefined;
  }
}

/** A SQLSTATE (and its detail) as a reason; undefined for a code that is not a booking refusal. */
export function bookingRefusalOf(code: string, detail?: string): BookingRefusalReason | undefined {
  switch (code) {
    case 'SB001':
      return { reason: 'tenant_closed' };
    case 'SB002': {
      const d = (json(detail) ?? {}) as { until?: string | null; message?: string | null };
      return { reason: 'maintenance', until: d.until ?? null, message: d.message ?? null };
    }
    case 'SB003':
      return { reason: 'location_unavailable' };
    case 'SB004':
      return { reason: 'master_unavailable' };
    case 'SB005': {
      const ids = json(detail);
      return {
        reason: 'service_unavailable',
        serviceIds: Array.isArray(ids) ? ids.map(String) : [],
      };
    }
    case 'SB006':
      return { reason: 'skill_missing' };
    case 'SB007':
    case '23P01':
      return { reason: 'slot_taken' };
    case 'SB008':
      return {
        reason:
          (json(detail) as { rule?: string } | undefined)?.rule === 'horizon'
            ? 'horizon'
            : 'lead_time',
      };
    case 'SB009':
      return { reason: 'idempotency_key_reused' };
    case 'SB010':
      return { reason: 'booking_not_found' };
    case 'SB011': {
      const version = detail ? Number(detail) : NaN;
      return { reason: 'catalog_changed', version: Number.isFinite(version) ? version : null };
    }
    case 'SB012':
      return { reason: 'outside_hours' };
    case 'SB013':
      return { reason: 'in_break' };
    case 'SB014':
      return { reason: 'time_off' };
    case 'SB015':
      return { reason: 'same_day_cutoff' };
    case 'SB016':
      return { reason: 'off_grid' };
    case 'SB017':
      return { reason: 'override_not_allowed' };
    case 'SB020':
    case 'SB021':
      return { reason: 'invalid_transition' };
    case 'SB022':
      return { reason: 'not_started' };
    default:
      return undefined;
  }
}

/**
 * The booking refusal an error carries (a driver's PostgresError, or a batch outcome with `code`
 * and `detail`); undefined for any other error, which the caller lets through.
 */
export function decodeBookingError(error: unknown): BookingRefusalReason | undefined {
  const info = pgErrorInfo(error);
  if (!info) return undefined;
  const detail = (error as { detail?: unknown }).detail;
  return bookingRefusalOf(info.code, typeof detail === 'string' ? detail : undefined);
}

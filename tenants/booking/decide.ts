import { SCHEDULE_REASONS, type BookingRefusalReason } from '../../db/booking-errors.ts';
import type { BookingSnapshot } from '../../db/queries/booking-snapshot.ts';
import type { BookingRow, BookSlotParams } from '../../db/queries/bookings.ts';
import type { ZoneCalendar } from '../availability/calendar.ts';
import {
  chooseMaster,
  nearestAlternatives,
  nearestAlternativesSearched,
  type Alternative,
} from '../availability/choice.ts';
import { findSlots, offersStart } from '../availability/engine.ts';
import { dayNumber, isoDateOf, localClock } from '../availability/local-days.ts';
import type { MasterSchedule, SlotSearchResult } from '../availability/types.ts';
import { money } from '../money/money.ts';
import type { LocationPolicy } from '../policy/location-policy.ts';
import { paymentRequirement } from './policies.ts';
import type { BookRequest } from './requests.ts';
import { BookingError, type BookingView, type BookResult, type Refusal } from './results.ts';
import { requestedServices } from './schedule-mapping.ts';

/**
 * The booking decisions: pure functions of what was loaded (a snapshot of the location), the
 * request and one reading of the clock. No I/O; the service loads, decides here, writes, and on
 * "taken" loads again and explains (tenants/booking/booking-service.ts).
 */
export interface DecideContext {
  /** Epoch ms: the service's one clock, read once per request. */
  now: number;
  /** How many alternatives a refused start offers. */
  alternativeCount: number;
  calendarFor(zone: string): ZoneCalendar;
  policyOf(snapshot: BookingSnapshot): LocationPolicy;
  mastersOf(snapshot: BookingSnapshot): MasterSchedule[];
}

const DAY = 86_400_000;
/** Alternatives are searched this many local days either side of the requested start. */
export const ALTERNATIVE_DAYS = 3;

/** The time range a snapshot for alternatives around `start` covers. */
export const aroundStart = (start: number, days = ALTERNATIVE_DAYS) => ({
  from: start - (days + 1) * DAY,
  to: start + (days + 1) * DAY,
});

export const toView = (row: BookingRow): BookingView => ({
  id: row.id,
  status: row.status,
  locationId: row.location_id,
  masterId: row.master_id,
  clientId: row.client_id,
  start: row.start_at.getTime(),
  end: row.end_at.getTime(),
  holdExpiresAt: row.hold_expires_at?.getTime() ?? null,
  total: money(row.total_minor, row.currency),
  rescheduledFromId: row.rescheduled_from_id,
});

/**
 * The Refusal for a reason the booking functions gave (db/booking-errors.ts decodes their
 * SQLSTATEs). A refused time (the schedule, the booking window) comes with `alternatives`, as the
 * engine's own refusal does; reasons that are no refusal of the request (a key reused, an override
 * nobody should have asked for, a lost race the caller handles) are undefined.
 */
export function refusalFor(
  r: BookingRefusalReason,
  alternatives: Alternative[] = [],
): Refusal | undefined {
  switch (r.reason) {
    case 'tenant_closed':
      return { kind: 'tenant_unavailable', reason: 'suspended' };
    case 'maintenance':
      return {
        kind: 'tenant_unavailable',
        reason: 'maintenance',
        until: r.until,
        message: r.message,
      };
    case 'location_unavailable':
      return { kind: 'location_unavailable' };
    case 'lead_time':
      return {
        kind: 'policy_blocked',
        rule: 'lead_time',
        message: 'start is sooner than the lead time allows',
        alternatives,
      };
    case 'horizon':
      return {
        kind: 'policy_blocked',
        rule: 'horizon',
        message: 'start is beyond the booking horizon',
        alternatives,
      };
    case 'same_day_cutoff':
      return {
        kind: 'policy_blocked',
        rule: 'same_day_cutoff',
        message: 'same-day bookings are closed for today',
        alternatives,
      };
    case 'outside_hours':
    case 'in_break':
    case 'time_off':
    case 'off_grid':
      return {
        kind: 'policy_blocked',
        rule: 'outside_schedule',
        message: 'that time is outside the working hours',
        alternatives,
      };
    default:
      return undefined;
  }
}

/** Whether a reason is about the time asked for, so alternatives are worth searching. */
export const refusesTheTime = (r: BookingRefusalReason) =>
  SCHEDULE_REASONS.has(r.reason) || r.reason === 'lead_time' || r.reason === 'horizon';

/** The tenant or location is closed to bookings (or unknown). */
export function tenantRefusal(snapshot: BookingSnapshot): Refusal | undefined {
  if (!snapshot.tenant) return { kind: 'not_found' };
  if (snapshot.tenant.status !== 'active')
    return { kind: 'tenant_unavailable', reason: 'suspended' };
  if (snapshot.tenant.maintenance) {
    return {
      kind: 'tenant_unavailable',
      reason: 'maintenance',
      until: snapshot.tenant.maintenance_until,
      message: snapshot.tenant.maintenance_message,
    };
  }
  if (!snapshot.location?.active) return { kind: 'location_unavailable' };
  return undefined;
}

/** The engine over the local days around `start` (`withoutBusy`: as if nothing were booked). */
export function searchAround(
  ctx: DecideContext,
  snapshot: BookingSnapshot,
  serviceIds: readonly string[],
  start: number,
  masterIds?: readonly string[],
  withoutBusy = false,
  days = ALTERNATIVE_DAYS,
): SlotSearchResult {
  const zone = snapshot.location!.timezone;
  const day = dayNumber(localClock(zone, start).date);
  let masters = ctx.mastersOf(snapshot);
  if (masterIds) masters = masters.filter((m) => masterIds.includes(m.id));
  if (withoutBusy) masters = masters.map((m) => ({ ...m, busy: [] }));
  return findSlots(
    {
      now: ctx.now,
      timezone: zone,
      policy: ctx.policyOf(snapshot),
      services: requestedServices(snapshot, serviceIds),
      masters,
      fromDate: isoDateOf(day - days),
      toDate: isoDateOf(day + days),
    },
    { calendar: ctx.calendarFor(zone) },
  );
}

/** Whether the engine offers `req.start` with `masterId`, checked on that start's local day alone. */
export function offeredByMaster(
  ctx: DecideContext,
  snapshot: BookingSnapshot,
  req: Pick<BookRequest, 'serviceIds' | 'start'>,
  masterId: string,
): boolean {
  const zone = snapshot.location!.timezone;
  const master = ctx.mastersOf(snapshot).find((m) => m.id === masterId);
  if (!master) return false;
  return offersStart(
    {
      now: ctx.now,
      timezone: zone,
      policy: ctx.policyOf(snapshot),
      services: requestedServices(snapshot, req.serviceIds),
      master,
      start: req.start,
    },
    { calendar: ctx.calendarFor(zone) },
  );
}

/**
 * Nearest valid starts to a refused one: the master's own first, then other masters' (an
 * unavailable master has no starts of its own, so the same time with a colleague comes first).
 */
export function alternativesFor(
  ctx: DecideContext,
  snapshot: BookingSnapshot,
  serviceIds: readonly string[],
  start: number,
  masterId?: string,
): Alternative[] {
  const zone = snapshot.location!.timezone;
  return nearestAlternativesSearched(
    (masterIds) => searchAround(ctx, snapshot, serviceIds, start, masterIds),
    { start, ...(masterId ? { masterId } : {}) },
    ctx.alternativeCount,
    (ms) => localClock(zone, ms).date,
  );
}

/**
 * The chosen master's own alternatives from a snapshot that holds that master alone; undefined
 * when they cannot fill the list (then every master's bookings are needed: alternativesFor over a
 * full snapshot).
 */
export function ownAlternatives(
  ctx: DecideContext,
  snapshot: BookingSnapshot,
  req: Pick<BookRequest, 'serviceIds' | 'start' | 'masterId'>,
): Alternative[] | undefined {
  const zone = snapshot.location!.timezone;
  const own = nearestAlternatives(
    searchAround(ctx, snapshot, req.serviceIds, req.start),
    { start: req.start, ...(req.masterId ? { masterId: req.masterId } : {}) },
    ctx.alternativeCount,
    (ms) => localClock(zone, ms).date,
  );
  return own.length >= ctx.alternativeCount ? own : undefined;
}

/** Why `req.start` is not offered: a policy rule, the schedule, or another booking. */
export function explainRefusedStart(
  ctx: DecideContext,
  snapshot: BookingSnapshot,
  req: Pick<BookRequest, 'serviceIds' | 'start'>,
  candidates: readonly string[],
  alternatives: Alternative[],
): Refusal {
  const { now } = ctx;
  const policy = ctx.policyOf(snapshot);
  const zone = snapshot.location!.timezone;
  if (req.start < now + policy.leadTimeMinutes * 60_000) {
    return {
      kind: 'policy_blocked',
      rule: 'lead_time',
      message: `bookings must start at least ${policy.leadTimeMinutes} minutes from now`,
      alternatives,
    };
  }
  const today = dayNumber(localClock(zone, now).date);
  const startDay = dayNumber(localClock(zone, req.start).date);
  if (startDay > today + policy.horizonDays) {
    return {
      kind: 'policy_blocked',
      rule: 'horizon',
      message: `bookings open ${policy.horizonDays} days ahead`,
      alternatives,
    };
  }
  if (
    startDay === today &&
    policy.sameDayCutoff &&
    localClock(zone, now).minute >=
      Number(policy.sameDayCutoff.slice(0, 2)) * 60 + Number(policy.sameDayCutoff.slice(3))
  ) {
    return {
      kind: 'policy_blocked',
      rule: 'same_day_cutoff',
      message: `same-day bookings close at ${policy.sameDayCutoff}`,
      alternatives,
    };
  }
  const free = searchAround(ctx, snapshot, req.serviceIds, req.start, candidates, true);
  if (free.slots.some((s) => s.start === req.start)) return { kind: 'slot_taken', alternatives };
  return {
    kind: 'policy_blocked',
    rule: 'outside_schedule',
    message: 'that time is outside the working hours',
    alternatives,
  };
}

export type Precheck =
  | { refusal: Refusal }
  /** The chosen master is not in the snapshot as it should be: a wider read decides. */
  | { wider: true }
  | { policy: LocationPolicy; candidates: string[] };

/**
 * Checks that need no availability search: tenant, location, services, the chosen master.
 * `wide`: the snapshot holds every master, so an unavailable chosen master is refused here (with
 * alternatives); otherwise such a request asks for a wider read. `clientKnown`: the snapshot has
 * no client row to check (the cached catalog; book_slot checks it).
 */
export function precheck(
  ctx: DecideContext,
  snapshot: BookingSnapshot,
  req: BookRequest,
  wide: boolean,
  clientKnown = false,
): Precheck {
  const tenantIssue = tenantRefusal(snapshot);
  if (tenantIssue) return { refusal: tenantIssue };
  // A client of another tenant is a caller's bug, not a refusal (book_slot refuses it too).
  if (!clientKnown && !snapshot.client)
    throw new BookingError(`client ${req.clientId} does not belong to tenant ${req.tenantId}`);
  const policy = ctx.policyOf(snapshot);
  const missing = req.serviceIds.filter(
    (id) => !snapshot.services.some((s) => s.id === id && s.active),
  );
  if (missing.length > 0 || req.serviceIds.length === 0) {
    return {
      refusal: {
        kind: 'service_unavailable',
        serviceIds: missing,
        alternatives: snapshot.services
          .filter((s) => s.active && !req.serviceIds.includes(s.id))
          .map((s) => ({ id: s.id, name: s.name })),
      },
    };
  }
  const activeMasters = ctx.mastersOf(snapshot);
  if (req.masterId) {
    const master = activeMasters.find((m) => m.id === req.masterId);
    if (!master || !req.serviceIds.every((id) => master.skills.has(id))) {
      if (!wide) return { wider: true };
      return {
        refusal: {
          kind: 'master_unavailable',
          masterId: req.masterId,
          alternatives: alternativesFor(ctx, snapshot, req.serviceIds, req.start, req.masterId),
        },
      };
    }
  }
  return { policy, candidates: req.masterId ? [req.masterId] : activeMasters.map((m) => m.id) };
}

/**
 * The masters to try for the slot at `req.start`, fairest first (the chosen master alone if one
 * was chosen); undefined when nobody can take it. `days`: local days searched either side (the
 * fair choice counts each master's load on the start's day).
 */
export function masterOrder(
  ctx: DecideContext,
  snapshot: BookingSnapshot,
  req: Pick<BookRequest, 'serviceIds' | 'start' | 'masterId'>,
  candidates: readonly string[],
  days: number,
): string[] | undefined {
  const search = searchAround(ctx, snapshot, req.serviceIds, req.start, candidates, false, days);
  const slot = search.slots.find((s) => s.start === req.start);
  if (!slot) return undefined;
  if (req.masterId) return [req.masterId];
  const date = localClock(snapshot.location!.timezone, req.start).date;
  const first = chooseMaster(slot, date, search);
  return [...slot.masterIds].sort((a, b) =>
    a === first
      ? -1
      : b === first
        ? 1
        : (search.load[a]?.[date] ?? 0) - (search.load[b]?.[date] ?? 0),
  );
}

/**
 * What a hold of the day's snapshot (or the cached catalog) can decide without a wider read:
 * refuse, write with this master (the fairest for "any master"), or read wider ("careful": a refused or lost
 * start needs alternatives, an unlisted chosen master needs every master).
 */
export type HoldDecision =
  { kind: 'refuse'; refusal: Refusal } | { kind: 'write'; masterId: string } | { kind: 'careful' };

/**
 * The decision over a narrow snapshot: the request's day (± one) and, with a chosen master, that
 * master alone; `replayMaster`: the master an earlier booking with the request's idempotency key
 * went to (the write hands that booking back). With `cached`, the snapshot is the cached catalog
 * without bookings: the start is checked against the master's schedule alone and book_slot checks
 * the rest; any doubt reads afresh.
 */
export function decideHold(
  ctx: DecideContext,
  snapshot: BookingSnapshot,
  req: BookRequest,
  options: { cached?: boolean; replayMaster?: string } = {},
): HoldDecision {
  const pre = precheck(ctx, snapshot, req, false, options.cached);
  if (req.override && req.masterId) {
    // Outside the schedule on purpose: book_slot judges the override, the engine is not asked.
    if ('policy' in pre) return { kind: 'write', masterId: req.masterId };
    return 'refusal' in pre && !options.cached
      ? { kind: 'refuse', refusal: pre.refusal }
      : { kind: 'careful' };
  }
  if (options.cached) {
    return 'policy' in pre && req.masterId && offeredByMaster(ctx, snapshot, req, req.masterId)
      ? { kind: 'write', masterId: req.masterId }
      : { kind: 'careful' };
  }
  if ('refusal' in pre) return { kind: 'refuse', refusal: pre.refusal };
  if ('wider' in pre) return { kind: 'careful' };
  if (options.replayMaster) return { kind: 'write', masterId: options.replayMaster };
  const order = masterOrder(ctx, snapshot, req, pre.candidates, 0);
  return order ? { kind: 'write', masterId: order[0]! } : { kind: 'careful' };
}

/** book_slot's parameters for `req` with `masterId` (an empty key, comment or actor id is none). */
export function holdParams(
  req: BookRequest,
  masterId: string,
  catalogVersion?: number,
): BookSlotParams {
  // Built field by field rather than with conditional spreads (this runs once per booking).
  return {
    catalogVersion,
    tenantId: req.tenantId,
    locationId: req.locationId,
    masterId,
    clientId: req.clientId,
    serviceIds: req.serviceIds,
    start: new Date(req.start),
    idempotencyKey: req.idempotencyKey || undefined,
    comment: req.comment || undefined,
    actorKind: req.actor.kind,
    actorId: req.actor.id || undefined,
    overrideReason: req.override?.reason || undefined,
  };
}

/** The result of a written hold: the booking and what the policy asks to be paid. */
export function heldResult(
  policy: LocationPolicy,
  row: BookingRow & { replayed: boolean; clientNoShows: number },
): Extract<BookResult, { kind: 'booked' }> {
  const booking = toView(row);
  return {
    kind: 'booked',
    booking,
    replayed: row.replayed,
    payment: paymentRequirement(policy, { noShowCount: row.clientNoShows }, booking.total),
  };
}

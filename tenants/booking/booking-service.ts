import type { Database, Queryable } from '../../db/port.ts';
import {
  bookingRefusalOf,
  decodeBookingError,
  SCHEDULE_REASONS,
  type BookingRefusalKind,
  type BookingRefusalReason,
} from '../../db/booking-errors.ts';
import { asPlatform, asTenant, tenantClaims } from '../../db/scope.ts';
import { loadBookingSnapshot, type BookingSnapshot } from '../../db/queries/booking-snapshot.ts';
import { confirmLatePayment } from '../../db/queries/payments.ts';
import {
  bookSlot,
  bookSlotScoped,
  expireHolds,
  getBooking,
  rescheduleBooking,
  setBookingStatus,
  type BookingRow,
  type BookSlotParams,
} from '../../db/queries/bookings.ts';
import { retryOnContention } from './contention.ts';
import { ZoneCalendar } from '../availability/calendar.ts';
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
import type { Logger } from '../observability/logger.ts';
import { parseLocationPolicy, type LocationPolicy } from '../policy/location-policy.ts';
import {
  paymentRequirement,
  quoteCancellation,
  quoteReschedule,
  type PaymentRequirement,
} from './policies.ts';
import {
  BookingError,
  type BookResult,
  type BookingView,
  type CancelResult,
  type Refusal,
  type RescheduleResult,
  type TransitionOutcome,
} from './results.ts';
import { mastersFromSnapshot, requestedServices } from './schedule-mapping.ts';
import type { BookingChange, BookingEffects } from './effects.ts';
import { ownsBooking } from './ownership.ts';
import {
  transition,
  type ActorKind,
  type BookingEvent,
  type BookingState,
} from './state-machine.ts';

/** Staff and the platform act for the business: no client windows or fees bind them (the state machine and the schedule still do). */
export const actsForBusiness = (actor: Pick<Actor, 'kind'>): boolean =>
  actor.kind === 'owner' ||
  actor.kind === 'manager' ||
  actor.kind === 'platform_admin' ||
  actor.kind === 'system';

export interface Actor {
  kind: ActorKind;
  /** Staff user id, master id (for masters) or `tg:<telegram id>` for clients. */
  id?: string;
  /** For clients: their client record; a client acts on their own bookings only. */
  clientId?: string;
  /** The request or job acting; follows into the jobs the change schedules. */
  correlationId?: string;
}

export interface BookRequest {
  tenantId: string;
  locationId: string;
  clientId: string;
  serviceIds: readonly string[];
  /** Epoch ms. */
  start: number;
  /** A master, or undefined for "any master". */
  masterId?: string;
  idempotencyKey?: string;
  comment?: string;
  actor: Actor;
}

export interface BookingServiceDeps {
  db: Database;
  /** Epoch ms; the only clock the booking rules see. */
  now: () => number;
  logger: Logger;
  /** How many alternatives to offer for a refused start. */
  alternatives?: number;
  /** What follows a committed change (jobs, notices); none in tests of the core alone. */
  effects?: BookingEffects;
}

const DAY = 86_400_000;
/** Alternatives are searched this many local days either side of the requested start. */
const ALTERNATIVE_DAYS = 3;

const toView = (row: BookingRow): BookingView => ({
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

const isSlotTaken = (error: unknown) => decodeBookingError(error)?.reason === 'slot_taken';

/**
 * The Refusal for a reason the booking functions gave (db/booking-errors.ts decodes their
 * SQLSTATEs). A refused time (the schedule, the booking window) comes with `alternatives`, as the
 * engine's own refusal does; reasons that are no refusal of the request (a key reused, an override
 * nobody should have asked for, a lost race the caller handles) are undefined.
 */
function refusalFor(
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
const refusesTheTime = (r: BookingRefusalReason) =>
  SCHEDULE_REASONS.has(r.reason) || r.reason === 'lead_time' || r.reason === 'horizon';

/**
 * Everything that changes a booking. Checks requests against the location's policies and the
 * availability engine first, then lets the database functions do the write under an advisory lock;
 * their refusals come back as typed results, never as raw errors.
 */
export function createBookingService(deps: BookingServiceDeps) {
  const { db, logger } = deps;
  const alternativeCount = deps.alternatives ?? 3;
  const calendars = new Map<string, ZoneCalendar>();
  const calendarFor = (zone: string) => {
    let c = calendars.get(zone);
    if (!c) {
      if (calendars.size > 200) calendars.clear();
      c = new ZoneCalendar(zone);
      calendars.set(zone, c);
    }
    return c;
  };

  /**
   * What a location's bookings are checked against (policy, services, a master's schedule), kept
   * per location and master with the catalog version it was read at. book_slot refuses a booking
   * made against an outdated version (catalog_changed), so the cache can save the read but never let a stale
   * schedule through.
   */
  const catalogs = new Map<string, { tenantId: string; snapshot: BookingSnapshot }>();
  const catalogKey = (locationId: string, masterId: string) => `${locationId}:${masterId}`;
  const rememberCatalog = (tenantId: string, masterId: string, snapshot: BookingSnapshot) => {
    if (!snapshot.location) return;
    if (catalogs.size >= 1000) catalogs.delete(catalogs.keys().next().value!);
    const withoutBookings = {
      ...snapshot,
      replay_id: null,
      masters: snapshot.masters.map((m) => ({ ...m, busy: [] })),
    };
    catalogs.set(catalogKey(snapshot.location.id, masterId), {
      tenantId,
      snapshot: withoutBookings,
    });
  };

  async function emit(change: BookingChange): Promise<void> {
    if (!deps.effects) return;
    try {
      await deps.effects.changed(change);
    } catch (error) {
      logger.error({
        event: 'booking_effect_failed',
        tenant_id: change.tenantId,
        booking_id: change.booking.id,
        state: change.booking.status,
        err: error,
      });
    }
  }

  const scope = (tenantId: string, actor: Actor) => ({
    tenantId,
    ...(actor.id ? { subject: actor.id } : {}),
    appRole: actor.kind,
  });

  // Parsed forms of a snapshot's parts, so a cached catalog is parsed once, not per booking.
  const parsedPolicies = new WeakMap<object, LocationPolicy>();
  const mappedMasters = new WeakMap<object, MasterSchedule[]>();

  function policyOf(snapshot: BookingSnapshot): LocationPolicy {
    const location = snapshot.location!;
    let policy = parsedPolicies.get(location);
    if (!policy) {
      const parsed = parseLocationPolicy(location.policy);
      if (!parsed.ok)
        throw new BookingError(
          `location ${location.id} has an invalid policy: ${parsed.problems.join('; ')}`,
        );
      policy = parsed.policy;
      parsedPolicies.set(location, policy);
    }
    return policy;
  }

  function mastersOf(snapshot: BookingSnapshot): MasterSchedule[] {
    let masters = mappedMasters.get(snapshot.masters);
    if (!masters) {
      masters = mastersFromSnapshot(snapshot);
      mappedMasters.set(snapshot.masters, masters);
    }
    return masters;
  }

  function tenantRefusal(snapshot: BookingSnapshot): Refusal | undefined {
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

  /** Loads the location around `start` (± the alternative window) as the tenant; only `masterIds`' masters if given. */
  function snapshotAround(
    req: {
      tenantId: string;
      locationId: string;
      clientId?: string;
      excludeBookingId?: string;
      idempotencyKey?: string;
    },
    actor: Actor,
    start: number,
    masterIds?: readonly string[],
  ) {
    return asTenant(db, scope(req.tenantId, actor), (tx) =>
      loadBookingSnapshot(tx, {
        tenantId: req.tenantId,
        locationId: req.locationId,
        from: start - (ALTERNATIVE_DAYS + 1) * DAY,
        to: start + (ALTERNATIVE_DAYS + 1) * DAY,
        ...(masterIds ? { masterIds } : {}),
        ...(req.clientId ? { clientId: req.clientId } : {}),
        ...(req.excludeBookingId ? { excludeBookingId: req.excludeBookingId } : {}),
        ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
      }),
    );
  }

  /** The engine over the local days around `start`. */
  function searchAround(
    snapshot: BookingSnapshot,
    policy: LocationPolicy,
    serviceIds: readonly string[],
    start: number,
    masterIds?: readonly string[],
    withoutBusy = false,
    days = ALTERNATIVE_DAYS,
  ): SlotSearchResult {
    const zone = snapshot.location!.timezone;
    const day = dayNumber(localClock(zone, start).date);
    let masters = mastersOf(snapshot);
    if (masterIds) masters = masters.filter((m) => masterIds.includes(m.id));
    if (withoutBusy) masters = masters.map((m) => ({ ...m, busy: [] }));
    return findSlots(
      {
        now: deps.now(),
        timezone: zone,
        policy,
        services: requestedServices(snapshot, serviceIds),
        masters,
        fromDate: isoDateOf(day - days),
        toDate: isoDateOf(day + days),
      },
      { calendar: calendarFor(zone) },
    );
  }

  /** Whether the engine offers `req.start` with `masterId`, checked on that start's local day alone. */
  function offeredByMaster(
    snapshot: BookingSnapshot,
    policy: LocationPolicy,
    req: BookRequest,
    masterId: string,
  ): boolean {
    const zone = snapshot.location!.timezone;
    const master = mastersOf(snapshot).find((m) => m.id === masterId);
    if (!master) return false;
    return offersStart(
      {
        now: deps.now(),
        timezone: zone,
        policy,
        services: requestedServices(snapshot, req.serviceIds),
        master,
        start: req.start,
      },
      { calendar: calendarFor(zone) },
    );
  }

  /**
   * Nearest valid starts to a refused one: the master's own first, then other masters' (an
   * unavailable master has no starts of its own, so the same time with a colleague comes first).
   */
  function alternativesFor(
    snapshot: BookingSnapshot,
    policy: LocationPolicy,
    serviceIds: readonly string[],
    start: number,
    masterId?: string,
  ): Alternative[] {
    const zone = snapshot.location!.timezone;
    return nearestAlternativesSearched(
      (masterIds) => searchAround(snapshot, policy, serviceIds, start, masterIds),
      { start, ...(masterId ? { masterId } : {}) },
      alternativeCount,
      (ms) => localClock(zone, ms).date,
    );
  }

  /**
   * Alternatives to `req.start` from a snapshot that may hold the chosen master alone (`ownOnly`):
   * enough when that master's own starts fill the list (they come first anyway); otherwise every
   * master's bookings are read and searched, as alternativesFor would over a full snapshot.
   */
  async function alternativesNear(
    snapshot: BookingSnapshot,
    ownOnly: boolean,
    policy: LocationPolicy,
    req: BookRequest,
  ): Promise<Alternative[]> {
    if (ownOnly) {
      // The snapshot holds that master alone: one search of it is the "own" step of alternativesFor.
      const zone = snapshot.location!.timezone;
      const own = nearestAlternatives(
        searchAround(snapshot, policy, req.serviceIds, req.start),
        { start: req.start, ...(req.masterId ? { masterId: req.masterId } : {}) },
        alternativeCount,
        (ms) => localClock(zone, ms).date,
      );
      if (own.length >= alternativeCount) return own;
      snapshot = await snapshotAround(req, req.actor, req.start);
    }
    return alternativesFor(snapshot, policy, req.serviceIds, req.start, req.masterId);
  }

  /** Why `start` is not offered: a policy rule, the schedule, or another booking. */
  function explainRefusedStart(
    snapshot: BookingSnapshot,
    policy: LocationPolicy,
    req: BookRequest,
    candidates: readonly string[],
    alternatives: Alternative[],
  ): Refusal {
    const now = deps.now();
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
    const free = searchAround(snapshot, policy, req.serviceIds, req.start, candidates, true);
    if (free.slots.some((s) => s.start === req.start)) return { kind: 'slot_taken', alternatives };
    return {
      kind: 'policy_blocked',
      rule: 'outside_schedule',
      message: 'that time is outside the working hours',
      alternatives,
    };
  }

  type Precheck =
    { refusal: Refusal } | { slow: true } | { policy: LocationPolicy; candidates: string[] };

  /** Checks that need no availability search: tenant, location, services, the chosen master. */
  function precheck(snapshot: BookingSnapshot, req: BookRequest, wide: boolean): Precheck {
    const tenantIssue = tenantRefusal(snapshot);
    if (tenantIssue) return { refusal: tenantIssue };
    if (!snapshot.client)
      throw new BookingError(`client ${req.clientId} does not belong to tenant ${req.tenantId}`);
    const policy = policyOf(snapshot);
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
    const activeMasters = mastersOf(snapshot);
    if (req.masterId) {
      const master = activeMasters.find((m) => m.id === req.masterId);
      if (!master || !req.serviceIds.every((id) => master.skills.has(id))) {
        if (!wide) return { slow: true };
        return {
          refusal: {
            kind: 'master_unavailable',
            masterId: req.masterId,
            alternatives: alternativesFor(
              snapshot,
              policy,
              req.serviceIds,
              req.start,
              req.masterId,
            ),
          },
        };
      }
    }
    return { policy, candidates: req.masterId ? [req.masterId] : activeMasters.map((m) => m.id) };
  }

  /** A retry of a request that already succeeded: the booking function hands back that booking. */
  async function replayedMaster(
    tx: Queryable,
    replayId: string,
    req: BookRequest,
  ): Promise<string[]> {
    if (req.masterId) return [req.masterId];
    const [replayed] = await tx.query<{ master_id: string }>(
      'select master_id from public.bookings where id = $1',
      [replayId],
    );
    return [replayed!.master_id];
  }

  /** The masters to try for the slot at `req.start`, fairest first; undefined when nobody can take it. */
  function masterOrder(
    snapshot: BookingSnapshot,
    policy: LocationPolicy,
    req: BookRequest,
    candidates: string[],
    days: number,
  ): string[] | undefined {
    const search = searchAround(
      snapshot,
      policy,
      req.serviceIds,
      req.start,
      candidates,
      false,
      days,
    );
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

  function holdParams(req: BookRequest, masterId: string, catalogVersion?: number): BookSlotParams {
    // Built field by field rather than with conditional spreads (this runs once per booking); an
    // empty key, comment or actor id counts as none.
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
    };
  }

  function heldResult(
    req: BookRequest,
    masterId: string,
    policy: LocationPolicy,
    row: BookingRow & { replayed: boolean; clientNoShows: number },
  ): BookResult {
    const booking = toView(row);
    const payment: PaymentRequirement = paymentRequirement(
      policy,
      { noShowCount: row.clientNoShows },
      booking.total,
    );
    logger.info({
      event: row.replayed ? 'booking_replayed' : 'booking_held',
      tenant_id: req.tenantId,
      booking_id: booking.id,
      master_id: masterId,
      service_ids: [...req.serviceIds],
      state: booking.status,
    });
    return { kind: 'booked', booking, replayed: row.replayed, payment };
  }

  async function insertHeld(
    tx: Queryable,
    req: BookRequest,
    masterId: string,
    policy: LocationPolicy,
  ): Promise<BookResult> {
    return heldResult(req, masterId, policy, await bookSlot(tx, holdParams(req, masterId)));
  }

  /** Maps a refusal raised by the booking function; undefined for "slot taken" and unknown errors. */
  async function refusalFromBooking(
    error: unknown,
    req: BookRequest,
    masterId: string,
    policy: LocationPolicy,
  ): Promise<Refusal | undefined> {
    const refused = decodeBookingError(error);
    if (!refused) return undefined;
    switch (refused.reason) {
      case 'master_unavailable':
      case 'skill_missing':
        return {
          kind: 'master_unavailable',
          masterId,
          alternatives: alternativesFor(
            await snapshotAround(req, req.actor, req.start),
            policy,
            req.serviceIds,
            req.start,
            masterId,
          ),
        };
      case 'service_unavailable':
        return { kind: 'service_unavailable', serviceIds: [...req.serviceIds], alternatives: [] };
      case 'idempotency_key_reused':
        throw new BookingError(
          'the idempotency key was already used for a different booking request',
        );
      case 'override_not_allowed':
        throw new BookingError(`a ${req.actor.kind} cannot book outside the schedule`);
      default:
        return refusalFor(
          refused,
          refusesTheTime(refused)
            ? alternativesFor(
                await snapshotAround(req, req.actor, req.start),
                policy,
                req.serviceIds,
                req.start,
                masterId,
              )
            : [],
        );
    }
  }

  /**
   * Books a slot. The common case is one transaction: read the requested day, check it with the
   * engine, write with the booking function. Anything unusual (a refusal that needs alternatives, a
   * lost race) goes the careful way: a wider read, each candidate master in turn, alternatives.
   */
  async function book(req: BookRequest): Promise<BookResult> {
    const result = await retryOnContention(() => bookOnce(req));
    if (result.kind === 'booked' && !result.replayed) {
      await emit({
        kind: 'held',
        tenantId: req.tenantId,
        booking: result.booking,
        actor: req.actor.kind,
        ...(req.actor.correlationId ? { correlationId: req.actor.correlationId } : {}),
      });
    }
    return result;
  }

  async function bookOnce(req: BookRequest): Promise<BookResult> {
    const cached = await bookFromCatalog(req);
    if (cached) return cached;
    let tried: string | undefined;
    let policySeen: LocationPolicy | undefined;
    try {
      const fast = await asTenant(
        db,
        scope(req.tenantId, req.actor),
        async (tx): Promise<BookResult | undefined> => {
          const snapshot = await loadBookingSnapshot(tx, {
            tenantId: req.tenantId,
            locationId: req.locationId,
            from: req.start - DAY,
            to: req.start + DAY,
            clientId: req.clientId,
            ...(req.masterId ? { masterIds: [req.masterId] } : {}),
            ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
          });
          const pre = precheck(snapshot, req, false);
          if ('refusal' in pre) return pre.refusal;
          if ('slow' in pre) return undefined;
          policySeen = pre.policy;
          if (req.masterId) rememberCatalog(req.tenantId, req.masterId, snapshot);
          const order = snapshot.replay_id
            ? await replayedMaster(tx, snapshot.replay_id, req)
            : masterOrder(snapshot, pre.policy, req, pre.candidates, 0);
          if (!order) return undefined;
          tried = order[0]!;
          return insertHeld(tx, req, tried, pre.policy);
        },
      );
      if (fast) return fast;
    } catch (error) {
      if (!isSlotTaken(error)) {
        const refused = decodeBookingError(error);
        const refusal =
          policySeen && tried
            ? await refusalFromBooking(error, req, tried, policySeen)
            : refused && refusalFor(refused);
        if (refusal) return refusal;
        throw error;
      }
    }
    return bookCarefully(req, tried);
  }

  /**
   * With a chosen master and a cached catalog: check the start against the master's schedule
   * without reading anything, and let book_slot check the rest (other bookings, tenant state,
   * catalog version). Undefined sends the request the usual way.
   */
  async function bookFromCatalog(req: BookRequest): Promise<BookResult | undefined> {
    if (!req.masterId) return undefined;
    const entry = catalogs.get(catalogKey(req.locationId, req.masterId));
    if (!entry || entry.tenantId !== req.tenantId) return undefined;
    const snapshot = entry.snapshot;
    // The client's own row is checked by book_slot (it must belong to the tenant) and its no-show
    // count comes back with the booking; any refusal the cache suggests is re-checked afresh.
    const pre = precheck(
      { ...snapshot, client: { id: req.clientId, no_show_count: 0, language: 'en' } },
      req,
      false,
    );
    if (!('policy' in pre) || !offeredByMaster(snapshot, pre.policy, req, req.masterId))
      return undefined;
    try {
      return heldResult(
        req,
        req.masterId,
        pre.policy,
        await bookSlotScoped(
          db,
          tenantClaims(scope(req.tenantId, req.actor)),
          holdParams(req, req.masterId, snapshot.location!.catalog_version),
        ),
      );
    } catch (error) {
      const refused = decodeBookingError(error)?.reason;
      if (refused === 'catalog_changed') {
        catalogs.delete(catalogKey(req.locationId, req.masterId));
        return undefined;
      }
      if (refused === 'slot_taken') return bookCarefully(req, req.masterId);
      const refusal = await refusalFromBooking(error, req, req.masterId, pre.policy);
      if (refusal) return refusal;
      throw error;
    }
  }

  async function bookCarefully(req: BookRequest, alreadyTried?: string): Promise<BookResult> {
    // A chosen master's own bookings decide; every master's are read only when a refusal's
    // alternatives need them (under a rush on one slot, each refusal would otherwise read the
    // whole location's calendar).
    const own = req.masterId ? [req.masterId] : undefined;
    const snapshot = await snapshotAround(req, req.actor, req.start, own);
    const pre = precheck(snapshot, req, true);
    if ('refusal' in pre) {
      if (pre.refusal.kind !== 'master_unavailable' || !own) return pre.refusal;
      const everyMaster = await snapshotAround(req, req.actor, req.start);
      return {
        ...pre.refusal,
        alternatives: alternativesFor(
          everyMaster,
          policyOf(everyMaster),
          req.serviceIds,
          req.start,
          req.masterId,
        ),
      };
    }
    if ('slow' in pre) throw new BookingError('unreachable: a wide precheck decides');
    const { policy, candidates } = pre;
    const replayId = snapshot.replay_id;
    const order = replayId
      ? await asTenant(db, scope(req.tenantId, req.actor), (tx) =>
          replayedMaster(tx, replayId, req),
        )
      : masterOrder(snapshot, policy, req, candidates, ALTERNATIVE_DAYS);
    if (!order)
      return explainRefusedStart(
        snapshot,
        policy,
        req,
        candidates,
        await alternativesNear(snapshot, own !== undefined, policy, req),
      );
    for (const masterId of order) {
      if (masterId === alreadyTried && !snapshot.replay_id) continue;
      try {
        return await asTenant(db, scope(req.tenantId, req.actor), (tx) =>
          insertHeld(tx, req, masterId, policy),
        );
      } catch (error) {
        if (isSlotTaken(error)) continue;
        const refusal = await refusalFromBooking(error, req, masterId, policy);
        if (refusal) return refusal;
        throw error;
      }
    }
    logger.info({
      event: 'booking_slot_taken',
      tenant_id: req.tenantId,
      master_id: req.masterId,
      service_ids: [...req.serviceIds],
    });
    const fresh = await snapshotAround(req, req.actor, req.start, own);
    return {
      kind: 'slot_taken',
      alternatives: await alternativesNear(fresh, own !== undefined, policy, req),
    };
  }

  async function loadWithPolicy(tenantId: string, bookingId: string, actor: Actor) {
    return asTenant(db, scope(tenantId, actor), async (tx) => {
      const row = await getBooking(tx, bookingId);
      if (!row) return undefined;
      // Another client's booking is as good as absent: nothing about it is shown or changed.
      if (
        actor.kind === 'client' &&
        !ownsBooking(actor, { clientId: row.client_id, masterId: row.master_id })
      )
        return undefined;
      const [loc] = await tx.query<{ policy: unknown; timezone: string }>(
        'select policy, timezone from public.locations where id = $1',
        [row.location_id],
      );
      const parsed = parseLocationPolicy(loc!.policy);
      if (!parsed.ok)
        throw new BookingError(
          `location ${row.location_id} has an invalid policy: ${parsed.problems.join('; ')}`,
        );
      return { row, policy: parsed.policy, timezone: loc!.timezone };
    });
  }

  /** Moves a booking along one edge of the state machine, as `actor`. */
  async function applyEvent(
    tenantId: string,
    bookingId: string,
    event: BookingEvent,
    actor: Actor,
    reason?: string,
  ): Promise<TransitionOutcome> {
    const loaded = await loadWithPolicy(tenantId, bookingId, actor);
    if (!loaded) return { kind: 'not_found' };
    const { row } = loaded;
    const decision = transition(row.status, event, {
      actor: actor.kind,
      now: deps.now(),
      startAt: row.start_at.getTime(),
    });
    if (!decision.ok) {
      return decision.reason === 'not_started'
        ? { kind: 'policy_blocked', rule: 'not_started', message: decision.message }
        : { kind: 'conflict', status: row.status, message: decision.message };
    }
    if (
      actor.kind === 'master' &&
      !ownsBooking(actor, { clientId: row.client_id, masterId: row.master_id })
    )
      return {
        kind: 'conflict',
        status: row.status,
        message: 'a master can only change their own bookings',
      };
    let changed: Awaited<ReturnType<typeof setBookingStatus>>;
    try {
      changed = await asTenant(db, scope(tenantId, actor), (tx) =>
        setBookingStatus(tx, {
          bookingId,
          from: row.status,
          to: decision.to,
          actorKind: actor.kind,
          ...(actor.id ? { actorId: actor.id } : {}),
          ...(reason ? { reason } : {}),
          clearHold: decision.to === 'confirmed',
        }),
      );
    } catch (error) {
      // The database's own clock and state machine have the last word (the app's clock may run ahead).
      const refused = decodeBookingError(error)?.reason;
      if (refused === 'not_started')
        return {
          kind: 'policy_blocked',
          rule: 'not_started',
          message: 'the visit has not started yet',
        };
      if (refused === 'invalid_transition') changed = undefined;
      else throw error;
    }
    if (!changed) {
      const now = await asTenant(db, scope(tenantId, actor), (tx) => getBooking(tx, bookingId));
      return {
        kind: 'conflict',
        status: now?.status ?? row.status,
        message: 'the booking changed meanwhile; look again',
      };
    }
    logger.info({
      event: `booking_${event}`,
      tenant_id: tenantId,
      booking_id: bookingId,
      state: changed.status,
      role: actor.kind,
    });
    const booking = toView(changed);
    await emit({
      kind: 'status',
      tenantId,
      booking,
      from: row.status,
      event,
      actor: actor.kind,
      policy: loaded.policy,
      ...(reason ? { reason } : {}),
      ...(actor.correlationId ? { correlationId: actor.correlationId } : {}),
    });
    return { kind: 'changed', booking };
  }

  return {
    book,

    /**
     * Valid starts for services at a location between two local dates (inclusive), for one master
     * or any; what the bot and the admin show.
     */
    async findSlots(q: {
      tenantId: string;
      locationId: string;
      serviceIds: readonly string[];
      masterId?: string;
      fromDate: string;
      toDate: string;
      actor: Actor;
    }) {
      const from = Date.parse(`${q.fromDate}T00:00:00Z`) - DAY;
      const to = Date.parse(`${q.toDate}T00:00:00Z`) + 2 * DAY;
      const snapshot = await asTenant(db, scope(q.tenantId, q.actor), (tx) =>
        loadBookingSnapshot(tx, { tenantId: q.tenantId, locationId: q.locationId, from, to }),
      );
      if (!snapshot.location) return undefined;
      const policy = policyOf(snapshot);
      const services = snapshot.services.filter((s) => s.active && q.serviceIds.includes(s.id));
      if (services.length !== q.serviceIds.length) return undefined;
      let masters = mastersOf(snapshot);
      if (q.masterId) masters = masters.filter((m) => m.id === q.masterId);
      const zone = snapshot.location.timezone;
      return findSlots(
        {
          now: deps.now(),
          timezone: zone,
          policy,
          services: requestedServices(snapshot, q.serviceIds),
          masters,
          fromDate: q.fromDate,
          toDate: q.toDate,
        },
        { calendar: calendarFor(zone) },
      );
    },

    /** Held → confirmed when no payment is needed; otherwise says what must be paid. */
    async confirm(tenantId: string, bookingId: string, actor: Actor): Promise<TransitionOutcome> {
      const loaded = await loadWithPolicy(tenantId, bookingId, actor);
      if (!loaded) return { kind: 'not_found' };
      const [client] = await asTenant(db, scope(tenantId, actor), (tx) =>
        tx.query<{ no_show_count: number }>(
          'select no_show_count from public.clients where id = $1',
          [loaded.row.client_id],
        ),
      );
      const payment = paymentRequirement(
        loaded.policy,
        { noShowCount: client?.no_show_count ?? 0 },
        money(loaded.row.total_minor, loaded.row.currency),
      );
      if (payment.required)
        return {
          kind: 'policy_blocked',
          rule: 'payment_required',
          message: 'this booking needs a payment to be confirmed',
        };
      return applyEvent(tenantId, bookingId, 'confirm', actor);
    },

    requestPayment: (tenantId: string, bookingId: string, actor: Actor) =>
      applyEvent(tenantId, bookingId, 'request_payment', actor),

    /** Held → confirmed although the policy asks for a payment: it is taken at the venue. */
    confirmPayAtVenue: (tenantId: string, bookingId: string, actor: Actor) =>
      applyEvent(tenantId, bookingId, 'confirm', actor, 'payment at the venue'),

    /** Pending payment → confirmed: the payment arrived while the hold was on. */
    paymentSucceeded: (tenantId: string, bookingId: string, actor: Actor) =>
      applyEvent(tenantId, bookingId, 'payment_succeeded', actor, 'payment received'),

    /**
     * Expired → confirmed when a payment arrived after the hold ran out and the time can still be
     * had (checked under the booking locks, by the booking check). `taken` when someone else has
     * the time now, or (with the reason) when the time cannot be booked any more: the master's
     * time off since, a service withdrawn.
     */
    async confirmLatePayment(
      tenantId: string,
      bookingId: string,
      actor: Actor,
    ): Promise<TransitionOutcome | { kind: 'taken'; reason?: BookingRefusalKind }> {
      const loaded = await loadWithPolicy(tenantId, bookingId, actor);
      if (!loaded) return { kind: 'not_found' };
      const outcome = await asTenant(db, scope(tenantId, actor), (tx) =>
        confirmLatePayment(tx, tenantId, bookingId),
      );
      if (outcome === 'taken') return { kind: 'taken' };
      const refused = bookingRefusalOf(outcome);
      if (refused) {
        logger.info({
          event: 'booking_late_payment_refused',
          tenant_id: tenantId,
          booking_id: bookingId,
          reason: refused.reason,
        });
        return { kind: 'taken', reason: refused.reason };
      }
      const row = await asTenant(db, scope(tenantId, actor), (tx) => getBooking(tx, bookingId));
      if (outcome !== 'confirmed')
        return {
          kind: 'conflict',
          status: row!.status,
          message: `the booking was ${outcome}, not expired`,
        };
      const booking = toView(row!);
      logger.info({
        event: 'booking_late_payment_confirmed',
        tenant_id: tenantId,
        booking_id: bookingId,
        state: booking.status,
      });
      await emit({
        kind: 'status',
        tenantId,
        booking,
        from: 'expired',
        event: 'late_payment_confirmed',
        actor: actor.kind,
        policy: loaded.policy,
        ...(actor.correlationId ? { correlationId: actor.correlationId } : {}),
      });
      return { kind: 'changed', booking };
    },

    /** Held or pending → expired once the hold has run out (the job's way; expireHolds sweeps). */
    expireHold: (tenantId: string, bookingId: string, actor: Actor) =>
      applyEvent(tenantId, bookingId, 'expire', actor, 'hold expired'),

    /** The booking as it is now. */
    async get(tenantId: string, bookingId: string, actor: Actor): Promise<BookingView | undefined> {
      const row = await asTenant(db, scope(tenantId, actor), (tx) => getBooking(tx, bookingId));
      return row ? toView(row) : undefined;
    },

    /** What cancelling would cost now, for the client to agree to before `cancel`. */
    async quoteCancel(tenantId: string, bookingId: string, actor: Actor) {
      const loaded = await loadWithPolicy(tenantId, bookingId, actor);
      if (!loaded) return undefined;
      return quoteCancellation(
        loaded.policy,
        {
          status: loaded.row.status,
          startAt: loaded.row.start_at.getTime(),
          total: money(loaded.row.total_minor, loaded.row.currency),
        },
        deps.now(),
      );
    },

    /** What moving the booking would cost now, for the client to agree to before `reschedule`. */
    async quoteReschedule(tenantId: string, bookingId: string, actor: Actor) {
      const loaded = await loadWithPolicy(tenantId, bookingId, actor);
      if (!loaded) return undefined;
      return quoteReschedule(
        loaded.policy,
        {
          status: loaded.row.status,
          startAt: loaded.row.start_at.getTime(),
          total: money(loaded.row.total_minor, loaded.row.currency),
        },
        deps.now(),
      );
    },

    /** Cancels within policy (clients) or at any time (staff); the slot is free at once. */
    async cancel(
      tenantId: string,
      bookingId: string,
      actor: Actor,
      reason?: string,
    ): Promise<CancelResult> {
      const loaded = await loadWithPolicy(tenantId, bookingId, actor);
      if (!loaded) return { kind: 'not_found' };
      const { row, policy } = loaded;
      const total = money(row.total_minor, row.currency);
      const quote = quoteCancellation(
        policy,
        { status: row.status, startAt: row.start_at.getTime(), total },
        deps.now(),
      );
      const staff = actsForBusiness(actor);
      if (!quote.allowed && !(staff && quote.rule !== 'not_active'))
        return { kind: 'policy_blocked', rule: quote.rule, message: quote.message };
      const outcome = await applyEvent(tenantId, bookingId, 'cancel', actor, reason);
      if (outcome.kind !== 'changed') return outcome;
      return {
        kind: 'cancelled',
        booking: outcome.booking,
        fee: quote.allowed && !staff ? quote.fee : money(0, row.currency),
      };
    },

    /**
     * Moves a booking to a new start (and optionally another master) atomically: if the new slot
     * is refused, the booking stays exactly as it was.
     */
    async reschedule(
      tenantId: string,
      bookingId: string,
      target: { start: number; masterId?: string },
      actor: Actor,
    ): Promise<RescheduleResult> {
      const loaded = await loadWithPolicy(tenantId, bookingId, actor);
      if (!loaded) return { kind: 'not_found' };
      const { row, policy } = loaded;
      const total = money(row.total_minor, row.currency);
      const quote = quoteReschedule(
        policy,
        { status: row.status, startAt: row.start_at.getTime(), total },
        deps.now(),
      );
      // The business may move a visit inside the clients' window too (and charges itself no fee).
      const staff = actsForBusiness(actor);
      if (!quote.allowed && !(staff && quote.rule !== 'not_active'))
        return { kind: 'policy_blocked', rule: quote.rule, message: quote.message };
      const serviceIds = (
        await asTenant(db, scope(tenantId, actor), (tx) =>
          tx.query<{ service_id: string }>(
            'select service_id from public.booking_items where booking_id = $1 order by position',
            [bookingId],
          ),
        )
      ).map((r) => r.service_id);
      const masterId = target.masterId ?? row.master_id;
      const snapshot = await snapshotAround(
        {
          tenantId,
          locationId: row.location_id,
          clientId: row.client_id,
          excludeBookingId: bookingId,
        },
        actor,
        target.start,
      );
      const tenantIssue = tenantRefusal(snapshot);
      if (tenantIssue) return tenantIssue;
      const request: BookRequest = {
        tenantId,
        locationId: row.location_id,
        clientId: row.client_id,
        serviceIds,
        start: target.start,
        masterId,
        actor,
      };
      const search = searchAround(snapshot, policy, serviceIds, target.start, [masterId]);
      if (!search.slots.some((s) => s.start === target.start)) {
        return explainRefusedStart(
          snapshot,
          policy,
          request,
          [masterId],
          alternativesFor(snapshot, policy, request.serviceIds, request.start, request.masterId),
        );
      }
      try {
        const created = await retryOnContention(() =>
          asTenant(db, scope(tenantId, actor), (tx) =>
            rescheduleBooking(tx, {
              tenantId,
              bookingId,
              masterId,
              start: new Date(target.start),
              actorKind: actor.kind,
              ...(actor.id ? { actorId: actor.id } : {}),
            }),
          ),
        );
        logger.info({
          event: 'booking_rescheduled',
          tenant_id: tenantId,
          booking_id: created.id,
          master_id: masterId,
          previous_booking_id: bookingId,
        });
        const booking = toView(created);
        await emit({
          kind: 'rescheduled',
          tenantId,
          booking,
          previousId: bookingId,
          previousStart: row.start_at.getTime(),
          actor: actor.kind,
          policy,
          ...(actor.correlationId ? { correlationId: actor.correlationId } : {}),
        });
        return {
          kind: 'rescheduled',
          booking,
          previousId: bookingId,
          fee: quote.allowed && !staff ? quote.fee : money(0, row.currency),
        };
      } catch (error) {
        const refused = decodeBookingError(error);
        if (!refused) throw error;
        if (refused.reason === 'invalid_transition')
          return {
            kind: 'conflict',
            status: row.status,
            message: 'the booking changed meanwhile; look again',
          };
        const alternatives = async () => {
          const fresh = await snapshotAround(
            { tenantId, locationId: row.location_id, excludeBookingId: bookingId },
            actor,
            target.start,
          );
          return alternativesFor(fresh, policy, serviceIds, target.start, masterId);
        };
        if (refused.reason === 'slot_taken')
          return { kind: 'slot_taken', alternatives: await alternatives() };
        const refusal = refusalFor(refused, refusesTheTime(refused) ? await alternatives() : []);
        if (refusal) return refusal;
        throw error;
      }
    },

    /** Completed or no-show, by the booking's master or the owner/manager, once the visit has started. */
    markOutcome(
      tenantId: string,
      bookingId: string,
      outcome: 'completed' | 'no_show',
      actor: Actor,
    ): Promise<TransitionOutcome> {
      return applyEvent(
        tenantId,
        bookingId,
        outcome === 'completed' ? 'complete' : 'mark_no_show',
        actor,
      );
    },

    /** Releases every expired hold, across tenants; safe to run from several workers. */
    expireHolds(): Promise<string[]> {
      return asPlatform(db, (tx) => expireHolds(tx, new Date(deps.now())));
    },
  };
}

export type BookingService = ReturnType<typeof createBookingService>;
export type { BookingState };

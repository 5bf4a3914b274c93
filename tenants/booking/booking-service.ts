import type { Database } from '../../db/port.ts';
import {
  bookingRefusalOf,
  decodeBookingError,
  type BookingRefusalKind,
} from '../../db/booking-errors.ts';
import { createBookingStore, type BookingStore, type HeldBooking } from '../../db/booking-store.ts';
import type { BookingWriterOptions } from '../../db/booking-writer.ts';
import type { TenantScope } from '../../db/scope.ts';
import type { BookingSnapshot } from '../../db/queries/booking-snapshot.ts';
import { findSlots } from '../availability/engine.ts';
import type { Alternative } from '../availability/choice.ts';
import { money } from '../money/money.ts';
import type { Logger } from '../observability/logger.ts';
import type { LocationPolicy } from '../policy/location-policy.ts';
import { createBookingCaches, parsePolicy } from './booking-cache.ts';
import { retryOnContention } from './contention.ts';
import {
  alternativesFor,
  aroundStart,
  decideHold,
  explainRefusedStart,
  heldResult,
  holdParams,
  masterOrder,
  ownAlternatives,
  precheck,
  refusalFor,
  refusesTheTime,
  searchAround,
  tenantRefusal,
  toView,
  ALTERNATIVE_DAYS,
  type DecideContext,
  type HoldDecision,
} from './decide.ts';
import { paymentRequirement, quoteCancellation, quoteReschedule } from './policies.ts';
import { actsForBusiness, type Actor, type BookRequest } from './requests.ts';
import {
  BookingError,
  type BookResult,
  type BookingView,
  type CancelResult,
  type Refusal,
  type RescheduleResult,
  type TransitionOutcome,
} from './results.ts';
import { requestedServices } from './schedule-mapping.ts';
import type { BookingChange, BookingEffects } from './effects.ts';
import { ownsBooking } from './ownership.ts';
import { transition, type BookingEvent, type BookingState } from './state-machine.ts';

export { actsForBusiness, type Actor, type BookRequest };

export interface BookingServiceDeps {
  db: Database;
  /** Epoch ms; the only clock the booking rules see (read once per request). */
  now: () => number;
  logger: Logger;
  /** How many alternatives to offer for a refused start. */
  alternatives?: number;
  /** What follows a committed change (jobs, notices); none in tests of the core alone. */
  effects?: BookingEffects;
  /** The database behind its port; by default db/booking-store.ts over `db`. */
  store?: BookingStore;
  /** How held bookings are grouped into transactions under load (the default store's writer). */
  writer?: BookingWriterOptions;
}

const DAY = 86_400_000;

const isSlotTaken = (error: unknown) => decodeBookingError(error)?.reason === 'slot_taken';

/** The claims a unit of work runs with: the tenant, the actor as subject, the actor's kind as role. */
const scopeOf = (tenantId: string, actor: Actor): TenantScope => ({
  tenantId,
  ...(actor.id ? { subject: actor.id } : {}),
  appRole: actor.kind,
});

/**
 * Everything that changes a booking. A booking is load → decide → write: the location's catalog
 * (cached, or read for the requested day) is checked by pure decisions (decide.ts) with the
 * availability engine, the database function writes it under its advisory lock, and a lost race
 * or refusal reads again and explains (with the nearest alternatives). Refusals come back as typed
 * results, never as raw errors.
 */
export function createBookingService(deps: BookingServiceDeps) {
  const { logger } = deps;
  const store =
    deps.store ?? createBookingStore(deps.db, deps.writer ? { writer: deps.writer } : {});
  const alternativeCount = deps.alternatives ?? 3;
  const caches = createBookingCaches();

  /** The decisions' context: one reading of the clock for one request. */
  const context = (): DecideContext => ({
    now: deps.now(),
    alternativeCount,
    calendarFor: caches.calendarFor,
    policyOf: caches.policyOf,
    mastersOf: caches.mastersOf,
  });

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

  /** The location around `start` (± the alternative window); only `masterIds`' masters if given. */
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
  ): Promise<BookingSnapshot> {
    return store.snapshot(scopeOf(req.tenantId, actor), {
      tenantId: req.tenantId,
      locationId: req.locationId,
      ...aroundStart(start),
      ...(masterIds ? { masterIds } : {}),
      ...(req.clientId ? { clientId: req.clientId } : {}),
      ...(req.excludeBookingId ? { excludeBookingId: req.excludeBookingId } : {}),
      ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
    });
  }

  /**
   * Alternatives to `req.start` from a snapshot that may hold the chosen master alone (`ownOnly`):
   * enough when that master's own starts fill the list (they come first anyway); otherwise every
   * master's bookings are read and searched.
   */
  async function alternativesNear(
    ctx: DecideContext,
    snapshot: BookingSnapshot,
    ownOnly: boolean,
    req: BookRequest,
  ): Promise<Alternative[]> {
    if (ownOnly) {
      const own = ownAlternatives(ctx, snapshot, req);
      if (own) return own;
      snapshot = await snapshotAround(req, req.actor, req.start);
    }
    return alternativesFor(ctx, snapshot, req.serviceIds, req.start, req.masterId);
  }

  /** The booked result of a write, logged. */
  function held(req: BookRequest, masterId: string, policy: LocationPolicy, row: HeldBooking) {
    const result = heldResult(policy, row);
    logger.info({
      event: row.replayed ? 'booking_replayed' : 'booking_held',
      tenant_id: req.tenantId,
      booking_id: result.booking.id,
      master_id: masterId,
      service_ids: [...req.serviceIds],
      state: result.booking.status,
    });
    return result;
  }

  /** Maps a refusal raised by the booking function; undefined for "slot taken" and unknown errors. */
  async function refusalFromBooking(
    ctx: DecideContext,
    error: unknown,
    req: BookRequest,
    masterId: string,
  ): Promise<Refusal | undefined> {
    const refused = decodeBookingError(error);
    if (!refused) return undefined;
    const alternatives = async () =>
      alternativesFor(
        ctx,
        await snapshotAround(req, req.actor, req.start),
        req.serviceIds,
        req.start,
        masterId,
      );
    switch (refused.reason) {
      case 'master_unavailable':
      case 'skill_missing':
        return { kind: 'master_unavailable', masterId, alternatives: await alternatives() };
      case 'service_unavailable':
        return { kind: 'service_unavailable', serviceIds: [...req.serviceIds], alternatives: [] };
      case 'idempotency_key_reused':
        throw new BookingError(
          'the idempotency key was already used for a different booking request',
        );
      case 'override_not_allowed':
        throw new BookingError(`a ${req.actor.kind} cannot book outside the schedule`);
      default:
        return refusalFor(refused, refusesTheTime(refused) ? await alternatives() : []);
    }
  }

  /** Books a slot (retried as a whole when the database picked it as a deadlock victim). */
  async function book(req: BookRequest): Promise<BookResult> {
    if (req.override && (!req.masterId || !req.override.reason.trim()))
      throw new BookingError('an override needs a chosen master and a reason');
    const result = await retryOnContention(() => bookOnce(req, true));
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

  /**
   * Load → decide → write. Load: with a chosen master, the cached catalog (no read at all; the
   * database checks its version), otherwise the requested day. Decide: decideHold. Write: by group
   * commit (book_slots) when the cached catalog decided, otherwise one book_slot. A lost race, a refusal that needs alternatives or a request the narrow read cannot
   * decide goes the careful way (bookCarefully).
   */
  async function bookOnce(req: BookRequest, useCache: boolean): Promise<BookResult> {
    const ctx = context();
    const { snapshot, decision, fromCache } = await loadAndDecide(ctx, req, useCache);
    if (decision.kind === 'refuse') return decision.refusal;
    if (decision.kind === 'careful') return bookCarefully(ctx, req);
    const { masterId } = decision;
    try {
      const params = holdParams(
        req,
        masterId,
        fromCache ? snapshot.location!.catalog_version : undefined,
      );
      // Checked against the cached catalog: group commit (issue 17: without it uncontended
      // bookings fall below 1,000/s). An override needs the actor's claims: book_slot alone.
      const row =
        fromCache && !req.override
          ? await store.holdGrouped(params)
          : await store.hold(scopeOf(req.tenantId, req.actor), params);
      return held(req, masterId, ctx.policyOf(snapshot), row);
    } catch (error) {
      const refused = decodeBookingError(error)?.reason;
      if (refused === 'catalog_changed') {
        caches.forget(req.locationId, masterId);
        return bookOnce(req, false);
      }
      if (refused === 'slot_taken') return bookCarefully(ctx, req, masterId);
      const refusal = await refusalFromBooking(ctx, error, req, masterId);
      if (refusal) return refusal;
      throw error;
    }
  }

  /**
   * Load and decide: the cached catalog when it decides a write on its own, otherwise a read of
   * the requested day (± one; with a chosen master, that master alone), remembered for the next
   * request of that master.
   */
  async function loadAndDecide(
    ctx: DecideContext,
    req: BookRequest,
    useCache: boolean,
  ): Promise<{ snapshot: BookingSnapshot; decision: HoldDecision; fromCache: boolean }> {
    const cached =
      useCache && req.masterId
        ? caches.catalog(req.tenantId, req.locationId, req.masterId)
        : undefined;
    if (cached) {
      const decision = decideHold(ctx, cached, req, { cached: true });
      if (decision.kind === 'write') return { snapshot: cached, decision, fromCache: true };
    }
    const snapshot = await store.snapshot(scopeOf(req.tenantId, req.actor), {
      tenantId: req.tenantId,
      locationId: req.locationId,
      from: req.start - DAY,
      to: req.start + DAY,
      clientId: req.clientId,
      ...(req.masterId ? { masterIds: [req.masterId] } : {}),
      ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
    });
    const replayMaster = snapshot.replay_id
      ? (req.masterId ?? snapshot.replay_master_id ?? undefined)
      : undefined;
    const decision = decideHold(ctx, snapshot, req, replayMaster ? { replayMaster } : {});
    if (req.masterId && decision.kind !== 'refuse')
      caches.remember(req.tenantId, req.masterId, snapshot);
    return { snapshot, decision, fromCache: false };
  }

  /**
   * The careful way: read the days around the start, order the candidate masters, try each, and
   * when none can take it read again and explain with the nearest alternatives. A chosen master's
   * own bookings decide; every master's are read only when a refusal's alternatives need them
   * (under a rush on one slot, each refusal would otherwise read the whole location's calendar).
   */
  async function bookCarefully(
    ctx: DecideContext,
    req: BookRequest,
    alreadyTried?: string,
  ): Promise<BookResult> {
    const own = req.masterId ? [req.masterId] : undefined;
    const snapshot = await snapshotAround(req, req.actor, req.start, own);
    const pre = precheck(ctx, snapshot, req, true);
    if ('refusal' in pre) {
      if (pre.refusal.kind !== 'master_unavailable' || !own) return pre.refusal;
      const everyMaster = await snapshotAround(req, req.actor, req.start);
      return {
        ...pre.refusal,
        alternatives: alternativesFor(ctx, everyMaster, req.serviceIds, req.start, req.masterId),
      };
    }
    if ('wider' in pre) throw new BookingError('unreachable: a wide precheck decides');
    const { policy, candidates } = pre;
    const replayed = snapshot.replay_id !== null;
    const replayMaster = req.masterId ?? snapshot.replay_master_id;
    const order =
      replayed && replayMaster
        ? [replayMaster]
        : req.override && req.masterId
          ? [req.masterId]
          : masterOrder(ctx, snapshot, req, candidates, ALTERNATIVE_DAYS);
    if (!order)
      return explainRefusedStart(
        ctx,
        snapshot,
        req,
        candidates,
        await alternativesNear(ctx, snapshot, own !== undefined, req),
      );
    const scope = scopeOf(req.tenantId, req.actor);
    for (const masterId of order) {
      if (masterId === alreadyTried && !replayed) continue;
      try {
        return held(req, masterId, policy, await store.hold(scope, holdParams(req, masterId)));
      } catch (error) {
        if (isSlotTaken(error)) continue;
        const refusal = await refusalFromBooking(ctx, error, req, masterId);
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
      alternatives: await alternativesNear(ctx, fresh, own !== undefined, req),
    };
  }

  async function loadWithPolicy(tenantId: string, bookingId: string, actor: Actor) {
    const loaded = await store.bookingWithLocation(scopeOf(tenantId, actor), bookingId);
    if (!loaded) return undefined;
    const { row } = loaded;
    // Another client's booking is as good as absent: nothing about it is shown or changed.
    if (
      actor.kind === 'client' &&
      !ownsBooking(actor, { clientId: row.client_id, masterId: row.master_id })
    )
      return undefined;
    return { row, policy: parsePolicy(row.location_id, loaded.policy), timezone: loaded.timezone };
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
    let changed: Awaited<ReturnType<BookingStore['setStatus']>>;
    try {
      changed = await store.setStatus(scopeOf(tenantId, actor), {
        bookingId,
        from: row.status,
        to: decision.to,
        actorKind: actor.kind,
        ...(actor.id ? { actorId: actor.id } : {}),
        ...(reason ? { reason } : {}),
        clearHold: decision.to === 'confirmed',
      });
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
      const now = await store.booking(scopeOf(tenantId, actor), bookingId);
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
      const snapshot = await store.snapshot(scopeOf(q.tenantId, q.actor), {
        tenantId: q.tenantId,
        locationId: q.locationId,
        from,
        to,
      });
      if (!snapshot.location) return undefined;
      const policy = caches.policyOf(snapshot);
      const services = snapshot.services.filter((s) => s.active && q.serviceIds.includes(s.id));
      if (services.length !== q.serviceIds.length) return undefined;
      let masters = caches.mastersOf(snapshot);
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
        { calendar: caches.calendarFor(zone) },
      );
    },

    /** Held → confirmed when no payment is needed; otherwise says what must be paid. */
    async confirm(tenantId: string, bookingId: string, actor: Actor): Promise<TransitionOutcome> {
      const loaded = await loadWithPolicy(tenantId, bookingId, actor);
      if (!loaded) return { kind: 'not_found' };
      const noShowCount = await store.clientNoShows(scopeOf(tenantId, actor), loaded.row.client_id);
      const payment = paymentRequirement(
        loaded.policy,
        { noShowCount },
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
      const outcome = await store.confirmLatePayment(scopeOf(tenantId, actor), bookingId);
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
      const row = await store.booking(scopeOf(tenantId, actor), bookingId);
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
      const row = await store.booking(scopeOf(tenantId, actor), bookingId);
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
      const ctx = context();
      const loaded = await loadWithPolicy(tenantId, bookingId, actor);
      if (!loaded) return { kind: 'not_found' };
      const { row, policy } = loaded;
      const total = money(row.total_minor, row.currency);
      const quote = quoteReschedule(
        policy,
        { status: row.status, startAt: row.start_at.getTime(), total },
        ctx.now,
      );
      // The business may move a visit inside the clients' window too (and charges itself no fee).
      const staff = actsForBusiness(actor);
      if (!quote.allowed && !(staff && quote.rule !== 'not_active'))
        return { kind: 'policy_blocked', rule: quote.rule, message: quote.message };
      const serviceIds = await store.bookedServiceIds(scopeOf(tenantId, actor), bookingId);
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
      const search = searchAround(ctx, snapshot, serviceIds, target.start, [masterId]);
      if (!search.slots.some((s) => s.start === target.start)) {
        return explainRefusedStart(
          ctx,
          snapshot,
          request,
          [masterId],
          alternativesFor(ctx, snapshot, request.serviceIds, request.start, request.masterId),
        );
      }
      try {
        const created = await retryOnContention(() =>
          store.reschedule(scopeOf(tenantId, actor), {
            tenantId,
            bookingId,
            masterId,
            start: new Date(target.start),
            actorKind: actor.kind,
            ...(actor.id ? { actorId: actor.id } : {}),
          }),
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
          return alternativesFor(ctx, fresh, serviceIds, target.start, masterId);
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
      return store.expireHolds(new Date(deps.now()));
    },
  };
}

export type BookingService = ReturnType<typeof createBookingService>;
export type { BookingState };

/**
 * The booking state machine: explicit states, events and guards. Pure: it decides whether a change
 * is allowed and what it leads to; services perform the change. The database enforces the same
 * edges (`app.booking_transitions`, checked by a trigger); a test keeps both equal, and the table in
 * tenants/booking/README.md is generated from TRANSITIONS.
 */
export const BOOKING_STATES = [
  'held',
  'pending_payment',
  'confirmed',
  'completed',
  'no_show',
  'cancelled',
  'expired',
] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

/**
 * States that occupy the master's time: the one list in TypeScript. SQL has the one function
 * `app.is_blocking` (the exclusion constraint's `where`, the booking functions, every query);
 * tests/integration/booking-transitions.test.ts keeps the two equal.
 */
export const BLOCKING_STATES: readonly BookingState[] = ['held', 'pending_payment', 'confirmed'];

export const isBlocking = (status: string): boolean =>
  (BLOCKING_STATES as readonly string[]).includes(status);

export type ActorKind = 'client' | 'master' | 'owner' | 'manager' | 'platform_admin' | 'system';

/**
 * Staff who act for the business: no client windows or fees bind them, they may book outside the
 * schedule with a reason (SQL: `app.may_override`), and their cancellations and moves are told to
 * the client.
 */
export const BUSINESS_STAFF: readonly ActorKind[] = ['owner', 'manager', 'platform_admin'];

/** Every staff kind: the business's staff and the masters (who record outcomes). */
export const STAFF_KINDS: readonly ActorKind[] = ['master', ...BUSINESS_STAFF];

export type BookingEvent =
  | 'request_payment'
  | 'confirm'
  | 'payment_succeeded'
  | 'expire'
  | 'cancel'
  | 'complete'
  | 'mark_no_show'
  | 'late_payment_confirmed';

export interface Transition {
  from: BookingState;
  event: BookingEvent;
  to: BookingState;
  /** Who may cause it. */
  actors: readonly ActorKind[];
  /** Must the visit have started (outcomes)? */
  afterStart?: boolean;
  description: string;
}

export const TRANSITIONS: readonly Transition[] = [
  {
    from: 'held',
    event: 'request_payment',
    to: 'pending_payment',
    actors: ['client', 'system'],
    description: 'payment is required; the invoice is sent',
  },
  {
    from: 'held',
    event: 'confirm',
    to: 'confirmed',
    actors: ['client', 'owner', 'manager', 'system'],
    description: 'no payment needed; the client confirms',
  },
  {
    from: 'held',
    event: 'expire',
    to: 'expired',
    actors: ['system'],
    description: 'the hold ran out',
  },
  {
    from: 'held',
    event: 'cancel',
    to: 'cancelled',
    actors: ['client', 'owner', 'manager', 'system'],
    description: 'the client backs out before confirming',
  },
  {
    from: 'pending_payment',
    event: 'payment_succeeded',
    to: 'confirmed',
    actors: ['system'],
    description: 'the payment arrived in time',
  },
  {
    from: 'pending_payment',
    event: 'expire',
    to: 'expired',
    actors: ['system'],
    description: 'unpaid when the hold ran out',
  },
  {
    from: 'pending_payment',
    event: 'cancel',
    to: 'cancelled',
    actors: ['client', 'owner', 'manager', 'system'],
    description: 'the client backs out before paying',
  },
  {
    from: 'confirmed',
    event: 'complete',
    to: 'completed',
    actors: STAFF_KINDS,
    afterStart: true,
    description: 'the visit took place',
  },
  {
    from: 'confirmed',
    event: 'mark_no_show',
    to: 'no_show',
    actors: STAFF_KINDS,
    afterStart: true,
    description: 'the client did not come',
  },
  {
    from: 'confirmed',
    event: 'cancel',
    to: 'cancelled',
    actors: ['client', 'owner', 'manager', 'master', 'system'],
    description: 'cancelled within policy (a fee may apply)',
  },
  {
    from: 'expired',
    event: 'late_payment_confirmed',
    to: 'confirmed',
    actors: ['system'],
    description: 'a payment arrived after expiry and the slot was still free',
  },
];

export type TransitionResult =
  | { ok: true; to: BookingState; transition: Transition }
  | {
      ok: false;
      reason: 'no_such_transition' | 'actor_not_allowed' | 'not_started';
      message: string;
    };

export interface TransitionContext {
  actor: ActorKind;
  /** Epoch ms: now, and the visit's start (for outcome guards). */
  now: number;
  startAt: number;
}

export function transition(
  from: BookingState,
  event: BookingEvent,
  ctx: TransitionContext,
): TransitionResult {
  const t = TRANSITIONS.find((x) => x.from === from && x.event === event);
  if (!t)
    return {
      ok: false,
      reason: 'no_such_transition',
      message: `a ${from} booking cannot ${event.replace(/_/g, ' ')}`,
    };
  if (!t.actors.includes(ctx.actor))
    return {
      ok: false,
      reason: 'actor_not_allowed',
      message: `a ${ctx.actor} cannot ${event.replace(/_/g, ' ')} a booking`,
    };
  if (t.afterStart && ctx.now < ctx.startAt)
    return {
      ok: false,
      reason: 'not_started',
      message: 'the outcome can be marked once the visit has started',
    };
  return { ok: true, to: t.to, transition: t };
}

/** The (from, to) pairs the machine allows, for the database check and the tests. */
export function allowedEdges(): [BookingState, BookingState][] {
  const seen = new Set<string>();
  const edges: [BookingState, BookingState][] = [];
  for (const t of TRANSITIONS) {
    const key = `${t.from}>${t.to}`;
    if (!seen.has(key)) {
      seen.add(key);
      edges.push([t.from, t.to]);
    }
  }
  return edges;
}

export function isTerminal(state: BookingState): boolean {
  return !TRANSITIONS.some((t) => t.from === state);
}

/** The transition table as Markdown (kept in tenants/booking/README.md; a test compares). */
export function transitionTableMarkdown(): string {
  const rows = TRANSITIONS.map(
    (t) =>
      `| ${t.from} | ${t.event} | ${t.to} | ${t.actors.join(', ')}${t.afterStart ? ' (after the start)' : ''} | ${t.description} |`,
  );
  return ['| from | event | to | who | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}

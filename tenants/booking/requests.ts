import { BUSINESS_STAFF, type ActorKind } from './state-machine.ts';

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
  /**
   * Staff booking outside the schedule (hours, breaks, time off, cutoff, grid) with a reason, kept
   * in the history; needs `masterId`. Only book_slot judges it (app.may_override): the engine's
   * offer is not asked. Other bookings, lead time and horizon still refuse it.
   */
  override?: { reason: string };
}

/** Staff and the platform act for the business: no client windows or fees bind them (the state machine and the schedule still do). */
export const actsForBusiness = (actor: Pick<Actor, 'kind'>): boolean =>
  actor.kind === 'system' || BUSINESS_STAFF.includes(actor.kind);

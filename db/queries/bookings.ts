import { z } from 'zod';
import type { Queryable, Row } from '../port.ts';

/** A booking row as the booking functions return it. */
export const bookingRowSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  location_id: z.string(),
  master_id: z.string(),
  client_id: z.string(),
  status: z.enum([
    'held',
    'pending_payment',
    'confirmed',
    'completed',
    'no_show',
    'cancelled',
    'expired',
  ]),
  start_at: z.coerce.date(),
  end_at: z.coerce.date(),
  hold_expires_at: z.coerce.date().nullable(),
  total_minor: z.coerce.number(),
  currency: z.string(),
  idempotency_key: z.string().nullable(),
  rescheduled_from_id: z.string().nullable(),
  created_at: z.coerce.date(),
});
export type BookingRow = z.infer<typeof bookingRowSchema>;

const COLUMNS =
  'id, tenant_id, location_id, master_id, client_id, status, start_at, end_at, hold_expires_at, total_minor, currency, idempotency_key, rescheduled_from_id, created_at';

const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

export interface BookSlotParams {
  tenantId: string;
  locationId: string;
  masterId: string;
  clientId: string;
  serviceIds: readonly string[];
  start: Date;
  idempotencyKey?: string;
  comment?: string;
  actorKind: string;
  actorId?: string;
  /** The catalog version the caller checked against; refused (catalog_changed) if it changed since. */
  catalogVersion?: number;
  /**
   * A staff member's reason to book outside the schedule (working hours, breaks, time off, the
   * same-day cutoff, the slot grid), recorded in the booking's history. Refused for anyone but an
   * owner, manager or platform admin acting as such (override_not_allowed).
   */
  overrideReason?: string;
}

export type HeldRow = BookingRow & { replayed: boolean; clientNoShows: number };

/** The call of `book_slot` over bookSlotArgs ($1 … $12), with the tenant argument as `tenant`. */
const bookSlotCall = (tenant = '$1') =>
  `public.book_slot(p_tenant_id => ${tenant}, p_location_id => $2, p_master_id => $3, p_client_id => $4,
       p_service_ids => $5::uuid[], p_start_at => $6, p_idempotency_key => $7, p_comment => $8, p_actor_kind => $9,
       p_actor_id => $10, p_catalog_version => $11, p_override_reason => $12)`;

const BOOK_SLOT_OUTPUT = `${COLUMNS}, current_setting('slotbot.replayed', true) = 'true' as replayed,
       (select c.no_show_count from public.clients c where c.id = b.client_id) as client_no_shows`;

const BOOK_SLOT = `select ${BOOK_SLOT_OUTPUT} from ${bookSlotCall()} b`;
const BOOK_SLOT_SCOPED = `with scope as materialized (select pg_catalog.set_config('request.jwt.claims', $13, true) as claims)
     select ${BOOK_SLOT_OUTPUT} from ${bookSlotCall('(select $1::uuid from scope)')} b`;

function bookSlotArgs(p: BookSlotParams): unknown[] {
  return [
    p.tenantId,
    p.locationId,
    p.masterId,
    p.clientId,
    uuidArray(p.serviceIds),
    p.start.toISOString(),
    p.idempotencyKey ?? null,
    p.comment ?? null,
    p.actorKind,
    p.actorId ?? null,
    p.catalogVersion ?? null,
    p.overrideReason ?? null,
  ];
}

function heldRow(row: Row | undefined): HeldRow {
  // The parsed row is a fresh object: the two extra fields go onto it instead of into a copy.
  return Object.assign(bookingRowSchema.parse(row), {
    replayed: row!.replayed === true,
    clientNoShows: Number(row!.client_no_shows ?? 0),
  });
}

/**
 * Calls the `book_slot` RPC (the booking check, advisory lock, overlap check, insert) inside the
 * caller's transaction; raises its refusal (decoded by db/booking-errors.ts).
 * `replayed`: the idempotency key matched an earlier booking, which the function handed back.
 */
export async function bookSlot(q: Queryable, p: BookSlotParams): Promise<HeldRow> {
  const [row] = await q.query(BOOK_SLOT, bookSlotArgs(p));
  return heldRow(row);
}

/**
 * bookSlot as one statement in its own implicit transaction, scoped by `claims` (tenantClaims):
 * `book_slot` checks the claims itself, so they are set first (a materialized CTE feeding the
 * call's tenant argument) and vanish with the statement. One round trip, no BEGIN or COMMIT; if
 * the driver has to send the statement again (a lost prepared statement), it is whole again,
 * scope included. The usual booking is written this way.
 */
export async function bookSlotScoped(
  q: Queryable,
  claims: string,
  p: BookSlotParams,
): Promise<HeldRow> {
  const args = bookSlotArgs(p);
  args.push(claims);
  const [row] = await q.query(BOOK_SLOT_SCOPED, args);
  return heldRow(row);
}

/** A refusal (or failure) of one request of a batch, as PostgreSQL raised it. */
export class BookingWriteError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'BookingWriteError';
  }
}

export type BookSlotOutcome = HeldRow | BookingWriteError;

const BATCH_COLUMNS = COLUMNS.split(', ')
  .map((c) => `(r.booking).${c}`)
  .join(', ');

/**
 * Calls `book_slots`: every request of one tenant in this transaction, each in its own
 * subtransaction. Outcomes come back in the order of `requests`; a refused request is a
 * BookingWriteError carrying the SQLSTATE (SB0xx) and detail that `book_slot` would have raised.
 */
export async function bookSlots(
  q: Queryable,
  tenantId: string,
  requests: readonly BookSlotParams[],
): Promise<BookSlotOutcome[]> {
  const rows = await q.query<BookSlotsRow>(
    `select ${BATCH_OUTPUT} from public.book_slots($1, $2::jsonb) r`,
    [tenantId, batchPayload(requests)],
  );
  return batchOutcomes(rows, requests.length);
}

/**
 * bookSlots as one statement in its own implicit transaction, scoped by `claims` (tenantClaims):
 * the claims are set first (a materialized CTE feeding the call's tenant argument), and vanish
 * with the statement's transaction. One round trip and no BEGIN/COMMIT; if the driver has to send
 * the statement again (a lost prepared statement), it is whole again, scope included. The booking
 * writer's group commit (db/booking-writer.ts) writes this way.
 */
export async function bookSlotsScoped(
  q: Queryable,
  claims: string,
  tenantId: string,
  requests: readonly BookSlotParams[],
): Promise<BookSlotOutcome[]> {
  const rows = await q.query<BookSlotsRow>(
    `with scope as materialized (select pg_catalog.set_config('request.jwt.claims', $1, true) as claims)
     select ${BATCH_OUTPUT} from public.book_slots((select $2::uuid from scope), $3::jsonb) r`,
    [claims, tenantId, batchPayload(requests)],
  );
  return batchOutcomes(rows, requests.length);
}

type BookSlotsRow = {
  ordinal: number;
  replayed: boolean;
  error_code: string | null;
  error_message: string | null;
  error_detail: string | null;
  client_no_shows: number | null;
};

const BATCH_OUTPUT = `r.ordinal, r.replayed, r.error_code, r.error_message, r.error_detail, ${BATCH_COLUMNS},
       (select c.no_show_count from public.clients c where c.id = (r.booking).client_id) as client_no_shows`;

function batchPayload(requests: readonly BookSlotParams[]): string {
  return JSON.stringify(
    requests.map((p) => ({
      location_id: p.locationId,
      master_id: p.masterId,
      client_id: p.clientId,
      service_ids: p.serviceIds,
      start_at: p.start.toISOString(),
      idempotency_key: p.idempotencyKey ?? null,
      comment: p.comment ?? null,
      actor_kind: p.actorKind,
      actor_id: p.actorId ?? null,
      catalog_version: p.catalogVersion ?? null,
      override_reason: p.overrideReason ?? null,
    })),
  );
}

function batchOutcomes(rows: readonly BookSlotsRow[], requestCount: number): BookSlotOutcome[] {
  const outcomes: BookSlotOutcome[] = new Array(requestCount);
  for (const row of rows) {
    outcomes[row.ordinal - 1] = row.error_code
      ? new BookingWriteError(
          row.error_code,
          row.error_message ?? 'booking refused',
          row.error_detail || undefined,
        )
      : heldRow(row);
  }
  return outcomes;
}

export async function rescheduleBooking(
  q: Queryable,
  p: {
    tenantId: string;
    bookingId: string;
    masterId?: string;
    start: Date;
    actorKind: string;
    actorId?: string;
    overrideReason?: string;
  },
): Promise<BookingRow> {
  const [row] = await q.query(
    `select ${COLUMNS} from public.reschedule_booking(p_tenant_id => $1, p_booking_id => $2, p_master_id => $3, p_start_at => $4, p_actor_kind => $5, p_actor_id => $6,
       p_override_reason => $7)`,
    [
      p.tenantId,
      p.bookingId,
      p.masterId ?? null,
      p.start.toISOString(),
      p.actorKind,
      p.actorId ?? null,
      p.overrideReason ?? null,
    ],
  );
  return bookingRowSchema.parse(row);
}

export async function getBooking(q: Queryable, bookingId: string): Promise<BookingRow | undefined> {
  const [row] = await q.query(`select ${COLUMNS} from public.bookings where id = $1`, [bookingId]);
  return row ? bookingRowSchema.parse(row) : undefined;
}

/** The master of a booking (an idempotent retry of "any master" goes to the one it got). */
export async function bookingMaster(q: Queryable, bookingId: string): Promise<string | undefined> {
  const [row] = await q.query<{ master_id: string }>(
    'select master_id from public.bookings where id = $1',
    [bookingId],
  );
  return row?.master_id;
}

/** The services of a booking, in the order they were booked. */
export async function bookedServiceIds(q: Queryable, bookingId: string): Promise<string[]> {
  const rows = await q.query<{ service_id: string }>(
    'select service_id from public.booking_items where booking_id = $1 order by position',
    [bookingId],
  );
  return rows.map((r) => r.service_id);
}

/** A client's no-show count (0 for an unknown client). */
export async function clientNoShows(q: Queryable, clientId: string): Promise<number> {
  const [row] = await q.query<{ no_show_count: number }>(
    'select no_show_count from public.clients where id = $1',
    [clientId],
  );
  return row?.no_show_count ?? 0;
}

/** A location's policy (unparsed JSON) and zone. */
export async function locationPolicyRow(
  q: Queryable,
  locationId: string,
): Promise<{ policy: unknown; timezone: string } | undefined> {
  const [row] = await q.query<{ policy: unknown; timezone: string }>(
    'select policy, timezone from public.locations where id = $1',
    [locationId],
  );
  return row;
}

/**
 * Moves a booking from `from` to `to` (the trigger refuses other edges and records the history with
 * the actor set here). Undefined when the booking is no longer in `from` (someone was faster).
 */
export async function setBookingStatus(
  q: Queryable,
  p: {
    bookingId: string;
    from: string;
    to: string;
    actorKind: string;
    actorId?: string;
    reason?: string;
    clearHold?: boolean;
  },
): Promise<BookingRow | undefined> {
  await q.query('select app.set_actor($1, $2, $3)', [
    p.actorKind,
    p.actorId ?? null,
    p.reason ?? null,
  ]);
  const [row] = await q.query(
    `update public.bookings set status = $3${p.clearHold ? ', hold_expires_at = null' : ''} where id = $1 and status = $2 returning ${COLUMNS}`,
    [p.bookingId, p.from, p.to],
  );
  return row ? bookingRowSchema.parse(row) : undefined;
}

/** Releases every hold past its expiry; returns the ids released now. */
export async function expireHolds(q: Queryable, now: Date): Promise<string[]> {
  const rows = await q.query<{ id: string }>('select id from public.expire_holds($1) as id', [
    now.toISOString(),
  ]);
  return rows.map((r) => r.id);
}

export interface BookingStatusChange {
  from_status: string | null;
  to_status: string;
  actor_kind: string;
  actor_id: string | null;
  reason: string | null;
  occurred_at: Date;
}

export async function bookingHistory(
  q: Queryable,
  bookingId: string,
): Promise<BookingStatusChange[]> {
  return q.query<BookingStatusChange & Record<string, unknown>>(
    'select from_status, to_status, actor_kind, actor_id, reason, occurred_at from public.booking_status_history where booking_id = $1 order by occurred_at',
    [bookingId],
  );
}

export interface ClientBookingItem extends Record<string, unknown> {
  id: string;
  location_id: string;
  master_id: string;
  service_ids: string[];
  status: string;
  start_at: Date;
  end_at: Date;
  master_name: string;
  location_name: string;
  location_address: string | null;
  services: string;
  timezone: string;
  total_minor: number;
  currency: string;
}

/** A client's upcoming active bookings, soonest first, with names in `lang` (see app.local_name). */
export async function listUpcomingForClient(
  q: Queryable,
  clientId: string,
  now: Date,
  lang: string,
  limit = 10,
): Promise<ClientBookingItem[]> {
  const rows = await q.query<ClientBookingItem>(
    `select b.id, b.location_id, b.master_id, b.status, b.start_at, b.end_at, app.local_name(m.display_name, m.names, $4) as master_name,
            app.local_name(l.name, l.names, $4) as location_name, l.address as location_address, l.timezone, b.total_minor, b.currency,
            (select string_agg(app.local_name(i.service_name, s.names, $4), ', ' order by i.position)
               from public.booking_items i left join public.services s on s.id = i.service_id where i.booking_id = b.id) as services,
            (select array_agg(i.service_id::text order by i.position) from public.booking_items i where i.booking_id = b.id) as service_ids
     from public.bookings b
     join public.masters m on m.id = b.master_id
     join public.locations l on l.id = b.location_id
     where b.client_id = $1 and app.is_blocking(b.status) and b.start_at >= $2
     order by b.start_at limit $3`,
    [clientId, now.toISOString(), limit, lang],
  );
  return rows.map((r) => ({
    ...r,
    total_minor: Number(r.total_minor),
    start_at: new Date(r.start_at),
    end_at: new Date(r.end_at),
  }));
}

/** The zone of the location of the client's most recent other booking: where they usually go. */
export async function lastZoneOfClient(
  q: Queryable,
  clientId: string,
  exceptBookingId: string,
): Promise<string | undefined> {
  const [row] = await q.query<{ timezone: string }>(
    `select l.timezone from public.bookings b join public.locations l on l.id = b.location_id
     where b.client_id = $1 and b.id <> $2 order by b.created_at desc limit 1`,
    [clientId, exceptBookingId],
  );
  return row?.timezone;
}

export interface MasterBookingItem extends Record<string, unknown> {
  id: string;
  status: string;
  start_at: Date;
  end_at: Date;
  client_name: string | null;
  services: string;
  timezone: string;
}

/** A master's bookings starting in [from, to), active and finished ones, in time order. */
export async function listForMaster(
  q: Queryable,
  masterId: string,
  from: Date,
  to: Date,
): Promise<MasterBookingItem[]> {
  const rows = await q.query<MasterBookingItem>(
    `select b.id, b.status, b.start_at, b.end_at, c.first_name as client_name, l.timezone,
            (select string_agg(i.service_name, ', ' order by i.position) from public.booking_items i where i.booking_id = b.id) as services
     from public.bookings b
     join public.clients c on c.id = b.client_id
     join public.locations l on l.id = b.location_id
     where b.master_id = $1 and b.start_at >= $2 and b.start_at < $3 and b.status in ('held', 'pending_payment', 'confirmed', 'completed', 'no_show')
     order by b.start_at`,
    [masterId, from.toISOString(), to.toISOString()],
  );
  return rows.map((r) => ({ ...r, start_at: new Date(r.start_at), end_at: new Date(r.end_at) }));
}

/** The master row a staff member is (bound by their invitation, or by their Telegram account). */
export async function masterForStaff(
  q: Queryable,
  tenantId: string,
  staffUserId: string,
): Promise<{ id: string; timezone: string; display_name: string } | undefined> {
  const [row] = await q.query<{ id: string; timezone: string; display_name: string }>(
    `select m.id, l.timezone, m.display_name from public.masters m join public.locations l on l.id = m.location_id
     where m.tenant_id = $1 and m.active
       and (m.staff_user_id = $2 or m.telegram_user_id = (select s.telegram_user_id from public.staff_users s where s.id = $2 and s.tenant_id = $1))
     order by (m.staff_user_id = $2) desc nulls last limit 1`,
    [tenantId, staffUserId],
  );
  return row;
}

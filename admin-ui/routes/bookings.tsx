/** @jsxImportSource hono/jsx */
import { DateTime } from 'luxon';
import type { Transaction } from '../../db/port.ts';
import { asTenant } from '../../db/scope.ts';
import { insertAudit } from '../../db/queries/admin.ts';
import {
  boardBooking,
  boardChoices,
  boardPage,
  boardStamp,
  exportsSince,
  type BoardRow,
} from '../../db/queries/board.ts';
import { locationsOfStaff, type StaffLocation } from '../../db/queries/catalog-admin.ts';
import { setClientNotes } from '../../db/queries/walk-in.ts';
import { parseClientMessage } from '../../tenants/admin/affected-bookings.ts';
import {
  boardWindow,
  filterQuery,
  MAX_SPAN_DAYS,
  parseBoardFilter,
  type BoardFilter,
  type FilterProblem,
} from '../../tenants/board/board-filter.ts';
import { exportHeader, exportRow, exportsContacts } from '../../tenants/board/board-export.ts';
import { CLIENT_NOTES_MAX, parseClientNotes } from '../../tenants/board/client-notes.ts';
import { CSV_BOM } from '../../tenants/exports/csv.ts';
import { BOOKING_STATES } from '../../tenants/booking/state-machine.ts';
import { formatTime, formatVisit, formatWhen, formatZone } from '../../tenants/i18n/format.ts';
import { formatMoney, money } from '../../tenants/money/money.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import { BOARD_LIVE_SCRIPT_PATH } from '../assets.ts';
import { BoardLive } from '../board-live.tsx';
import { CheckboxGroup, SelectField, TextArea, TextField } from '../form-fields.tsx';
import { formatMoment } from '../format.ts';
import { BOARD_MESSAGES, type BoardMessages } from '../i18n/board-messages.ts';
import { WALK_IN_MESSAGES } from '../i18n/walk-in-messages.ts';
import { LocationSwitch } from '../location-switch.tsx';
import { afterIdOf, keysetPage, Pager, queryString } from '../pager.tsx';
import { errorPage } from '../pages/error.tsx';
import { page, redirect, tenantScope, type AdminRequest, type AdminRoute } from '../request.ts';

/**
 * The bookings board (owners and managers, a manager within their locations): one location's
 * bookings by start, filtered and paged; a booking's page with what was booked at which price,
 * its payments and its history; cancel or mark the outcome through the booking service (the
 * client hears of a cancellation in the bot); the filtered list as CSV, streamed.
 */
const STAFF = ['owner', 'manager'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE = 50;
/** The export reads the list this many rows per transaction: memory stays flat however long it is. */
const EXPORT_BATCH = 1000;
const EXPORT_LIMIT = { count: 10, windowMs: 10 * 60_000 };

const b = (r: AdminRequest): BoardMessages => BOARD_MESSAGES[r.lang];
export const asStaff = <T,>(
  r: AdminRequest,
  fn: (tx: Transaction, tenantId: string) => Promise<T>,
) => asTenant(r.deps.db, tenantScope(r.identity!), (tx) => fn(tx, r.identity!.tenantId!));
const myLocations = (r: AdminRequest, tx: Transaction, tenantId: string) =>
  locationsOfStaff(tx, { tenantId, staffId: r.identity!.staffId, role: r.identity!.role });
export const notFound = (r: AdminRequest) =>
  errorPage(r, 404, r.t.errors.notFound, r.t.errors.notFoundHow);
const price = (r: AdminRequest, minor: number | string, currency: string) =>
  formatMoney(money(Number(minor), currency), r.lang);
const statusBadge = (status: string) =>
  status === 'confirmed' || status === 'completed'
    ? 'badge ok'
    : status === 'cancelled' || status === 'no_show' || status === 'expired'
      ? 'badge bad'
      : 'badge';
const zoneText = (r: AdminRequest, zone: string) =>
  `${formatZone(zone, r.lang, r.deps.now())} (${zone})`;

/** The location asked for (`?location=`) among this staff member's, or their first. */
export async function boardLocation(
  r: AdminRequest,
  tx: Transaction,
  tenantId: string,
): Promise<{ locations: StaffLocation[]; location: StaffLocation | undefined }> {
  const locations = await myLocations(r, tx, tenantId);
  return {
    locations,
    location: locations.find((l) => l.id === r.query('location')) ?? locations[0],
  };
}

function filterOf(r: AdminRequest, zone: string) {
  return parseBoardFilter(
    { get: (name) => r.query(name), all: (name) => r.url.searchParams.getAll(name) },
    zone,
    r.deps.now(),
  );
}

const problemText = (t: BoardMessages, problem: FilterProblem) =>
  problem === 'span' ? t.problems.span(MAX_SPAN_DAYS) : t.problems[problem];

function FilterForm(props: {
  r: AdminRequest;
  location: StaffLocation;
  filter: BoardFilter;
  choices: { masters: { id: string; name: string }[]; services: { id: string; name: string }[] };
}) {
  const { r, location, filter, choices } = props;
  const t = b(r).filters;
  return (
    <form method="get" action="/admin/bookings" class="stacked filters">
      <input type="hidden" name="location" value={location.id} />
      <div class="pair">
        <TextField name="from" type="date" label={t.from} value={filter.fromDate} />
        <TextField name="to" type="date" label={t.to} value={filter.toDate} />
      </div>
      <div class="pair">
        <SelectField
          name="master"
          label={t.master}
          value={filter.masterId ?? ''}
          options={[
            { value: '', label: t.anyone },
            ...choices.masters.map((m) => ({ value: m.id, label: m.name })),
          ]}
        />
        <SelectField
          name="service"
          label={t.service}
          value={filter.serviceId ?? ''}
          options={[
            { value: '', label: t.anything },
            ...choices.services.map((s) => ({ value: s.id, label: s.name })),
          ]}
        />
      </div>
      <CheckboxGroup
        id="status"
        row
        legend={t.status}
        items={BOOKING_STATES.map((s) => ({
          name: 'status',
          value: s,
          label: b(r).statuses[s] ?? s,
          checked: filter.statuses.includes(s),
        }))}
      />
      <TextField
        name="q"
        label={t.search}
        hint={t.searchHint}
        value={filter.search ?? ''}
        maxlength={100}
      />
      <div class="actions">
        <button type="submit" class="primary">
          {t.show}
        </button>
        <a href={`/admin/bookings?location=${location.id}`}>{t.reset}</a>
      </div>
    </form>
  );
}

function BookingCard(props: { r: AdminRequest; row: BoardRow; zone: string }) {
  const { r, row, zone } = props;
  const t = b(r);
  return (
    <li class="card">
      <p>
        <strong>{formatVisit(row.start_at.getTime(), row.end_at.getTime(), zone, r.lang)}</strong>
        <span class={statusBadge(row.status)}>{t.statuses[row.status] ?? row.status}</span>
      </p>
      <p>
        {row.client_name} · {row.service_names.join(', ')}
      </p>
      <p class="muted">
        {t.detail.master}: {row.master_name} · {price(r, row.total_minor, row.currency)}
        {row.paid_minor > 0 ? ` · ${t.paid(price(r, row.paid_minor, row.currency))}` : ''}
      </p>
      <p>
        <a href={`/admin/bookings/${row.id}`}>
          {t.open}
          <span class="visually-hidden">
            {' '}
            {formatVisit(row.start_at.getTime(), row.end_at.getTime(), zone, r.lang)}
          </span>
        </a>
      </p>
    </li>
  );
}

async function listPage(r: AdminRequest): Promise<Response> {
  const t = b(r);
  const afterId = afterIdOf(r);
  const found = await asStaff(r, async (tx, tenantId) => {
    const { locations, location } = await boardLocation(r, tx, tenantId);
    if (!location) return { locations, location };
    const parsed = filterOf(r, location.timezone);
    const { from, to } = boardWindow(parsed.filter, location.timezone);
    const rows = await boardPage(tx, {
      tenantId,
      locationId: location.id,
      from,
      to,
      ...parsed.filter,
      afterId,
      limit: PAGE + 1,
    });
    return {
      locations,
      location,
      parsed,
      rows,
      choices: await boardChoices(tx, { tenantId, locationId: location.id }),
      stamp: await boardStamp(tx, { tenantId, locationId: location.id }),
    };
  });
  const { location } = found;
  if (!location || !found.parsed) {
    return page(
      r,
      <AdminLayout r={r} title={t.title}>
        <h1>{t.heading}</h1>
        <p>{t.none}</p>
      </AdminLayout>,
    );
  }
  const { parsed, choices } = found;
  const keep = { location: location.id, ...filterQuery(parsed.filter) };
  const { items, more, next, first } = keysetPage(found.rows, {
    size: PAGE,
    path: '/admin/bookings',
    keep,
    afterId,
  });
  const problems = parsed.ok ? [] : (Object.keys(parsed.problems) as FilterProblem[]);
  return page(
    r,
    <AdminLayout r={r} title={t.title} script={BOARD_LIVE_SCRIPT_PATH}>
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>
      <LocationSwitch
        r={r}
        action="/admin/bookings"
        locations={found.locations}
        current={location}
      />
      <h2>{location.name}</h2>
      <p class="row">
        <a class="button primary" href={`/admin/bookings/new?location=${location.id}`}>
          {WALK_IN_MESSAGES[r.lang].open}
        </a>
        <a class="button" href={`/admin/bookings/calendar?location=${location.id}&view=day`}>
          {t.calendar.day}
        </a>
        <a class="button" href={`/admin/bookings/calendar?location=${location.id}&view=week`}>
          {t.calendar.week}
        </a>
      </p>
      <p class="muted">{t.zone(zoneText(r, location.timezone))}</p>
      {problems.length ? (
        <div class="notice bad" role="alert">
          {problems.map((p) => (
            <p>{problemText(t, p)}</p>
          ))}
        </div>
      ) : null}
      <FilterForm r={r} location={location} filter={parsed.filter} choices={choices} />
      <p>
        <a class="button" href={`/admin/bookings/export?${queryString(keep)}`} download>
          {t.export}
        </a>{' '}
        <span class="muted">{t.exportHint}</span>
      </p>
      <BoardLive r={r} locationId={location.id} stamp={found.stamp ?? ''} />
      <div id="board-results">
        <p class="muted">{t.found(items.length, more)}</p>
        {items.length === 0 ? <p>{t.none}</p> : null}
        <ul class="cards">
          {items.map((row) => (
            <BookingCard r={r} row={row} zone={location.timezone} />
          ))}
        </ul>
        <Pager r={r} first={first} next={next} />
      </div>
    </AdminLayout>,
    { status: problems.length ? 400 : 200, script: true },
  );
}

/** The booking if this staff member works at its location; undefined: "not here". */
async function visible(r: AdminRequest, id: string) {
  if (!UUID.test(id)) return undefined;
  return asStaff(r, async (tx, tenantId) => {
    const found = await boardBooking(tx, { tenantId, id });
    if (!found) return undefined;
    const mine = (await myLocations(r, tx, tenantId)).some(
      (l) => l.id === found.booking.location_id,
    );
    return mine ? found : undefined;
  });
}

type Found = NonNullable<Awaited<ReturnType<typeof visible>>>;

/** Free starts for moving the visit: the same services on a local day, its master or any. */
interface MoveOptions {
  day: string;
  master: 'same' | 'any';
  slots: { start: number; masterId: string; masterName: string }[];
}

function MoveSection(props: { r: AdminRequest; found: Found; move?: MoveOptions | undefined }) {
  const { r, found, move } = props;
  const t = b(r).actions;
  const { booking } = found;
  const zone = booking.timezone;
  const today = DateTime.fromMillis(r.deps.now(), { zone }).toISODate()!;
  return (
    <section aria-labelledby="move-heading" class="card">
      <h3 id="move-heading">{t.move}</h3>
      <p class="hint">{found.booking.client_in_bot ? t.moveHint : t.moveHintNoBot}</p>
      <form method="get" action={`/admin/bookings/${booking.id}`} class="stacked">
        <div class="pair">
          <TextField name="move_day" type="date" label={t.moveDay} value={move?.day ?? today} />
          <SelectField
            name="move_master"
            label={t.moveMaster}
            value={move?.master ?? 'same'}
            options={[
              { value: 'same', label: `${t.sameMaster} (${booking.master_name})` },
              { value: 'any', label: t.anyMaster },
            ]}
          />
        </div>
        <div class="actions">
          <button type="submit">{t.findTimes}</button>
        </div>
      </form>
      {move ? (
        <>
          <h4>
            {t.timesOn(
              DateTime.fromISO(move.day)
                .setLocale(r.lang)
                .toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' }),
            )}
          </h4>
          {move.slots.length === 0 ? <p>{t.noTimes}</p> : null}
          <ul class="plain row slots">
            {move.slots.map((s) => (
              <li>
                <PostForm r={r} action={`/admin/bookings/${booking.id}/move`} class="inline">
                  <input type="hidden" name="start" value={String(s.start)} />
                  <input type="hidden" name="master" value={s.masterId} />
                  <button type="submit">
                    {formatTime(s.start, zone, r.lang)}
                    {move.master === 'any' ? ` · ${s.masterName}` : ''}
                  </button>
                </PostForm>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function Actions(props: {
  r: AdminRequest;
  found: Found;
  reasonError?: boolean;
  reason?: string;
  move?: MoveOptions | undefined;
}) {
  const { r, found } = props;
  const t = b(r).actions;
  const { booking } = found;
  const upcoming =
    booking.status === 'held' ||
    booking.status === 'pending_payment' ||
    booking.status === 'confirmed';
  const started = booking.start_at.getTime() <= r.deps.now();
  if (!upcoming && !(booking.status === 'confirmed' && started)) return null;
  return (
    <section aria-labelledby="actions-heading">
      <h2 id="actions-heading">{t.heading}</h2>
      {booking.status === 'confirmed' ? (
        <div class="card">
          <p class="hint">{started ? t.outcomeHint : t.notYet}</p>
          {started ? (
            <PostForm r={r} action={`/admin/bookings/${booking.id}/outcome`} class="row">
              <button type="submit" name="outcome" value="completed">
                {t.completed}
              </button>
              <button type="submit" name="outcome" value="no_show" class="danger">
                {t.noShow}
              </button>
            </PostForm>
          ) : null}
        </div>
      ) : null}
      {upcoming && !started ? <MoveSection r={r} found={found} move={props.move} /> : null}
      {upcoming && !started ? (
        <PostForm r={r} action={`/admin/bookings/${booking.id}/cancel`} class="stacked card">
          <p class="hint" id="cancel-hint">
            {booking.client_in_bot ? t.cancelHint : t.cancelHintNoBot}
          </p>
          <TextArea
            name="reason"
            label={booking.client_in_bot ? t.reason : t.reasonNoBot}
            hint={booking.client_in_bot ? t.reasonHint : t.reasonHintNoBot}
            value={props.reason}
            error={props.reasonError ? t.reasonError : undefined}
            maxlength={500}
          />
          <div class="actions">
            <button type="submit" class="danger" aria-describedby="cancel-hint">
              {t.cancel}
            </button>
          </div>
        </PostForm>
      ) : null}
    </section>
  );
}

function detailPage(
  r: AdminRequest,
  found: Found,
  o: {
    notice?: { ok: boolean; text: string };
    reasonError?: boolean;
    reason?: string;
    status?: number;
    move?: MoveOptions | undefined;
    notes?: { value: string; tooLong: boolean };
  } = {},
): Response {
  const t = b(r);
  const d = t.detail;
  const { booking, items, payments, history } = found;
  const zone = booking.timezone;
  const when = formatVisit(booking.start_at.getTime(), booking.end_at.getTime(), zone, r.lang);
  const contacts = [
    booking.client_username ? `@${booking.client_username}` : '',
    booking.client_phone ?? '',
  ]
    .filter(Boolean)
    .join(' · ');
  return page(
    r,
    <AdminLayout r={r} title={`${d.title} · ${when} · Slotbot`} current="/admin/bookings">
      <h1>
        {d.title}: {when}
        <span class={statusBadge(booking.status)}>
          {t.statuses[booking.status] ?? booking.status}
        </span>
      </h1>
      <p class="muted">{t.zone(zoneText(r, zone))}</p>
      {o.notice ? (
        <p class={o.notice.ok ? 'notice ok' : 'notice bad'} role={o.notice.ok ? 'status' : 'alert'}>
          {o.notice.text}
        </p>
      ) : null}
      <dl class="pairs">
        <dt>{d.location}</dt>
        <dd>{booking.location_name}</dd>
        <dt>{d.master}</dt>
        <dd>{booking.master_name}</dd>
        <dt>{d.client}</dt>
        <dd>
          {booking.client_name}
          {booking.client_no_shows > 0 ? (
            <span class="badge bad">{d.noShows(booking.client_no_shows)}</span>
          ) : null}
        </dd>
        {contacts ? (
          <>
            <dt>{d.contacts}</dt>
            <dd>{contacts}</dd>
          </>
        ) : null}
        {booking.client_comment ? (
          <>
            <dt>{d.comment}</dt>
            <dd class="text">{booking.client_comment}</dd>
          </>
        ) : null}
        {booking.client_notes ? (
          <>
            <dt>{d.notes}</dt>
            <dd class="text">{booking.client_notes}</dd>
          </>
        ) : null}
        {booking.hold_expires_at &&
        (booking.status === 'held' || booking.status === 'pending_payment') ? (
          <>
            <dt>{t.statuses[booking.status]}</dt>
            <dd>{d.holdUntil(formatWhen(booking.hold_expires_at.getTime(), zone, r.lang))}</dd>
          </>
        ) : null}
      </dl>
      <h2>{d.items}</h2>
      <div class="table-wrap">
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{d.service}</th>
              <th scope="col">{d.duration}</th>
              <th scope="col">{d.price}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr>
                <td>{i.service_name}</td>
                <td>{i.duration_min}</td>
                <td>{price(r, i.price_minor, i.currency)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{d.total}</th>
              <td />
              <td>
                <strong>{price(r, booking.total_minor, booking.currency)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <h2>{d.payments}</h2>
      {payments.length === 0 ? <p>{d.noPayments}</p> : null}
      <ul class="cards">
        {payments.map((p) => (
          <li class="card">
            <p>
              <strong>{price(r, p.amount_minor, p.currency)}</strong> ·{' '}
              {d.purposes[p.purpose] ?? p.purpose} · {d.providers[p.provider] ?? p.provider}
              <span
                class={
                  p.status === 'succeeded'
                    ? 'badge ok'
                    : p.status === 'failed'
                      ? 'badge bad'
                      : 'badge'
                }
              >
                {d.paymentStatuses[p.status] ?? p.status}
              </span>
            </p>
            {Number(p.refunded_minor) > 0 ? (
              <p class="muted">{d.refunded(price(r, p.refunded_minor, p.currency))}</p>
            ) : null}
            <p class="muted">{formatMoment(p.created_at, r.lang)}</p>
          </li>
        ))}
      </ul>
      <h2>{d.history}</h2>
      <ol class="history">
        {history.map((h) => (
          <li>
            <strong>
              {h.from_status
                ? `${t.statuses[h.from_status] ?? h.from_status} → ${t.statuses[h.to_status] ?? h.to_status}`
                : `${d.created}: ${t.statuses[h.to_status] ?? h.to_status}`}
            </strong>
            {' · '}
            {h.actor_name
              ? `${h.actor_name} (${d.actors[h.actor_kind] ?? h.actor_kind})`
              : (d.actors[h.actor_kind] ?? h.actor_kind)}
            {' · '}
            <span class="muted">{formatWhen(new Date(h.occurred_at).getTime(), zone, r.lang)}</span>
            {h.reason ? <p class="muted text">{h.reason}</p> : null}
          </li>
        ))}
      </ol>
      <ClientNotes r={r} found={found} {...(o.notes ? { typed: o.notes } : {})} />
      <Actions
        r={r}
        found={found}
        move={o.move}
        {...(o.reasonError ? { reasonError: true } : {})}
        {...(o.reason !== undefined ? { reason: o.reason } : {})}
      />
      <p>
        <a href={`/admin/bookings?location=${booking.location_id}`}>{d.back}</a>
      </p>
    </AdminLayout>,
    { status: o.status ?? 200 },
  );
}

const DONE = ['booked', 'cancelled', 'completed', 'no_show', 'moved', 'notes'] as const;

/** Staff's notes on the booking's client: seen on each of the client's visits, never sent to them. */
function ClientNotes(props: {
  r: AdminRequest;
  found: Found;
  typed?: { value: string; tooLong: boolean };
}) {
  const { r, found } = props;
  const t = b(r).clientNotes;
  return (
    <section aria-labelledby="client-notes-heading">
      <h2 id="client-notes-heading">{t.heading}</h2>
      <PostForm r={r} action={`/admin/bookings/${found.booking.id}/notes`} class="stacked card">
        <TextArea
          name="notes"
          label={t.label}
          hint={t.hint}
          value={props.typed?.value ?? found.booking.client_notes ?? ''}
          error={props.typed?.tooLong ? t.tooLong : undefined}
          maxlength={CLIENT_NOTES_MAX}
        />
        <div class="actions">
          <button type="submit">{t.save}</button>
        </div>
      </PostForm>
    </section>
  );
}

/** The free starts asked for (`?move_day=&move_master=`), from the availability engine, for the booking's services. */
async function moveOptions(r: AdminRequest, found: Found): Promise<MoveOptions | undefined> {
  const day = r.query('move_day');
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day) || !DateTime.fromISO(day).isValid) return undefined;
  const master = r.query('move_master') === 'any' ? 'any' : 'same';
  const { booking, items } = found;
  const masterId = master === 'same' ? booking.master_id : undefined;
  const result = await r.deps.booking.findSlots({
    tenantId: r.identity!.tenantId!,
    locationId: booking.location_id,
    serviceIds: items.map((i) => i.service_id),
    ...(masterId ? { masterId } : {}),
    fromDate: day,
    toDate: day,
    actor: actorOf(r),
  });
  const names = new Map(
    (
      await asStaff(r, (tx, tenantId) =>
        boardChoices(tx, { tenantId, locationId: booking.location_id }),
      )
    ).masters.map((m) => [m.id, m.name]),
  );
  const slots = (result?.slots ?? []).flatMap((s) =>
    master === 'same'
      ? [{ start: s.start, masterId: booking.master_id, masterName: booking.master_name }]
      : s.masterIds.map((id) => ({
          start: s.start,
          masterId: id,
          masterName: names.get(id) ?? '—',
        })),
  );
  return { day, master, slots: slots.slice(0, 200) };
}

async function showBooking(r: AdminRequest): Promise<Response> {
  const found = await visible(r, r.param('id'));
  if (!found) return notFound(r);
  const done = r.query('done');
  const notice = DONE.find((d) => d === done);
  const move = await moveOptions(r, found);
  return detailPage(r, found, {
    ...(notice
      ? {
          notice: {
            ok: true,
            text:
              notice === 'notes'
                ? b(r).clientNotes.saved
                : !found.booking.client_in_bot && (notice === 'cancelled' || notice === 'moved')
                  ? b(r).actions.doneNoBot[notice]
                  : b(r).actions.done[notice],
          },
        }
      : {}),
    move,
  });
}

async function moveVisit(r: AdminRequest): Promise<Response> {
  const found = await visible(r, r.param('id'));
  if (!found) return notFound(r);
  const values = await r.form();
  const start = Number(values.start);
  const master = values.master ?? '';
  if (!Number.isSafeInteger(start) || !UUID.test(master))
    return detailPage(r, found, {
      notice: { ok: false, text: b(r).actions.moveRefused },
      status: 400,
    });
  const moved = await r.deps.booking.reschedule(
    r.identity!.tenantId!,
    found.booking.id,
    { start, masterId: master },
    actorOf(r),
  );
  if (moved.kind !== 'rescheduled') {
    const fresh = (await visible(r, found.booking.id)) ?? found;
    return detailPage(r, fresh, {
      notice: {
        ok: false,
        text:
          moved.kind === 'conflict' || moved.kind === 'not_found'
            ? b(r).actions.refused
            : b(r).actions.moveRefused,
      },
      status: 409,
    });
  }
  return redirect(`/admin/bookings/${moved.booking.id}?done=moved`);
}

export const actorOf = (r: AdminRequest) => ({
  kind: r.identity!.role,
  id: r.identity!.staffId,
  correlationId: r.correlationId,
});

async function cancel(r: AdminRequest): Promise<Response> {
  const found = await visible(r, r.param('id'));
  if (!found) return notFound(r);
  const values = await r.form();
  const reason = parseClientMessage(values.reason);
  if (!reason.ok)
    return detailPage(r, found, { reasonError: true, reason: values.reason ?? '', status: 400 });
  const outcome = await r.deps.booking.cancel(
    r.identity!.tenantId!,
    found.booking.id,
    actorOf(r),
    reason.value,
  );
  if (outcome.kind !== 'cancelled') {
    const fresh = (await visible(r, found.booking.id)) ?? found;
    return detailPage(r, fresh, { notice: { ok: false, text: b(r).actions.refused }, status: 409 });
  }
  return redirect(`/admin/bookings/${found.booking.id}?done=cancelled`);
}

/** Saves staff's notes on the booking's client (audited without their text: it is personal data). */
async function saveClientNotes(r: AdminRequest): Promise<Response> {
  const found = await visible(r, r.param('id'));
  if (!found) return notFound(r);
  const typed = (await r.form()).notes ?? '';
  const notes = parseClientNotes(typed);
  if (!notes.ok)
    return detailPage(r, found, { notes: { value: typed, tooLong: true }, status: 400 });
  const me = r.identity!;
  await asStaff(r, async (tx, tenantId) => {
    if (
      !(await setClientNotes(tx, {
        tenantId,
        clientId: found.booking.client_id,
        notes: notes.value,
      }))
    )
      return;
    await insertAudit(tx, {
      tenantId,
      actorStaffId: me.staffId,
      actorRole: me.role,
      action: 'clients.notes',
      targetKind: 'client',
      targetId: found.booking.client_id,
      after: { characters: notes.value?.length ?? 0 },
      correlationId: r.correlationId,
    });
  });
  return redirect(`/admin/bookings/${found.booking.id}?done=notes`);
}

async function markOutcome(r: AdminRequest): Promise<Response> {
  const found = await visible(r, r.param('id'));
  if (!found) return notFound(r);
  const asked = (await r.form()).outcome;
  const outcome = asked === 'completed' || asked === 'no_show' ? asked : undefined;
  if (!outcome)
    return detailPage(r, found, { notice: { ok: false, text: b(r).actions.refused }, status: 400 });
  const result = await r.deps.booking.markOutcome(
    r.identity!.tenantId!,
    found.booking.id,
    outcome,
    actorOf(r),
  );
  if (result.kind !== 'changed') {
    const fresh = (await visible(r, found.booking.id)) ?? found;
    return detailPage(r, fresh, { notice: { ok: false, text: b(r).actions.refused }, status: 409 });
  }
  return redirect(`/admin/bookings/${found.booking.id}?done=${outcome}`);
}

/**
 * The filtered list as CSV (UTF-8 with BOM), streamed a batch of rows per transaction: memory stays
 * flat for any length. Audited when it starts; at most 10 exports in 10 minutes per person.
 */
async function exportCsv(r: AdminRequest): Promise<Response> {
  const t = b(r);
  const me = r.identity!;
  const start = await asStaff(r, async (tx, tenantId) => {
    const { location } = await boardLocation(r, tx, tenantId);
    if (!location || (r.query('location') !== undefined && r.query('location') !== location.id))
      return { kind: 'not_found' as const };
    const parsed = filterOf(r, location.timezone);
    if (!parsed.ok) return { kind: 'invalid' as const };
    const recent = await exportsSince(tx, {
      tenantId,
      staffId: me.staffId,
      since: new Date(r.deps.now() - EXPORT_LIMIT.windowMs),
    });
    if (recent >= EXPORT_LIMIT.count) return { kind: 'limited' as const };
    await insertAudit(tx, {
      tenantId,
      actorStaffId: me.staffId,
      actorRole: me.role,
      action: 'bookings.export',
      targetKind: 'location',
      targetId: location.id,
      after: { ...filterQuery(parsed.filter), contacts: exportsContacts(me.role) },
      correlationId: r.correlationId,
    });
    return { kind: 'ok' as const, location, filter: parsed.filter };
  });
  if (start.kind === 'not_found') return notFound(r);
  if (start.kind === 'invalid') return redirect(`/admin/bookings?${r.url.searchParams.toString()}`);
  if (start.kind === 'limited') return errorPage(r, 429, t.exportLimited, t.exportLimitedHow);
  const { location, filter } = start;
  const withContacts = exportsContacts(me.role);
  const { from, to } = boardWindow(filter, location.timezone);
  const encoder = new TextEncoder();
  let afterId: string | undefined;
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(CSV_BOM + exportHeader(t.csv, withContacts)));
        return;
      }
      const rows = await asStaff(r, (tx, tenantId) =>
        boardPage(tx, {
          tenantId,
          locationId: location.id,
          from,
          to,
          ...filter,
          afterId,
          limit: EXPORT_BATCH,
        }),
      );
      if (rows.length === 0) return controller.close();
      afterId = rows.at(-1)!.id;
      const status = (s: string) => t.statuses[s] ?? s;
      controller.enqueue(
        encoder.encode(
          rows
            .map((row) =>
              exportRow(row, {
                zone: location.timezone,
                location: location.name,
                withContacts,
                status,
              }),
            )
            .join(''),
        ),
      );
      if (rows.length < EXPORT_BATCH) controller.close();
    },
  });
  const filename = `bookings-${filter.fromDate}_${filter.toDate}.csv`;
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** The location's change stamp (JSON), which an open board polls. */
async function stamp(r: AdminRequest): Promise<Response> {
  const value = await asStaff(r, async (tx, tenantId) => {
    const { location } = await boardLocation(r, tx, tenantId);
    // The location asked for, if this staff member works there; none asked: their first, as the pages do.
    const asked = r.query('location');
    return location && (asked === undefined || location.id === asked)
      ? boardStamp(tx, { tenantId, locationId: location.id })
      : undefined;
  });
  if (value === undefined)
    return Response.json(
      { type: 'about:blank', title: 'Not found', status: 404 },
      {
        status: 404,
        headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
      },
    );
  return Response.json({ stamp: value }, { headers: { 'cache-control': 'no-store' } });
}

export const BOOKING_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/bookings', access: STAFF, handle: listPage },
  { method: 'GET', path: '/bookings/export', access: STAFF, handle: exportCsv },
  { method: 'GET', path: '/bookings/stamp', access: STAFF, handle: stamp },
  { method: 'GET', path: '/bookings/:id', access: STAFF, handle: showBooking },
  { method: 'POST', path: '/bookings/:id/cancel', access: STAFF, handle: cancel },
  { method: 'POST', path: '/bookings/:id/outcome', access: STAFF, handle: markOutcome },
  { method: 'POST', path: '/bookings/:id/move', access: STAFF, handle: moveVisit },
  { method: 'POST', path: '/bookings/:id/notes', access: STAFF, handle: saveClientNotes },
];

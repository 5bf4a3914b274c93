/** @jsxImportSource hono/jsx */
import { DateTime } from 'luxon';
import { insertAudit } from '../../db/queries/admin.ts';
import {
  bookableChoices,
  boardClient,
  clientByPhoneDigits,
  findClients,
  insertWalkInClient,
  type BoardClient,
} from '../../db/queries/walk-in.ts';
import type { StaffLocation } from '../../db/queries/catalog-admin.ts';
import type { BookResult } from '../../tenants/booking/results.ts';
import { formatTime, formatWhen } from '../../tenants/i18n/format.ts';
import { formatMoney, money } from '../../tenants/money/money.ts';
import {
  isLocalDate,
  localInstant,
  parseNewClient,
  parseOverrideReason,
  phoneDigitsOf,
  type ClientProblem,
} from '../../tenants/board/walk-in.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import {
  CheckboxGroup,
  ProblemSummary,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../form-fields.tsx';
import { WALK_IN_MESSAGES, type WalkInMessages } from '../i18n/walk-in-messages.ts';
import { LocationSwitch } from '../location-switch.tsx';
import { queryString } from '../pager.tsx';
import { errorPage } from '../pages/error.tsx';
import { page, redirect, type AdminRequest, type AdminRoute } from '../request.ts';
import { actorOf, asStaff, boardLocation, notFound } from './bookings.tsx';

/**
 * A booking for a client on the phone or at the desk (owners and managers, their locations): find
 * the client or add one without Telegram, choose services, a master or any and a day, book one of
 * the engine's free times through the booking service as staff; the visit is confirmed at once
 * (paid at the venue). An owner may book a time the schedule does not offer, with a reason that
 * book_slot keeps in the booking's history.
 */
const STAFF = ['owner', 'manager'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^walkin:[0-9a-f-]{36}$/;
const MAX_MATCHES = 20;
const MAX_SERVICES = 10;

const m = (r: AdminRequest): WalkInMessages => WALK_IN_MESSAGES[r.lang];
const isOwner = (r: AdminRequest) => r.identity!.role === 'owner';

type OverrideProblem = 'needMaster' | 'badTime' | 'reasonMissing' | 'reasonLong';

/** What the page was asked for: from the query (GET) or the form (POST). */
interface Asked {
  locationId: string | undefined;
  clientId: string | undefined;
  search: string | undefined;
  serviceIds: string[];
  /** A master's id, or '' for any master. */
  master: string;
  day: string | undefined;
}

interface View {
  locations: StaffLocation[];
  location: StaffLocation;
  choices: Awaited<ReturnType<typeof bookableChoices>>;
  asked: Asked;
  day: string;
  client?: BoardClient | undefined;
  matches?: BoardClient[] | undefined;
  slots?: { start: number; masterIds: string[] }[] | undefined;
  visitProblem?: 'pickServices' | 'badDay' | undefined;
  /** A refusal or a problem, said at the top. */
  alert?: string | undefined;
  newClient?: {
    values: Record<string, string>;
    problems: Partial<Record<'name' | 'phone', ClientProblem>>;
    existing?: BoardClient | undefined;
  };
  override?: { time: string; reason: string; problem?: OverrideProblem | undefined };
}

const askedOf = (get: (name: string) => string | undefined, all: string[]): Asked => ({
  locationId: get('location'),
  clientId: get('client'),
  search: get('q')?.trim().slice(0, 100) || undefined,
  serviceIds: [...new Set(all)].slice(0, MAX_SERVICES),
  master: get('master') ?? '',
  day: get('day'),
});

/** The page's address with these choices kept. */
function urlOf(location: string, asked: Partial<Asked>): string {
  const params: Record<string, string | string[]> = { location };
  if (asked.clientId) params.client = asked.clientId;
  if (asked.search) params.q = asked.search;
  if (asked.serviceIds?.length) params.service = asked.serviceIds;
  if (asked.master) params.master = asked.master;
  if (asked.day) params.day = asked.day;
  return `/admin/bookings/new?${queryString(params)}`;
}

/**
 * Loads what the page shows: the location (404 when not this staff member's), the client chosen,
 * the clients matching a search, and the engine's free times for the services on the day.
 */
async function load(r: AdminRequest, asked: Asked): Promise<View | undefined> {
  const found = await asStaff(r, async (tx, tenantId) => {
    const { locations, location } = await boardLocation(r, tx, tenantId);
    if (!location || (asked.locationId !== undefined && asked.locationId !== location.id))
      return undefined;
    const client =
      asked.clientId && UUID.test(asked.clientId)
        ? await boardClient(tx, { tenantId, id: asked.clientId })
        : undefined;
    const matches =
      !client && asked.search
        ? await findClients(tx, {
            tenantId,
            search: asked.search,
            digits: phoneDigitsOf(asked.search),
            limit: MAX_MATCHES,
          })
        : undefined;
    const choices = await bookableChoices(tx, { tenantId, locationId: location.id });
    return { locations, location, client, matches, choices };
  });
  if (!found) return undefined;
  const { location, choices } = found;
  const today = DateTime.fromMillis(r.deps.now(), { zone: location.timezone }).toISODate()!;
  const view: View = { ...found, asked, day: isLocalDate(asked.day) ? asked.day : today };
  if (asked.clientId && !found.client) view.alert = m(r).refused.client;
  if (!found.client || asked.day === undefined) return view;
  if (!isLocalDate(asked.day)) return { ...view, visitProblem: 'badDay' };
  const serviceIds = asked.serviceIds.filter((id) => choices.services.some((s) => s.id === id));
  if (serviceIds.length === 0) return { ...view, visitProblem: 'pickServices' };
  const master = choices.masters.some((x) => x.id === asked.master) ? asked.master : '';
  const result = await r.deps.booking.findSlots({
    tenantId: r.identity!.tenantId!,
    locationId: location.id,
    serviceIds,
    ...(master ? { masterId: master } : {}),
    fromDate: asked.day,
    toDate: asked.day,
    actor: actorOf(r),
  });
  if (!result) return { ...view, alert: m(r).refused.changed };
  return {
    ...view,
    asked: { ...asked, serviceIds, master },
    slots: result.slots.slice(0, 200),
  };
}

function ClientCard(props: { r: AdminRequest; client: BoardClient }) {
  const { r, client } = props;
  const t = m(r).client;
  return (
    <>
      <strong>{client.name}</strong>
      {client.username ? ` · @${client.username}` : ''}
      {client.phone ? ` · ${client.phone}` : ''}
      <span class="badge">{t.sources[client.source]}</span>
      {client.no_show_count > 0 ? (
        <span class="badge bad">{t.noShows(client.no_show_count)}</span>
      ) : null}
    </>
  );
}

function ClientStep(props: { r: AdminRequest; view: View }) {
  const { r, view } = props;
  const t = m(r);
  const { location, asked, client } = view;
  if (client)
    return (
      <section aria-labelledby="client-heading" class="card">
        <h2 id="client-heading">{t.client.heading}</h2>
        <p>
          {t.client.chosen}: <ClientCard r={r} client={client} />
        </p>
        <p>
          <a href={urlOf(location.id, { ...asked, clientId: undefined })}>{t.client.change}</a>
        </p>
      </section>
    );
  const nc = view.newClient;
  const problems = nc?.problems ?? {};
  const source = nc?.values.source === 'walk_in' ? 'walk_in' : 'phone';
  return (
    <section aria-labelledby="client-heading" class="card">
      <h2 id="client-heading">{t.client.heading}</h2>
      <form method="get" action="/admin/bookings/new" class="stacked">
        <input type="hidden" name="location" value={location.id} />
        <TextField
          name="q"
          type="search"
          label={t.client.find}
          hint={t.client.findHint}
          value={asked.search ?? ''}
          maxlength={100}
          autocomplete="off"
        />
        <div class="actions">
          <button type="submit">{t.client.search}</button>
        </div>
      </form>
      {view.matches ? (
        view.matches.length === 0 ? (
          <p role="status">{t.client.noMatches(asked.search ?? '')}</p>
        ) : (
          <ul class="cards" aria-label={t.client.find}>
            {view.matches.map((c) => (
              <li class="card">
                <p>
                  <ClientCard r={r} client={c} />
                </p>
                <p>
                  <a class="button" href={urlOf(location.id, { clientId: c.id })}>
                    {t.client.choose}
                    <span class="visually-hidden"> {c.name}</span>
                  </a>
                </p>
              </li>
            ))}
          </ul>
        )
      ) : null}
      <h3 id="new-client-heading">{t.newClient.heading}</h3>
      <ProblemSummary text={problems.name || problems.phone ? t.newClient.summary : undefined} />
      {nc?.existing ? (
        <div class="notice bad" role="alert">
          <p>{t.newClient.exists(nc.existing.name)}</p>
          <p>
            <a class="button" href={urlOf(location.id, { clientId: nc.existing.id })}>
              {t.newClient.useExisting}
            </a>
          </p>
        </div>
      ) : null}
      <PostForm r={r} action="/admin/bookings/new/client" class="stacked">
        <input type="hidden" name="location" value={location.id} />
        <RadioGroup
          id="source"
          name="source"
          row
          legend={t.newClient.source}
          value={source}
          items={[
            { value: 'phone', label: t.newClient.phone },
            { value: 'walk_in', label: t.newClient.walkIn },
          ]}
        />
        <TextField
          name="name"
          label={t.newClient.name}
          hint={t.newClient.nameHint}
          value={nc?.values.name ?? ''}
          error={problems.name ? t.newClient.problems[problems.name] : undefined}
          maxlength={200}
          autocomplete="off"
        />
        <TextField
          name="phone"
          type="tel"
          label={t.newClient.phoneLabel}
          hint={t.newClient.phoneHint}
          value={nc?.values.phone ?? ''}
          error={problems.phone ? t.newClient.problems[problems.phone] : undefined}
          maxlength={40}
          autocomplete="off"
        />
        <SelectField
          name="language"
          label={t.newClient.language}
          hint={t.newClient.languageHint}
          value={nc?.values.language ?? r.lang}
          options={[
            { value: 'en', label: 'English' },
            { value: 'ru', label: 'Русский' },
          ]}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {t.newClient.add}
          </button>
        </div>
      </PostForm>
    </section>
  );
}

/** The fields every booking form carries: where, for whom, what. */
function Chosen(props: { view: View; withMaster?: boolean }) {
  const { view } = props;
  return (
    <>
      <input type="hidden" name="location" value={view.location.id} />
      <input type="hidden" name="client" value={view.client!.id} />
      <input type="hidden" name="day" value={view.day} />
      {view.asked.serviceIds.map((id) => (
        <input type="hidden" name="service" value={id} />
      ))}
      {props.withMaster !== false ? (
        <input type="hidden" name="master" value={view.asked.master} />
      ) : null}
    </>
  );
}

function VisitStep(props: { r: AdminRequest; view: View }) {
  const { r, view } = props;
  const t = m(r);
  const { location, asked, choices } = view;
  const zone = location.timezone;
  const masterName = (id: string) => choices.masters.find((x) => x.id === id)?.name ?? '—';
  const ov = view.override;
  return (
    <section aria-labelledby="visit-heading" class="card">
      <h2 id="visit-heading">{t.visit.heading}</h2>
      <form method="get" action="/admin/bookings/new" class="stacked">
        <input type="hidden" name="location" value={location.id} />
        <input type="hidden" name="client" value={view.client!.id} />
        <CheckboxGroup
          id="services"
          legend={t.visit.services}
          hint={t.visit.servicesHint}
          error={view.visitProblem === 'pickServices' ? t.visit.pickServices : undefined}
          items={choices.services.map((s) => ({
            name: 'service',
            value: s.id,
            label: `${s.name} · ${t.visit.minutes(s.duration_min)} · ${formatMoney(money(s.price_minor, location.currency), r.lang)}`,
            checked: asked.serviceIds.includes(s.id),
          }))}
        />
        <div class="pair">
          <SelectField
            name="master"
            label={t.visit.master}
            value={asked.master}
            options={[
              { value: '', label: t.visit.anyMaster },
              ...choices.masters.map((x) => ({ value: x.id, label: x.name })),
            ]}
          />
          <TextField
            name="day"
            type="date"
            label={t.visit.day}
            value={view.day}
            error={view.visitProblem === 'badDay' ? t.visit.badDay : undefined}
          />
        </div>
        <div class="actions">
          <button type="submit">{t.visit.findTimes}</button>
        </div>
      </form>
      {view.slots ? (
        <>
          <h3 id="times-heading">
            {t.visit.timesOn(
              DateTime.fromISO(view.day)
                .setLocale(r.lang)
                .toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' }),
            )}
          </h3>
          {view.slots.length === 0 ? <p>{t.visit.noTimes}</p> : null}
          <ul class="plain row slots" aria-labelledby="times-heading">
            {view.slots.map((s) => (
              <li>
                <PostForm r={r} action="/admin/bookings/new" class="inline">
                  <Chosen view={view} />
                  <input type="hidden" name="start" value={String(s.start)} />
                  <input type="hidden" name="key" value={`walkin:${crypto.randomUUID()}`} />
                  <button type="submit">
                    <span class="visually-hidden">
                      {t.visit.book(formatWhen(s.start, zone, r.lang))}:{' '}
                    </span>
                    {formatTime(s.start, zone, r.lang)}
                    {asked.master || s.masterIds.length !== 1
                      ? ''
                      : ` · ${masterName(s.masterIds[0]!)}`}
                  </button>
                </PostForm>
              </li>
            ))}
          </ul>
          {isOwner(r) ? (
            <details class="override" open={ov ? true : undefined}>
              <summary>{t.override.heading}</summary>
              <p class="hint">{t.override.hint}</p>
              {ov?.problem === 'needMaster' ? (
                <p class="field-error" role="alert">
                  {t.override.needMaster}
                </p>
              ) : null}
              <PostForm r={r} action="/admin/bookings/new" class="stacked">
                <Chosen view={view} />
                <input type="hidden" name="key" value={`walkin:${crypto.randomUUID()}`} />
                <TextField
                  name="time"
                  type="time"
                  label={t.override.time}
                  hint={t.override.timeHint}
                  value={ov?.time ?? ''}
                  error={ov?.problem === 'badTime' ? t.override.badTime : undefined}
                />
                <TextArea
                  name="reason"
                  label={t.override.reason}
                  hint={t.override.reasonHint}
                  value={ov?.reason ?? ''}
                  maxlength={400}
                  error={
                    ov?.problem === 'reasonMissing'
                      ? t.override.reasonMissing
                      : ov?.problem === 'reasonLong'
                        ? t.override.reasonLong
                        : undefined
                  }
                />
                <div class="actions">
                  <button type="submit">{t.override.submit}</button>
                </div>
              </PostForm>
            </details>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function newPage(r: AdminRequest, view: View, status = 200): Response {
  const t = m(r);
  return page(
    r,
    <AdminLayout r={r} title={t.title} current="/admin/bookings">
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>
      <LocationSwitch
        r={r}
        action="/admin/bookings/new"
        locations={view.locations}
        current={view.location}
      />
      {view.alert ? (
        <div class="notice bad" role="alert">
          <p>{view.alert}</p>
        </div>
      ) : null}
      <div class="steps">
        <ClientStep r={r} view={view} />
        {view.client ? <VisitStep r={r} view={view} /> : null}
      </div>
      <p>
        <a href={`/admin/bookings?location=${view.location.id}`}>{t.back}</a>
      </p>
    </AdminLayout>,
    { status },
  );
}

async function showNew(r: AdminRequest): Promise<Response> {
  const asked = askedOf((name) => r.query(name), r.url.searchParams.getAll('service'));
  const view = await load(r, asked);
  if (!view) return notFound(r);
  return newPage(r, view, view.visitProblem ? 400 : 200);
}

/** Adds a client without Telegram (a phone number found on another client: that one is offered). */
async function addClient(r: AdminRequest): Promise<Response> {
  const values = await r.form();
  const asked = askedOf((name) => values[name], []);
  const parsed = parseNewClient(values);
  const me = r.identity!;
  const outcome = await asStaff(r, async (tx, tenantId) => {
    const { location } = await boardLocation(r, tx, tenantId);
    if (!location || location.id !== asked.locationId) return { kind: 'not_found' as const };
    if (!parsed.ok) return { kind: 'invalid' as const };
    const { client } = parsed;
    const digits = client.phone?.replace(/[^0-9]/g, '');
    const existing = digits ? await clientByPhoneDigits(tx, { tenantId, digits }) : undefined;
    if (existing) return { kind: 'exists' as const, existing };
    const id = await insertWalkInClient(tx, { tenantId, ...client });
    await insertAudit(tx, {
      tenantId,
      actorStaffId: me.staffId,
      actorRole: me.role,
      action: 'clients.create',
      targetKind: 'client',
      targetId: id,
      after: { source: client.source, name: client.name, language: client.language },
      correlationId: r.correlationId,
    });
    return { kind: 'created' as const, id, location };
  });
  if (outcome.kind === 'not_found') return notFound(r);
  if (outcome.kind === 'created')
    return redirect(urlOf(outcome.location.id, { clientId: outcome.id }));
  const view = await load(r, { ...asked, clientId: undefined, search: undefined });
  if (!view) return notFound(r);
  return newPage(
    r,
    {
      ...view,
      newClient: {
        values: {
          source: values.source ?? '',
          name: values.name ?? '',
          phone: values.phone ?? '',
          language: values.language ?? '',
        },
        problems: parsed.ok ? {} : parsed.problems,
        existing: outcome.kind === 'exists' ? outcome.existing : undefined,
      },
    },
    outcome.kind === 'exists' ? 409 : 400,
  );
}

/** What a refused booking says, in the page's language. */
function refusalText(
  r: AdminRequest,
  refused: Exclude<BookResult, { kind: 'booked' }>,
  zone: string,
) {
  const t = m(r).refused;
  switch (refused.kind) {
    case 'slot_taken':
      return t.slotTaken;
    case 'policy_blocked':
      return refused.rule === 'lead_time'
        ? t.leadTime
        : refused.rule === 'horizon'
          ? t.horizon
          : refused.rule === 'same_day_cutoff'
            ? t.cutoff
            : isOwner(r)
              ? t.outsideScheduleOwner
              : t.outsideSchedule;
    case 'tenant_unavailable':
      if (refused.reason === 'suspended') return t.suspended;
      return refused.until
        ? t.maintenanceUntil(formatWhen(Date.parse(refused.until), zone, r.lang))
        : t.maintenance;
    case 'location_unavailable':
      return t.location;
    case 'service_unavailable':
      return t.service;
    case 'master_unavailable':
      return t.master;
    default:
      return t.changed;
  }
}

/**
 * Books a free time (or, for an owner, any time with a reason) through the booking service as
 * this staff member, confirms it (paid at the venue) and audits it. A refusal shows the page
 * again with the reason and the free times as they are now.
 */
async function book(r: AdminRequest): Promise<Response> {
  const values = await r.form();
  const asked = askedOf((name) => values[name], await r.formAll('service'));
  const view = await load(r, asked);
  if (!view) return notFound(r);
  if (!view.client) return newPage(r, { ...view, alert: m(r).refused.client }, 400);
  const zone = view.location.timezone;
  const wantsOverride = values.time !== undefined || values.reason !== undefined;
  if (wantsOverride && !isOwner(r))
    return errorPage(r, 403, m(r).override.ownersOnly, m(r).override.ownersOnlyHow);
  if (view.visitProblem || !view.slots) return newPage(r, view, 400);
  let start = Number(values.start);
  let reason: string | undefined;
  if (wantsOverride) {
    const back = (problem: OverrideProblem) =>
      newPage(
        r,
        { ...view, override: { time: values.time ?? '', reason: values.reason ?? '', problem } },
        400,
      );
    if (!view.asked.master) return back('needMaster');
    const at = localInstant(view.day, values.time ?? '', zone);
    if (at === undefined) return back('badTime');
    const parsed = parseOverrideReason(values.reason);
    if (!parsed.ok) return back(parsed.problem === 'missing' ? 'reasonMissing' : 'reasonLong');
    start = at;
    reason = parsed.value;
  }
  const key = values.key ?? '';
  if (!Number.isSafeInteger(start) || !KEY.test(key))
    return newPage(r, { ...view, alert: m(r).refused.changed }, 400);
  const me = r.identity!;
  const tenantId = me.tenantId!;
  const actor = actorOf(r);
  const booked = await r.deps.booking.book({
    tenantId,
    locationId: view.location.id,
    clientId: view.client.id,
    serviceIds: view.asked.serviceIds,
    start,
    ...(view.asked.master ? { masterId: view.asked.master } : {}),
    // The override form keeps its key across the times typed into it: each time is its own request.
    idempotencyKey: reason ? `${key}:${start}` : key,
    actor,
    ...(reason ? { override: { reason } } : {}),
  });
  if (booked.kind !== 'booked') {
    // The free times as they are now, under the reason.
    const fresh = (await load(r, view.asked)) ?? view;
    return newPage(
      r,
      {
        ...fresh,
        alert: refusalText(r, booked, zone),
        ...(reason ? { override: { time: values.time ?? '', reason } } : {}),
      },
      409,
    );
  }
  const id = booked.booking.id;
  if (!booked.replayed) {
    // Staff-made bookings are not paid online: confirmed at once, the payment taken at the venue.
    const confirmed = await r.deps.booking.confirmPayAtVenue(tenantId, id, actor);
    if (confirmed.kind !== 'changed')
      r.logger.warn({ event: 'walk_in_confirm_refused', booking_id: id, state: confirmed.kind });
    await asStaff(r, (tx) =>
      insertAudit(tx, {
        tenantId,
        actorStaffId: me.staffId,
        actorRole: me.role,
        action: 'bookings.create',
        targetKind: 'booking',
        targetId: id,
        after: {
          client: view.client!.id,
          services: view.asked.serviceIds,
          master: booked.booking.masterId,
          start: new Date(booked.booking.start).toISOString(),
          ...(reason ? { override: reason } : {}),
        },
        correlationId: r.correlationId,
      }),
    );
  }
  return redirect(`/admin/bookings/${id}?done=booked`);
}

export const NEW_BOOKING_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/bookings/new', access: STAFF, handle: showNew },
  { method: 'POST', path: '/bookings/new', access: STAFF, handle: book },
  { method: 'POST', path: '/bookings/new/client', access: STAFF, handle: addClient },
];

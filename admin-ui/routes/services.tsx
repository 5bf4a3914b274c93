/** @jsxImportSource hono/jsx */
import type { Transaction } from '../../db/port.ts';
import { asTenant } from '../../db/scope.ts';
import { insertAudit } from '../../db/queries/admin.ts';
import {
  locationsOfStaff,
  serviceById,
  servicesAt,
  updateService,
  type EditableService,
  type StaffLocation,
} from '../../db/queries/catalog-admin.ts';
import { insertService } from '../../db/queries/setup.ts';
import { formatMoney, money } from '../../tenants/money/money.ts';
import { moneyInputText } from '../../tenants/admin/location-input.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import { CheckboxGroup, ProblemSummary, TextField } from '../form-fields.tsx';
import { CATALOG_MESSAGES, type CatalogMessages } from '../i18n/catalog-messages.ts';
import { SIGNUP_MESSAGES } from '../i18n/signup-messages.ts';
import { WEB_LANGUAGES } from '../i18n/languages.ts';
import { afterIdOf, keysetPage, Pager } from '../pager.tsx';
import { errorPage } from '../pages/error.tsx';
import { page, redirect, tenantScope, type AdminRequest, type AdminRoute } from '../request.ts';
import { checkServiceForm, type Errors } from '../service-input.ts';
import { saveWithAffected } from '../affected-bookings.tsx';
import { LocationSwitch, SavedNotice } from '../location-switch.tsx';
import { AFFECTED_MESSAGES } from '../i18n/affected-messages.ts';
import { upcomingVisits } from '../../db/queries/affected-visits.ts';
import { BLOCKING_STATES } from '../../tenants/booking/state-machine.ts';

/**
 * The services editor (owners and managers; a manager limited to some locations sees only
 * theirs): per location, every service with its names per language, duration, price as people
 * write money in the location's currency, whether clients can book it, and its place in the
 * list. Saved as the tenant with the audit entry in the same transaction; the bot's catalog
 * version moves with it, so clients see the change on their next screen.
 */
const EDITORS = ['owner', 'manager'] as const;
/** Services per page of the list. */
const PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const text = (r: AdminRequest): CatalogMessages => CATALOG_MESSAGES[r.lang];
const asStaff = <T,>(r: AdminRequest, fn: (tx: Transaction, tenantId: string) => Promise<T>) =>
  asTenant(r.deps.db, tenantScope(r.identity!), (tx) => fn(tx, r.identity!.tenantId!));
const myLocations = (r: AdminRequest, tx: Transaction, tenantId: string) =>
  locationsOfStaff(tx, { tenantId, staffId: r.identity!.staffId, role: r.identity!.role });
const price = (r: AdminRequest, minor: number, currency: string) =>
  formatMoney(money(minor, currency), r.lang);
/** A language's name in the reader's language ("Russian", "русский"). */
const languageName = (lang: string, code: string) =>
  new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
const notFound = (r: AdminRequest) =>
  errorPage(r, 404, r.t.errors.notFound, r.t.errors.notFoundHow);

function ServiceRow(props: { r: AdminRequest; s: EditableService; location: StaffLocation }) {
  const { r, s, location } = props;
  const t = text(r);
  const translated = Object.entries(s.names)
    .map(([lang, name]) => `${lang}: ${name}`)
    .join(' · ');
  return (
    <li class="card">
      <p>
        <strong>{s.name}</strong>
        {s.active ? null : <span class="badge bad">{t.inactive}</span>}
      </p>
      {translated ? <p class="muted">{translated}</p> : null}
      <p>
        {t.minutes(s.duration_min)} · {price(r, s.price_minor, location.currency)}
        {s.upcoming > 0 ? <span class="muted"> · {t.upcoming(s.upcoming)}</span> : null}
      </p>
      <p>
        <a href={`/admin/services/${s.id}`}>
          {t.edit}
          <span class="visually-hidden"> {s.name}</span>
        </a>
      </p>
    </li>
  );
}

async function listPage(r: AdminRequest): Promise<Response> {
  const t = text(r);
  const afterId = afterIdOf(r);
  const found = await asStaff(r, async (tx, tenantId) => {
    const locations = await myLocations(r, tx, tenantId);
    const asked = r.query('location');
    const location = locations.find((l) => l.id === asked) ?? locations[0];
    return {
      locations,
      location,
      rows: location
        ? await servicesAt(tx, { tenantId, locationId: location.id, afterId, limit: PAGE + 1 })
        : [],
    };
  });
  const {
    items: services,
    next,
    first,
  } = keysetPage(found.rows, {
    size: PAGE,
    path: '/admin/services',
    keep: found.location ? { location: found.location.id } : {},
    afterId,
  });
  return page(
    r,
    <AdminLayout r={r} title={t.title}>
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>
      <SavedNotice r={r} messages={t.saved} />
      <LocationSwitch
        r={r}
        action="/admin/services"
        locations={found.locations}
        current={found.location}
      />
      {found.location ? (
        <>
          <h2>{found.location.name}</h2>
          <p>
            <a class="button primary" href={`/admin/services/new?location=${found.location.id}`}>
              {t.add}
            </a>
          </p>
          {services.length === 0 ? <p>{t.none}</p> : null}
          <ul class="cards">
            {services.map((s) => (
              <ServiceRow r={r} s={s} location={found.location!} />
            ))}
          </ul>
          <Pager r={r} first={first} next={next} />
        </>
      ) : (
        <p>{SIGNUP_MESSAGES[r.lang].setup.service.needs}</p>
      )}
    </AdminLayout>,
  );
}

function serviceForm(
  r: AdminRequest,
  p: {
    location: StaffLocation;
    service?: EditableService;
    values: Record<string, string>;
    errors?: Errors;
    status?: number;
  },
): Response {
  const t = text(r);
  const f = SIGNUP_MESSAGES[r.lang].setup.serviceForm;
  const errors = p.errors ?? {};
  const action = p.service
    ? `/admin/services/${p.service.id}`
    : `/admin/services/new?location=${p.location.id}`;
  return page(
    r,
    <AdminLayout
      r={r}
      title={`${p.service ? t.form.editTitle : t.form.newTitle} · Slotbot`}
      current="/admin/services"
    >
      <h1>{p.service ? t.form.editTitle : t.form.newTitle}</h1>
      <p class="lead">{p.location.name}</p>
      <ProblemSummary
        text={
          Object.values(errors).some(Boolean) ? SIGNUP_MESSAGES[r.lang].setup.problem : undefined
        }
      />
      <PostForm r={r} action={action} class="stacked">
        <TextField
          name="name"
          label={f.name}
          hint={f.nameHint}
          value={p.values.name}
          error={errors.name}
          required
          maxlength={100}
        />
        <fieldset class="choices">
          <legend>{t.form.translations}</legend>
          <p class="hint">{t.form.translationsHint}</p>
          {WEB_LANGUAGES.map((l) => (
            <TextField
              name={`name_${l.code}`}
              label={t.form.nameIn(languageName(r.lang, l.code))}
              value={p.values[`name_${l.code}`]}
              error={errors[`name_${l.code}`]}
              maxlength={100}
            />
          ))}
        </fieldset>
        <TextField
          name="duration"
          label={f.duration}
          hint={f.durationHint}
          value={p.values.duration}
          error={errors.duration}
          required
          inputmode="numeric"
          maxlength={5}
        />
        <TextField
          name="price"
          label={f.price(p.location.currency)}
          hint={f.priceHint}
          value={p.values.price}
          error={errors.price}
          required
          inputmode="decimal"
          maxlength={20}
        />
        <CheckboxGroup
          id="active"
          legend={t.form.active}
          hint={t.form.activeHint(p.service?.upcoming ?? 0)}
          items={[{ name: 'active', label: t.form.active, checked: p.values.active === 'on' }]}
        />
        <TextField
          name="sort_order"
          label={t.form.order}
          hint={t.form.orderHint}
          value={p.values.sort_order}
          error={errors.sort_order}
          inputmode="numeric"
          maxlength={4}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {t.form.save}
          </button>
          <a href={`/admin/services?location=${p.location.id}`}>{t.form.back}</a>
        </div>
      </PostForm>
    </AdminLayout>,
    { status: p.status ?? 200 },
  );
}

const valuesOf = (s: EditableService, currency: string): Record<string, string> => ({
  name: s.name,
  ...Object.fromEntries(Object.entries(s.names).map(([lang, name]) => [`name_${lang}`, name])),
  duration: String(s.duration_min),
  price: moneyInputText(s.price_minor, currency),
  active: s.active ? 'on' : '',
  sort_order: String(s.sort_order),
});

/** The service (and its location) if this staff member may edit it; undefined: "not here". */
async function editable(
  r: AdminRequest,
  id: string,
): Promise<{ service: EditableService; location: StaffLocation } | undefined> {
  if (!UUID.test(id)) return undefined;
  return asStaff(r, async (tx, tenantId) => {
    const service = await serviceById(tx, { tenantId, id });
    const location =
      service && (await myLocations(r, tx, tenantId)).find((l) => l.id === service.location_id);
    return service && location ? { service, location } : undefined;
  });
}

/** The location of `?location=` if this staff member works with it; none asked: their first. */
async function locationFor(r: AdminRequest): Promise<StaffLocation | undefined> {
  const id = r.query('location');
  if (id !== undefined && !UUID.test(id)) return undefined;
  return asStaff(r, async (tx, tenantId) => {
    const mine = await myLocations(r, tx, tenantId);
    return id === undefined ? mine[0] : mine.find((l) => l.id === id);
  });
}

/** Checks the form; the order a whole number 0..9999 (empty: last). */
function check(r: AdminRequest, values: Record<string, string>, currency: string) {
  const checked = checkServiceForm(r.lang, values, currency);
  const orderText = (values.sort_order ?? '').trim();
  const orderOk = orderText === '' || (/^\d{1,4}$/.test(orderText) && Number(orderText) <= 9999);
  if (!checked.ok || !orderOk)
    return {
      ok: false as const,
      errors: {
        ...(checked.ok ? {} : checked.errors),
        sort_order: orderOk ? undefined : text(r).form.orderError,
      },
    };
  return {
    ok: true as const,
    value: checked.value,
    active: values.active === 'on',
    sortOrder: orderText === '' ? undefined : Number(orderText),
  };
}

async function create(r: AdminRequest): Promise<Response> {
  const location = await locationFor(r);
  if (!location) return notFound(r);
  const values = await r.form();
  const c = check(r, values, location.currency);
  if (!c.ok) return serviceForm(r, { location, values, errors: c.errors, status: 400 });
  const me = r.identity!;
  await asStaff(r, async (tx, tenantId) => {
    const id = await insertService(tx, { tenantId, locationId: location.id, ...c.value });
    if (!c.active || c.sortOrder !== undefined) {
      const fresh = (await serviceById(tx, { tenantId, id }))!;
      await updateService(tx, {
        tenantId,
        id,
        ...c.value,
        active: c.active,
        sortOrder: c.sortOrder ?? fresh.sort_order,
      });
    }
    await insertAudit(tx, {
      tenantId,
      actorStaffId: me.staffId,
      actorRole: me.role,
      action: 'service.create',
      targetKind: 'service',
      targetId: id,
      after: { ...c.value, active: c.active, currency: location.currency },
      correlationId: r.correlationId,
    });
  });
  return redirect(`/admin/services?location=${location.id}&saved=created`);
}

async function save(r: AdminRequest): Promise<Response> {
  const found = await editable(r, r.param('id'));
  if (!found) return notFound(r);
  const { service, location } = found;
  const values = await r.form();
  const c = check(r, values, location.currency);
  if (!c.ok) return serviceForm(r, { location, service, values, errors: c.errors, status: 400 });
  const me = r.identity!;
  const after = { ...c.value, active: c.active, sortOrder: c.sortOrder ?? service.sort_order };
  // Taken off the list: its booked visits are kept or cancelled, as staff decide.
  const turningOff = service.active && !c.active;
  return saveWithAffected(r, {
    values,
    findVisits: (tx, tenantId) =>
      turningOff
        ? upcomingVisits(tx, {
            tenantId,
            serviceId: service.id,
            now: new Date(r.deps.now()),
            blocking: BLOCKING_STATES,
          })
        : Promise.resolve([]),
    async write(tx, tenantId, affected) {
      await updateService(tx, { tenantId, id: service.id, ...after });
      const before = {
        name: service.name,
        names: service.names,
        durationMin: service.duration_min,
        priceMinor: service.price_minor,
        active: service.active,
        sortOrder: service.sort_order,
      };
      await insertAudit(tx, {
        tenantId,
        actorStaffId: me.staffId,
        actorRole: me.role,
        action: 'service.update',
        targetKind: 'service',
        targetId: service.id,
        before,
        after: { ...after, ...(affected ? { affected } : {}) },
        correlationId: r.correlationId,
      });
    },
    ask: {
      reason: AFFECTED_MESSAGES[r.lang].reasons.serviceOff,
      action: `/admin/services/${service.id}`,
      back: `/admin/services/${service.id}`,
      current: '/admin/services',
    },
    done: (outcome) => `/admin/services?location=${location.id}&saved=updated${outcome}`,
  });
}

export const SERVICE_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/services', access: EDITORS, handle: listPage },
  {
    method: 'GET',
    path: '/services/new',
    access: EDITORS,
    async handle(r) {
      const location = await locationFor(r);
      return location ? serviceForm(r, { location, values: { active: 'on' } }) : notFound(r);
    },
  },
  { method: 'POST', path: '/services/new', access: EDITORS, handle: create },
  {
    method: 'GET',
    path: '/services/:id',
    access: EDITORS,
    async handle(r) {
      const found = await editable(r, r.param('id'));
      return found
        ? serviceForm(r, {
            location: found.location,
            service: found.service,
            values: valuesOf(found.service, found.location.currency),
          })
        : notFound(r);
    },
  },
  { method: 'POST', path: '/services/:id', access: EDITORS, handle: save },
];

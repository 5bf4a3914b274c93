/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { asTenant } from '../../db/scope.ts';
import { pgErrorInfo, type Transaction } from '../../db/port.ts';
import { insertAudit } from '../../db/queries/admin.ts';
import {
  firstLocation,
  insertLocation,
  insertMaster,
  insertService,
  locationServices,
  setupState,
  type SetupLocation,
  type SetupService,
} from '../../db/queries/setup.ts';
import { parseName, parseWeeklyHours } from '../../tenants/admin/setup-input.ts';
import { newLocationPolicy, parseLocationBasics } from '../../tenants/admin/location-input.ts';
import { cardPaymentsOn } from '../../db/queries/tenant-bots.ts';
import { chooseProviderKind } from '../../tenants/payments/provider.ts';
import { formatMoney, money } from '../../tenants/money/money.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import { CheckboxGroup, ProblemSummary, TextField } from '../form-fields.tsx';
import { SIGNUP_MESSAGES, type SignupMessages } from '../i18n/signup-messages.ts';
import { page, redirect, tenantScope, type AdminRequest, type AdminRoute } from '../request.ts';
import { checkServiceForm } from '../service-input.ts';
import { basicsErrors } from '../location-input.ts';
import { CurrencyField, ZoneField } from '../location-fields.tsx';
import type { HomeSection } from './account.tsx';

/**
 * The first-run checklist on the home page of an owner or manager, while the business cannot
 * take a booking yet: a location (zone, currency), a service, a master with hours. Each step is a
 * minimal form that writes as the tenant (RLS) with an audit entry; the full editors come later.
 */

const SETUP_ROLES = ['owner', 'manager'] as const;
type Step = 'location' | 'service' | 'master';
type Errors = Record<string, string | undefined>;

const setupText = (r: AdminRequest): SignupMessages['setup'] => SIGNUP_MESSAGES[r.lang].setup;

/** As this staff member, in their business: RLS scopes every row to it. */
const asStaff = <T,>(r: AdminRequest, fn: (tx: Transaction, tenantId: string) => Promise<T>) =>
  asTenant(r.deps.db, tenantScope(r.identity!), (tx) => fn(tx, r.identity!.tenantId!));

function audit(
  r: AdminRequest,
  tx: Transaction,
  action: string,
  targetKind: string,
  targetId: string,
  after: unknown,
) {
  const me = r.identity!;
  return insertAudit(tx, {
    tenantId: me.tenantId,
    actorStaffId: me.staffId,
    actorRole: me.role,
    action,
    targetKind,
    targetId,
    after,
    correlationId: r.correlationId,
  });
}

function StepItem(props: {
  r: AdminRequest;
  done: boolean;
  title: string;
  what: string;
  detail?: string | undefined;
  action?: { href: string; label: string } | undefined;
  blocked?: string | undefined;
}) {
  const t = setupText(props.r);
  return (
    <li class={props.done ? 'done' : undefined}>
      <p>
        <strong>{props.title}</strong>
        <span class={`badge ${props.done ? 'ok' : ''}`}>{props.done ? t.done : t.todo}</span>
      </p>
      <p class="muted">{props.detail ?? props.what}</p>
      {props.action ? (
        <p>
          <a class="button primary" href={props.action.href}>
            {props.action.label}
          </a>
        </p>
      ) : props.blocked ? (
        <p class="muted">{props.blocked}</p>
      ) : null}
    </li>
  );
}

/** The home page's checklist (owner, manager), or the line saying the bot takes bookings. */
export const setupChecklist: HomeSection = async (r) => {
  const me = r.identity;
  if (!me?.tenantId || !(SETUP_ROLES as readonly string[]).includes(me.role)) return null;
  const t = setupText(r);
  const state = await asStaff(r, (tx, tenantId) => setupState(tx, tenantId));
  const saved = r.query('done');
  const notice =
    saved === 'location' || saved === 'service' || saved === 'master' ? (
      <p class="notice ok" role="status">
        {t.saved[saved]}
      </p>
    ) : null;
  const bot = state.botUsername;
  if (state.location && state.services > 0 && state.bookableMasters > 0) {
    return (
      <section aria-label={t.heading}>
        {notice}
        {me.tenantStatus === 'pending' ? (
          <p class="notice">{t.readyPending}</p>
        ) : (
          <p class="notice ok">
            {t.ready} {bot ? <a href={`https://t.me/${bot}`}>{`t.me/${bot}`}</a> : null}
          </p>
        )}
      </section>
    );
  }
  const loc = state.location;
  return (
    <section aria-labelledby="setup-heading">
      {notice}
      <h2 id="setup-heading">{t.heading}</h2>
      {bot ? <p>{t.lead(bot)}</p> : null}
      <ol class="checklist">
        <StepItem
          r={r}
          done={!!loc}
          title={t.location.title}
          what={t.location.what}
          detail={loc ? `${loc.name} · ${loc.timezone} · ${loc.currency}` : undefined}
          action={loc ? undefined : { href: '/admin/setup/location', label: t.location.add }}
        />
        <StepItem
          r={r}
          done={state.services > 0}
          title={t.service.title}
          what={t.service.what}
          action={
            loc && state.services === 0
              ? { href: '/admin/setup/service', label: t.service.add }
              : undefined
          }
          blocked={loc ? undefined : t.service.needs}
        />
        <StepItem
          r={r}
          done={state.bookableMasters > 0}
          title={t.master.title}
          what={t.master.what}
          action={
            state.services > 0 ? { href: '/admin/setup/master', label: t.master.add } : undefined
          }
          blocked={state.services > 0 ? undefined : t.master.needs}
        />
      </ol>
    </section>
  );
};

function FormPage(props: {
  r: AdminRequest;
  title: string;
  errors: Errors;
  action: string;
  submit: string;
  children?: Child;
  intro?: string | undefined;
}) {
  const { r } = props;
  const t = setupText(r);
  const hasErrors = Object.values(props.errors).some(Boolean);
  return (
    <AdminLayout r={r} title={`${props.title} · Slotbot`} current="/admin">
      <h1>{props.title}</h1>
      {props.intro ? <p class="lead">{props.intro}</p> : null}
      <ProblemSummary text={hasErrors ? t.problem : undefined} />
      <PostForm r={r} action={props.action} class="stacked">
        {props.children}
        <div class="actions">
          <button type="submit" class="primary">
            {props.submit}
          </button>
          <a href="/admin">{t.back}</a>
        </div>
      </PostForm>
    </AdminLayout>
  );
}

// ---- location ----

function locationForm(
  r: AdminRequest,
  values: Record<string, string>,
  errors: Errors = {},
  status = 200,
): Response {
  const f = setupText(r).locationForm;
  return page(
    r,
    <FormPage
      r={r}
      title={f.title}
      errors={errors}
      action="/admin/setup/location"
      submit={f.submit}
    >
      <TextField
        name="name"
        label={f.name}
        hint={f.nameHint}
        value={values.name}
        error={errors.name}
        required
        maxlength={200}
      />
      <ZoneField label={f.zone} hint={f.zoneHint} value={values.timezone} error={errors.timezone} />
      <CurrencyField
        lang={r.lang}
        label={f.currency}
        hint={f.currencyHint}
        value={values.currency}
        error={errors.currency}
      />
      <TextField
        name="address"
        label={f.address}
        hint={f.addressHint}
        value={values.address}
        error={errors.address}
        maxlength={500}
        autocomplete="street-address"
      />
    </FormPage>,
    { status },
  );
}

async function saveLocation(r: AdminRequest): Promise<Response> {
  const e = setupText(r).errors;
  const values = await r.form();
  // The same checks as the locations editor's (tenants/admin/location-input.ts), without translations.
  const checked = parseLocationBasics(values, []);
  if (!checked.value) return locationForm(r, values, basicsErrors(r.lang, checked.problems), 400);
  const { name, address, timezone, currency } = checked.value;
  try {
    await asStaff(r, async (tx, tenantId) => {
      const row = { name, address, timezone, currency };
      const policy = newLocationPolicy(
        chooseProviderKind(currency, await cardPaymentsOn(tx, tenantId)),
      );
      const id = await insertLocation(tx, { tenantId, ...row, policy });
      await audit(r, tx, 'location.create', 'location', id, row);
    });
  } catch (error) {
    // A zone the runtime knows but the database's zone list does not (an older tzdata).
    if (pgErrorInfo(error)?.constraint === 'locations_timezone_is_iana')
      return locationForm(r, values, { timezone: e.zone.unknown }, 400);
    throw error;
  }
  return redirect('/admin?done=location');
}

// ---- service ----

function serviceForm(
  r: AdminRequest,
  location: SetupLocation,
  values: Record<string, string>,
  errors: Errors = {},
  status = 200,
): Response {
  const f = setupText(r).serviceForm;
  return page(
    r,
    <FormPage
      r={r}
      title={f.title}
      errors={errors}
      action="/admin/setup/service"
      submit={f.submit}
      intro={setupText(r).inLocation(location.name)}
    >
      <TextField
        name="name"
        label={f.name}
        hint={f.nameHint}
        value={values.name}
        error={errors.name}
        required
        maxlength={100}
      />
      <TextField
        name="duration"
        label={f.duration}
        hint={f.durationHint}
        value={values.duration}
        error={errors.duration}
        required
        inputmode="numeric"
        maxlength={5}
      />
      <TextField
        name="price"
        label={f.price(location.currency)}
        hint={f.priceHint}
        value={values.price}
        error={errors.price}
        required
        inputmode="decimal"
        maxlength={20}
      />
    </FormPage>,
    { status },
  );
}

/** The checklist fills the business's first location; none yet: back to the checklist. */
async function withLocation(
  r: AdminRequest,
  then: (location: SetupLocation) => Promise<Response>,
): Promise<Response> {
  const location = await asStaff(r, (tx, tenantId) => firstLocation(tx, tenantId));
  return location ? then(location) : redirect('/admin');
}

async function saveService(r: AdminRequest): Promise<Response> {
  const values = await r.form();
  return withLocation(r, async (location) => {
    const checked = checkServiceForm(r.lang, values, location.currency);
    if (!checked.ok) return serviceForm(r, location, values, checked.errors, 400);
    await asStaff(r, async (tx, tenantId) => {
      const row = {
        locationId: location.id,
        name: checked.value.name,
        durationMin: checked.value.durationMin,
        priceMinor: checked.value.priceMinor,
      };
      const id = await insertService(tx, { tenantId, ...row });
      await audit(r, tx, 'service.create', 'service', id, { ...row, currency: location.currency });
    });
    return redirect('/admin?done=service');
  });
}

// ---- master ----

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

function weekdayName(lang: string, isoWeekday: number): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' }).format(
    Date.UTC(2024, 0, isoWeekday),
  );
}

function masterForm(
  r: AdminRequest,
  location: SetupLocation,
  services: SetupService[],
  values: Record<string, string> | undefined,
  errors: Errors = {},
  status = 200,
): Response {
  const f = setupText(r).masterForm;
  // First visit: every service and Monday to Friday, 10:00 to 19:00.
  const checked = (name: string, byDefault: boolean) =>
    values ? values[name] === 'on' : byDefault;
  return page(
    r,
    <FormPage
      r={r}
      title={f.title}
      errors={errors}
      action="/admin/setup/master"
      submit={f.submit}
      intro={setupText(r).inLocation(location.name)}
    >
      <TextField
        name="name"
        label={f.name}
        hint={f.nameHint}
        value={values?.name}
        error={errors.name}
        required
        maxlength={100}
      />
      <CheckboxGroup
        id="services"
        legend={f.services}
        error={errors.services}
        items={services.map((s) => ({
          name: `service_${s.id}`,
          label: `${s.name} · ${s.duration_min} min · ${formatMoney(money(s.price_minor, location.currency), r.lang)}`,
          checked: checked(`service_${s.id}`, true),
        }))}
      />
      <CheckboxGroup
        id="days"
        row
        legend={f.days}
        hint={f.hoursHint}
        error={errors.days}
        items={WEEKDAYS.map((d) => ({
          name: `day_${d}`,
          label: weekdayName(r.lang, d),
          checked: checked(`day_${d}`, d <= 5),
        }))}
      />
      <div class="pair">
        <TextField
          name="start"
          type="time"
          label={f.from}
          value={values?.start ?? '10:00'}
          error={errors.start}
          required
        />
        <TextField
          name="end"
          type="time"
          label={f.to}
          value={values?.end ?? '19:00'}
          error={errors.end}
          required
        />
      </div>
    </FormPage>,
    { status },
  );
}

async function saveMaster(r: AdminRequest): Promise<Response> {
  const e = setupText(r).errors;
  const values = await r.form();
  return withLocation(r, async (location) => {
    // Only this business's services of this location count: ids from elsewhere are not offered.
    const services = await asStaff(r, (tx, tenantId) =>
      locationServices(tx, tenantId, location.id),
    );
    if (services.length === 0) return redirect('/admin');
    const chosen = services.filter((s) => values[`service_${s.id}`] === 'on').map((s) => s.id);
    const name = parseName(values.name, 100);
    const hours = parseWeeklyHours({
      weekdays: WEEKDAYS.filter((d) => values[`day_${d}`] === 'on').map(String),
      start: values.start,
      end: values.end,
    });
    const hoursError = hours.ok ? undefined : e.hours[hours.reason];
    const errors: Errors = {
      name: name.ok ? undefined : e.name[name.reason],
      services: chosen.length === 0 ? e.services : undefined,
      days: !hours.ok && hours.reason === 'no_days' ? hoursError : undefined,
      start: !hours.ok && hours.reason === 'start' ? hoursError : undefined,
      end:
        !hours.ok && (hours.reason === 'end' || hours.reason === 'order') ? hoursError : undefined,
    };
    if (!name.ok || !hours.ok || chosen.length === 0)
      return masterForm(r, location, services, values, errors, 400);
    await asStaff(r, async (tx, tenantId) => {
      const row = { locationId: location.id, name: name.value, serviceIds: chosen, ...hours.value };
      const id = await insertMaster(tx, { tenantId, ...row });
      await audit(r, tx, 'master.create', 'master', id, row);
    });
    return redirect('/admin?done=master');
  });
}

async function showMasterForm(r: AdminRequest): Promise<Response> {
  return withLocation(r, async (location) => {
    const services = await asStaff(r, (tx, tenantId) =>
      locationServices(tx, tenantId, location.id),
    );
    return services.length === 0
      ? redirect('/admin')
      : masterForm(r, location, services, undefined);
  });
}

const route = (
  method: 'GET' | 'POST',
  step: Step,
  handle: (r: AdminRequest) => Promise<Response>,
): AdminRoute => ({ method, path: `/setup/${step}`, access: SETUP_ROLES, handle });

export const SETUP_ROUTES: AdminRoute[] = [
  route('GET', 'location', async (r) => locationForm(r, {})),
  route('POST', 'location', saveLocation),
  route('GET', 'service', (r) => withLocation(r, async (location) => serviceForm(r, location, {}))),
  route('POST', 'service', saveService),
  route('GET', 'master', showMasterForm),
  route('POST', 'master', saveMaster),
];

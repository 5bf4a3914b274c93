/** @jsxImportSource hono/jsx */
import type { Transaction } from '../../db/port.ts';
import { pgErrorInfo } from '../../db/port.ts';
import { asTenant } from '../../db/scope.ts';
import { insertAudit } from '../../db/queries/admin.ts';
import {
  editableLocation,
  locationsForEditor,
  updateLocation,
  type EditableLocation,
  type LocationFields,
} from '../../db/queries/catalog-admin.ts';
import { insertLocation } from '../../db/queries/setup.ts';
import { cardPaymentsOn } from '../../db/queries/tenant-bots.ts';
import { auditDiff } from '../../tenants/admin/audit-diff.ts';
import {
  DEPOSIT_MODES,
  FEE_KINDS,
  LATE_REMINDERS,
  newLocationPolicy,
  POLICY_FIELDS,
  policyFormValues,
  type PolicyField,
} from '../../tenants/admin/location-input.ts';
import { minorUnitDigits } from '../../tenants/money/money.ts';
import { chooseProviderKind, type PaymentProviderKind } from '../../tenants/payments/provider.ts';
import {
  DEFAULT_LOCATION_POLICY,
  parseLocationPolicy,
  type LocationPolicy,
} from '../../tenants/policy/location-policy.ts';
import { cancellationLine, describePolicy } from '../../tenants/policy/policy-preview.ts';
import { LOCATION_PREVIEW_SCRIPT_PATH } from '../assets.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import { CheckboxGroup, ProblemSummary, SelectField, TextField } from '../form-fields.tsx';
import { CATALOG_MESSAGES } from '../i18n/catalog-messages.ts';
import { LOCATION_MESSAGES, type LocationMessages } from '../i18n/location-messages.ts';
import { SIGNUP_MESSAGES } from '../i18n/signup-messages.ts';
import { WEB_LANGUAGES } from '../i18n/languages.ts';
import { CurrencyField, ZoneField } from '../location-fields.tsx';
import { checkLocationForm, type LocationFormCheck } from '../location-input.ts';
import { afterIdOf, keysetPage, Pager } from '../pager.tsx';
import { errorPage } from '../pages/error.tsx';
import { page, redirect, tenantScope, type AdminRequest, type AdminRoute } from '../request.ts';
import type { Errors } from '../service-input.ts';

/**
 * The locations editor: every location's name (and names per language), address, IANA zone,
 * currency and its whole policy set, with a preview of what clients read (the same text the bot
 * writes: tenants/policy/policy-preview.ts), rendered on the server and refreshed as one types by
 * a small bundled script. Owners see and create every location; a manager edits the ones they
 * work at (not others: 404), creates none and cannot open or close one; masters none (403).
 * Saved as the tenant with the audit entry (what changed, before and after) in the same
 * transaction; the location's catalog version moves with any column, so clients see the change on
 * their next screen.
 */
const EDITORS = ['owner', 'manager'] as const;
const OWNERS = ['owner'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Locations a page; the next page is keyset (`?after=<last id>`). */
const PAGE = 50;
const PREVIEW_PATH = '/admin/locations/preview';

const text = (r: AdminRequest): LocationMessages => LOCATION_MESSAGES[r.lang];
const asStaff = <T,>(r: AdminRequest, fn: (tx: Transaction, tenantId: string) => Promise<T>) =>
  asTenant(r.deps.db, tenantScope(r.identity!), (tx) => fn(tx, r.identity!.tenantId!));
const who = (r: AdminRequest) => ({ staffId: r.identity!.staffId, role: r.identity!.role });
const isOwner = (r: AdminRequest) => r.identity!.role === 'owner';
const languageName = (lang: string, code: string) =>
  new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
const notFound = (r: AdminRequest) =>
  errorPage(r, 404, r.t.errors.notFound, r.t.errors.notFoundHow);
/** A stored policy as the editor reads it: one the schema refuses (never written by this editor) starts from the defaults. */
const storedPolicy = (l: EditableLocation): LocationPolicy => {
  const parsed = parseLocationPolicy(l.policy);
  return parsed.ok ? parsed.policy : DEFAULT_LOCATION_POLICY;
};

// ---- the list ----

function LocationCard(props: { r: AdminRequest; l: EditableLocation }) {
  const { r, l } = props;
  const t = text(r);
  const parsed = parseLocationPolicy(l.policy);
  return (
    <li class="card">
      <p>
        <strong>{l.name}</strong>
        {l.active ? null : <span class="badge bad">{t.inactive}</span>}
      </p>
      {l.address ? <p class="muted">{l.address}</p> : null}
      <p>
        {l.timezone} · {l.currency}
        {l.upcoming > 0 ? <span class="muted"> · {t.upcoming(l.upcoming)}</span> : null}
      </p>
      {parsed.ok ? (
        <p class="muted">{cancellationLine(r.lang, parsed.policy, l.currency)}</p>
      ) : null}
      <p>
        <a href={`/admin/locations/${l.id}`}>
          {t.edit}
          <span class="visually-hidden"> {l.name}</span>
        </a>
      </p>
    </li>
  );
}

async function listPage(r: AdminRequest): Promise<Response> {
  // The edit page's location switch (a form without script) lands here: open that one.
  const open = r.query('open');
  if (open && UUID.test(open)) return redirect(`/admin/locations/${open}`);
  const t = text(r);
  const afterId = afterIdOf(r);
  const rows = await asStaff(r, (tx, tenantId) =>
    locationsForEditor(tx, { tenantId, ...who(r), after: afterId, limit: PAGE + 1 }),
  );
  const {
    items: shown,
    next,
    first,
  } = keysetPage(rows, { size: PAGE, path: '/admin/locations', keep: {}, afterId });
  const saved = r.query('saved');
  return page(
    r,
    <AdminLayout r={r} title={t.title}>
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>
      {saved === 'created' || saved === 'updated' || saved === 'unchanged' ? (
        <p class="notice ok" role="status">
          {t.saved[saved]}
        </p>
      ) : null}
      {isOwner(r) ? (
        <p>
          <a class="button primary" href="/admin/locations/new">
            {t.add}
          </a>
        </p>
      ) : null}
      {shown.length === 0 ? <p>{t.none}</p> : null}
      <ul class="cards">
        {shown.map((l) => (
          <LocationCard r={r} l={l} />
        ))}
      </ul>
      <Pager r={r} first={first} next={next} />
    </AdminLayout>,
  );
}

// ---- the form ----

interface FormState {
  location?: EditableLocation;
  values: Record<string, string>;
  check: LocationFormCheck;
  /** Show the check's problems (after a submit, or a stored combination that cannot work). */
  errors: Errors;
  cardPayments: boolean;
  /** Locations to switch to (a chain's owner): id and name. */
  others: { id: string; name: string }[];
  status?: number;
  /** The summary above a form with problems: "nothing was saved" unless said otherwise. */
  summary?: string;
}

function Preview(props: { r: AdminRequest; check: LocationFormCheck }) {
  const { r, check } = props;
  const t = text(r).form;
  const lines = check.policy
    ? describePolicy(r.lang, check.policy, check.currency, check.payAhead)
    : [];
  return (
    <aside class="preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t.preview}</h2>
      <p class="hint">{t.previewHint}</p>
      <div
        id="policy-preview"
        aria-live="polite"
        data-url={PREVIEW_PATH}
        data-invalid={t.previewInvalid}
      >
        {lines.length ? (
          <ul class="preview-lines">
            {lines.map((l) => (
              <li data-topic={l.topic}>{l.text}</li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t.previewInvalid}</p>
        )}
      </div>
    </aside>
  );
}

/** A field's label as the page shows it, with its section where two sections have the same one. */
function fieldLabel(r: AdminRequest, field: string, currency: string): string {
  const t = text(r).form;
  if (field === 'currency') return SIGNUP_MESSAGES[r.lang].setup.locationForm.currency;
  const window = /^(cancel|reschedule)_(.+)$/.exec(field);
  if (window) {
    const w = window[1] as 'cancel' | 'reschedule';
    const rest = window[2]!;
    const label =
      rest === 'fee_kind'
        ? t.feeLabel(w)
        : rest === 'fee_percent'
          ? t.fields.fee_percent!.label
          : rest === 'fee_amount'
            ? t.feeAmount(currency)
            : (t.fields[field]?.label ?? field);
    return `${t.sections[w]} · ${label}`;
  }
  return t.fields[field]?.label ?? field;
}

function PayAhead(props: { r: AdminRequest; kind: PaymentProviderKind }) {
  const t = text(props.r).form;
  return (
    <div class="field readonly">
      <p class="label">{t.payAhead}</p>
      <p id="pay-ahead">
        <span id="pay-ahead-text">{t.payAheadBy[props.kind]}</span>{' '}
        <span id="pay-ahead-fix" hidden={props.kind !== 'venue'}>
          {isOwner(props.r) ? (
            <>
              {t.payAheadFix} <a href="/admin/bot">{t.botSettings}</a>.
            </>
          ) : (
            t.payAheadFixManager
          )}
        </span>
      </p>
    </div>
  );
}

function WindowFields(props: {
  r: AdminRequest;
  w: 'cancel' | 'reschedule';
  values: Record<string, string>;
  errors: Errors;
  currency: string;
}) {
  const { r, w, values, errors } = props;
  const t = text(r).form;
  const f = t.fields;
  const field = (name: string) => ({ name, value: values[name], error: errors[name] });
  return (
    <fieldset class="section">
      <legend>{t.sections[w]}</legend>
      <p class="hint">{t.windowHint[w]}</p>
      <div class="pair">
        <TextField
          {...field(`${w}_free_hours`)}
          label={f[`${w}_free_hours`]!.label}
          required
          inputmode="numeric"
          maxlength={3}
        />
        <TextField
          {...field(`${w}_lock_hours`)}
          label={f[`${w}_lock_hours`]!.label}
          required
          inputmode="numeric"
          maxlength={3}
        />
      </div>
      <SelectField
        {...field(`${w}_fee_kind`)}
        label={t.feeLabel(w)}
        options={FEE_KINDS.map((k) => ({ value: k, label: t.feeKinds[k] }))}
      />
      <div class="pair">
        <TextField
          {...field(`${w}_fee_percent`)}
          label={f.fee_percent!.label}
          inputmode="numeric"
          maxlength={3}
        />
        <TextField
          {...field(`${w}_fee_amount`)}
          label={t.feeAmount(props.currency)}
          inputmode="decimal"
          maxlength={20}
        />
      </div>
    </fieldset>
  );
}

function locationForm(r: AdminRequest, s: FormState): Response {
  const t = text(r);
  const f = t.form.fields;
  const setup = SIGNUP_MESSAGES[r.lang].setup;
  const order = CATALOG_MESSAGES[r.lang].form;
  const { values, errors } = s;
  const field = (name: string) => ({
    name,
    value: values[name],
    error: errors[name],
    label: f[name]!.label,
    ...(f[name]!.hint ? { hint: f[name]!.hint } : {}),
  });
  const editing = s.location;
  const action = editing ? `/admin/locations/${editing.id}` : '/admin/locations/new';
  const hasErrors = Object.values(errors).some(Boolean);
  return page(
    r,
    <AdminLayout
      r={r}
      title={`${editing ? t.form.editTitle : t.form.newTitle} · Slotbot`}
      current="/admin/locations"
      script={LOCATION_PREVIEW_SCRIPT_PATH}
    >
      <h1>{editing ? t.form.editTitle : t.form.newTitle}</h1>
      {editing ? <p class="lead">{editing.name}</p> : null}
      {s.others.length > 1 && editing ? (
        <form method="get" action="/admin/locations" class="row">
          <label for="switch">{t.switchLabel}</label>
          <select id="switch" name="open">
            {s.others.map((l) => (
              <option value={l.id} selected={l.id === editing.id}>
                {l.name}
              </option>
            ))}
          </select>
          <button type="submit">{t.switchButton}</button>
        </form>
      ) : null}
      <ProblemSummary text={hasErrors ? (s.summary ?? setup.problem) : undefined} />
      <div class="editor">
        <PostForm r={r} action={action} class="stacked" id="location-form">
          <fieldset class="section">
            <legend>{t.form.sections.place}</legend>
            <TextField
              name="name"
              label={setup.locationForm.name}
              hint={setup.locationForm.nameHint}
              value={values.name}
              error={errors.name}
              required
              maxlength={200}
            />
            {WEB_LANGUAGES.map((l) => (
              <TextField
                name={`name_${l.code}`}
                label={order.nameIn(languageName(r.lang, l.code))}
                value={values[`name_${l.code}`]}
                error={errors[`name_${l.code}`]}
                maxlength={200}
              />
            ))}
            <TextField
              name="address"
              label={setup.locationForm.address}
              hint={setup.locationForm.addressHint}
              value={values.address}
              error={errors.address}
              maxlength={500}
              autocomplete="street-address"
            />
            <ZoneField
              label={setup.locationForm.zone}
              hint={t.form.zoneHint}
              value={values.timezone}
              error={errors.timezone}
            />
            <CurrencyField
              lang={r.lang}
              label={setup.locationForm.currency}
              hint={
                editing
                  ? `${t.form.currencyHint} ${t.form.currencyChangeHint}`
                  : t.form.currencyHint
              }
              value={values.currency}
              error={errors.currency}
            />
            {isOwner(r) ? (
              <CheckboxGroup
                id="active"
                legend={t.form.active}
                hint={t.form.activeHint}
                error={errors.active}
                items={[{ name: 'active', label: t.form.active, checked: values.active === 'on' }]}
              />
            ) : (
              <p class="muted">{t.form.activeOwnerOnly}</p>
            )}
            <TextField
              name="sort_order"
              label={order.order}
              hint={order.orderHint}
              value={values.sort_order}
              error={errors.sort_order}
              inputmode="numeric"
              maxlength={4}
            />
          </fieldset>
          <fieldset class="section">
            <legend>{t.form.sections.booking}</legend>
            <TextField {...field('lead_time')} required inputmode="numeric" maxlength={5} />
            <TextField {...field('horizon_days')} required inputmode="numeric" maxlength={3} />
            <TextField {...field('same_day_cutoff')} type="time" />
            <TextField {...field('slot_step')} required inputmode="numeric" maxlength={3} />
            <TextField {...field('buffer_before')} required inputmode="numeric" maxlength={3} />
            <TextField {...field('buffer_after')} required inputmode="numeric" maxlength={3} />
          </fieldset>
          <WindowFields
            r={r}
            w="cancel"
            values={values}
            errors={errors}
            currency={s.check.currency}
          />
          <WindowFields
            r={r}
            w="reschedule"
            values={values}
            errors={errors}
            currency={s.check.currency}
          />
          <fieldset class="section">
            <legend>{t.form.sections.payment}</legend>
            <PayAhead r={r} kind={s.check.payAhead} />
            <SelectField
              {...field('deposit_mode')}
              options={DEPOSIT_MODES.map((m) => ({ value: m, label: t.form.depositModes[m] }))}
            />
            <TextField {...field('deposit_percent')} inputmode="numeric" maxlength={3} />
            <TextField {...field('no_show_threshold')} inputmode="numeric" maxlength={3} />
            <TextField {...field('hold_minutes')} inputmode="numeric" maxlength={4} />
          </fieldset>
          <fieldset class="section">
            <legend>{t.form.sections.reminders}</legend>
            <TextField {...field('reminders')} maxlength={100} autocomplete="off" />
            <SelectField
              {...field('reminders_late')}
              options={LATE_REMINDERS.map((m) => ({ value: m, label: t.form.lateReminders[m] }))}
            />
          </fieldset>
          <div class="actions">
            <button type="submit" class="primary">
              {t.form.save}
            </button>
            <button type="submit" name="intent" value="preview">
              {t.form.previewButton}
            </button>
            <a href="/admin/locations">{t.form.back}</a>
          </div>
        </PostForm>
        <Preview r={r} check={s.check} />
      </div>
    </AdminLayout>,
    { status: s.status ?? 200, script: true },
  );
}

/** A location's fields as the form shows them. */
function valuesOf(l: EditableLocation, lang: string): Record<string, string> {
  return {
    name: l.name,
    ...Object.fromEntries(Object.entries(l.names).map(([code, name]) => [`name_${code}`, name])),
    address: l.address ?? '',
    timezone: l.timezone,
    currency: l.currency,
    active: l.active ? 'on' : '',
    sort_order: String(l.sort_order),
    ...policyFormValues(storedPolicy(l), l.currency, lang),
  };
}

/** What the form needs besides the values: card payments, the locations to switch to. */
async function context(
  r: AdminRequest,
): Promise<{ cardPayments: boolean; others: { id: string; name: string }[] }> {
  return asStaff(r, async (tx, tenantId) => ({
    cardPayments: await cardPaymentsOn(tx, tenantId),
    others: (await locationsForEditor(tx, { tenantId, ...who(r), limit: 200 })).map((l) => ({
      id: l.id,
      name: l.name,
    })),
  }));
}

async function findLocation(r: AdminRequest): Promise<EditableLocation | undefined> {
  const id = r.param('id');
  if (!UUID.test(id)) return undefined;
  return asStaff(r, (tx, tenantId) => editableLocation(tx, { tenantId, ...who(r), id }));
}

/** The position typed, or undefined (empty: keep it, or last for a new location); NaN when not a number 0..9999. */
function sortOrderOf(values: Record<string, string>): number | undefined {
  const typed = (values.sort_order ?? '').trim();
  if (!typed) return undefined;
  return /^\d{1,4}$/.test(typed) ? Number(typed) : NaN;
}

async function editPage(r: AdminRequest): Promise<Response> {
  const location = await findLocation(r);
  if (!location) return notFound(r);
  const { cardPayments, others } = await context(r);
  const values = valuesOf(location, r.lang);
  const check = checkLocationForm(r.lang, values, {
    currency: location.currency,
    cardPayments,
    base: storedPolicy(location),
  });
  // A stored combination that cannot work (a deposit since card payments were turned off) is said at once.
  return locationForm(r, {
    location,
    values,
    check,
    errors: check.errors,
    cardPayments,
    others,
    summary: text(r).form.storedProblem,
  });
}

async function newPage(r: AdminRequest): Promise<Response> {
  const { cardPayments, others } = await context(r);
  // No deposit by default where nobody could pay one online (the currency is not typed yet).
  const policy = newLocationPolicy(chooseProviderKind('EUR', cardPayments));
  const values = { active: 'on', ...policyFormValues(policy, 'EUR', r.lang) };
  const check = checkLocationForm(r.lang, values, { currency: 'EUR', cardPayments, base: policy });
  return locationForm(r, { values, check, errors: {}, cardPayments, others });
}

/** A save refused on the server's own grounds (bookings, currency), said next to its field. */
type Refusal = { field: string; error: string };

async function save(r: AdminRequest): Promise<Response> {
  const location = await findLocation(r);
  if (!location) return notFound(r);
  const t = text(r);
  const values = await r.form();
  const { cardPayments, others } = await context(r);
  const check = checkLocationForm(r.lang, values, {
    currency: location.currency,
    cardPayments,
    base: storedPolicy(location),
  });
  const sortOrder = sortOrderOf(values);
  const errors: Errors = {
    ...check.errors,
    ...(Number.isNaN(sortOrder) ? { sort_order: CATALOG_MESSAGES[r.lang].form.orderError } : {}),
  };
  const again = (more: Errors, status: number) =>
    locationForm(r, {
      location,
      values,
      check,
      errors: { ...errors, ...more },
      cardPayments,
      others,
      status,
    });
  if (values.intent === 'preview') return again({}, 200);
  if (!check.ok || !check.basics || !check.policy || errors.sort_order) return again({}, 400);
  const me = r.identity!;
  const { basics, policy } = check;
  let outcome: 'updated' | 'unchanged' | Refusal;
  try {
    outcome = await asStaff(r, async (tx, tenantId) => {
      // Locked: the checks below and the audit's "before" are against the row this replaces.
      const current = await editableLocation(tx, {
        tenantId,
        ...who(r),
        id: location.id,
        lock: true,
      });
      if (!current) return { field: 'name', error: r.t.errors.notFound };
      const active = isOwner(r) ? values.active === 'on' : current.active;
      if (current.active && !active && current.upcoming > 0)
        return { field: 'active', error: t.errors.stillBooked(current.upcoming) };
      if (basics.currency !== current.currency) {
        if (current.upcoming > 0)
          return {
            field: 'currency',
            error: t.errors.currencyBooked(current.upcoming, current.currency),
          };
        const [from, to] = [minorUnitDigits(current.currency), minorUnitDigits(basics.currency)];
        if (current.services > 0 && from !== to)
          return {
            field: 'currency',
            error: t.errors.currencyDigits(current.currency, basics.currency, from, to),
          };
      }
      const before: LocationFields = {
        name: current.name,
        names: current.names,
        address: current.address,
        timezone: current.timezone,
        currency: current.currency,
        active: current.active,
        sortOrder: current.sort_order,
        policy: current.policy,
      };
      const after: LocationFields = {
        ...basics,
        active,
        sortOrder: sortOrder ?? current.sort_order,
        policy,
      };
      const diff = auditDiff({ ...before }, { ...after });
      if (Object.keys(diff.after).length === 0) return 'unchanged';
      await updateLocation(tx, { tenantId, id: current.id, ...after });
      await insertAudit(tx, {
        tenantId,
        actorStaffId: me.staffId,
        actorRole: me.role,
        action: 'location.update',
        targetKind: 'location',
        targetId: current.id,
        before: diff.before,
        after: diff.after,
        correlationId: r.correlationId,
      });
      return 'updated';
    });
  } catch (error) {
    // A zone the runtime knows but the database's zone list does not (an older tzdata).
    if (pgErrorInfo(error)?.constraint === 'locations_timezone_is_iana')
      return again({ timezone: SIGNUP_MESSAGES[r.lang].setup.errors.zone.unknown }, 400);
    throw error;
  }
  if (typeof outcome === 'object') return again({ [outcome.field]: outcome.error }, 400);
  return redirect(`/admin/locations?saved=${outcome}`);
}

async function create(r: AdminRequest): Promise<Response> {
  const values = await r.form();
  const { cardPayments, others } = await context(r);
  const check = checkLocationForm(r.lang, values, {
    currency: 'EUR',
    cardPayments,
    base: DEFAULT_LOCATION_POLICY,
  });
  const sortOrder = sortOrderOf(values);
  const errors: Errors = {
    ...check.errors,
    ...(Number.isNaN(sortOrder) ? { sort_order: CATALOG_MESSAGES[r.lang].form.orderError } : {}),
  };
  const again = (more: Errors, status: number) =>
    locationForm(r, {
      values,
      check,
      errors: { ...errors, ...more },
      cardPayments,
      others,
      status,
    });
  if (values.intent === 'preview') return again({}, 200);
  if (!check.ok || !check.basics || !check.policy || errors.sort_order) return again({}, 400);
  const me = r.identity!;
  const fields = { ...check.basics, active: values.active === 'on', policy: check.policy };
  try {
    await asStaff(r, async (tx, tenantId) => {
      const id = await insertLocation(tx, { tenantId, ...fields, sortOrder });
      await insertAudit(tx, {
        tenantId,
        actorStaffId: me.staffId,
        actorRole: me.role,
        action: 'location.create',
        targetKind: 'location',
        targetId: id,
        after: auditDiff({}, { ...fields }).after,
        correlationId: r.correlationId,
      });
    });
  } catch (error) {
    if (pgErrorInfo(error)?.constraint === 'locations_timezone_is_iana')
      return again({ timezone: SIGNUP_MESSAGES[r.lang].setup.errors.zone.unknown }, 400);
    throw error;
  }
  return redirect('/admin/locations?saved=created');
}

/**
 * The live preview: the form as typed (never saved) → the lines clients would read and what is
 * wrong, as JSON for the page's script. Nothing of any location is read: only whether the
 * business takes card payments.
 */
async function preview(r: AdminRequest): Promise<Response> {
  const values = await r.form();
  const cardPayments = await asStaff(r, (tx, tenantId) => cardPaymentsOn(tx, tenantId));
  const check = checkLocationForm(r.lang, values, {
    currency: 'EUR',
    cardPayments,
    base: DEFAULT_LOCATION_POLICY,
  });
  const lines = check.policy
    ? describePolicy(r.lang, check.policy, check.currency, check.payAhead).map((l) => l.text)
    : [];
  const problems = Object.entries(check.errors)
    .filter(([field]) => POLICY_FIELDS.includes(field as PolicyField) || field === 'currency')
    .map(([field, error]) => ({
      field,
      text: `${fieldLabel(r, field, check.currency)}: ${error}`,
    }));
  const t = text(r).form;
  return new Response(
    JSON.stringify({
      lines,
      problems,
      payAhead: t.payAheadBy[check.payAhead],
      venue: check.payAhead === 'venue',
    }),
    {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    },
  );
}

export const LOCATION_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/locations', access: EDITORS, handle: listPage },
  { method: 'GET', path: '/locations/new', access: OWNERS, handle: newPage },
  { method: 'POST', path: '/locations/new', access: OWNERS, handle: create },
  { method: 'POST', path: '/locations/preview', access: EDITORS, handle: preview },
  { method: 'GET', path: '/locations/:id', access: EDITORS, handle: editPage },
  { method: 'POST', path: '/locations/:id', access: EDITORS, handle: save },
];

/** @jsxImportSource hono/jsx */
import { DateTime } from 'luxon';
import { asPlatform } from '../../db/scope.ts';
import {
  listTenants,
  listTroubleJobs,
  platformCounts,
  tenantDetail,
  TENANT_STATUSES,
  type ConsoleBot,
  type TenantDetail,
  type TenantStatus,
  type TenantSummary,
  type TroubleJob,
} from '../../db/queries/console.ts';
import {
  botProblem,
  checkMaintenance,
  checkNewTenant,
  checkReason,
  SIGNUP_MODES,
  type Actor,
  type BotProblem,
  type SignupMode,
  type TenantChange,
} from '../../tenants/admin/console.ts';
import { OnboardingError } from '../../tenants/bots/onboarding.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import { formatMoment } from '../format.ts';
import { CONSOLE_MESSAGES, type ConsoleMessages } from '../i18n/console-messages.ts';
import { afterIdOf, keysetPage, Pager } from '../pager.tsx';
import { errorPage } from '../pages/error.tsx';
import { page, redirect, type AdminRequest, type AdminRoute } from '../request.ts';
import { webhookHealth, WebhookFacts, type WebhookAnswer } from '../webhook-health.tsx';
import type { HomeSection } from './account.tsx';

/**
 * The platform console (platform admins only): businesses (list, search, detail with webhook
 * health, approve, suspend, resume, maintenance, create, invite the owner, connect a bot), jobs in
 * trouble (retry, discard) and the sign-up mode. Each change is one audited transaction in
 * `tenants/admin/console.ts`; these pages only read forms and show results.
 */

const ACCESS = ['platform_admin'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE = 25;
/** Telegram gets this long to answer getWebhookInfo before the page says it could not ask. */

const tc = (r: AdminRequest): ConsoleMessages => CONSOLE_MESSAGES[r.lang];
const actorOf = (r: AdminRequest): Actor => ({
  staffId: r.identity!.staffId,
  correlationId: r.correlationId,
});
const notFound = (r: AdminRequest) =>
  errorPage(r, 404, r.t.errors.notFound, r.t.errors.notFoundHow);
const uuidParam = (r: AdminRequest, name = 'id') => {
  const id = r.param(name);
  return UUID.test(id) ? id.toLowerCase() : undefined;
};
const botStatus = (r: AdminRequest, status: string) =>
  tc(r).botStatuses[status as 'active' | 'disabled'] ?? status;
const when = (r: AdminRequest, at: Date | null | undefined, never = '—') =>
  at ? formatMoment(at, r.lang) : never;

function StatusBadges(props: { r: AdminRequest; status: TenantStatus; maintenance: boolean }) {
  const t = tc(props.r);
  const tone = props.status === 'active' ? 'ok' : props.status === 'suspended' ? 'bad' : '';
  return (
    <>
      <span class={`badge ${tone}`}>{t.statuses[props.status]}</span>
      {props.maintenance ? <span class="badge bad">{t.maintenance}</span> : null}
    </>
  );
}

function BotList(props: { r: AdminRequest; bots: ConsoleBot[] }) {
  if (props.bots.length === 0) return <span class="muted">{tc(props.r).list.noBot}</span>;
  return (
    <>
      {props.bots.map((b, i) => (
        <>
          {i > 0 ? ', ' : ''}@{b.username}
          {b.status !== 'active' ? (
            <span class="muted"> ({botStatus(props.r, b.status)})</span>
          ) : null}
        </>
      ))}
    </>
  );
}

/** A labelled input with its hint and error tied to it (aria-describedby), keeping what was typed. */
function Field(props: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  value?: string | undefined;
  type?: string;
  maxlength?: number;
  required?: boolean;
  autocomplete?: string;
}) {
  const described = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <label for={props.id}>
        {props.label}
        {props.hint ? (
          <span class="hint" id={`${props.id}-hint`}>
            {props.hint}
          </span>
        ) : null}
      </label>
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        maxlength={props.maxlength}
        required={props.required}
        autocomplete={props.autocomplete ?? 'off'}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </>
  );
}

function Notice(props: { r: AdminRequest }) {
  const done = props.r.query('done');
  const notices = tc(props.r).notices;
  if (!done || !(done in notices)) return null;
  return (
    <p class="notice ok" role="status">
      {notices[done as keyof typeof notices]}
    </p>
  );
}

// ---------------------------------------------------------------- home

/** The platform's figures on the home page, linking to the console. */
export const platformHomeSection: HomeSection = async (r) => {
  if (r.identity?.role !== 'platform_admin') return null;
  const t = tc(r).home;
  const c = await asPlatform(r.deps.db, (tx) => platformCounts(tx));
  return (
    <section aria-labelledby="platform-heading">
      <h2 id="platform-heading">{t.heading}</h2>
      <p>
        {t.tenants(c.tenants.active, c.tenants.pending, c.tenants.suspended)}{' '}
        {c.maintenance > 0 ? t.maintenance(c.maintenance) : ''}
      </p>
      <ul>
        {c.tenants.pending > 0 ? (
          <li>
            <a href="/admin/platform/tenants?status=pending">{t.approve(c.tenants.pending)}</a>
          </li>
        ) : null}
        <li>
          <a href="/admin/platform/jobs">
            {t.deadJobs(c.deadJobs)}, {t.failingJobs(c.failingJobs)}
          </a>
        </li>
        <li>
          <a href="/admin/platform/tenants">{t.allTenants}</a>
        </li>
      </ul>
    </section>
  );
};

// ---------------------------------------------------------------- tenants list

async function tenantsPage(r: AdminRequest, signupError?: boolean): Promise<Response> {
  const t = tc(r);
  const search = (r.query('q') ?? '').trim().replace(/^@/, '').slice(0, 100);
  const statusQuery = r.query('status');
  const status = TENANT_STATUSES.includes(statusQuery as TenantStatus)
    ? (statusQuery as TenantStatus)
    : undefined;
  const afterId = afterIdOf(r);
  const now = new Date(r.deps.now());
  const [rows, mode] = await Promise.all([
    asPlatform(r.deps.db, (tx) =>
      listTenants(tx, {
        now,
        ...(search ? { search } : {}),
        ...(status ? { status } : {}),
        ...(afterId ? { afterId } : {}),
        limit: PAGE + 1,
      }),
    ),
    r.deps.console.signupMode(),
  ]);
  const keep = { ...(search ? { q: search } : {}), ...(status ? { status } : {}) };
  const { items, more, next, first } = keysetPage(rows, {
    size: PAGE,
    path: '/admin/platform/tenants',
    keep,
    afterId,
  });
  return page(
    r,
    <AdminLayout r={r} title={t.list.title} current="/admin/platform/tenants">
      <h1>{t.list.heading}</h1>
      <p class="lead">{t.list.lead}</p>
      <Notice r={r} />
      <p>
        <a class="button primary" href="/admin/platform/tenants/new">
          {t.list.newTenant}
        </a>
      </p>
      <form method="get" action="/admin/platform/tenants" role="search">
        <label for="q">
          {t.list.search}
          <span class="hint" id="q-hint">
            {t.list.searchHint}
          </span>
        </label>
        <input
          id="q"
          name="q"
          type="search"
          value={search}
          maxlength={100}
          aria-describedby="q-hint"
        />
        <label for="status">{t.list.status}</label>
        <select id="status" name="status">
          <option value="">{t.list.anyStatus}</option>
          {TENANT_STATUSES.map((s) => (
            <option value={s} selected={s === status}>
              {t.statuses[s]}
            </option>
          ))}
        </select>
        <div class="actions">
          <button type="submit">{t.list.find}</button>
          {search || status ? <a href="/admin/platform/tenants">{t.list.clear}</a> : null}
        </div>
      </form>
      <p class="muted" role="status">
        {t.list.found(items.length, more)}
      </p>
      {items.length === 0 ? <p>{t.list.none}</p> : <TenantTable r={r} items={items} />}
      <Pager r={r} first={first} next={next} />
      <SignupForm r={r} mode={mode} error={signupError} />
    </AdminLayout>,
    { status: signupError ? 400 : 200 },
  );
}

function TenantTable(props: { r: AdminRequest; items: TenantSummary[] }) {
  const { r } = props;
  const t = tc(r).list;
  return (
    <div class="table-wrap" role="region" aria-label={t.heading} tabindex={0}>
      <table class="list stack">
        <thead>
          <tr>
            <th scope="col">{t.business}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.bots}</th>
            <th scope="col">{t.bookings7d}</th>
            <th scope="col">{t.lastUpdate}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((x) => (
            <tr>
              <td>
                <a href={`/admin/platform/tenants/${x.id}`}>{x.name}</a>{' '}
                <span class="muted">{x.slug}</span>
              </td>
              <td data-label={t.status}>
                <StatusBadges r={r} status={x.status} maintenance={x.maintenance} />
              </td>
              <td data-label={t.bots}>
                <BotList r={r} bots={x.bots} />
              </td>
              <td data-label={t.bookings7d}>{x.bookings_7d}</td>
              <td data-label={t.lastUpdate}>{when(r, x.last_update_at, t.never)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SignupForm(props: { r: AdminRequest; mode: SignupMode; error?: boolean | undefined }) {
  const t = tc(props.r).signup;
  return (
    <section aria-labelledby="signup-heading">
      <h2 id="signup-heading">{t.heading}</h2>
      <PostForm r={props.r} action="/admin/platform/settings/signup">
        <fieldset aria-describedby="signup-lead">
          <legend id="signup-lead">{t.lead}</legend>
          {SIGNUP_MODES.map((m) => (
            <label class="choice" for={`signup-${m}`}>
              <input
                type="radio"
                id={`signup-${m}`}
                name="mode"
                value={m}
                checked={m === props.mode}
              />{' '}
              {t.modes[m]}
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit">{t.save}</button>
        </div>
      </PostForm>
    </section>
  );
}

async function saveSignupMode(r: AdminRequest): Promise<Response> {
  const mode = (await r.form()).mode;
  if (!SIGNUP_MODES.includes(mode as SignupMode)) return tenantsPage(r, true);
  await r.deps.console.setSignupMode(actorOf(r), mode as SignupMode);
  return redirect('/admin/platform/tenants?done=signup');
}

// ---------------------------------------------------------------- tenant detail

type FormState = {
  form: 'suspend' | 'maintenance' | 'connect';
  values: Record<string, string>;
  errors: Record<string, string>;
};

async function tenantPage(r: AdminRequest, state?: FormState): Promise<Response> {
  const id = uuidParam(r);
  if (!id) return notFound(r);
  const tenant = await asPlatform(r.deps.db, (tx) =>
    tenantDetail(tx, { id, now: new Date(r.deps.now()) }),
  );
  if (!tenant) return notFound(r);
  const health = await webhookHealth(
    r,
    tenant.bots.map((b) => b.id),
  );
  return page(r, <TenantDetailPage r={r} tenant={tenant} health={health} state={state} />, {
    status: state ? 400 : 200,
  });
}

function TenantDetailPage(props: {
  r: AdminRequest;
  tenant: TenantDetail;
  health: Map<string, WebhookAnswer>;
  state?: FormState | undefined;
}) {
  const { r, tenant: x, state } = props;
  const t = tc(r);
  const d = t.detail;
  const zone = x.zone ?? 'UTC';
  const base = `/admin/platform/tenants/${x.id}`;
  const value = (form: FormState['form'], name: string) =>
    state?.form === form ? state.values[name] : undefined;
  const error = (form: FormState['form'], name: string) =>
    state?.form === form ? state.errors[name] : undefined;
  const untilValue =
    value('maintenance', 'until') ??
    (x.maintenance_until
      ? DateTime.fromJSDate(x.maintenance_until, { zone }).toFormat("yyyy-LL-dd'T'HH:mm")
      : '');
  const hasActiveBot = x.bots.some((b) => b.status === 'active');
  return (
    <AdminLayout r={r} title={d.title(x.name)} current="/admin/platform/tenants">
      <h1>
        {x.name} <StatusBadges r={r} status={x.status} maintenance={x.maintenance} />
      </h1>
      <Notice r={r} />
      {state ? (
        <p class="notice bad" role="alert">
          {t.problems.fixBelow}
        </p>
      ) : null}
      {x.maintenance ? (
        <p class="notice bad">
          {d.maintenanceNow(x.maintenance_message ?? '')}{' '}
          {x.maintenance_until
            ? d.maintenanceUntil(
                `${DateTime.fromJSDate(x.maintenance_until, { zone }).toFormat('yyyy-LL-dd HH:mm')} (${zone})`,
              )
            : ''}
        </p>
      ) : null}
      <dl class="pairs">
        <dt>{d.slug}</dt>
        <dd>{x.slug}</dd>
        <dt>{d.status}</dt>
        <dd>{t.statuses[x.status]}</dd>
        <dt>{d.created}</dt>
        <dd>{when(r, x.created_at)}</dd>
        <dt>{d.language}</dt>
        <dd>{x.default_language}</dd>
        <dt>{t.list.bookings7d}</dt>
        <dd>{x.bookings_7d}</dd>
        <dt>{t.list.lastUpdate}</dt>
        <dd>{when(r, x.last_update_at, t.list.never)}</dd>
        <dt>{d.owners}</dt>
        <dd>{x.owners}</dd>
        <dt>{d.openInvitations}</dt>
        <dd>{x.open_claims}</dd>
        <dt>{t.jobs.heading}</dt>
        <dd>
          <a href={`/admin/platform/jobs?tenant=${x.id}`}>{d.jobs(x.dead_jobs, x.failing_jobs)}</a>
        </dd>
      </dl>
      <p>
        <a href={`/admin/audit?tenant=${x.id}`}>{d.audit}</a>
      </p>

      <h2>{d.botsHeading}</h2>
      {x.bots.length === 0 ? <p>{d.noBot}</p> : null}
      <ul class="cards">
        {x.bots.map((b) => {
          const info = props.health.get(b.id);
          return (
            <li class="card">
              <p>
                <strong>@{b.username}</strong>
                <span class={`badge ${b.status === 'active' ? 'ok' : ''}`}>
                  {botStatus(r, b.status)}
                </span>
              </p>
              <p class="muted">{d.webhook}</p>
              <WebhookFacts r={r} info={info} />
            </li>
          );
        })}
      </ul>

      <h2>{d.actions}</h2>
      {x.status === 'pending' ? (
        <PostForm r={r} action={`${base}/approve`} class="card">
          <p>{d.approveHint}</p>
          <button type="submit" class="primary">
            {d.approve}
          </button>
        </PostForm>
      ) : null}
      {x.status === 'suspended' ? (
        <PostForm r={r} action={`${base}/resume`} class="card">
          <p>{d.resumeHint}</p>
          <button type="submit" class="primary">
            {d.resume}
          </button>
        </PostForm>
      ) : (
        <PostForm r={r} action={`${base}/suspend`} class="card">
          <p>{d.suspendHint}</p>
          <Field
            id="suspend-reason"
            name="reason"
            label={d.reason}
            hint={d.suspendReasonHint}
            maxlength={500}
            value={value('suspend', 'reason')}
            error={error('suspend', 'reason')}
          />
          <div class="actions">
            <button type="submit" class="danger">
              {d.suspend}
            </button>
          </div>
        </PostForm>
      )}
      {x.maintenance ? (
        <PostForm r={r} action={`${base}/maintenance/off`} class="card">
          <button type="submit" class="primary">
            {d.maintenanceOff}
          </button>
        </PostForm>
      ) : null}
      <PostForm r={r} action={`${base}/maintenance`} class="card">
        <p>{d.maintenanceHint}</p>
        <Field
          id="maintenance-reason"
          name="reason"
          label={d.reason}
          hint={d.maintenanceReasonHint}
          maxlength={500}
          value={value('maintenance', 'reason') ?? x.maintenance_message ?? ''}
          error={error('maintenance', 'reason')}
        />
        <Field
          id="maintenance-until"
          name="until"
          type="datetime-local"
          label={d.until}
          hint={d.untilHint(zone)}
          value={untilValue}
          error={error('maintenance', 'until')}
        />
        <div class="actions">
          <button type="submit" class="danger">
            {x.maintenance ? d.maintenanceUpdate : d.maintenanceOn}
          </button>
        </div>
      </PostForm>
      <PostForm r={r} action={`${base}/invite`} class="card">
        <p>{hasActiveBot ? d.inviteHint : d.inviteNeedsBot}</p>
        {hasActiveBot ? <button type="submit">{d.invite}</button> : null}
      </PostForm>
      <PostForm r={r} action={`${base}/bot`} class="card">
        <p>{d.connectHint}</p>
        <Field
          id="connect-token"
          name="token"
          label={d.token}
          hint={d.tokenHint}
          value={value('connect', 'token')}
          error={error('connect', 'token')}
        />
        <div class="actions">
          <button type="submit">{d.connect}</button>
        </div>
      </PostForm>
    </AdminLayout>
  );
}

function tenantAction(
  action: 'approve' | 'suspend' | 'resume' | 'maintenance_on' | 'maintenance_off',
): (r: AdminRequest) => Promise<Response> {
  return async (r) => {
    const id = uuidParam(r);
    if (!id) return notFound(r);
    const fields = await r.form();
    const t = tc(r);
    let change: TenantChange;
    if (action === 'suspend') {
      const checked = checkReason(fields);
      if (!checked.ok)
        return tenantPage(r, {
          form: 'suspend',
          values: fields,
          errors: { reason: t.problems[checked.error] },
        });
      change = { action, reason: checked.reason };
    } else if (action === 'maintenance_on') {
      const zone = (
        await asPlatform(r.deps.db, (tx) => tenantDetail(tx, { id, now: new Date(r.deps.now()) }))
      )?.zone;
      const checked = checkMaintenance(fields, zone ?? 'UTC', r.deps.now());
      if (!checked.ok) {
        const errors = Object.fromEntries(
          Object.entries(checked.errors).map(([k, v]) => [k, t.problems[v]]),
        );
        return tenantPage(r, { form: 'maintenance', values: fields, errors });
      }
      change = { action, reason: checked.reason, until: checked.until };
    } else change = { action };
    const outcome = await r.deps.console.changeTenant(actorOf(r), id, change);
    if (outcome.kind === 'not_found') return notFound(r);
    return redirect(
      `/admin/platform/tenants/${id}?done=${outcome.kind === 'done' ? action : 'unchanged'}`,
    );
  };
}

/** The claim link is shown once, in the answer to the POST (never in a URL that a reload or log keeps). */
function InvitedPage(props: {
  r: AdminRequest;
  tenantId: string;
  link?: string | undefined;
  created?: string | undefined;
}) {
  const t = tc(props.r).invited;
  return (
    <AdminLayout r={props.r} title={t.title} current="/admin/platform/tenants">
      <h1>{t.heading}</h1>
      {props.created ? (
        <p class="notice ok" role="status">
          {t.created(props.created)}
        </p>
      ) : null}
      {props.link ? (
        <>
          <p class="lead">{t.lead}</p>
          <pre>
            <a href={props.link}>{props.link}</a>
          </pre>
          <p class="muted">{t.once}</p>
        </>
      ) : (
        <p>{t.noBot}</p>
      )}
      <p>
        <a href={`/admin/platform/tenants/${props.tenantId}`}>{t.back}</a>
      </p>
    </AdminLayout>
  );
}

async function inviteOwner(r: AdminRequest): Promise<Response> {
  const id = uuidParam(r);
  if (!id) return notFound(r);
  const exists = await asPlatform(r.deps.db, (tx) =>
    tx.query('select 1 from public.tenants where id = $1', [id]),
  );
  if (exists.length === 0) return notFound(r);
  const link = await r.deps.console.inviteOwner(actorOf(r), id);
  return withNoStore(
    page(r, <InvitedPage r={r} tenantId={id} link={link} />, { status: link ? 200 : 409 }),
  );
}

function withNoStore(response: Response): Response {
  response.headers.set('cache-control', 'no-store');
  return response;
}

const problemText = (t: ConsoleMessages, p: BotProblem) =>
  p.kind === 'token_refused' ? t.problems.token_refused(p.reason) : t.problems[p.kind];

async function connectBot(r: AdminRequest): Promise<Response> {
  const id = uuidParam(r);
  if (!id) return notFound(r);
  const fields = await r.form();
  const exists = await asPlatform(r.deps.db, (tx) =>
    tx.query('select 1 from public.tenants where id = $1', [id]),
  );
  if (exists.length === 0) return notFound(r);
  try {
    await r.deps.console.connectBot(actorOf(r), id, fields.token ?? '');
  } catch (error) {
    if (!(error instanceof OnboardingError)) throw error;
    return tenantPage(r, {
      form: 'connect',
      values: { token: fields.token ?? '' },
      errors: { token: problemText(tc(r), botProblem(error)) },
    });
  }
  return redirect(`/admin/platform/tenants/${id}?done=bot`);
}

// ---------------------------------------------------------------- new tenant

function NewTenantPage(props: {
  r: AdminRequest;
  values?: Record<string, string>;
  errors?: Record<string, string>;
}) {
  const { r } = props;
  const t = tc(r);
  const c = t.create;
  const v = props.values ?? {};
  const e = props.errors ?? {};
  const language = v.language ?? r.lang;
  return (
    <AdminLayout r={r} title={c.title} current="/admin/platform/tenants">
      <h1>{c.heading}</h1>
      <p class="lead">{c.lead}</p>
      {props.errors ? (
        <p class="notice bad" role="alert">
          {t.problems.fixBelow}
        </p>
      ) : null}
      <PostForm r={r} action="/admin/platform/tenants">
        <Field
          id="name"
          name="name"
          label={c.name}
          value={v.name}
          error={e.name}
          maxlength={200}
          required
        />
        <Field
          id="slug"
          name="slug"
          label={c.slug}
          hint={c.slugHint}
          value={v.slug}
          error={e.slug}
          maxlength={63}
          required
        />
        <label for="language">{c.language}</label>
        <select
          id="language"
          name="language"
          aria-invalid={e.language ? 'true' : undefined}
          aria-describedby={e.language ? 'language-error' : undefined}
        >
          {(['en', 'ru'] as const).map((l) => (
            <option value={l} selected={l === language}>
              {c.languages[l]}
            </option>
          ))}
        </select>
        {e.language ? (
          <p class="field-error" id="language-error">
            {e.language}
          </p>
        ) : null}
        <Field
          id="token"
          name="token"
          label={c.token}
          hint={c.tokenHint}
          value={v.token}
          error={e.token}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {c.submit}
          </button>
        </div>
      </PostForm>
    </AdminLayout>
  );
}

async function createTenant(r: AdminRequest): Promise<Response> {
  const fields = await r.form();
  const values = {
    name: fields.name ?? '',
    slug: fields.slug ?? '',
    language: fields.language ?? '',
    token: fields.token ?? '',
  };
  const t = tc(r);
  const again = (errors: Record<string, string>) =>
    page(r, <NewTenantPage r={r} values={values} errors={errors} />, { status: 400 });
  const checked = checkNewTenant(fields);
  if (!checked.ok)
    return again(
      Object.fromEntries(Object.entries(checked.errors).map(([k, v]) => [k, t.problems[v]])),
    );
  const result = await r.deps.console.createTenant(actorOf(r), checked.value);
  if (result.kind === 'slug_taken') return again({ slug: t.problems.slug_taken });
  if (result.kind === 'bot_failed') return again({ token: problemText(t, result.problem) });
  return withNoStore(
    page(
      r,
      <InvitedPage
        r={r}
        tenantId={result.tenantId}
        link={result.bot?.claimLink}
        created={checked.value.name}
      />,
    ),
  );
}

// ---------------------------------------------------------------- jobs

async function jobsPage(r: AdminRequest): Promise<Response> {
  const t = tc(r).jobs;
  const tenantQuery = r.query('tenant');
  const tenantId = tenantQuery && UUID.test(tenantQuery) ? tenantQuery : undefined;
  const afterId = afterIdOf(r);
  const [rows, tenant] = await asPlatform(r.deps.db, (tx) =>
    Promise.all([
      listTroubleJobs(tx, {
        ...(tenantId ? { tenantId } : {}),
        ...(afterId ? { afterId } : {}),
        limit: PAGE + 1,
      }),
      tenantId
        ? tx.query<{ name: string }>('select name from public.tenants where id = $1', [tenantId])
        : Promise.resolve([]),
    ]),
  );
  const keep: Record<string, string> = tenantId ? { tenant: tenantId } : {};
  const { items, next, first } = keysetPage(rows, {
    size: PAGE,
    path: '/admin/platform/jobs',
    keep,
    afterId,
  });
  const back = `/admin/platform/jobs${tenantId ? `?tenant=${tenantId}` : ''}`;
  return page(
    r,
    <AdminLayout r={r} title={t.title} current="/admin/platform/jobs">
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>
      <Notice r={r} />
      {tenantId ? (
        <p>
          {t.forTenant(tenant[0]?.name ?? tenantId)} <a href="/admin/platform/jobs">{t.all}</a>
        </p>
      ) : null}
      <p class="muted">{t.retryExplained}</p>
      {items.length === 0 ? <p>{t.none}</p> : <JobTable r={r} items={items} back={back} />}
      <Pager r={r} first={first} next={next} />
    </AdminLayout>,
  );
}

function JobTable(props: { r: AdminRequest; items: TroubleJob[]; back: string }) {
  const { r } = props;
  const t = tc(r).jobs;
  return (
    <div class="table-wrap" role="region" aria-label={t.heading} tabindex={0}>
      <table class="list stack">
        <thead>
          <tr>
            <th scope="col">{t.kind}</th>
            <th scope="col">{t.business}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.attempts}</th>
            <th scope="col">{t.lastError}</th>
            <th scope="col">{t.runAt}</th>
            <th scope="col">{t.actions}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((j) => (
            <tr>
              <td>
                <strong>{j.kind}</strong>
                <br />
                <code class="muted">{j.key}</code>
              </td>
              <td data-label={t.business}>
                {j.tenant_id ? (
                  <a href={`/admin/platform/jobs?tenant=${j.tenant_id}`}>
                    {j.tenant_name ?? j.tenant_id}
                  </a>
                ) : (
                  t.platform
                )}
              </td>
              <td data-label={t.status}>
                <span class={`badge ${j.status === 'dead' ? 'bad' : ''}`}>
                  {t.statuses[j.status as 'dead' | 'pending' | 'running'] ?? j.status}
                </span>
              </td>
              <td data-label={t.attempts}>
                {j.attempts} / {j.max_attempts}
              </td>
              <td data-label={t.lastError} class="details">
                {j.last_error
                  ? j.last_error.length > 200
                    ? `${j.last_error.slice(0, 200)}…`
                    : j.last_error
                  : '—'}
              </td>
              <td data-label={t.runAt}>{when(r, j.run_at)}</td>
              <td data-label={t.actions}>
                {j.status === 'running' ? (
                  '—'
                ) : (
                  <div class="row-actions">
                    <PostForm r={r} action={`/admin/platform/jobs/${j.id}/retry`} class="inline">
                      <input type="hidden" name="back" value={props.back} />
                      <button type="submit" aria-label={`${t.retry}: ${j.kind} ${j.key}`}>
                        {t.retry}
                      </button>
                    </PostForm>
                    <PostForm r={r} action={`/admin/platform/jobs/${j.id}/discard`} class="inline">
                      <input type="hidden" name="back" value={props.back} />
                      <button
                        type="submit"
                        class="danger"
                        aria-label={`${t.discard}: ${j.kind} ${j.key}`}
                      >
                        {t.discard}
                      </button>
                    </PostForm>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function jobAction(action: 'retry' | 'discard'): (r: AdminRequest) => Promise<Response> {
  return async (r) => {
    const id = uuidParam(r);
    if (!id) return notFound(r);
    const fields = await r.form();
    const outcome = await r.deps.console.changeJob(actorOf(r), id, action);
    if (outcome.kind === 'not_found') return notFound(r);
    // Back to the list it came from: only a path of this console (never an address elsewhere).
    const back = /^\/admin\/platform\/jobs(\?tenant=[0-9a-f-]{36})?$/.test(fields.back ?? '')
      ? fields.back!
      : '/admin/platform/jobs';
    return redirect(
      `${back}${back.includes('?') ? '&' : '?'}done=${outcome.kind === 'done' ? action : 'job_unchanged'}`,
    );
  };
}

// ---------------------------------------------------------------- routes

const route = (
  method: 'GET' | 'POST',
  path: string,
  handle: (r: AdminRequest) => Promise<Response>,
): AdminRoute => ({ method, path, access: ACCESS, handle });

export const PLATFORM_ROUTES: readonly AdminRoute[] = [
  route('GET', '/platform/tenants', (r) => tenantsPage(r)),
  route('GET', '/platform/tenants/new', async (r) => page(r, <NewTenantPage r={r} />)),
  route('POST', '/platform/tenants', createTenant),
  route('GET', '/platform/tenants/:id', (r) => tenantPage(r)),
  route('POST', '/platform/tenants/:id/approve', tenantAction('approve')),
  route('POST', '/platform/tenants/:id/suspend', tenantAction('suspend')),
  route('POST', '/platform/tenants/:id/resume', tenantAction('resume')),
  route('POST', '/platform/tenants/:id/maintenance', tenantAction('maintenance_on')),
  route('POST', '/platform/tenants/:id/maintenance/off', tenantAction('maintenance_off')),
  route('POST', '/platform/tenants/:id/invite', inviteOwner),
  route('POST', '/platform/tenants/:id/bot', connectBot),
  route('POST', '/platform/settings/signup', saveSignupMode),
  route('GET', '/platform/jobs', jobsPage),
  route('POST', '/platform/jobs/:id/retry', jobAction('retry')),
  route('POST', '/platform/jobs/:id/discard', jobAction('discard')),
];

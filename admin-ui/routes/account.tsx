/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { asPlatform, asTenant } from '../../db/scope.ts';
import { listAudit, type AuditItem } from '../../db/queries/admin.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import { formatMoment } from '../format.ts';
import { errorPage } from '../pages/error.tsx';
import { page, redirect, tenantScope, type AdminRequest, type AdminRoute } from '../request.ts';

/** A part of the home page; each feature adds its own (the checklist, the platform's figures). */
export type HomeSection = (r: AdminRequest) => Promise<Child | null>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AUDIT_PAGE = 50;

function businessSection(r: AdminRequest): Child | null {
  const me = r.identity!;
  if (!me.tenantName) return <p>{r.t.home.platformIntro}</p>;
  const status =
    r.t.home.statuses[(me.tenantStatus ?? 'active') as keyof typeof r.t.home.statuses] ??
    me.tenantStatus;
  return (
    <>
      <p class="lead">{r.t.home.business(me.tenantName, status ?? '')}</p>
      {me.role === 'master' ? <p>{r.t.home.masterSchedule}</p> : null}
    </>
  );
}

export function homeRoute(sections: readonly HomeSection[]): AdminRoute {
  return {
    method: 'GET',
    path: '',
    access: 'signed_in',
    async handle(r) {
      const parts = await Promise.all(sections.map((section) => section(r)));
      return page(
        r,
        <AdminLayout r={r} title={r.t.home.title} current="/admin">
          <h1>{r.t.home.welcome(r.identity!.displayName)}</h1>
          {businessSection(r)}
          {parts}
        </AdminLayout>,
      );
    },
  };
}

async function sessionsPage(r: AdminRequest): Promise<Response> {
  const t = r.t.sessions;
  const me = r.identity!;
  const sessions = await r.deps.auth.sessions(me);
  return page(
    r,
    <AdminLayout r={r} title={t.title}>
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>
      {sessions.length === 0 ? <p>{t.none}</p> : null}
      <ul class="cards">
        {sessions.map((s) => (
          <li class="card">
            <p>
              <strong>{t.via[s.via as 'login_link' | 'mini_app'] ?? s.via}</strong>
              {s.id === me.sessionId ? <span class="badge">{t.current}</span> : null}
            </p>
            <dl class="pairs">
              <dt>{t.device}</dt>
              <dd>{s.user_agent ?? t.unknownDevice}</dd>
              <dt>{t.started}</dt>
              <dd>{formatMoment(s.created_at, r.lang)}</dd>
              <dt>{t.lastSeen}</dt>
              <dd>{formatMoment(s.last_seen_at, r.lang)}</dd>
              <dt>{t.expires}</dt>
              <dd>{formatMoment(s.expires_at, r.lang)}</dd>
            </dl>
            <PostForm
              r={r}
              action={s.id === me.sessionId ? '/admin/signout' : `/admin/sessions/${s.id}/revoke`}
            >
              <button type="submit">{s.id === me.sessionId ? t.signOutThis : t.signOut}</button>
            </PostForm>
          </li>
        ))}
      </ul>
    </AdminLayout>,
  );
}

async function revokeSession(r: AdminRequest): Promise<Response> {
  const id = r.param('id');
  // Only one's own sessions: another person's id is "not here", and changes nothing.
  if (!UUID.test(id) || !(await r.deps.auth.signOut(r.identity!, id)))
    return errorPage(r, 404, r.t.errors.notFound, r.t.errors.notFoundHow);
  return redirect('/admin/sessions');
}

/** Before/after of an audit entry as people read it: `field: value`, nested values as JSON. */
function describeState(state: unknown): string {
  if (state === null || state === undefined) return '';
  if (typeof state !== 'object' || Array.isArray(state)) return JSON.stringify(state);
  return Object.entries(state as Record<string, unknown>)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

function AuditTable(props: { r: AdminRequest; items: AuditItem[] }) {
  const { r } = props;
  const t = r.t.audit;
  const showBusiness = r.identity!.role === 'platform_admin';
  const role = (name: string) => r.t.roles[name as keyof typeof r.t.roles] ?? name;
  const who = (e: AuditItem) =>
    e.actor_role === 'system'
      ? t.systemActor
      : e.actor_name
        ? `${e.actor_name} (${role(e.actor_role)})`
        : e.actor_role === 'platform_admin'
          ? t.platformActor
          : role(e.actor_role);
  const change = (e: AuditItem) =>
    [describeState(e.before), describeState(e.after)].filter(Boolean).join(' → ');
  return (
    <div class="table-wrap">
      <table class="list stack">
        <caption class="visually-hidden">{t.heading}</caption>
        <thead>
          <tr>
            <th scope="col">{t.when}</th>
            <th scope="col">{t.who}</th>
            <th scope="col">{t.what}</th>
            {showBusiness ? <th scope="col">{t.business}</th> : null}
            <th scope="col">{t.details}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((e) => (
            <tr>
              <td data-label={t.when}>{formatMoment(e.at, r.lang)}</td>
              <td data-label={t.who}>{who(e)}</td>
              <td data-label={t.what}>
                {t.actions[e.action] ?? e.action}
                {t.actions[e.action] ? null : e.target_kind ? (
                  <span class="muted"> ({e.target_kind})</span>
                ) : null}
              </td>
              {showBusiness ? <td data-label={t.business}>{e.tenant_name ?? '—'}</td> : null}
              <td data-label={t.details} class="details">
                {change(e)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The audit log, newest first, 50 a page (keyset on id). Platform admins read everything (or one
 * business: `?tenant=`); an owner reads their business's, as that tenant (RLS).
 */
async function auditPage(r: AdminRequest): Promise<Response> {
  const me = r.identity!;
  const before = r.query('before');
  const beforeId = before && /^\d{1,18}$/.test(before) ? before : undefined;
  const tenantFilter = r.query('tenant');
  const filter =
    me.role === 'platform_admin'
      ? tenantFilter && UUID.test(tenantFilter)
        ? tenantFilter
        : undefined
      : me.tenantId!;
  const query = {
    ...(filter ? { tenantId: filter } : {}),
    ...(beforeId ? { beforeId } : {}),
    limit: AUDIT_PAGE + 1,
  };
  const rows =
    me.role === 'platform_admin'
      ? await asPlatform(r.deps.db, (tx) => listAudit(tx, query))
      : await asTenant(r.deps.db, tenantScope(me), (tx) => listAudit(tx, query));
  const items = rows.slice(0, AUDIT_PAGE);
  const t = r.t.audit;
  const next =
    rows.length > AUDIT_PAGE
      ? `/admin/audit?${new URLSearchParams({ ...(filter && me.role === 'platform_admin' ? { tenant: filter } : {}), before: items.at(-1)!.id })}`
      : undefined;
  return page(
    r,
    <AdminLayout r={r} title={t.title}>
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>
      {items.length === 0 ? <p>{t.none}</p> : <AuditTable r={r} items={items} />}
      {next ? (
        <p>
          <a href={next}>{t.older}</a>
        </p>
      ) : null}
    </AdminLayout>,
  );
}

export function accountRoutes(sections: readonly HomeSection[]): AdminRoute[] {
  return [
    homeRoute(sections),
    { method: 'GET', path: '/sessions', access: 'signed_in', handle: sessionsPage },
    { method: 'POST', path: '/sessions/:id/revoke', access: 'signed_in', handle: revokeSession },
    { method: 'GET', path: '/audit', access: ['platform_admin', 'owner'], handle: auditPage },
  ];
}

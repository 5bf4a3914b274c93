/** @jsxImportSource hono/jsx */
import { asTenant } from '../../db/scope.ts';
import {
  businessLocations,
  listStaff,
  openInvitations,
  unboundMasters,
  type Choice,
  type Invitation,
  type StaffMember,
} from '../../db/queries/staff.ts';
import {
  invitableRoles,
  type BusinessRole,
  type StaffRefusal,
} from '../../tenants/admin/staff-rules.ts';
import type { StaffActor } from '../../tenants/admin/staff.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import { formatMoment } from '../format.ts';
import { STAFF_MESSAGES, type StaffMessages } from '../i18n/staff-messages.ts';
import { page, redirect, tenantScope, type AdminRequest, type AdminRoute } from '../request.ts';

const ROLES: readonly BusinessRole[] = ['owner', 'manager', 'master'];
const REFUSAL_STATUS: Record<StaffRefusal | 'no_bot' | 'master_required' | 'master_taken', number> =
  {
    not_allowed: 403,
    last_owner: 409,
    not_found: 404,
    no_bot: 409,
    master_required: 422,
    master_taken: 409,
  };
const DONE = ['role', 'removed', 'locations', 'cancelled'] as const;

const actorOf = (r: AdminRequest): StaffActor => ({
  tenantId: r.identity!.tenantId!,
  staffId: r.identity!.staffId,
  role: r.identity!.role,
});
const isRole = (value: string | undefined): value is BusinessRole =>
  ROLES.includes(value as BusinessRole);

interface StaffView {
  members: StaffMember[];
  invitations: Invitation[];
  masters: Choice[];
  locations: Choice[];
}

function Member(props: { r: AdminRequest; s: StaffMessages; m: StaffMember; locations: Choice[] }) {
  const { r, s, m } = props;
  const me = r.identity!;
  const owner = me.role === 'owner';
  const names = (m.location_ids ?? []).map(
    (id) => props.locations.find((l) => l.id === id)?.name ?? id,
  );
  return (
    <li class="card">
      <p>
        <strong>{m.display_name}</strong>
        <span class="badge">{r.t.roles[m.role]}</span>
        {m.id === me.staffId ? <span class="badge">{s.you}</span> : null}
        {m.active ? null : <span class="badge bad">{s.inactive}</span>}
      </p>
      <p class="muted">
        {m.telegram_user_id ? s.telegramBound : s.telegramNotBound}
        {m.master_name ? ` · ${s.master(m.master_name)}` : ''}
        {m.role === 'manager'
          ? ` · ${names.length ? s.onlyLocations(names.join(', ')) : s.allLocations}`
          : ''}
      </p>
      {owner && m.active ? (
        <div class="actions">
          <PostForm r={r} action={`/admin/staff/${m.id}/role`} class="row">
            <label for={`role-${m.id}`}>{s.roleLabel}</label>
            <select id={`role-${m.id}`} name="role">
              {ROLES.map((role) => (
                <option value={role} selected={role === m.role}>
                  {r.t.roles[role]}
                </option>
              ))}
            </select>
            <button type="submit">{s.saveRole}</button>
          </PostForm>
          {m.role === 'manager' && props.locations.length > 1 ? (
            <PostForm r={r} action={`/admin/staff/${m.id}/locations`}>
              <fieldset>
                <legend>{s.locationsLegend}</legend>
                <p class="hint">{s.locationsHint}</p>
                {props.locations.map((l) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      name="location"
                      value={l.id}
                      checked={(m.location_ids ?? []).includes(l.id)}
                    />{' '}
                    {l.name}
                  </label>
                ))}
              </fieldset>
              <button type="submit">{s.saveLocations}</button>
            </PostForm>
          ) : null}
          <PostForm r={r} action={`/admin/staff/${m.id}/remove`}>
            <button type="submit" class="danger">
              {s.remove}
            </button>
          </PostForm>
        </div>
      ) : null}
    </li>
  );
}

function staffPage(
  r: AdminRequest,
  view: StaffView,
  notice?: { ok: boolean; text: string },
  status = 200,
): Response {
  const s = STAFF_MESSAGES[r.lang];
  const roles = invitableRoles(r.identity!.role as BusinessRole);
  return page(
    r,
    <AdminLayout r={r} title={s.title}>
      <h1>{s.heading}</h1>
      <p class="lead">{s.lead}</p>
      {notice ? (
        <p class={`notice ${notice.ok ? 'ok' : 'bad'}`} role={notice.ok ? 'status' : 'alert'}>
          {notice.text}
        </p>
      ) : null}
      <ul class="cards">
        {view.members.map((m) => (
          <Member r={r} s={s} m={m} locations={view.locations} />
        ))}
      </ul>
      {roles.length ? (
        <section aria-labelledby="invite-heading">
          <h2 id="invite-heading">{s.invite.heading}</h2>
          <p>{s.invite.lead}</p>
          <PostForm r={r} action="/admin/staff/invite">
            <label for="invite-role">{s.invite.role}</label>
            <select id="invite-role" name="role">
              {roles.map((role) => (
                <option value={role}>{r.t.roles[role]}</option>
              ))}
            </select>
            <label for="invite-master">
              {s.invite.master}
              <span class="hint" id="invite-master-hint">
                {view.masters.length ? s.invite.masterHint : s.invite.noMasters}
              </span>
            </label>
            <select id="invite-master" name="master" aria-describedby="invite-master-hint">
              <option value="">—</option>
              {view.masters.map((m) => (
                <option value={m.id}>{m.name}</option>
              ))}
            </select>
            <div class="actions">
              <button type="submit" class="primary">
                {s.invite.button}
              </button>
            </div>
          </PostForm>
        </section>
      ) : null}
      <section aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">{s.invitations.heading}</h2>
        {view.invitations.length === 0 ? <p>{s.invitations.none}</p> : null}
        <ul class="cards">
          {view.invitations.map((i) => (
            <li class="card">
              <p>
                <strong>{r.t.roles[i.role]}</strong>
                {i.master_name ? ` · ${s.master(i.master_name)}` : ''}
              </p>
              <p class="muted">
                {s.invitations.expires} {formatMoment(i.expires_at, r.lang)}
              </p>
              {roles.includes(i.role) ? (
                <PostForm r={r} action={`/admin/staff/invitations/${i.code_hash}/cancel`}>
                  <button type="submit">{s.invitations.cancel}</button>
                </PostForm>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </AdminLayout>,
    { status },
  );
}

async function loadView(r: AdminRequest): Promise<StaffView> {
  const tenantId = r.identity!.tenantId!;
  return asTenant(r.deps.db, tenantScope(r.identity!), async (tx) => {
    const [members, invitations, masters, locations] = await Promise.all([
      listStaff(tx, tenantId),
      openInvitations(tx, tenantId),
      unboundMasters(tx, tenantId),
      businessLocations(tx, tenantId),
    ]);
    return { members, invitations, masters, locations };
  });
}

async function showStaff(r: AdminRequest): Promise<Response> {
  const done = r.query('done');
  const notice = DONE.find((d) => d === done);
  return staffPage(
    r,
    await loadView(r),
    notice ? { ok: true, text: STAFF_MESSAGES[r.lang].done[notice] } : undefined,
  );
}

/** A refused change: the page again, saying why, with the status that says it. */
async function refused(r: AdminRequest, reason: keyof typeof REFUSAL_STATUS): Promise<Response> {
  return staffPage(
    r,
    await loadView(r),
    { ok: false, text: STAFF_MESSAGES[r.lang].refused[reason] },
    REFUSAL_STATUS[reason],
  );
}

async function invite(r: AdminRequest): Promise<Response> {
  const form = await r.form();
  const role = form.role;
  if (!isRole(role)) return refused(r, 'not_allowed');
  const result = await r.deps.staff.invite(actorOf(r), {
    role,
    ...(form.master ? { masterId: form.master } : {}),
  });
  if (!result.ok) return refused(r, result.reason);
  const s = STAFF_MESSAGES[r.lang];
  return page(
    r,
    <AdminLayout r={r} title={s.invited.title}>
      <h1>{s.invited.heading}</h1>
      <p class="lead">{s.invited.howTo(r.t.roles[result.role])}</p>
      <label for="invitation-link">{s.invited.copy}</label>
      <input id="invitation-link" type="text" readonly value={result.link} />
      <p>
        <a href={result.link}>{result.link}</a>
      </p>
      <p class="muted">{s.invited.once}</p>
      <p>
        <a href="/admin/staff">{s.invited.back}</a>
      </p>
    </AdminLayout>,
  );
}

function changeRoute(
  path: string,
  done: (typeof DONE)[number],
  run: (r: AdminRequest, actor: StaffActor) => Promise<StaffRefusal | undefined>,
): AdminRoute {
  return {
    method: 'POST',
    path,
    access: ['owner'],
    async handle(r) {
      const refusal = await run(r, actorOf(r));
      return refusal ? refused(r, refusal) : redirect(`/admin/staff?done=${done}`);
    },
  };
}

export const STAFF_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/staff', access: ['owner', 'manager'], handle: showStaff },
  { method: 'POST', path: '/staff/invite', access: ['owner', 'manager'], handle: invite },
  {
    method: 'POST',
    path: '/staff/invitations/:code/cancel',
    access: ['owner', 'manager'],
    async handle(r) {
      return (await r.deps.staff.cancelInvitation(actorOf(r), r.param('code')))
        ? redirect('/admin/staff?done=cancelled')
        : refused(r, 'not_found');
    },
  },
  changeRoute('/staff/:id/role', 'role', async (r, actor) => {
    const role = (await r.form()).role;
    return isRole(role) ? r.deps.staff.changeRole(actor, r.param('id'), role) : 'not_allowed';
  }),
  changeRoute('/staff/:id/remove', 'removed', (r, actor) =>
    r.deps.staff.remove(actor, r.param('id')),
  ),
  changeRoute('/staff/:id/locations', 'locations', async (r, actor) =>
    r.deps.staff.limitLocations(actor, r.param('id'), await r.formAll('location')),
  ),
];

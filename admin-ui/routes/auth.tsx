/** @jsxImportSource hono/jsx */
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import { MINI_APP_SCRIPT_PATH } from '../assets.ts';
import { errorPage } from '../pages/error.tsx';
import { page, redirect, type AdminRequest, type AdminRoute } from '../request.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function signInPage(r: AdminRequest): Response {
  const t = r.t.signIn;
  return page(
    r,
    <AdminLayout r={r} title={t.title}>
      <h1>{t.heading}</h1>
      <p class="lead">{t.how}</p>
      <ol class="steps">
        {t.steps.map((step) => (
          <li>{step}</li>
        ))}
      </ol>
      <p>{t.miniApp}</p>
      <p class="muted">
        {t.newBusiness} <a href="/admin/signup">{t.signUp}</a>
      </p>
    </AdminLayout>,
  );
}

/**
 * The link a bot sends is opened with GET, which only asks (Telegram and mail scanners fetch
 * links to preview them; a GET must not use up the link); the button POSTs it.
 */
function loginConfirmPage(r: AdminRequest): Response {
  const t = r.t.login;
  return page(
    r,
    <AdminLayout r={r} title={t.title}>
      <h1>{t.heading}</h1>
      <p class="lead">{t.explain}</p>
      <PostForm r={r} action={`/admin/login/${encodeURIComponent(r.param('token'))}`}>
        <button type="submit" class="primary">
          {t.button}
        </button>
      </PostForm>
    </AdminLayout>,
  );
}

/** A sign-in in a browser that had a session ends that one: a browser holds one session at a time. */
async function endReplacedSession(r: AdminRequest): Promise<void> {
  if (r.identity) await r.deps.auth.signOut(r.identity);
}

async function useLoginLink(r: AdminRequest): Promise<Response> {
  const signIn = await r.deps.auth.signInWithLink(r.param('token'), r.header('user-agent') ?? null);
  if (!signIn.ok) return errorPage(r, 400, r.t.login.invalid, r.t.login.invalidHow);
  await endReplacedSession(r);
  r.setCookie(r.sessionCookie.set(signIn.cookieSecret, r.deps.auth.sessionSeconds));
  r.logger.info({
    event: 'admin_sign_in',
    via: 'login_link',
    role: signIn.identity.role,
    ...(signIn.identity.tenantId ? { tenant_id: signIn.identity.tenantId } : {}),
  });
  return redirect('/admin');
}

/** The Mini App's page: its script hands Telegram's signed launch data to the server, then goes on. */
function miniAppPage(r: AdminRequest): Response {
  const t = r.t.miniApp;
  const bot = r.query('bot') ?? '';
  return page(
    r,
    <AdminLayout r={r} title={t.title} script={MINI_APP_SCRIPT_PATH}>
      <h1
        id="mini-app-status"
        data-bot={UUID.test(bot) ? bot : ''}
        data-csrf={r.csrf}
        data-failed={t.failed}
        data-not-staff={t.notStaff}
        aria-live="polite"
      >
        {t.opening}
      </h1>
      <noscript>
        <p>{t.noScript}</p>
      </noscript>
      <p class="muted">{t.noScript}</p>
    </AdminLayout>,
    { script: true },
  );
}

/** The Mini App's sign-in (called by its script): JSON in, JSON out. */
async function miniAppSession(r: AdminRequest): Promise<Response> {
  const fields = await r.form();
  const botId = fields.bot ?? '';
  const bot = UUID.test(botId) ? await r.deps.bot(botId) : undefined;
  if (!bot) return Response.json({ ok: false, reason: 'unknown_bot' }, { status: 404 });
  const signIn = await r.deps.auth.signInWithMiniApp(
    fields.init_data ?? '',
    bot,
    r.header('user-agent') ?? null,
  );
  if (!signIn.ok) {
    r.logger.warn({ event: 'admin_sign_in_refused', via: 'mini_app', reason: signIn.reason });
    return Response.json(
      { ok: false, reason: signIn.reason },
      { status: signIn.reason === 'not_staff' ? 403 : 401 },
    );
  }
  await endReplacedSession(r);
  r.setCookie(r.sessionCookie.setFramed(signIn.cookieSecret, r.deps.auth.sessionSeconds));
  r.logger.info({
    event: 'admin_sign_in',
    via: 'mini_app',
    role: signIn.identity.role,
    ...(signIn.identity.tenantId ? { tenant_id: signIn.identity.tenantId } : {}),
  });
  return Response.json({ ok: true, next: '/admin' });
}

async function signOut(r: AdminRequest): Promise<Response> {
  await r.deps.auth.signOut(r.identity!);
  r.setCookie(r.sessionCookie.clear());
  return redirect('/admin/signin');
}

export const AUTH_ROUTES: AdminRoute[] = [
  {
    method: 'GET',
    path: '/signin',
    access: 'public',
    handle: async (r) => (r.identity ? redirect('/admin') : signInPage(r)),
  },
  {
    method: 'GET',
    path: '/login/:token',
    access: 'public',
    handle: async (r) => loginConfirmPage(r),
  },
  { method: 'POST', path: '/login/:token', access: 'public', handle: useLoginLink },
  { method: 'GET', path: '/app', access: 'public', handle: async (r) => miniAppPage(r) },
  {
    method: 'POST',
    path: '/app/session',
    access: 'public',
    csrf: 'origin',
    handle: miniAppSession,
  },
  { method: 'POST', path: '/signout', access: 'signed_in', handle: signOut },
];

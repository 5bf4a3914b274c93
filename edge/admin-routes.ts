import type { Context, Hono } from 'hono';
import { csrfToken, csrfValid, sameOrigin } from '../admin-ui/auth/csrf.ts';
import { sessionCookie } from '../admin-ui/auth/session-cookie.ts';
import { negotiateLanguage, type WebLanguage } from '../admin-ui/i18n/languages.ts';
import { errorPage } from '../admin-ui/pages/error.tsx';
import {
  mayOpen,
  type AdminDeps,
  type AdminRequest,
  type AdminRoute,
} from '../admin-ui/request.ts';
import { ADMIN_ROUTES } from '../admin-ui/routes/index.ts';
import { messagesFor } from '../admin-ui/request.ts';
import { randomSecret } from '../tenants/security/tokens.ts';
import type { AppEnv } from './app.ts';
import { readCappedBody } from './body.ts';

/** A form is a few fields: anything bigger is refused unread. */
const FORM_LIMIT_BYTES = 16 * 1024;
const LANG_COOKIE = 'slotbot_lang';
/** Before sign-in, forms are bound to this cookie the way a session binds them afterwards. */
const PRE_SESSION_COOKIE = 'slotbot_pre';

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * Mounts the admin pages under `/admin`: per request the session (cookie), the language, the
 * route's access (refused without a session: 401; for another role: 403) and, for every POST, the
 * origin and the CSRF token, all before the route runs. Routes come from `admin-ui/routes`.
 */
export function registerAdminRoutes(
  app: Hono<AppEnv>,
  deps: AdminDeps,
  routes: readonly AdminRoute[] = ADMIN_ROUTES,
): void {
  const cookie = sessionCookie(deps.publicUrl);
  const cookieAttributes = `Path=/; HttpOnly; SameSite=Lax${cookie.secure ? '; Secure' : ''}`;

  for (const route of routes) {
    const path = `/admin${route.path}`;
    const handler = async (c: Context<AppEnv>) => {
      const cookieHeader = c.req.header('cookie');
      const setCookies: string[] = [];
      const sessionSecret = cookie.read(cookieHeader);
      const identity = await deps.auth.identify(sessionSecret);
      if (sessionSecret && !identity) setCookies.push(cookie.clear());
      const asked = c.req.query('lang');
      const lang: WebLanguage = negotiateLanguage(
        asked ?? readCookie(cookieHeader, LANG_COOKIE) ?? identity?.language,
        c.req.header('accept-language'),
      );
      if (asked && asked === lang)
        setCookies.push(`${LANG_COOKIE}=${lang}; Max-Age=31536000; ${cookieAttributes}`);
      let formSecret = identity ? sessionSecret! : readCookie(cookieHeader, PRE_SESSION_COOKIE);
      if (!formSecret || !/^[A-Za-z0-9_-]{20,100}$/.test(formSecret)) {
        formSecret = randomSecret();
        setCookies.push(
          `${PRE_SESSION_COOKIE}=${formSecret}; Max-Age=86400; Path=/admin; HttpOnly; SameSite=Strict${cookie.secure ? '; Secure' : ''}`,
        );
      }
      const t = messagesFor(lang);
      const correlationId = c.get('correlationId');
      let form: Promise<URLSearchParams> | undefined;
      const fields = () => (form ??= readForm(c.req.raw));
      const request: AdminRequest = {
        deps,
        lang,
        t,
        ...(identity ? { identity } : {}),
        csrf: await csrfToken(formSecret),
        param: (name) => c.req.param(name) ?? '',
        query: (name) => c.req.query(name),
        header: (name) => c.req.header(name),
        form: async () => firstValues(await fields()),
        formAll: async (name) => (await fields()).getAll(name),
        correlationId,
        url: new URL(c.req.url),
        setCookie: (value) => setCookies.push(value),
        sessionCookie: cookie,
        logger: c.get('logger'),
      };
      const response = await answer(
        route,
        request,
        c.req.method,
        c.req.header('origin'),
        c.req.header('referer'),
        formSecret,
      );
      for (const value of setCookies) response.headers.append('set-cookie', value);
      return response;
    };
    if (route.method === 'GET') app.get(path, handler);
    else app.post(path, handler);
  }

  async function answer(
    route: AdminRoute,
    r: AdminRequest,
    method: string,
    origin: string | undefined,
    referer: string | undefined,
    formSecret: string,
  ): Promise<Response> {
    if (!mayOpen(route.access, r.identity)) {
      return r.identity
        ? errorPage(r, 403, r.t.errors.forbidden, r.t.errors.forbiddenHow)
        : errorPage(r, 401, r.t.errors.signInFirst, r.t.errors.signInHow, { signIn: true });
    }
    if (method === 'POST') {
      if (!sameOrigin(deps.publicUrl, origin, referer, route.csrf === 'origin'))
        return errorPage(r, 403, r.t.errors.csrf, r.t.errors.csrfHow);
      let fields: Record<string, string>;
      try {
        fields = await r.form();
      } catch {
        return errorPage(r, 413, r.t.errors.tooLarge, r.t.errors.tooLargeHow);
      }
      if (route.csrf !== 'origin' && !(await csrfValid(formSecret, fields._csrf)))
        return errorPage(r, 403, r.t.errors.csrf, r.t.errors.csrfHow);
    }
    return route.handle(r);
  }
}

class FormTooLarge extends Error {}

async function readForm(request: Request): Promise<URLSearchParams> {
  const body = await readCappedBody(request, FORM_LIMIT_BYTES);
  if (!body.ok) throw new FormTooLarge('form too large');
  const params = new URLSearchParams(body.text);
  // PostgreSQL's text cannot hold NUL: no field a person types has one, so it is dropped here once
  // for every form rather than failing a write later.
  return body.text.includes('%00') || body.text.includes('\0') ? withoutNul(params) : params;
}

function withoutNul(params: URLSearchParams): URLSearchParams {
  const clean = new URLSearchParams();
  for (const [key, value] of params)
    clean.append(key.replaceAll('\0', ''), value.replaceAll('\0', ''));
  return clean;
}

function firstValues(params: URLSearchParams): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in fields)) fields[key] = value;
  return fields;
}

/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { AdminIdentity } from '../tenants/admin/auth.ts';
import { ICON_PATH, STYLESHEET_PATH } from './assets.ts';
import { WEB_LANGUAGES } from './i18n/languages.ts';
import type { AdminRequest } from './request.ts';

interface NavItem {
  href: string;
  label: string;
}

/** The sections a role sees in the menu (the server checks each route again: this is only the menu). */
function navFor(r: Pick<AdminRequest, 't'>, identity: AdminIdentity): NavItem[] {
  const t = r.t.nav;
  const items: NavItem[] = [{ href: '/admin', label: t.home }];
  if (identity.role === 'platform_admin')
    items.push(
      { href: '/admin/platform/tenants', label: t.tenants },
      { href: '/admin/platform/jobs', label: t.jobs },
    );
  if (identity.role === 'master') items.push({ href: '/admin/schedule', label: t.schedule });
  if (identity.role === 'owner' || identity.role === 'manager')
    items.push(
      { href: '/admin/bookings', label: t.bookings },
      { href: '/admin/analytics', label: t.analytics },
      { href: '/admin/locations', label: t.locations },
      { href: '/admin/services', label: t.services },
      { href: '/admin/masters', label: t.masters },
      { href: '/admin/staff', label: t.staff },
    );
  if (identity.role === 'owner') items.push({ href: '/admin/bot', label: t.bot });
  if (identity.role === 'platform_admin' || identity.role === 'owner')
    items.push({ href: '/admin/audit', label: t.audit });
  items.push({ href: '/admin/sessions', label: t.sessions });
  return items;
}

/** A form that changes something: POST with this session's CSRF token. */
export function PostForm(props: {
  r: Pick<AdminRequest, 'csrf'>;
  action: string;
  class?: string;
  id?: string;
  children?: Child;
}) {
  return (
    <form method="post" action={props.action} class={props.class} id={props.id}>
      <input type="hidden" name="_csrf" value={props.r.csrf} />
      {props.children}
    </form>
  );
}

/**
 * The frame of every admin page: who is signed in, the sections of their role, the language
 * switch and sign-out; a skip link and landmarks for keyboard and screen-reader users.
 */
export function AdminLayout(props: {
  r: AdminRequest;
  title: string;
  current?: string;
  script?: string;
  children?: Child;
}) {
  const { r } = props;
  const identity = r.identity;
  const here = r.url.pathname;
  return (
    <html lang={r.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <link rel="stylesheet" href={STYLESHEET_PATH} />
        <link rel="icon" type="image/svg+xml" href={ICON_PATH} />
        {props.script ? <script src={props.script} defer /> : null}
      </head>
      <body>
        <a class="skip" href="#main">
          {r.t.skipToContent}
        </a>
        <div class="page admin">
          <header class="top">
            <p class="brand">
              <a href="/admin">Slotbot</a>
            </p>
            <nav class="languages" aria-label={r.t.language}>
              {WEB_LANGUAGES.filter((l) => l.code !== r.lang).map((l) => (
                <a href={`${here}?lang=${l.code}`} hreflang={l.code} lang={l.code}>
                  {l.name}
                </a>
              ))}
            </nav>
          </header>
          {identity ? (
            <div class="who">
              <p>
                {r.t.signedInAs(
                  identity.displayName,
                  r.t.roles[identity.role],
                  identity.tenantName,
                )}
              </p>
              <nav aria-label={r.t.nav.sections}>
                <ul class="sections">
                  {navFor(r, identity).map((item) => (
                    <li>
                      <a
                        href={item.href}
                        aria-current={item.href === (props.current ?? here) ? 'page' : undefined}
                      >
                        {item.label}
                      </a>
                    </li>
                  ))}
                  <li>
                    <PostForm r={r} action="/admin/signout" class="inline">
                      <button type="submit" class="link">
                        {r.t.nav.signOut}
                      </button>
                    </PostForm>
                  </li>
                </ul>
              </nav>
            </div>
          ) : null}
          <main id="main">{props.children}</main>
        </div>
      </body>
    </html>
  );
}

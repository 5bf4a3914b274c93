import type { StaffRole } from '../db/queries/admin.ts';
import type { Database } from '../db/port.ts';
import type { TenantScope } from '../db/scope.ts';
import type { AdminAuth, AdminIdentity } from '../tenants/admin/auth.ts';
import type { Claims } from '../tenants/admin/claims.ts';
import type { StaffService } from '../tenants/admin/staff.ts';
import type { BotSettings } from '../tenants/admin/bot-settings.ts';
import type { BookingService } from '../tenants/booking/booking-service.ts';
import type { PlatformConsole } from '../tenants/admin/console.ts';
import type { OnboardingDeps } from '../tenants/bots/onboarding.ts';
import type { Logger } from '../tenants/observability/logger.ts';
import type { SessionCookie } from './auth/session-cookie.ts';
import { ADMIN_MESSAGES, type AdminMessages } from './i18n/admin-messages.ts';
import type { WebLanguage } from './i18n/languages.ts';
import { renderDocument } from './layout.tsx';
import { adminPageHeaders } from './page-headers.ts';

/** What the admin pages work with: wired once per runtime by edge (`edge/admin-deps.ts`). */
export interface AdminDeps {
  db: Database;
  auth: AdminAuth;
  claims: Claims;
  /** A business's staff: invitations, roles, removal, managers' locations. */
  staff: StaffService;
  /** A business's bot: token rotation, connecting one, card payments. */
  botSettings: BotSettings;
  /** Connecting a business's bot (sign-up, the console): token check, webhook, all or nothing. */
  onboarding: OnboardingDeps;
  /** Forgets a business's built bots so its next update sees a new status at once. */
  forgetTenant(tenantId: string): void;
  /** A bot was connected here (sign-up): a polling server starts fetching its updates at once. */
  botConnected(): void;
  /** Where the platform is reached (links in messages, the origin forms must come from). */
  publicUrl: string;
  now: () => number;
  logger: Logger;
  /** Bookings as staff change them (visits a catalog or schedule change touches). */
  booking: Pick<
    BookingService,
    'book' | 'confirmPayAtVenue' | 'cancel' | 'markOutcome' | 'findSlots' | 'reschedule'
  >;
  /** What platform admins do to businesses and jobs (`tenants/admin/console.ts`). */
  console: PlatformConsole;
  /** Telegram's getWebhookInfo for a bot (its stored token), given up after `timeoutMs`; undefined for an unknown bot. */
  webhookInfo(botId: string, timeoutMs: number): Promise<WebhookHealth | undefined>;
  /** A tenant bot, for signing in from its Mini App: its business and token. */
  bot(botId: string): Promise<{ tenantId: string; token: string; username: string } | undefined>;
}

/** What Telegram says about a bot's webhook. */
export interface WebhookHealth {
  url: string;
  pendingUpdateCount: number;
  lastErrorDate?: Date;
  lastErrorMessage?: string;
}

/** Who may open a route: anyone, anyone signed in, or only these roles. */
export type Access = 'public' | 'signed_in' | readonly StaffRole[];

/** One request to an admin page, as edge hands it over: checked for access and CSRF already. */
export interface AdminRequest {
  deps: AdminDeps;
  lang: WebLanguage;
  t: AdminMessages;
  /** Set on every route but public ones (where it is set when someone is signed in). */
  identity?: AdminIdentity;
  /** The token every form of this session carries (empty when signed out). */
  csrf: string;
  /** A path parameter of the route. */
  param(name: string): string;
  /** A query parameter. */
  query(name: string): string | undefined;
  header(name: string): string | undefined;
  /** The submitted form fields (POST, url-encoded, capped): the first value of each. */
  form(): Promise<Record<string, string>>;
  /** Every value of a repeated field (checkboxes), in order. */
  formAll(name: string): Promise<string[]>;
  /** The correlation id of the request, for error pages and the audit log. */
  correlationId: string;
  url: URL;
  /** Response headers to add (a session cookie set or cleared). */
  setCookie(value: string): void;
  sessionCookie: SessionCookie;
  logger: Logger;
}

/** A business's page runs its database work as that tenant (RLS), acting as this staff member. */
export function tenantScope(identity: AdminIdentity): TenantScope {
  if (!identity.tenantId) throw new Error('tenantScope: a platform session has no tenant');
  return { tenantId: identity.tenantId, subject: identity.staffId, appRole: identity.role };
}

/** Whether `identity` (undefined: nobody signed in) may open a route with this access. */
export function mayOpen(access: Access, identity: AdminIdentity | undefined): boolean {
  if (access === 'public') return true;
  if (!identity) return false;
  return access === 'signed_in' || access.includes(identity.role);
}

export interface AdminRoute {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
  /**
   * POSTs carry the form's CSRF token; `origin` only where the request proves itself otherwise
   * (the Mini App's sign-in: Telegram's signature, from a frame whose cookies may not come back).
   */
  csrf?: 'token' | 'origin';
  handle(r: AdminRequest): Promise<Response>;
}

export interface PageOptions {
  status?: number;
  /** A page that runs one of the bundled scripts (the Mini App sign-in, the location preview, the live board): the CSP allows this origin's scripts. */
  script?: boolean;
}

/** A whole HTML page: doctype, escaped by JSX, the admin headers. */
export function page(
  r: Pick<AdminRequest, 'lang'>,
  element: unknown,
  options: PageOptions = {},
): Response {
  return new Response(renderDocument(element), {
    status: options.status ?? 200,
    headers: adminPageHeaders(r.lang, { script: options.script === true }),
  });
}

/** After a form: see the result with GET (303), so a reload does not post again. */
export function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
}

export function messagesFor(lang: WebLanguage): AdminMessages {
  return ADMIN_MESSAGES[lang];
}

/** @jsxImportSource hono/jsx */
import { asPlatform } from '../../db/scope.ts';
import { clientAddress, signUp, signupMode, type SignupMode } from '../../tenants/admin/signup.ts';
import { parseName } from '../../tenants/admin/setup-input.ts';
import {
  BadTokenError,
  BotConnectedElsewhereError,
  MalformedTokenError,
  OnboardingError,
  TelegramUnreachableError,
  WebhookRefusedError,
} from '../../tenants/bots/onboarding.ts';
import { BOT_TOKEN } from '../../tenants/bots/secrets.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import { ProblemSummary, SelectField, TextField } from '../form-fields.tsx';
import { WEB_LANGUAGES, type WebLanguage } from '../i18n/languages.ts';
import { SIGNUP_MESSAGES, type SignupMessages } from '../i18n/signup-messages.ts';
import { errorPage } from '../pages/error.tsx';
import { page, type AdminRequest, type AdminRoute } from '../request.ts';

/**
 * Self-service sign-up (`/admin/signup`, public): a business's name and its BotFather token make a
 * business with its bot connected and a one-time claim link; whoever presses Start with it in the
 * bot becomes the owner (tenants/admin/signup.ts). Open, by approval or closed, per the platform
 * setting; rate-limited per address and platform-wide.
 */

interface SignupForm {
  name: string;
  language: WebLanguage;
}

type SignupErrors = Partial<Record<'name' | 'token', string>>;

const isWebLanguage = (code: string | undefined): code is WebLanguage =>
  WEB_LANGUAGES.some((l) => l.code === code);

function signupPage(
  r: AdminRequest,
  mode: SignupMode,
  form: SignupForm,
  errors: SignupErrors = {},
  status = 200,
): Response {
  const t = SIGNUP_MESSAGES[r.lang].signup;
  const hasErrors = Object.keys(errors).length > 0;
  return page(
    r,
    <AdminLayout r={r} title={t.title}>
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>
      <ol class="steps">
        {t.steps.map((step, i) => (
          <li>
            {step.before}
            {i === 0 ? (
              <a href="https://t.me/BotFather">@BotFather</a>
            ) : i === 1 ? (
              <code>123456789:AA…</code>
            ) : null}
            {step.after}
          </li>
        ))}
      </ol>
      {mode === 'approval' ? <p class="notice">{t.approvalNote}</p> : null}
      <ProblemSummary text={hasErrors ? t.problem : undefined} />
      <PostForm r={r} action="/admin/signup" class="stacked">
        <TextField
          name="name"
          label={t.name}
          hint={t.nameHint}
          value={form.name}
          error={errors.name}
          required
          maxlength={200}
          autocomplete="organization"
        />
        {/* The token is never echoed back: it is a secret, and a wrong one is typed again. */}
        <TextField
          name="token"
          label={t.token}
          hint={t.tokenHint}
          error={errors.token}
          required
          maxlength={120}
          autocomplete="off"
          verbatim
        />
        <SelectField
          name="language"
          label={t.language}
          hint={t.languageHint}
          value={form.language}
          options={WEB_LANGUAGES.map((l) => ({ value: l.code, label: l.name }))}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {t.submit}
          </button>
        </div>
      </PostForm>
      <p class="muted">
        {t.haveAccount} <a href="/admin/signin">{t.signIn}</a>
      </p>
    </AdminLayout>,
    { status },
  );
}

function closedPage(r: AdminRequest, status: number): Response {
  const t = SIGNUP_MESSAGES[r.lang].signup;
  return page(
    r,
    <AdminLayout r={r} title={t.closedTitle}>
      <h1>{t.closedHeading}</h1>
      <p class="lead">{t.closedHow}</p>
      <p class="muted">
        {t.haveAccount} <a href="/admin/signin">{t.signIn}</a>
      </p>
    </AdminLayout>,
    { status },
  );
}

function donePage(
  r: AdminRequest,
  done: { username: string; claimLink: string; status: 'active' | 'pending' },
): Response {
  const t = SIGNUP_MESSAGES[r.lang].signup;
  return page(
    r,
    <AdminLayout r={r} title={t.doneTitle}>
      <h1>{t.doneHeading(done.username)}</h1>
      {done.status === 'pending' ? <p class="notice">{t.pending}</p> : null}
      <p class="lead">{t.doneLead}</p>
      <p>
        <a class="button primary" href={done.claimLink}>
          {t.openButton(done.username)}
        </a>
      </p>
      <label for="claim-link">{t.copyLabel}</label>
      <input
        id="claim-link"
        class="copy"
        type="text"
        readonly
        value={done.claimLink}
        aria-describedby="claim-once"
      />
      <ol class="steps">
        {t.doneSteps.map((step) => (
          <li>{step}</li>
        ))}
      </ol>
      <p class="muted" id="claim-once">
        {t.once}
      </p>
    </AdminLayout>,
  );
}

function onboardingMessage(t: SignupMessages['signup'], error: OnboardingError): string {
  if (error instanceof MalformedTokenError) return t.errors.tokenMalformed;
  if (error instanceof BadTokenError) return t.errors.badToken;
  if (error instanceof TelegramUnreachableError) return t.errors.unreachable;
  if (error instanceof BotConnectedElsewhereError) return t.errors.elsewhere;
  if (error instanceof WebhookRefusedError) return t.errors.webhookRefused(error.description);
  return t.errors.other;
}

function minutesUntil(at: Date, now: number): number {
  return Math.max(1, Math.ceil((at.getTime() - now) / 60_000));
}

async function showSignup(r: AdminRequest): Promise<Response> {
  const mode = await asPlatform(r.deps.db, signupMode);
  if (mode === 'closed') return closedPage(r, 200);
  return signupPage(r, mode, { name: '', language: r.lang });
}

async function submitSignup(r: AdminRequest): Promise<Response> {
  const t = SIGNUP_MESSAGES[r.lang].signup;
  const fields = await r.form();
  const form: SignupForm = {
    name: fields.name ?? '',
    language: isWebLanguage(fields.language) ? fields.language : r.lang,
  };
  const mode = await asPlatform(r.deps.db, signupMode);
  if (mode === 'closed') return closedPage(r, 403);

  const errors: SignupErrors = {};
  const name = parseName(fields.name, 200);
  if (!name.ok) errors.name = name.reason === 'empty' ? t.errors.nameEmpty : t.errors.nameTooLong;
  const token = (fields.token ?? '').trim();
  if (!token) errors.token = t.errors.tokenEmpty;
  else if (!BOT_TOKEN.test(token)) errors.token = t.errors.tokenMalformed;
  if (!name.ok || errors.token) return signupPage(r, mode, form, errors, 400);

  try {
    const outcome = await signUp(
      { onboarding: r.deps.onboarding, claims: r.deps.claims, now: r.deps.now },
      {
        name: name.value,
        token,
        language: form.language,
        address: clientAddress(r.header),
        correlationId: r.correlationId,
      },
    );
    if (outcome.kind === 'closed') return closedPage(r, 403);
    if (outcome.kind === 'rate_limited') {
      const at = `${new Intl.DateTimeFormat(r.lang, { timeStyle: 'short', timeZone: 'UTC' }).format(outcome.retryAt)} UTC`;
      const minutes = minutesUntil(outcome.retryAt, r.deps.now());
      r.logger.warn({ event: 'signup_rate_limited', scope: outcome.scope });
      const response = errorPage(
        r,
        429,
        t.tooManyTitle,
        outcome.scope === 'address'
          ? t.tooManyAddress(minutes, at)
          : t.tooManyPlatform(minutes, at),
      );
      response.headers.set('retry-after', String(minutes * 60));
      return response;
    }
    // A business signed up again (its first page lost): its bot may be built with the old secret.
    if (outcome.renewed) r.deps.forgetTenant(outcome.tenantId);
    r.deps.botConnected();
    r.logger.info({
      event: outcome.renewed ? 'signup_renewed' : 'signup_created',
      tenant_id: outcome.tenantId,
      state: outcome.status,
    });
    return donePage(r, outcome);
  } catch (error) {
    if (!(error instanceof OnboardingError)) throw error;
    r.logger.warn({ event: 'signup_refused', reason: error.name });
    return signupPage(
      r,
      mode,
      form,
      { token: onboardingMessage(t, error) },
      error instanceof TelegramUnreachableError ? 503 : 400,
    );
  }
}

export const SIGNUP_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/signup', access: 'public', handle: showSignup },
  { method: 'POST', path: '/signup', access: 'public', handle: submitSignup },
];

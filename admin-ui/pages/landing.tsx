/** @jsxImportSource hono/jsx */
import type { DatabaseHealth } from '../../db/health.ts';
import type { SchedulerHealthReport } from '../../tenants/jobs/scheduler-health.ts';
import { LANDING_MESSAGES, type LandingMessages } from '../i18n/landing-messages.ts';
import type { WebLanguage } from '../i18n/languages.ts';
import { Layout, renderDocument } from '../layout.tsx';

/** What `/healthz` reports: the landing page says the same in words. */
export interface PlatformHealth {
  status: 'ok' | 'degraded';
  /** False when this instance cannot serve (database unreachable or not migrated). */
  serving: boolean;
  database: DatabaseHealth;
  scheduler?: SchedulerHealthReport;
}

export const DEMO_SLUG = 'demo';

function databaseLine(t: LandingMessages, db: DatabaseHealth): string {
  const kind = t.databaseKind[db.kind];
  if (!db.ok) return t.databaseDown(kind, db.error ?? 'error');
  const m = db.migrations;
  if (!m?.up_to_date) return t.databaseBehind(kind, m?.latest ?? null, m?.expected ?? '?');
  return t.databaseOk(kind, m.applied);
}

function schedulerLines(t: LandingMessages, lang: WebLanguage, s: SchedulerHealthReport): string[] {
  const kind = t.schedulerKind[s.kind];
  const since = s.failing_since
    ? `${new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(s.failing_since))} UTC`
    : '';
  return [
    s.ok ? t.schedulerOk(kind) : t.schedulerFailing(kind, since, s.error ?? ''),
    ...(s.pending?.length ? [t.schedulerWaiting(s.pending.join(', '))] : []),
  ];
}

function StatusRow(props: { term: string; lines: string[] }) {
  return (
    <div>
      <dt>{props.term}</dt>
      {props.lines.map((line) => (
        <dd>{line}</dd>
      ))}
    </div>
  );
}

/**
 * `GET /` for a person: what runs here, the platform's health in words, how to connect a bot, and
 * the way into the admin (sign-up, sign-in). No secrets: the database is named by kind only.
 */
export function LandingPage(props: { lang: WebLanguage; health: PlatformHealth }) {
  const t = LANDING_MESSAGES[props.lang];
  const { health } = props;
  const demoLoaded = health.database.seeds?.includes(DEMO_SLUG) === true;
  // The embedded database is one process's: the bot is connected by the server's own start (the
  // README's quick start), not by a second process beside it.
  const embedded = health.database.kind === 'pglite';
  const overall = !health.serving
    ? t.overallDown
    : health.status === 'ok'
      ? t.overallOk
      : t.overallDegraded;
  return (
    <Layout lang={props.lang} title={t.title} otherLanguageLabel={t.otherLanguage}>
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>

      <section aria-labelledby="status">
        <h2 id="status">{t.statusTitle}</h2>
        <p class={`overall ${health.status === 'ok' ? 'ok' : 'bad'}`}>{overall}</p>
        <dl class="status">
          <StatusRow term={t.database} lines={[databaseLine(t, health.database)]} />
          {health.scheduler ? (
            <StatusRow term={t.scheduler} lines={schedulerLines(t, props.lang, health.scheduler)} />
          ) : null}
          {health.database.ok ? (
            <StatusRow term={t.demo} lines={[demoLoaded ? t.demoLoaded : t.demoMissing]} />
          ) : null}
        </dl>
        <p class="muted">
          {t.machineReadable} <a href="/healthz">/healthz</a>
        </p>
      </section>

      <section aria-labelledby="connect">
        <h2 id="connect">{t.connectTitle}</h2>
        <ol class="steps">
          <li>
            {t.connectCreate.before}
            <a href="https://t.me/BotFather">@BotFather</a>
            {t.connectCreate.after}
          </li>
          <li>
            {embedded ? t.connectRestart : t.connectRegister}
            <pre>
              <code>
                {embedded
                  ? `TELEGRAM_MODE=polling BOT_TOKEN=<token>${demoLoaded ? '' : ' BOT_TENANT=<slug>'} npm start`
                  : `npm run bot:register -- --tenant ${demoLoaded ? DEMO_SLUG : '<slug>'} --token <token>`}
              </code>
            </pre>
          </li>
          <li>{t.connectOpen}</li>
        </ol>
        <p class="muted">{t.connectMore}</p>
      </section>

      <section aria-labelledby="admin">
        <h2 id="admin">{t.adminTitle}</h2>
        <p>{t.adminText}</p>
        <ul class="links">
          <li>
            <a href="/admin/signup">{t.adminSignUp}</a>
          </li>
          <li>
            <a href="/admin/signin">{t.adminSignIn}</a>
          </li>
        </ul>
      </section>
    </Layout>
  );
}

export function renderLandingPage(props: { lang: WebLanguage; health: PlatformHealth }): string {
  return renderDocument(<LandingPage {...props} />);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../edge/app.ts';
import { applySeedOnce, createMigrator } from '../../db/migrations.ts';
import { loadMigrations, loadSeed } from '../../db/node/migration-files.ts';
import { openPglite } from '../../db/pglite.ts';
import type { Database } from '../../db/port.ts';
import { createLogger } from '../../tenants/observability/logger.ts';
import { monitorScheduler } from '../../tenants/jobs/scheduler-health.ts';

/** `GET /`: a page for a person opening the address, a JSON document for programs, 404s stay problems. */
const logger = createLogger({ level: 'silent', writer: () => {} });
const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('GET / on a migrated database with the demo business', () => {
  let db: Database;
  let migrations: number;
  beforeAll(async () => {
    db = await openPglite();
    migrations = (await createMigrator(db, await loadMigrations()).up()).length;
    await applySeedOnce(db, 'demo', await loadSeed());
  });
  afterAll(() => db.close());

  const monitor = monitorScheduler({ schedule: async () => {} }, { kind: 'local' });
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    createApp({ db, logger, scheduler: monitor }).request(path, {
      method,
      headers: { accept: BROWSER_ACCEPT, ...headers },
    });

  it('is an English page by default, with a strict CSP and nothing but this origin’s stylesheet and icon', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-language')).toBe('en');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('vary')).toBe('Accept, Accept-Language');
    const html = await res.text();
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(html).toContain('Slotbot runs here');
    expect(html).toContain('Slotbot is a booking platform for businesses&#39; Telegram bots');
    expect(html).toContain(
      `Embedded database (PGlite): reachable, schema up to date (${migrations} migrations).`,
    );
    expect(html).toContain('Embedded job runner: working.');
    expect(html).toContain('Loaded, slug demo.');
    // Embedded: the bot is connected by the server's own start (one process per data dir).
    expect(html).toContain('TELEGRAM_MODE=polling BOT_TOKEN=&lt;token&gt; npm start');
    expect(html).toContain('href="/admin/signup"');
    expect(html).toContain('href="/admin/signin"');
    expect(html).toContain('<a href="/healthz">/healthz</a>');
    expect(html).toContain(
      'In Telegram, open <a href="https://t.me/BotFather">@BotFather</a>, send /newbot and copy the token it gives you.',
    );
    expect(html).not.toMatch(/<script|\sstyle=|<style|\son\w+=/i);
    const references = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]);
    expect(references.sort()).toEqual([
      '/admin/signin',
      '/admin/signup',
      '/assets/app.css',
      '/assets/icon.svg',
      '/healthz',
      '?lang=ru',
      'https://t.me/BotFather',
    ]);
  });

  it('speaks Russian by Accept-Language, and ?lang= overrides it', async () => {
    const ru = await get('/', { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' });
    expect(ru.headers.get('content-language')).toBe('ru');
    const html = await ru.text();
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('Здесь работает Slotbot');
    // Russian counts: 1, 21 миграция; 2–4, 22–24 миграции; 5–20, 25–30 миграций.
    const m10 = migrations % 10;
    const m100 = migrations % 100;
    const word =
      m10 === 1 && m100 !== 11
        ? 'миграция'
        : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)
          ? 'миграции'
          : 'миграций';
    expect(html).toContain(
      `Встроенная база данных (PGlite): доступна, схема актуальна (${migrations} ${word}).`,
    );
    expect(html).toContain('Загружен, slug demo.');
    expect(html).toContain('<a href="?lang=en" hreflang="en" lang="en">English</a>');
    const en = await get('/?lang=en', { 'accept-language': 'ru' });
    expect(await en.text()).toContain('Slotbot runs here');
  });

  it('answers a client that asks for JSON with a small JSON document', async () => {
    const res = await get('/', { accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({
      name: 'Slotbot',
      description: "A booking platform for businesses' Telegram bots",
      status: 'ok',
      links: { health: '/healthz' },
      admin: { signup: '/admin/signup', signin: '/admin/signin' },
    });
  });

  it('HEAD / answers like GET without a body', async () => {
    const res = await get('/', {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe('');
  });

  it('serves the stylesheet and icon; unknown paths and assets stay problem+json 404s', async () => {
    const css = await get('/assets/app.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.page');
    expect((await get('/assets/icon.svg')).headers.get('content-type')).toBe('image/svg+xml');
    for (const path of ['/nowhere', '/assets/nope.css', '/assets/']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('application/problem+json; charset=utf-8');
    }
  });

  it('says what is wrong in words, escaped, and never shows where the database is', async () => {
    const failing = monitorScheduler(
      {
        schedule: async () => {
          throw new Error('<script>alert(1)</script>');
        },
      },
      {
        kind: 'qstash',
        describe: (e) => `QStash refused: ${(e as Error).message}`,
        now: () => Date.UTC(2026, 10, 30, 9, 15),
      },
    );
    await failing.scheduler
      .schedule({ kind: 'digest_admin', runAt: 0, key: 'k', payload: {} })
      .catch(() => {});
    failing.waitingFor('digest_seeding');
    const located = {
      ...db,
      location: 'postgres://app:s3cret-pw@db.internal.example:5432/slotbot',
    };
    const res = await createApp({ db: located, logger, scheduler: failing }).request('/', {
      headers: { accept: BROWSER_ACCEPT },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Working, with a problem below.');
    expect(html).toContain(
      'QStash: failing since Nov 30, 2026, 9:15 AM UTC: QStash refused: &lt;script&gt;alert(1)&lt;/script&gt;',
    );
    expect(html).toContain('Waiting for it: digest_seeding.');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/s3cret|db\.internal/);
  });
});

describe('GET / when the platform cannot serve', () => {
  it('an unmigrated database: not serving, which command fixes it, no demo line', async () => {
    const db = await openPglite();
    try {
      const html = await (
        await createApp({ db, logger }).request('/', { headers: { accept: BROWSER_ACCEPT } })
      ).text();
      expect(html).toContain('Not serving: see below.');
      expect(html).toMatch(
        /Embedded database \(PGlite\): reachable, but the schema is at no migration and this code expects \d{14}\. Run npm run migrate -- up\./,
      );
      expect(html).toContain('Not in this database; npm run seed -- demo adds it.');
      expect(html).toContain('BOT_TENANT=&lt;slug&gt; npm start');
    } finally {
      await db.close();
    }
  });

  it('an unreachable database: the page still answers and says so', async () => {
    const db = await openPglite();
    await db.close();
    const res = await createApp({ db, logger }).request('/?lang=ru', {
      headers: { accept: BROWSER_ACCEPT },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Не обслуживает запросы: подробности ниже.');
    expect(html).toMatch(/Встроенная база данных \(PGlite\): недоступна \([^)]+\)\./);
    expect(html).not.toContain('Демо-бизнес');
  });
});

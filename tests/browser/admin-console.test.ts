import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySeedOnce } from '../../db/migrations.ts';
import { loadSeed } from '../../db/node/migration-files.ts';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { linkIn } from '../support/admin-client.ts';
import {
  DESKTOP,
  launchChromium,
  openWatchedPage,
  PHONE,
  screenshot,
  textContrast,
  type Device,
  type WatchedPage,
} from '../support/browser.ts';
import { postUpdate } from '../support/chat-user.ts';
import { migratedPostgres } from '../support/pg.ts';
import { freePort, startServer, type Running } from '../support/process.ts';
import { TelegramStub } from '../support/telegram-stub.ts';

/**
 * A platform admin in Chromium against a real server process (`npm start`'s entry) on PostgreSQL
 * with the demo business, its bot connected to the Telegram stand-in: signs in with the link the
 * bot sends for /admin, suspends the business (its bot then answers a client with the notice),
 * toggles maintenance and retries a dead job. Every console page is photographed on a phone and a
 * desktop into artifacts/browser/.
 */
const ADMIN = 9_300_001;
const CLIENT = 9_300_002;
const TOKEN = `7300001:AAE${'b'.repeat(32)}`;
let browser: Browser;
let server: Running;
let stub: TelegramStub;
let base = '';
let db: Database;
let cleanup: () => Promise<void>;
let tenantId = '';
let updateId = 1;

beforeAll(async () => {
  const pg = await migratedPostgres('admin_console_browser');
  ({ db, cleanup } = pg);
  await applySeedOnce(db, 'demo', await loadSeed());
  stub = new TelegramStub();
  await stub.start();
  stub.addBot(TOKEN, 'demo_console_bot');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await startServer({
    DATABASE_URL: pg.url,
    PUBLIC_URL: base,
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    PORT: String(port),
    TELEGRAM_API_ROOT: stub.apiRoot,
    BOT_TOKEN: TOKEN,
    PLATFORM_ADMIN_TELEGRAM_ID: String(ADMIN),
  });
  tenantId = (
    await asPlatform(db, (tx) =>
      tx.query<{ id: string }>("select id from tenants where slug = 'demo'"),
    )
  )[0]!.id;
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await stub?.stop();
  await cleanup?.();
});

/** A private message to the demo bot, delivered to its webhook as Telegram would. */
async function say(from: number, text: string): Promise<string> {
  const hook = stub.webhooks.get(TOKEN)!;
  const id = updateId++;
  const update = {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from, type: 'private', first_name: 'Pat' },
      from: { id: from, is_bot: false, first_name: 'Pat', language_code: 'en' },
      text,
      ...(text.startsWith('/')
        ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] }
        : {}),
    },
  };
  expect(await postUpdate(hook.url, hook.secret, update)).toBe(200);
  return stub.last(TOKEN, from).text;
}

async function signIn(device: Device): Promise<WatchedPage> {
  const watched = await openWatchedPage(browser, device, { locale: 'en-US' });
  const link = linkIn(await say(ADMIN, '/admin'));
  await watched.page.goto(link);
  await watched.page.getByRole('button', { name: 'Sign in' }).click();
  await watched.page.waitForLoadState('load');
  if (watched.page.url() !== `${base}/admin`)
    throw new Error(
      `not signed in: ${watched.page.url()}\n${await watched.page.locator('body').innerText()}\n${watched.problems.join('\n')}`,
    );
  return watched;
}

async function layout(page: Page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
}

describe('the platform console in Chromium', () => {
  for (const device of [PHONE, DESKTOP]) {
    it(`every console page on a ${device.name}: fits the width, no console errors, CSP violations or failed requests`, async () => {
      const watched = await signIn(device);
      const { page } = watched;
      try {
        await asPlatform(db, (tx) =>
          tx.query(
            `insert into jobs (tenant_id, kind, key, run_at, status, attempts, last_error, finished_at)
             values ($1, 'reminder_send', $2, now(), 'dead', 8, 'Telegram answered 502: Bad Gateway <upstream>', now())`,
            [tenantId, `shot:${device.name}`],
          ),
        );
        const pages: [string, string][] = [
          ['home', '/admin'],
          ['tenants', '/admin/platform/tenants'],
          ['tenant', `/admin/platform/tenants/${tenantId}`],
          ['new-tenant', '/admin/platform/tenants/new'],
          ['jobs', '/admin/platform/jobs'],
          ['audit', '/admin/audit'],
        ];
        for (const [name, path] of pages) {
          const response = await page.goto(`${base}${path}`);
          expect(response?.status(), path).toBe(200);
          const size = await layout(page);
          expect(size.scrollWidth, `${path} fits`).toBeLessThanOrEqual(size.innerWidth);
          expect(await textContrast(page, 'main h1')).toBeGreaterThanOrEqual(4.5);
          await screenshot(page, `console-${name}-${device.name}`);
        }
        // A form sent with a mistake comes back with the error next to its field.
        await page.goto(`${base}/admin/platform/tenants/new`);
        await page.locator('#name').fill('Corner <Shop>');
        await page.locator('#slug').fill('Corner Shop');
        await page.getByRole('button', { name: 'Create business' }).click();
        await expect.poll(() => page.locator('#slug-error').textContent()).toContain('lowercase');
        expect(await page.locator('#name').inputValue()).toBe('Corner <Shop>');
        expect(await page.locator('#slug').getAttribute('aria-invalid')).toBe('true');
        await screenshot(page, `console-new-tenant-error-${device.name}`);
        // Russian.
        await page.goto(`${base}/admin/platform/tenants/${tenantId}?lang=ru`);
        expect(await page.locator('h2').first().textContent()).toBe('Боты и вебхуки');
        await screenshot(page, `console-tenant-ru-${device.name}`);
        await page.goto(`${base}/admin/platform/tenants?lang=en`);
        // The one refusal expected: the form sent with a mistake (400).
        expect(
          watched.problems.filter((p) => !p.includes('HTTP 400') && !p.includes('status of 400')),
        ).toEqual([]);
      } finally {
        await watched.close();
      }
    }, 60_000);
  }

  it('suspends the business (its bot then answers a client with the notice), resumes it, toggles maintenance and retries a dead job', async () => {
    const watched = await signIn(DESKTOP);
    const { page } = watched;
    try {
      expect(await say(CLIENT, '/start')).not.toContain('not taking requests');
      await page.goto(`${base}/admin/platform/tenants?q=demo`);
      await page.getByRole('link', { name: 'Demo Studio' }).click();
      await page.getByLabel('Reason', { exact: false }).first().fill('Unpaid invoice');
      await page.getByRole('button', { name: 'Suspend' }).click();
      await expect.poll(() => page.locator('.notice.ok').textContent()).toContain('Suspended');
      expect(await say(CLIENT, '/start')).toBe('This bot is not taking requests at the moment.');
      await page.getByRole('button', { name: 'Resume' }).click();
      await expect.poll(() => page.locator('.notice.ok').textContent()).toContain('Resumed');
      expect(await say(CLIENT, '/start')).not.toContain('not taking requests');

      await page.locator('#maintenance-reason').fill('New floor being laid');
      await page.getByRole('button', { name: 'Start maintenance' }).click();
      await expect
        .poll(() => page.locator('.notice.ok').textContent())
        .toContain('Maintenance is on');
      expect(
        (
          await asPlatform(db, (tx) =>
            tx.query<{ maintenance: boolean }>('select maintenance from tenants where id = $1', [
              tenantId,
            ]),
          )
        )[0]!.maintenance,
      ).toBe(true);
      await screenshot(page, 'console-tenant-maintenance-desktop');
      await page.getByRole('button', { name: 'End maintenance' }).click();
      await expect
        .poll(() => page.locator('.notice.ok').textContent())
        .toContain('Maintenance is over');
      expect(
        (
          await asPlatform(db, (tx) =>
            tx.query<{ maintenance: boolean }>('select maintenance from tenants where id = $1', [
              tenantId,
            ]),
          )
        )[0]!.maintenance,
      ).toBe(false);

      const [job] = await asPlatform(db, (tx) =>
        tx.query<{ id: string }>(
          `insert into jobs (tenant_id, kind, key, run_at, status, attempts, last_error, finished_at)
           values ($1, 'digest_admin', 'browser:dead', now() - interval '1 hour', 'dead', 8, 'boom', now()) returning id`,
          [tenantId],
        ),
      );
      await page.goto(`${base}/admin/platform/jobs?tenant=${tenantId}`);
      await page.getByRole('button', { name: 'Retry now: digest_admin browser:dead' }).click();
      await expect.poll(() => page.locator('.notice.ok').textContent()).toContain('will run again');
      const [row] = await asPlatform(db, (tx) =>
        tx.query<{ status: string; attempts: number }>(
          'select status, attempts from jobs where id = $1',
          [job!.id],
        ),
      );
      // The server's own runner may have taken it already: either way it left "dead".
      expect(row!.status).not.toBe('dead');
      await page.goto(`${base}/admin/audit`);
      const audit = await page.locator('main').innerText();
      for (const action of [
        'tenant.suspend',
        'tenant.resume',
        'tenant.maintenance_on',
        'tenant.maintenance_off',
        'job.retry',
      ])
        expect(audit).toContain(action);
      expect(watched.problems).toEqual([]);
    } finally {
      await watched.close();
    }
  }, 60_000);
});

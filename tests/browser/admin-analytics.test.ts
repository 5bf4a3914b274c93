import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySeedOnce } from '../../db/migrations.ts';
import { loadSeed } from '../../db/node/migration-files.ts';
import { asPlatform } from '../../db/scope.ts';
import { linkIn } from '../support/admin-client.ts';
import {
  PERIOD,
  seedAnalyticsWorld,
  seedBusyStretch,
  type AnalyticsWorld,
} from '../support/analytics-world.ts';
import {
  DESKTOP,
  launchChromium,
  openWatchedPage,
  PHONE,
  screenshot,
  type Device,
} from '../support/browser.ts';
import { ChatUser, webhookEndpoint } from '../support/chat-user.ts';
import { migratedPostgres } from '../support/pg.ts';
import { freePort, startServer, type Running } from '../support/process.ts';
import { TelegramStub } from '../support/telegram-stub.ts';

/**
 * The analytics page in Chromium against a real server process: the demo business with a busy
 * last month (its default view) and the hand-computed world beside it, at phone and desktop width,
 * light and dark, in English and Russian. Charts render as SVG images with their names, nothing
 * breaks the CSP (no inline styles or scripts: every console complaint is a failure), nothing
 * scrolls sideways, the period presets and the location picker work without script, and a CSV
 * link downloads the chart's numbers. Screenshots: artifacts/browser/admin-analytics-*.
 */
const TOKEN = `${7_500_000 + Math.floor(Math.random() * 100_000)}:AAE${'a'.repeat(32)}`;
const OWNER = 5_570_001;
const ZONE = 'Europe/Berlin';
let browser: Browser;
let server: Running;
let stub: TelegramStub;
let base = '';
let cleanup: () => Promise<void>;
let world: AnalyticsWorld;

beforeAll(async () => {
  const pg = await migratedPostgres('analytics_browser');
  cleanup = pg.cleanup;
  await applySeedOnce(pg.db, 'demo', await loadSeed());
  const [demo] = await asPlatform(pg.db, async (tx) => {
    await tx.query(
      "insert into staff_users (tenant_id, role, display_name, telegram_user_id, language) select id, 'owner', 'Olga Petrova', $1, 'en' from tenants where slug = 'demo'",
      [OWNER],
    );
    return tx.query<{ id: string }>("select id from tenants where slug = 'demo'");
  });
  const today = DateTime.now().setZone(ZONE);
  await seedBusyStretch(pg.db, {
    tenantId: demo!.id,
    fromDate: today.minus({ days: 40 }).toISODate()!,
    toDate: today.plus({ days: 30 }).toISODate()!,
  });
  world = await seedAnalyticsWorld(pg.db, { tenantId: demo!.id });
  stub = new TelegramStub();
  await stub.start();
  stub.addBot(TOKEN, 'demo_salon_bot');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await startServer({
    DATABASE_URL: pg.url,
    PUBLIC_URL: base,
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    PORT: String(port),
    TELEGRAM_API_ROOT: stub.apiRoot,
    BOT_TOKEN: TOKEN,
    BOT_TENANT: 'demo',
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await stub?.stop();
  await cleanup?.();
});

async function noSidewaysScroll(page: Page, device: Device): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(device.viewport.width);
}

async function signedIn(device: Device, colorScheme: 'light' | 'dark' = 'light') {
  const watched = await openWatchedPage(browser, device, { locale: 'en-US', colorScheme });
  const owner = new ChatUser(webhookEndpoint(stub, TOKEN), OWNER, 'en', 'Olga');
  await owner.send('/admin');
  await watched.page.goto(linkIn(owner.lastMessage().text));
  await watched.page.getByRole('button', { name: 'Sign in' }).click();
  await watched.page.waitForURL(`${base}/admin`);
  return watched;
}

async function click(page: Page, target: ReturnType<Page['locator']>): Promise<number> {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    target.click(),
  ]);
  return response?.status() ?? 0;
}

/** Every chart is an SVG image whose accessible name is its title, drawn at the width it is given. */
async function chartsAreImages(page: Page): Promise<string[]> {
  const names = await page
    .getByRole('img')
    .evaluateAll((svgs) =>
      svgs
        .filter((s) => s.tagName.toLowerCase() === 'svg')
        .map((s) => s.querySelector('title')?.textContent ?? ''),
    );
  for (const svg of await page.locator('svg.chart-svg').all()) {
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(40);
  }
  return names;
}

describe('the analytics page in a browser', () => {
  for (const device of [PHONE, DESKTOP]) {
    it(`${device.name}: the last 30 days of a busy location, a preset, the hand-computed world, the chain and a CSV`, async () => {
      const watched = await signedIn(device);
      try {
        const { page } = watched;
        await click(page, page.getByRole('link', { name: 'Analytics', exact: true }));
        expect(await page.locator('h1').innerText()).toBe('Analytics');
        expect(await page.locator('h2.scope').innerText()).toContain('Berlin Mitte');
        expect(await page.locator('h2.scope').innerText()).toContain('(30 days)');
        expect(await chartsAreImages(page)).toEqual([
          'Bookings per day',
          'Revenue pipeline in EUR',
          'Load per master',
          'Lead time',
        ]);
        await screenshot(page, `admin-analytics-month-${device.name}`);
        await noSidewaysScroll(page, device);

        expect(await click(page, page.getByRole('link', { name: 'Last 7 days' }))).toBe(200);
        expect(await page.locator('h2.scope').innerText()).toContain('(7 days)');
        expect(
          await page.getByRole('link', { name: 'Last 7 days' }).getAttribute('aria-current'),
        ).toBe('true');

        // The hand-computed world, chosen with the form (no script).
        await page.getByLabel('Location').selectOption({ label: 'Studio Berlin' });
        await page.getByLabel('From').fill(PERIOD.fromDate);
        await page.getByLabel(/^To/).fill(PERIOD.toDate);
        expect(await click(page, page.getByRole('button', { name: 'Show' }))).toBe(200);
        const figures = await page.locator('ul.figures').innerText();
        expect(figures).toContain('€102.00');
        expect(figures).toContain('66.7%');
        expect(figures).toContain('25%');
        await screenshot(page, `admin-analytics-fixture-${device.name}`);
        await noSidewaysScroll(page, device);

        // A chart's numbers as a file.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'CSV: Bookings per day' }).click(),
        ]);
        expect(download.suggestedFilename()).toBe(
          `analytics-per-day-location-${PERIOD.fromDate}_${PERIOD.toDate}.csv`,
        );
        const bytes = await new Promise<Buffer>((resolve, reject) => {
          void download.createReadStream().then((stream) => {
            const parts: Buffer[] = [];
            stream.on('data', (c: Buffer) => parts.push(c));
            stream.on('end', () => resolve(Buffer.concat(parts)));
            stream.on('error', reject);
          });
        });
        expect(bytes.toString('utf8')).toBe(
          '\uFEFFDay,Bookings\r\n2026-03-28,1\r\n2026-03-29,3\r\n2026-03-30,1\r\n',
        );

        // The whole chain: EUR and USD apart.
        await page.getByLabel('Location').selectOption({ label: 'All locations (per currency)' });
        expect(await click(page, page.getByRole('button', { name: 'Show' }))).toBe(200);
        expect(await page.locator('h2.scope').innerText()).toContain('All locations');
        const chain = await page.locator('ul.figures').innerText();
        expect(chain).toContain('EUR');
        expect(chain).toContain('USD');
        expect(chain).toContain('$90.00');
        // The chain over the busy month: a pipeline per currency.
        expect(await click(page, page.getByRole('link', { name: 'Last 30 days' }))).toBe(200);
        expect(await page.locator('h2.scope').innerText()).toContain('All locations');
        expect(await chartsAreImages(page)).toEqual([
          'Bookings per day',
          'Revenue pipeline in EUR',
          'Revenue pipeline in USD',
          'Load per master',
          'Lead time',
        ]);
        await screenshot(page, `admin-analytics-chain-${device.name}`);
        await noSidewaysScroll(page, device);

        expect(watched.problems).toEqual([]);
      } finally {
        await watched.close();
      }
    });
  }

  it('dark mode and Russian on a phone: the charts take the dark palette, the texts are Russian', async () => {
    const watched = await signedIn(PHONE, 'dark');
    try {
      const { page } = watched;
      await page.goto(`${base}/admin/analytics?lang=ru`);
      expect(await page.locator('h1').innerText()).toBe('Аналитика');
      const bar = page.locator('svg.chart-svg rect.bar').first();
      const fill = await bar.evaluate((el) => getComputedStyle(el).fill);
      expect(fill).toBe('rgb(147, 180, 255)');
      const text = await page
        .locator('svg.chart-svg text')
        .first()
        .evaluate((el) => getComputedStyle(el).fill);
      expect(text).not.toBe('rgb(0, 0, 0)');
      await screenshot(page, 'admin-analytics-dark-ru-phone');
      await noSidewaysScroll(page, PHONE);
      expect(watched.problems).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('Studio New York alone, desktop in Russian: dollars, its own zone', async () => {
    const watched = await signedIn(DESKTOP);
    try {
      const { page } = watched;
      await page.goto(
        `${base}/admin/analytics?lang=ru&location=${world.newYorkId}&from=${PERIOD.fromDate}&to=${PERIOD.toDate}`,
      );
      expect(await page.locator('main').innerText()).toContain('America/New_York');
      expect(await page.locator('ul.figures').innerText()).toContain('90,00');
      await screenshot(page, 'admin-analytics-new-york-ru-desktop');
      expect(watched.problems).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});

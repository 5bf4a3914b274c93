import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySeedOnce } from '../../db/migrations.ts';
import { loadSeed } from '../../db/node/migration-files.ts';
import { CONTENT_SECURITY_POLICY } from '../../admin-ui/page-headers.ts';
import {
  DESKTOP,
  launchChromium,
  openWatchedPage,
  PHONE,
  screenshot,
  textContrast,
  type Device,
} from '../support/browser.ts';
import { migratedPostgres } from '../support/pg.ts';
import { freePort, startServer, type Running } from '../support/process.ts';

/**
 * The address opened in a browser, as a person would: a real server (`npm start`'s entry) on
 * PostgreSQL with the demo business, a phone and a desktop, both languages. Screenshots land in
 * artifacts/browser/.
 */
const PASSWORD = 's3cret-pw';
let browser: Browser;
let server: Running;
let base = '';
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const pg = await migratedPostgres('landing_browser');
  cleanup = pg.cleanup;
  await applySeedOnce(pg.db, 'demo', await loadSeed());
  // Trust auth ignores the password: it is there to prove the page never shows the URL.
  const url = new URL(pg.url);
  url.password = PASSWORD;
  const port = await freePort();
  server = await startServer({
    DATABASE_URL: url.toString(),
    PUBLIC_URL: 'https://bots.example.test',
    ENCRYPTION_KEY: Buffer.alloc(32, 4).toString('base64'),
    PORT: String(port),
  });
  base = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await cleanup?.();
});

async function visit(
  device: Device,
  path: string,
  locale: string,
  shot: string,
  colorScheme: 'light' | 'dark' = 'light',
) {
  const watched = await openWatchedPage(browser, device, { locale, colorScheme });
  try {
    const response = await watched.page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const { page } = watched;
    const text = await page.locator('body').innerText();
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
      stylesheetApplied: getComputedStyle(document.querySelector('.page')!).maxWidth,
    }));
    const contrast = {
      body: await textContrast(page, 'main p.lead'),
      muted: await textContrast(page, 'p.muted'),
      link: await textContrast(page, 'a[href="/healthz"]'),
    };
    await screenshot(page, shot);
    return { text, layout, contrast, problems: [...watched.problems] };
  } finally {
    await watched.close();
  }
}

describe('the landing page in a browser', () => {
  it('on a phone, in English: readable at 390 px, no horizontal scrolling, no console errors or CSP violations', async () => {
    const seen = await visit(PHONE, '/', 'en-US', 'landing-phone-en');
    expect(seen.problems).toEqual([]);
    expect(seen.text).toContain('Slotbot runs here');
    expect(seen.text).toContain("Slotbot is a booking platform for businesses' Telegram bots");
    expect(seen.text).toMatch(/PostgreSQL: reachable, schema up to date \(\d+ migrations\)\./);
    expect(seen.text).toContain('Embedded job runner: working.');
    expect(seen.text).toContain('Loaded, slug demo.');
    expect(seen.text).toContain('npm run bot:register -- --tenant demo --token <token>');
    expect(seen.text).toContain('Sign up your business');
    expect(seen.text).toContain('Sign in to the admin');
    expect(seen.text).not.toContain(PASSWORD);
    expect(seen.text).not.toContain('127.0.0.1');
    // The viewport meta is honoured (a mobile browser would otherwise lay the page out at 980 px).
    expect(seen.layout.innerWidth).toBe(390);
    expect(seen.layout.scrollWidth).toBeLessThanOrEqual(390);
    expect(seen.layout.bodyFont).toBeGreaterThanOrEqual(16);
    expect(seen.layout.stylesheetApplied).toBe('672px');
    expect(seen.contrast.body).toBeGreaterThanOrEqual(7);
    expect(seen.contrast.muted).toBeGreaterThanOrEqual(4.5);
    expect(seen.contrast.link).toBeGreaterThanOrEqual(4.5);
  });

  it('on a phone, in Russian by the browser’s language', async () => {
    const seen = await visit(PHONE, '/', 'ru-RU', 'landing-phone-ru');
    expect(seen.problems).toEqual([]);
    expect(seen.text).toContain('Здесь работает Slotbot');
    expect(seen.text).toMatch(/PostgreSQL: доступна, схема актуальна \(\d+ миграц(ия|ии|ий)\)\./);
    expect(seen.text).toContain('Загружен, slug demo.');
    expect(seen.layout.scrollWidth).toBeLessThanOrEqual(390);
  });

  it('on a phone in dark mode: the same contrast', async () => {
    const seen = await visit(PHONE, '/', 'en-US', 'landing-phone-en-dark', 'dark');
    expect(seen.problems).toEqual([]);
    expect(seen.contrast.body).toBeGreaterThanOrEqual(7);
    expect(seen.contrast.muted).toBeGreaterThanOrEqual(4.5);
    expect(seen.contrast.link).toBeGreaterThanOrEqual(4.5);
  });

  it('on a desktop: the same page, a readable column', async () => {
    const seen = await visit(DESKTOP, '/?lang=en', 'ru-RU', 'landing-desktop-en');
    expect(seen.problems).toEqual([]);
    expect(seen.text).toContain('Slotbot runs here');
    expect(seen.layout.scrollWidth).toBeLessThanOrEqual(1280);
    expect(seen.contrast.body).toBeGreaterThanOrEqual(7);
  });
});

describe('the browser harness', () => {
  let other: Server;
  let otherBase = '';
  beforeAll(async () => {
    // The same policy over a page that breaks it: proves a violation would be seen above.
    other = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': CONTENT_SECURITY_POLICY,
      });
      res.end(
        '<!DOCTYPE html><html><head><style>p{color:red}</style></head><body><p style="color:blue">x</p><script>document.title="ran"</script></body></html>',
      );
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', () => resolve()));
    otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => other.close(r)));

  it('reports CSP violations (inline style, inline script) as problems', async () => {
    const watched = await openWatchedPage(browser, DESKTOP);
    try {
      await watched.page.goto(otherBase, { waitUntil: 'load' });
      expect(await watched.page.title()).not.toBe('ran');
      const csp = watched.problems.filter((p) => p.includes('Content Security Policy'));
      expect(csp.length).toBeGreaterThanOrEqual(2);
      expect(csp.some((p) => /inline script|script/i.test(p))).toBe(true);
      expect(csp.some((p) => /style/i.test(p))).toBe(true);
    } finally {
      await watched.close();
    }
  });
});

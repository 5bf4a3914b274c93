import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
} from '../support/browser.ts';
import { ChatUser, pollingEndpoint } from '../support/chat-user.ts';
import { migratedPostgres } from '../support/pg.ts';
import { freePort, startServer, type Running } from '../support/process.ts';
import { TelegramStub } from '../support/telegram-stub.ts';

/**
 * "BotFather token to first booking": a real server process (`npm start`'s entry, polling mode:
 * no public address) on PostgreSQL with the Telegram stand-in as Telegram. Chromium signs up with
 * a token, the owner presses Start with the claim code in the bot, opens the sign-in link in
 * Chromium, completes the checklist there; then a client books through the bot. Once on a desktop
 * and once on a phone; screenshots of every page in artifacts/browser/.
 */
let browser: Browser;
let server: Running;
let stub: TelegramStub;
let db: Database;
let base = '';
let cleanup: () => Promise<void>;
const ZONE = 'Europe/Berlin';
/** What Chromium logs for a page answered 400 (a form re-shown with its errors): expected here. */
const BAD_REQUEST_CONSOLE =
  'console error: Failed to load resource: the server responded with a status of 400 (Bad Request)';

beforeAll(async () => {
  const pg = await migratedPostgres('signup_browser');
  db = pg.db;
  cleanup = pg.cleanup;
  stub = new TelegramStub();
  await stub.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await startServer({
    DATABASE_URL: pg.url,
    PUBLIC_URL: base,
    PORT: String(port),
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    TELEGRAM_API_ROOT: stub.apiRoot,
    TELEGRAM_MODE: 'polling',
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await stub?.stop();
  await cleanup?.();
});

/** No sideways scrolling at this width, and the body text readable. */
async function checkLayout(page: Page, device: Device): Promise<void> {
  const layout = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(layout.scrollWidth, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(
    device.viewport.width,
  );
}

async function submitAndWait(page: Page, label: RegExp | string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: label }).click(),
  ]);
  return response?.status() ?? 0;
}

async function ownerJourney(
  device: Device,
  n: number,
): Promise<{ seconds: number; username: string; token: string }> {
  const token = `${8_200_000 + n}:AAE${'b'.repeat(32)}`;
  const username = `studio${n}_bot`;
  stub.addBot(token, username);
  const shot = (name: string) => screenshot(watched.page, `signup-${device.name}-${name}`);
  const watched = await openWatchedPage(browser, device, { locale: 'en-US' });
  const { page } = watched;
  const expected: string[] = [];
  try {
    const started = Date.now();
    // 1. The sign-up page, empty.
    expect((await page.goto(`${base}/admin/signup`, { waitUntil: 'load' }))?.status()).toBe(200);
    await checkLayout(page, device);
    expect(await textContrast(page, 'main p.lead')).toBeGreaterThanOrEqual(4.5);
    await shot('1-empty');

    // 2. A token Telegram does not know: the error next to the field, the name kept.
    await page.getByLabel('Business name').fill(`Studio ${n}`);
    await page.getByLabel('Bot token from BotFather').fill(`999999:AAE${'z'.repeat(32)}`);
    expect(await submitAndWait(page, 'Connect the bot')).toBe(400);
    expected.push(`HTTP 400: ${base}/admin/signup`, BAD_REQUEST_CONSOLE);
    await expect(page.locator('#f-token-error').innerText()).resolves.toContain(
      'Telegram does not know this token',
    );
    expect(await page.locator('#f-token').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Business name').inputValue()).toBe(`Studio ${n}`);
    expect(await page.locator('#f-token').inputValue()).toBe('');
    await checkLayout(page, device);
    await shot('2-error');

    // 3. The right token: the claim link.
    await page.getByLabel('Bot token from BotFather').fill(token);
    expect(await submitAndWait(page, 'Connect the bot')).toBe(200);
    const link = await page
      .getByRole('link', { name: `Open @${username} in Telegram` })
      .getAttribute('href');
    expect(link).toMatch(new RegExp(`^https://t\\.me/${username}\\?start=claim_[A-Za-z0-9_-]+$`));
    expect(await page.getByLabel('Or copy the link').inputValue()).toBe(link);
    await checkLayout(page, device);
    await shot('3-connected');

    // 4. On the phone, in Telegram: Start with the code. The bot answers with the admin link.
    const owner = new ChatUser(pollingEndpoint(stub, token), 9_400_000 + n, 'en', 'Anna');
    expect(await owner.send(`/start ${new URL(link!).searchParams.get('start')}`)).toBe(200);
    const signIn = linkIn(owner.lastMessage().text);
    expect(signIn.startsWith(`${base}/admin/login/`)).toBe(true);

    // 5. The link in the browser: sign in, the checklist.
    await page.goto(signIn, { waitUntil: 'load' });
    expect(await submitAndWait(page, 'Sign in')).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/admin');
    await expect(page.locator('main').innerText()).resolves.toContain(
      'Get your bot ready for bookings',
    );
    await checkLayout(page, device);
    await shot('4-checklist');

    // 6. A location (a wrong currency first).
    await page.getByRole('link', { name: 'Add a location' }).click();
    await page.waitForLoadState('load');
    await page.getByLabel('Name', { exact: false }).first().fill('Studio on Main Street');
    await page.getByLabel('Time zone').fill(ZONE);
    await page.getByLabel('Currency').fill('ZZZ');
    await shot('5-location');
    expect(await submitAndWait(page, 'Save the location')).toBe(400);
    expected.push(`HTTP 400: ${base}/admin/setup/location`, BAD_REQUEST_CONSOLE);
    await expect(page.locator('#f-currency-error').innerText()).resolves.toContain(
      'That is not a currency code',
    );
    await checkLayout(page, device);
    await shot('5-location-error');
    await page.getByLabel('Currency').fill('eur');
    expect(await submitAndWait(page, 'Save the location')).toBe(200);
    await expect(page.locator('main').innerText()).resolves.toContain('The location is saved.');

    // 7. A service, priced as people write money.
    await page.getByRole('link', { name: 'Add a service' }).click();
    await page.waitForLoadState('load');
    await page.locator('#f-name').fill('Haircut');
    await page.getByLabel('Duration, minutes').fill('45');
    await page.getByLabel('Price, EUR').fill('25,50');
    await checkLayout(page, device);
    await shot('6-service');
    expect(await submitAndWait(page, 'Save the service')).toBe(200);

    // 8. A master who does it, every day 10:00 to 19:00.
    await page.getByRole('link', { name: 'Add a master' }).click();
    await page.waitForLoadState('load');
    await page.locator('#f-name').fill('Anna');
    await expect(page.getByLabel(/Haircut · 45 min · €25\.50/).isChecked()).resolves.toBe(true);
    await page.getByLabel('Sat').check();
    await page.getByLabel('Sun').check();
    await checkLayout(page, device);
    await shot('7-master');
    expect(await submitAndWait(page, 'Save the master')).toBe(200);

    // 9. Done: the bot takes bookings.
    const main = await page.locator('main').innerText();
    expect(main).toContain('The master is saved.');
    expect(main).toContain(`Your bot takes bookings: open t.me/${username}`);
    await checkLayout(page, device);
    await shot('8-done');
    const seconds = (Date.now() - started) / 1000;
    expect(watched.problems.sort()).toEqual(expected.sort());
    return { seconds, username, token };
  } finally {
    await watched.close();
  }
}

async function clientBooks(token: string, clientId: number): Promise<void> {
  const client = new ChatUser(pollingEndpoint(stub, token), clientId, 'en', 'Clara');
  expect(await client.send('/start')).toBe(200);
  await client.press('Book');
  await client.press(/^Haircut/);
  await client.press('Continue');
  await client.press('Anna');
  const tomorrow = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 1 });
  await client.press(
    tomorrow.setLocale('en').toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }),
  );
  await client.press('10:00 AM');
  await client.press('Confirm');
  // "Booked!" is the confirmed screen; a reminder due already (a visit within the reminder's lead
  // time) may follow it at once as a message of its own, so it is looked for among all of them.
  expect(client.messages().map((m) => m.text)).toEqual(
    expect.arrayContaining([expect.stringContaining('Booked!')]),
  );
  const rows = await asPlatform(db, (tx) =>
    tx.query<{ status: string; total: number; start_at: Date }>(
      'select b.status, b.total_minor::int as total, b.start_at from bookings b join clients c on c.id = b.client_id where c.telegram_user_id = $1',
      [clientId],
    ),
  );
  expect(rows).toEqual([
    { status: 'confirmed', total: 2550, start_at: tomorrow.set({ hour: 10 }).toJSDate() },
  ]);
}

describe('a business signs up in a browser and takes its first booking', () => {
  for (const [i, device] of [DESKTOP, PHONE].entries()) {
    it(
      `on a ${device.name}: token → claim in the bot → admin → checklist → a client books`,
      { timeout: 120_000 },
      async () => {
        const journey = await ownerJourney(device, i + 1);
        console.log(
          `owner part: ${journey.seconds.toFixed(1)} s (${device.name}; sign-up page to "your bot takes bookings", with the bot's round trips)`,
        );
        await clientBooks(journey.token, 9_410_000 + i);
      },
    );
  }

  it('the sign-up page in Russian on a phone, and sign-up closed', async () => {
    const watched = await openWatchedPage(browser, PHONE, { locale: 'ru-RU' });
    try {
      await watched.page.goto(`${base}/admin/signup`, { waitUntil: 'load' });
      const text = await watched.page.locator('main').innerText();
      expect(text).toContain('Подключите бота своего бизнеса');
      expect(text).toContain('Токен бота от BotFather');
      await checkLayout(watched.page, PHONE);
      await screenshot(watched.page, 'signup-phone-ru');
      await asPlatform(db, (tx) =>
        tx.query("update platform_settings set value = '\"closed\"' where key = 'signup_mode'"),
      );
      try {
        await watched.page.goto(`${base}/admin/signup?lang=en`, { waitUntil: 'load' });
        expect(await watched.page.locator('main').innerText()).toContain('Sign-up is closed');
        await screenshot(watched.page, 'signup-phone-closed');
      } finally {
        await asPlatform(db, (tx) =>
          tx.query("update platform_settings set value = '\"open\"' where key = 'signup_mode'"),
        );
      }
      expect(watched.problems).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});

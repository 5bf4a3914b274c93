import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import {
  DESKTOP,
  PHONE,
  screenshot,
  textContrast,
  type Device,
  type WatchedPage,
} from '../support/browser.ts';
import { ChatUser, webhookEndpoint } from '../support/chat-user.ts';
import type { TelegramStub } from '../support/telegram-stub.ts';
import { DemoAdminServer } from '../support/demo-server.ts';

/**
 * The locations editor in Chromium against a real server process on the demo business, at phone
 * and desktop width: the preview of what clients read follows the typing (the page's script under
 * the CSP), a value that cannot work is said next to its field, a valid change is saved, and a
 * client's next screen in the bot shows it. Screenshots in artifacts/browser/.
 */
let TOKEN = '';
const OWNER = 5_560_001;
const BERLIN = '00000000-0000-4000-8000-000000000101';
let demo: DemoAdminServer;

let stub: TelegramStub;
let db: Database;
let base = '';
let clientId = 5_560_100;

beforeAll(async () => {
  demo = await DemoAdminServer.start('locations_browser', OWNER);
  ({ stub, base, db } = demo);
  TOKEN = demo.token;
}, 120_000);

afterAll(() => demo?.stop());

const signedInPage = (device: Device, locale = 'en-US'): Promise<WatchedPage> =>
  demo.signedInPage(device, locale);

const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const preview = (page: Page) => page.locator('#policy-preview');

/** A new client in the bot, from /start to the booking summary at Berlin Mitte (the first free time). */
async function clientSummary(): Promise<{ locations: string[]; summary: string }> {
  const client = new ChatUser(webhookEndpoint(stub, TOKEN), clientId++, 'en', 'Clara');
  expect(await client.send('/start')).toBe(200);
  await client.press('Book');
  const locations = client.screen().buttons.flat();
  await client.press('Berlin Mitte');
  await client.press(/^Men's haircut/);
  await client.press('Continue');
  await client.press('Jonas');
  // The first day with free times, then its first time.
  const day = client
    .screen()
    .buttons.flat()
    .find((b) => /\d/.test(b) && !/Earlier|Later/.test(b))!;
  await client.press(day);
  await client.press(client.screen().buttons[0]![0]!);
  return { locations, summary: client.screen().text };
}

describe('the locations editor in a browser', () => {
  const runs = [
    { device: PHONE, percent: '30' },
    { device: DESKTOP, percent: '40' },
  ];
  for (const { device, percent } of runs) {
    it(
      `${device.name}: the preview follows the typing, a wrong value is said next to its field, a saved change reaches the client’s next screen`,
      { timeout: 90_000 },
      async () => {
        const watched = await signedInPage(device);
        try {
          const { page } = watched;
          await page.getByRole('link', { name: 'Locations', exact: true }).click();
          expect(await page.locator('h1').innerText()).toBe('Locations');
          expect(await page.locator('main').innerText()).toContain('Europe/Berlin · EUR');
          await screenshot(page, `admin-locations-${device.name}`);
          expect(await sideways(page)).toBeLessThanOrEqual(0);

          await page.getByRole('link', { name: 'Edit Berlin Mitte' }).click();
          expect(await page.locator('h1').innerText()).toBe('Edit location');
          await screenshot(page, `admin-location-edit-${device.name}`);
          expect(await sideways(page)).toBeLessThanOrEqual(0);
          expect(await textContrast(page, '#policy-preview li')).toBeGreaterThanOrEqual(4.5);

          // Typing a new fee: the preview says it without a reload (the page's script, under the CSP).
          await page.locator('#f-cancel_fee_percent').fill(percent);
          await expect
            .poll(() => preview(page).innerText())
            .toContain(`Free cancellation until 24 h before; later a fee of ${percent} % applies.`);
          await page.getByLabel('Reminders before the visit').fill('48 h, 2 h');
          await expect
            .poll(() => preview(page).innerText())
            .toContain('Reminders: 48 hr and 2 hr before the visit.');

          // A value that cannot work: said in the preview at once, and next to its field on saving.
          await page.locator('#f-cancel_lock_hours').fill('30');
          await expect
            .poll(() => preview(page).innerText())
            .toContain('Cancelling would close 30 h before the visit');
          await page.getByRole('button', { name: 'Save' }).click();
          await page.waitForLoadState();
          expect(await page.locator('#f-cancel_lock_hours').getAttribute('aria-invalid')).toBe(
            'true',
          );
          expect(await page.locator('#f-cancel_lock_hours-error').innerText()).toBe(
            'Cancelling would close 30 h before the visit, while it is free until 24 h before: make this at most 24.',
          );
          expect(await page.locator('[role=alert]').innerText()).toContain('Nothing was saved');
          // What was typed stays.
          expect(await page.locator('#f-cancel_fee_percent').inputValue()).toBe(percent);
          await screenshot(page, `admin-location-error-${device.name}`);
          expect(await sideways(page)).toBeLessThanOrEqual(0);
          watched.problems.splice(0).forEach((p) => expect(p).toMatch(/status of 400|HTTP 400/));

          // Valid: the lock back at 2 h, and nothing asked ahead (this business takes no card payments).
          await page.locator('#f-cancel_lock_hours').fill('2');
          await page.getByLabel('What clients pay ahead').selectOption('none');
          await expect
            .poll(() => preview(page).innerText())
            .toContain('Nothing is paid ahead: the price is paid at the venue.');
          await page.getByRole('button', { name: 'Save' }).click();
          await page.waitForURL(`${base}/admin/locations?saved=updated`);
          expect(await page.locator('[role=status]').innerText()).toBe(
            'Location saved: the bot shows it on its next screen.',
          );
          expect(await page.locator('main').innerText()).toContain(
            `later a fee of ${percent} % applies`,
          );
          await screenshot(page, `admin-location-saved-${device.name}`);
          expect(watched.problems).toEqual([]);

          const { summary } = await clientSummary();
          expect(summary).toContain(
            `Free cancellation until 24 h before; later a fee of ${percent} % applies.`,
          );
          const [row] = await asPlatform(db, (tx) =>
            tx.query<{
              policy: { reminders: { leadMinutes: number[] }; deposit: { mode: string } };
            }>('select policy from locations where id = $1', [BERLIN]),
          );
          expect(row!.policy.reminders.leadMinutes).toEqual([2880, 120]);
          expect(row!.policy.deposit.mode).toBe('none');
        } finally {
          await watched.close();
        }
      },
    );
  }

  it(
    'phone, in Russian: a renamed location is on the client’s next screen; the form and preview read in Russian',
    { timeout: 90_000 },
    async () => {
      const watched = await signedInPage(PHONE, 'ru-RU');
      try {
        const { page } = watched;
        await page.goto(`${base}/admin/locations/${BERLIN}?lang=ru`);
        expect(await page.locator('h1').innerText()).toBe('Изменение филиала');
        expect(await preview(page).innerText()).toContain(
          'Бесплатная отмена не позднее чем за 24 ч',
        );
        await page.locator('#f-name').fill('Berlin Mitte Studio');
        await screenshot(page, 'admin-location-edit-phone-ru');
        await page.getByRole('button', { name: 'Сохранить' }).click();
        await page.waitForURL(`${base}/admin/locations?saved=updated`);
        expect(await page.locator('main').innerText()).toContain('Berlin Mitte Studio');
        const client = new ChatUser(webhookEndpoint(stub, TOKEN), clientId++, 'en', 'Clara');
        await client.send('/start');
        await client.press('Book');
        expect(client.screen().buttons.flat()).toContain('Berlin Mitte Studio');
        expect(watched.problems).toEqual([]);
      } finally {
        await watched.close();
      }
    },
  );
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import { signInitData } from '../../tenants/admin/mini-app.ts';
import {
  DESKTOP,
  openWatchedPage,
  PHONE,
  screenshot,
  textContrast,
  type Device,
  type WatchedPage,
} from '../support/browser.ts';
import type { TelegramStub } from '../support/telegram-stub.ts';
import { ChatUser, webhookEndpoint } from '../support/chat-user.ts';
import { bookingService } from '../support/booking-world.ts';
import type { Database } from '../../db/port.ts';
import { DemoAdminServer } from '../support/demo-server.ts';

/**
 * Signing in to the admin web as a person does: the bot's /admin link opened in Chromium, the
 * pages at phone and desktop width in both languages, the Mini App signing in by its script with
 * launch data in the URL's fragment as Telegram passes it. Screenshots land in artifacts/browser/.
 */
let TOKEN = '';
const OWNER = 5_550_001;
let demo: DemoAdminServer;
let browser: Browser;
let stub: TelegramStub;
let base = '';
let db: Database;

beforeAll(async () => {
  demo = await DemoAdminServer.start('admin_browser', OWNER);
  ({ stub, base, browser, db } = demo);
  TOKEN = demo.token;
}, 120_000);

afterAll(() => demo?.stop());

/** The owner sends /admin to the demo bot, as Telegram would deliver it; returns the link sent back. */
const adminLink = (language = 'en') => demo.adminLink(language);

async function layoutOf(page: Page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
}

const signedInPage = (device: Device, locale = 'en-US'): Promise<WatchedPage> =>
  demo.signedInPage(device, locale);

describe('admin sign-in in a browser', () => {
  for (const device of [PHONE, DESKTOP]) {
    it(`${device.name}: the sign-in page, the link's question, home, sessions and the audit log; no CSP violations, no sideways scrolling`, async () => {
      const visitor = await openWatchedPage(browser, device);
      try {
        const response = await visitor.page.goto(`${base}/admin/signin`);
        expect(response?.status()).toBe(200);
        expect(await visitor.page.locator('h1').innerText()).toBe('Sign in');
        await screenshot(visitor.page, `admin-signin-${device.name}`);
        // Without a session, the home page says how to sign in (401), in words.
        const refused = await visitor.page.goto(`${base}/admin`);
        expect(refused?.status()).toBe(401);
        expect(await visitor.page.locator('main').innerText()).toContain(
          'Send /admin to your business’s bot',
        );
        await screenshot(visitor.page, `admin-refused-${device.name}`);
        visitor.problems.splice(0); // the 401 above was the point
        expect((await layoutOf(visitor.page)).scrollWidth).toBeLessThanOrEqual(
          device.viewport.width,
        );
      } finally {
        await visitor.close();
      }

      const watched = await openWatchedPage(browser, device);
      try {
        const { page } = watched;
        const link = await adminLink();
        await page.goto(link);
        expect(await page.locator('h1').innerText()).toBe('Sign in with this link?');
        await screenshot(page, `admin-login-confirm-${device.name}`);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${base}/admin`);
        expect(await page.locator('h1').innerText()).toBe('Hello, Olga Petrova');
        expect(await page.locator('.who').innerText()).toContain('Olga Petrova, owner at');
        await screenshot(page, `admin-home-${device.name}`);
        expect((await layoutOf(page)).scrollWidth).toBeLessThanOrEqual(device.viewport.width);
        expect(await textContrast(page, 'main h1')).toBeGreaterThanOrEqual(7);
        expect(await textContrast(page, '.who p')).toBeGreaterThanOrEqual(4.5);

        await page.getByRole('link', { name: 'Sessions' }).click();
        expect(await page.locator('h1').innerText()).toBe('Sessions');
        expect(await page.locator('main').innerText()).toContain('this device');
        await screenshot(page, `admin-sessions-${device.name}`);
        expect((await layoutOf(page)).scrollWidth).toBeLessThanOrEqual(device.viewport.width);

        await page.getByRole('link', { name: 'Audit log' }).click();
        expect(await page.locator('main').innerText()).toContain('Signed in');
        await screenshot(page, `admin-audit-${device.name}`);
        expect((await layoutOf(page)).scrollWidth).toBeLessThanOrEqual(device.viewport.width);

        // The used link again: a page that says why and what to do.
        const again = await page.goto(link);
        expect(again?.status()).toBe(200);
        await page.getByRole('button', { name: 'Sign in' }).click();
        expect(await page.locator('main').innerText()).toContain('does not work any more');
        await screenshot(page, `admin-link-used-${device.name}`);
        watched.problems.splice(0).forEach((p) => expect(p).toMatch(/HTTP 400|status of 400/));

        await page.goto(`${base}/admin`);
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL(`${base}/admin/signin`);
        expect(watched.problems).toEqual([]);
      } finally {
        await watched.close();
      }
    });
  }

  it('in Russian once chosen, on every page after; the keyboard reaches the skip link first', async () => {
    const watched = await signedInPage(PHONE, 'ru-RU');
    try {
      const { page } = watched;
      // The owner's own language (English, as they set it in Telegram) wins over the browser's...
      expect(await page.locator('h1').innerText()).toBe('Hello, Olga Petrova');
      // ...until they choose another here: it stays chosen.
      await page.getByRole('link', { name: 'Русский' }).click();
      expect(await page.locator('h1').innerText()).toBe('Здравствуйте, Olga Petrova');
      await page.goto(`${base}/admin`);
      expect(await page.locator('h1').innerText()).toBe('Здравствуйте, Olga Petrova');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
        'Перейти к содержимому',
      );
      await screenshot(page, 'admin-home-phone-ru');
      await page.getByRole('link', { name: 'Сеансы' }).click();
      await screenshot(page, 'admin-sessions-phone-ru');
      expect(watched.problems).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  for (const device of [PHONE, DESKTOP]) {
    it(`${device.name}: the staff page, an invitation link, the invitation listed`, async () => {
      const watched = await signedInPage(device);
      try {
        const { page } = watched;
        await page.getByRole('link', { name: 'Staff' }).click();
        expect(await page.locator('h1').innerText()).toBe('Staff');
        await page.getByLabel('Role', { exact: true }).last().selectOption('manager');
        await page.getByRole('button', { name: 'Create invitation link' }).click();
        expect(await page.locator('h1').innerText()).toBe('Invitation link');
        expect(await page.getByLabel('Link').inputValue()).toMatch(
          /^https:\/\/t\.me\/demo_salon_bot\?start=claim_/,
        );
        await screenshot(page, `admin-staff-invited-${device.name}`);
        await page.getByRole('link', { name: 'Back to staff' }).click();
        expect(await page.locator('main').innerText()).toContain('Open invitations');
        await screenshot(page, `admin-staff-${device.name}`);
        expect((await layoutOf(page)).scrollWidth).toBeLessThanOrEqual(device.viewport.width);
        expect(watched.problems).toEqual([]);
      } finally {
        await watched.close();
      }
    });
  }

  for (const device of [PHONE, DESKTOP]) {
    it(`${device.name}: the bot settings page and a refused token, said next to its field`, async () => {
      const watched = await signedInPage(device);
      try {
        const { page } = watched;
        await page.getByRole('link', { name: 'Bot', exact: true }).click();
        expect(await page.locator('h1').innerText()).toBe('Your bot');
        expect(await page.locator('main').innerText()).toContain('@demo_salon_bot');
        await screenshot(page, `admin-bot-${device.name}`);
        await page.getByLabel('New token').fill('not a token');
        await page.getByRole('button', { name: 'Replace the token' }).click();
        expect(await page.locator('.field-error').first().innerText()).toContain(
          'That is not a bot token',
        );
        expect(await page.getByLabel('New token').getAttribute('aria-invalid')).toBe('true');
        await screenshot(page, `admin-bot-error-${device.name}`);
        expect((await layoutOf(page)).scrollWidth).toBeLessThanOrEqual(device.viewport.width);
        watched.problems.splice(0).forEach((p) => expect(p).toMatch(/status of 422|HTTP 422/));
      } finally {
        await watched.close();
      }
    });
  }

  for (const device of [PHONE, DESKTOP]) {
    it(`${device.name}: the services editor, a wrong price said next to its field, a saved change`, async () => {
      const watched = await signedInPage(device);
      try {
        const { page } = watched;
        await page.getByRole('link', { name: 'Services', exact: true }).click();
        expect(await page.locator('h1').innerText()).toBe('Services');
        await screenshot(page, `admin-services-${device.name}`);
        await page.getByRole('link', { name: /^Edit/ }).first().click();
        await page.getByLabel(/^Price/).fill('twenty');
        await page.getByRole('button', { name: 'Save' }).click();
        expect(await page.getByLabel(/^Price/).getAttribute('aria-invalid')).toBe('true');
        await screenshot(page, `admin-service-error-${device.name}`);
        watched.problems.splice(0).forEach((p) => expect(p).toMatch(/status of 400|HTTP 400/));
        await page.getByLabel(/^Price/).fill('42');
        await page.getByRole('button', { name: 'Save' }).click();
        expect(await page.locator('main').innerText()).toContain('Service saved');
        // The client's next services screen shows the new price.
        const client = new ChatUser(
          webhookEndpoint(stub, TOKEN),
          5_550_700 + device.viewport.width,
          'en',
          'Cora',
        );
        await client.send('/start');
        await client.press(/Book/);
        if (
          client
            .screen()
            .buttons.flat()
            .some((b) => b.includes('Berlin Mitte'))
        )
          await client.press(/Berlin Mitte/);
        expect(
          client
            .screen()
            .buttons.flat()
            .find((b) => b.startsWith('Women')),
        ).toContain('42');
        expect((await layoutOf(page)).scrollWidth).toBeLessThanOrEqual(device.viewport.width);
        expect(watched.problems).toEqual([]);
      } finally {
        await watched.close();
      }
    });
  }

  for (const device of [PHONE, DESKTOP]) {
    it(`${device.name}: the masters editor`, async () => {
      const watched = await signedInPage(device);
      try {
        const { page } = watched;
        await page.getByRole('link', { name: 'Masters', exact: true }).click();
        expect(await page.locator('h1').innerText()).toBe('Masters');
        await screenshot(page, `admin-masters-${device.name}`);
        await page.getByRole('link', { name: /^Edit/ }).first().click();
        expect(await page.locator('h1').innerText()).toBe('Edit master');
        await screenshot(page, `admin-master-edit-${device.name}`);
        // A wrong speed is said next to its field and nothing is saved.
        const speed = page.locator('#f-speed');
        const before = await speed.inputValue();
        await speed.fill('fast');
        await page.getByRole('button', { name: 'Save' }).click();
        expect(await page.locator('#f-speed').getAttribute('aria-invalid')).toBe('true');
        expect(await page.locator('main').innerText()).toContain('Write the speed as a number');
        watched.problems.splice(0).forEach((p) => expect(p).toMatch(/status of 400|HTTP 400/));
        await page.locator('#f-speed').fill(before);
        await page.getByRole('button', { name: 'Save' }).click();
        expect(await page.locator('main').innerText()).toContain('Master saved');
        expect((await layoutOf(page)).scrollWidth).toBeLessThanOrEqual(device.viewport.width);
        expect(watched.problems).toEqual([]);
      } finally {
        await watched.close();
      }
    });
  }

  for (const [device, serviceId] of [
    [PHONE, '00000000-0000-4000-8000-000000000203'],
    [DESKTOP, '00000000-0000-4000-8000-000000000205'],
  ] as const) {
    it(`${device.name}: a service turned off with a visit booked asks first; cancelled, the client is told in their language`, async () => {
      const location = '00000000-0000-4000-8000-000000000101';
      const telegramId = 5_550_800 + device.viewport.width;
      const clientId = (
        await asPlatform(db, (tx) =>
          tx.query<{ id: string }>(
            "insert into clients (tenant_id, telegram_user_id, first_name, language) select id, $1, 'Vera', 'ru' from tenants where slug = 'demo' returning id",
            [telegramId],
          ),
        )
      )[0]!.id;
      const tenantId = (
        await asPlatform(db, (tx) =>
          tx.query<{ id: string }>("select id from tenants where slug = 'demo'"),
        )
      )[0]!.id;
      const bookings = bookingService(db);
      const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
      const found = await bookings.findSlots({
        tenantId,
        locationId: location,
        serviceIds: [serviceId],
        fromDate: day(2),
        toDate: day(9),
        actor: { kind: 'system' },
      });
      const slot = found!.slots[0]!;
      const booked = await bookings.book({
        tenantId,
        locationId: location,
        clientId,
        serviceIds: [serviceId],
        start: slot.start,
        masterId: slot.masterIds[0]!,
        actor: { kind: 'client', clientId },
      });
      if (booked.kind !== 'booked') throw new Error(JSON.stringify(booked));
      expect((await bookings.confirm(tenantId, booked.booking.id, { kind: 'system' })).kind).toBe(
        'changed',
      );
      const watched = await signedInPage(device);
      try {
        const { page } = watched;
        await page.goto(`${base}/admin/services/${serviceId}`);
        await page.getByLabel('Clients can book it').uncheck();
        await page.getByRole('button', { name: 'Save' }).click();
        expect(await page.locator('h1').innerText()).toBe('1 booked visit is affected');
        expect(await page.locator('main').innerText()).toContain('Vera');
        await screenshot(page, `admin-affected-${device.name}`);
        await page.getByLabel(/Message to the clients/).fill('We no longer offer this, sorry.');
        await page.getByRole('button', { name: 'Save and cancel these visits' }).click();
        expect(await page.locator('main').innerText()).toContain('1 visit was cancelled');
        expect((await layoutOf(page)).scrollWidth).toBeLessThanOrEqual(device.viewport.width);
        expect(watched.problems).toEqual([]);
      } finally {
        await watched.close();
      }
      // The server's job runner sends the notice.
      const deadline = Date.now() + 15_000;
      const notice = () =>
        stub.messages(TOKEN, telegramId).find((m) => m.text.includes('отменили ваш визит'));
      while (!notice() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(notice()?.text).toContain('Сообщение: We no longer offer this, sorry.');
    });
  }

  for (const device of [PHONE, DESKTOP]) {
    it(`${device.name}: the bookings board, a filter, a booking's page and a cancellation with a reason`, async () => {
      const location = '00000000-0000-4000-8000-000000000101';
      const serviceId = '00000000-0000-4000-8000-000000000202';
      const telegramId = 5_550_900 + device.viewport.width;
      const name = device.name === 'phone' ? 'Philippa' : 'Desmond';
      const clientId = (
        await asPlatform(db, (tx) =>
          tx.query<{ id: string }>(
            "insert into clients (tenant_id, telegram_user_id, first_name, username, notes) select id, $1, $2, lower($2), '=1+1 likes short hair' from tenants where slug = 'demo' returning id",
            [telegramId, name],
          ),
        )
      )[0]!.id;
      const tenantId = (
        await asPlatform(db, (tx) =>
          tx.query<{ id: string }>("select id from tenants where slug = 'demo'"),
        )
      )[0]!.id;
      const bookings = bookingService(db);
      const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
      const slot = (await bookings.findSlots({
        tenantId,
        locationId: location,
        serviceIds: [serviceId],
        fromDate: day(3),
        toDate: day(10),
        actor: { kind: 'system' },
      }))!.slots.at(-1)!;
      const booked = await bookings.book({
        tenantId,
        locationId: location,
        clientId,
        serviceIds: [serviceId],
        start: slot.start,
        masterId: slot.masterIds[0]!,
        actor: { kind: 'client', clientId },
      });
      if (booked.kind !== 'booked') throw new Error(JSON.stringify(booked));
      await bookings.confirm(tenantId, booked.booking.id, { kind: 'system' });
      const watched = await signedInPage(device);
      try {
        const { page } = watched;
        await page.getByRole('link', { name: 'Bookings', exact: true }).click();
        expect(await page.locator('h1').innerText()).toBe('Bookings');
        await page.getByLabel(/^To/).fill(day(12));
        await page.getByRole('button', { name: 'Apply filters' }).click();
        await screenshot(page, `admin-board-${device.name}`);
        await page.getByLabel(/^Client/).fill(name.toLowerCase());
        await page.getByRole('button', { name: 'Apply filters' }).click();
        expect(await page.locator('ul.cards > li').count()).toBe(1);
        // A second visit booked meanwhile (by the client, in the bot) appears on the open board by itself.
        const another = (await bookings.findSlots({
          tenantId,
          locationId: location,
          serviceIds: [serviceId],
          fromDate: day(3),
          toDate: day(10),
          actor: { kind: 'system' },
        }))!.slots.at(-2)!;
        const second = await bookings.book({
          tenantId,
          locationId: location,
          clientId,
          serviceIds: [serviceId],
          start: another.start,
          masterId: another.masterIds[0]!,
          actor: { kind: 'client', clientId },
        });
        expect(second.kind).toBe('booked');
        await page.locator('ul.cards > li').nth(1).waitFor({ timeout: 20_000 });
        expect(await page.locator('#board-live').innerText()).toContain('Bookings changed');
        if (second.kind === 'booked')
          await bookings.cancel(tenantId, second.booking.id, { kind: 'client', clientId });
        const listUrl = page.url();
        // The calendar on the visit's day: the visit is a link in its master's column.
        const localDate = new Date(slot.start).toLocaleDateString('en-CA', {
          timeZone: 'Europe/Berlin',
        });
        await page.goto(
          `${base}/admin/bookings/calendar?location=${location}&view=day&date=${localDate}`,
        );
        expect(
          await page.locator(`svg a[href="/admin/bookings/${booked.booking.id}"]`).count(),
        ).toBe(1);
        await screenshot(page, `admin-calendar-day-${device.name}`);
        expect((await layoutOf(page)).scrollWidth).toBeLessThanOrEqual(device.viewport.width);
        await page.getByRole('link', { name: 'Week', exact: true }).click();
        await screenshot(page, `admin-calendar-week-${device.name}`);
        await page.goto(listUrl);
        await page.locator(`ul.cards a[href="/admin/bookings/${booked.booking.id}"]`).click();
        expect(await page.locator('main').innerText()).toContain("Men's haircut");
        await screenshot(page, `admin-board-booking-${device.name}`);
        await page.getByLabel(/^Reason for the client/).fill('Our master is ill, sorry.');
        await page.getByRole('button', { name: 'Cancel this visit' }).click();
        expect(await page.locator('main').innerText()).toContain('The visit was cancelled');
        expect((await layoutOf(page)).scrollWidth).toBeLessThanOrEqual(device.viewport.width);
        expect(watched.problems).toEqual([]);
      } finally {
        await watched.close();
      }
    });
  }

  it('the Mini App signs in by itself from the launch data in the fragment, under the CSP, and opens home', async () => {
    const [bot] = await (async () => {
      const hook = stub.webhooks.get(TOKEN)!;
      return [new URL(hook.url).pathname.split('/').pop()!];
    })();
    const initData = await signInitData(
      {
        auth_date: String(Math.floor(Date.now() / 1000)),
        query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
        user: JSON.stringify({ id: OWNER, first_name: 'Olga', language_code: 'en' }),
      },
      TOKEN,
    );
    const watched = await openWatchedPage(browser, PHONE);
    try {
      const { page } = watched;
      await page.goto(
        `${base}/admin/app?bot=${bot}#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0&tgWebAppPlatform=android`,
      );
      await page.waitForURL(`${base}/admin`);
      expect(await page.locator('h1').innerText()).toBe('Hello, Olga Petrova');
      expect(watched.problems).toEqual([]);
      // Launch data of another bot's token: the page says so, and nobody is signed in.
      const forged = await signInitData(
        {
          auth_date: String(Math.floor(Date.now() / 1000)),
          user: JSON.stringify({ id: OWNER, first_name: 'Olga' }),
        },
        `1:AAE${'z'.repeat(32)}`,
      );
      const stranger = await openWatchedPage(browser, PHONE);
      try {
        await stranger.page.goto(
          `${base}/admin/app?bot=${bot}#tgWebAppData=${encodeURIComponent(forged)}`,
        );
        await stranger.page.waitForFunction(() =>
          document.getElementById('mini-app-status')?.textContent?.includes('did not confirm'),
        );
        await screenshot(stranger.page, 'admin-mini-app-refused-phone');
        expect((await stranger.page.goto(`${base}/admin`))?.status()).toBe(401);
      } finally {
        await stranger.close();
      }
    } finally {
      await watched.close();
    }
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { DESKTOP, PHONE, screenshot } from '../support/browser.ts';
import { bookingService } from '../support/booking-world.ts';
import { DemoAdminServer } from '../support/demo-server.ts';

/**
 * Staff running the day from the board in Chromium: a phone booking made end to end (client
 * added, services, a day, a free time, booked and confirmed), and a visit moved and another
 * marked a no-show from their pages, the client told of the move in the bot in their language.
 */
const OWNER = 5_560_001;
const LOCATION = '00000000-0000-4000-8000-000000000101';
const MENS_CUT = '00000000-0000-4000-8000-000000000202';
const JONAS = '00000000-0000-4000-8000-000000000302';
const ZONE = 'Europe/Berlin';
let demo: DemoAdminServer;
let db: Database;
let tenantId = '';

beforeAll(async () => {
  demo = await DemoAdminServer.start('admin_board_staff_browser', OWNER);
  db = demo.db;
  tenantId = (
    await asPlatform(db, (tx) =>
      tx.query<{ id: string }>("select id from tenants where slug = 'demo'"),
    )
  )[0]!.id;
}, 120_000);

afterAll(() => demo?.stop());

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** A weekday (Jonas works Monday to Friday) at least `from` days ahead, as a local date. */
function weekdayAhead(from: number): string {
  let d = DateTime.now().setZone(ZONE).plus({ days: from });
  while (d.weekday > 5) d = d.plus({ days: 1 });
  return d.toISODate()!;
}

describe('the board for staff in a browser', () => {
  for (const [device, offset] of [
    [PHONE, 3],
    [DESKTOP, 4],
  ] as const) {
    it(`${device.name}: a phone booking from the board, end to end`, async () => {
      const name = device.name === 'phone' ? 'Paula Phone' : 'Desmond Desk';
      const phone = device.name === 'phone' ? '+49 151 2345 6789' : '030 9876 5432';
      const day = weekdayAhead(offset);
      const watched = await demo.signedInPage(device);
      try {
        const { page } = watched;
        await page.getByRole('link', { name: 'Bookings', exact: true }).click();
        await page.getByRole('link', { name: 'New booking' }).click();
        expect(await page.locator('h1').innerText()).toBe('New booking');
        // A wrong phone first: said next to its field, what was typed kept.
        await page.getByLabel(/^Name/).fill(name);
        await page.getByLabel(/^Phone/).fill('call me');
        await page.getByRole('button', { name: 'Add the client' }).click();
        expect(await page.locator('#f-phone-error').innerText()).toContain('not a phone number');
        await screenshot(page, `admin-new-booking-client-${device.name}`);
        // The 400 above was the point.
        watched.problems.splice(0).forEach((p) => expect(p).toMatch(/HTTP 400|status of 400/));
        await page.getByLabel(/^Phone/).fill(phone);
        await page.getByRole('button', { name: 'Add the client' }).click();
        expect(await page.locator('main').innerText()).toContain(name);
        await page.getByLabel(/^Men's haircut/).check();
        await page.getByLabel('Master', { exact: true }).selectOption(JONAS);
        await page.getByLabel('Day', { exact: true }).fill(day);
        await page.getByRole('button', { name: 'Show free times' }).click();
        const slots = page.locator('ul.slots button');
        expect(await slots.count()).toBeGreaterThan(3);
        expect(await page.getByText('Outside the offered times (owners)').count()).toBe(1);
        await screenshot(page, `admin-new-booking-${device.name}`);
        expect(await scrollWidth(page)).toBeLessThanOrEqual(device.viewport.width);
        const start = Number(
          await slots
            .nth(2)
            .locator('xpath=..')
            .locator('input[name="start"]')
            .getAttribute('value'),
        );
        await slots.nth(2).click();
        const main = await page.locator('main').innerText();
        expect(main).toContain('Booked and confirmed');
        expect(main).toContain(name);
        expect(main).toContain('Jonas');
        const [visit] = await asPlatform(db, (tx) =>
          tx.query<{ status: string; start_at: Date }>(
            'select b.status, b.start_at from bookings b join clients c on c.id = b.client_id where c.first_name = $1',
            [name],
          ),
        );
        expect(visit!.status).toBe('confirmed');
        expect(new Date(visit!.start_at).getTime()).toBe(start);
        await screenshot(page, `admin-new-booking-done-${device.name}`);
        expect(await scrollWidth(page)).toBeLessThanOrEqual(device.viewport.width);
        // On the board's list for that day.
        await page.goto(`${demo.base}/admin/bookings?location=${LOCATION}&from=${day}&to=${day}`);
        expect(await page.locator('ul.cards').innerText()).toContain(name);
        expect(watched.problems).toEqual([]);
      } finally {
        await watched.close();
      }
      const [client] = await asPlatform(db, (tx) =>
        tx.query<{ source: string; telegram_user_id: string | null }>(
          'select source, telegram_user_id from clients where first_name = $1',
          [name],
        ),
      );
      expect(client).toEqual({ source: 'phone', telegram_user_id: null });
    });
  }

  it('phone: a visit moved and another marked a no-show from the board; the client hears of the move in the bot, in Russian', async () => {
    const telegramId = 5_560_777;
    const clientId = (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string }>(
          "insert into clients (tenant_id, telegram_user_id, first_name, language) values ($1, $2, 'Ivan', 'ru') returning id",
          [tenantId, telegramId],
        ),
      )
    )[0]!.id;
    const bookings = bookingService(db);
    const from = weekdayAhead(5);
    const found = await bookings.findSlots({
      tenantId,
      locationId: LOCATION,
      serviceIds: [MENS_CUT],
      masterId: JONAS,
      fromDate: from,
      toDate: from,
      actor: { kind: 'system' },
    });
    const slot = found!.slots[0]!;
    const booked = await bookings.book({
      tenantId,
      locationId: LOCATION,
      clientId,
      serviceIds: [MENS_CUT],
      start: slot.start,
      masterId: JONAS,
      actor: { kind: 'client', clientId },
    });
    if (booked.kind !== 'booked') throw new Error(JSON.stringify(booked));
    await bookings.confirm(tenantId, booked.booking.id, { kind: 'system' });
    // A visit that began an hour ago (put in as the state machine allows: held, then confirmed).
    const [past] = await asPlatform(db, async (tx) => {
      const rows = await tx.query<{ id: string }>(
        `insert into bookings (tenant_id, location_id, master_id, client_id, status, start_at, end_at, span, hold_expires_at, total_minor, currency)
         select $1, $2, $3, $4, 'held', s, s + interval '40 minutes', tstzrange(s, s + interval '40 minutes', '[)'), now() + interval '1 hour', 3500, 'EUR'
         from (select now() - interval '1 hour' as s) x returning id`,
        [tenantId, LOCATION, JONAS, clientId],
      );
      await tx.query(
        "update bookings set status = 'confirmed', hold_expires_at = null where id = $1",
        [rows[0]!.id],
      );
      return rows;
    });
    const target = weekdayAhead(8);
    const watched = await demo.signedInPage(PHONE);
    try {
      const { page } = watched;
      await page.goto(`${demo.base}/admin/bookings/${booked.booking.id}`);
      await page.getByLabel('Day', { exact: true }).fill(target);
      await page.getByRole('button', { name: 'Show free times' }).click();
      const slots = page.locator('ul.slots button');
      const newStart = Number(
        await slots.nth(1).locator('xpath=..').locator('input[name="start"]').getAttribute('value'),
      );
      await slots.nth(1).click();
      expect(await page.locator('main').innerText()).toContain('The visit was moved');
      await screenshot(page, `admin-board-moved-phone`);
      await page.goto(`${demo.base}/admin/bookings/${past!.id}`);
      await page.getByRole('button', { name: 'Mark no-show' }).click();
      const main = await page.locator('main').innerText();
      expect(main).toContain('Marked as a no-show.');
      expect(main).toMatch(/confirmed → no-show/i);
      await screenshot(page, `admin-board-no-show-phone`);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.viewport.width);
      expect(watched.problems).toEqual([]);
      // The server's job runner tells the client of the move, in Russian, with the new time.
      const deadline = Date.now() + 15_000;
      const notice = () =>
        demo.stub
          .messages(demo.token, telegramId)
          .find((m) => m.text.includes('перенесли ваш визит'));
      while (!notice() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(notice()?.text).toContain(
        DateTime.fromMillis(newStart, { zone: ZONE }).toFormat('H:mm'),
      );
    } finally {
      await watched.close();
    }
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ no_show_count: number }>('select no_show_count from clients where id = $1', [
        clientId,
      ]),
    );
    expect(row!.no_show_count).toBe(1);
  });
});

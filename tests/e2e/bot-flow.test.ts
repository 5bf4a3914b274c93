import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { migratedPostgres } from '../support/pg.ts';
import {
  bookingService,
  bookVisitFor,
  localStart,
  createBookingWorld,
  OPEN_POLICY,
  ZONE,
  type BookingWorld,
} from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';

describe('tenant bot over webhooks, end to end (Hono + grammY + PostgreSQL + Telegram stand-in)', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let secondLocation: string;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('bot_e2e'));
    w = await createBookingWorld(db, { masters: 2, clients: 1 });
    secondLocation = await asPlatform(db, async (tx) => {
      const [row] = await tx.query<{ id: string }>(
        "insert into locations (tenant_id, name, timezone, currency, policy, sort_order) values ($1, 'Second studio', 'America/New_York', 'USD', $2::jsonb, 9) returning id",
        [w.tenantId, JSON.stringify(OPEN_POLICY)],
      );
      await tx.query("update locations set name = 'Main studio' where id = $1", [w.locationId]);
      return row!.id;
    });
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h.stop();
    await cleanup();
  });

  it('registers the bot: getMe checked, token stored encrypted, webhook set with a secret', async () => {
    expect(h.stub.callsOf('getMe')).toHaveLength(1);
    const hook = h.stub.webhooks.get(h.token)!;
    expect(hook.url).toBe(`${h.baseUrl}/tg/${h.botId}`);
    expect(hook.secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ token_ciphertext: string; username: string }>(
        'select token_ciphertext, username from tenant_bots where id = $1',
        [h.botId],
      ),
    );
    expect(row!.username).toBe('studio_test_bot');
    expect(row!.token_ciphertext).not.toContain(h.token.split(':')[1]);
  });

  it('books a composite service through every screen; the booking has the right local time, master, price and status', async () => {
    const ann = h.user(501);
    expect(await ann.send('/start')).toBe(200);
    expect(ann.screen().text).toContain('Welcome to');
    await ann.press('Book');
    expect(ann.screen().buttons.flat()).toEqual(
      expect.arrayContaining(['Main studio', 'Second studio']),
    );
    await ann.press('Main studio');
    await ann.press(/^cut/);
    await ann.press(/^style/);
    expect(ann.screen().text).toContain('2 services · 1 hr 15 min · €75.00');
    await ann.press('Continue');
    expect(ann.screen().buttons.flat()).toEqual(
      expect.arrayContaining(['✨ Any master', 'Master 1', 'Master 2']),
    );
    await ann.press('Master 2');
    const tomorrow = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 1 });
    const dayLabel = tomorrow
      .setLocale('en')
      .toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' });
    await ann.press(dayLabel);
    expect(ann.screen().text).toContain('choose a time');
    expect(ann.screen().buttons[0]).toEqual(['12:00 AM', '12:15 AM', '12:30 AM', '12:45 AM']);
    await ann.press('Later');
    await ann.press('10:00 AM');
    const summary = ann.screen().text;
    expect(summary).toContain('Services: cut, style');
    expect(summary).toContain('Master: Master 2');
    expect(summary).toContain('Price: €75.00');
    expect(summary).toContain('Free cancellation until 24 h before; later a fee of 50 % applies.');
    await ann.press('Confirm');
    expect(ann.screen().text).toContain('Booked!');

    const [booking] = await asPlatform(db, (tx) =>
      tx.query<{
        start_at: Date;
        master_id: string;
        total: number;
        currency: string;
        status: string;
        items: number;
      }>(
        `select b.start_at, b.master_id, b.total_minor::int as total, b.currency, b.status, (select count(*)::int from booking_items i where i.booking_id = b.id) as items
         from bookings b join clients c on c.id = b.client_id where c.telegram_user_id = 501`,
      ),
    );
    expect(booking).toEqual({
      start_at: tomorrow.set({ hour: 10 }).toJSDate(),
      master_id: w.masterIds[1],
      total: 7500,
      currency: 'EUR',
      status: 'confirmed',
      items: 2,
    });
  });

  it('Back across three levels restores each screen text and buttons exactly', async () => {
    const bo = h.user(502);
    await bo.send('/start');
    await bo.press('Book');
    const locations = bo.screen();
    await bo.press('Main studio');
    await bo.press(/^colour/);
    const services = bo.screen();
    await bo.press('Continue');
    const masters = bo.screen();
    await bo.press('Master 1');
    await bo.press('Back');
    expect(bo.screen()).toEqual(masters);
    await bo.press('Back');
    expect(bo.screen()).toEqual(services);
    await bo.press('Back');
    expect(bo.screen()).toEqual(locations);
    await bo.press('Back');
    expect(bo.screen().text).toContain('Welcome to');
  });

  it('switches language mid-flow and re-renders the current screen', async () => {
    const cy = h.user(503);
    await cy.send('/start');
    await cy.press('Book');
    await cy.press('Main studio');
    await cy.press(/^long/);
    expect(cy.screen().text).toContain('Choose one or more services.');
    await cy.press('🌐');
    await cy.press('Русский');
    expect(cy.screen().text).toContain('Выберите одну или несколько услуг.');
    expect(cy.screen().text).toContain('1 услуга');
    expect(cy.screen().buttons.flat()).toContain('Далее ➡️');
    const [client] = await asPlatform(db, (tx) =>
      tx.query<{ language: string }>('select language from clients where telegram_user_id = 503'),
    );
    expect(client!.language).toBe('ru');
  });

  it('opens in the Telegram client language', async () => {
    const ru = h.user(504, 'ru');
    await ru.send('/start');
    expect(ru.screen().text).toContain('Добро пожаловать');
  });

  it('processes an update delivered twice once', async () => {
    const dee = h.user(505);
    await dee.send('/start');
    const press = dee.pressUpdate('Book');
    const before = h.stub.calls.length;
    expect(await Promise.all([h.deliver(press), h.deliver(press)])).toEqual([200, 200]);
    expect(await h.deliver(press)).toBe(200);
    expect(h.stub.calls.length - before).toBe(2); // one edit, one callback answer
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ n: number }>(
        'select count(*)::int as n from telegram_updates where bot_id = $1 and update_id = $2',
        [h.botId, press.update_id],
      ),
    );
    expect(row!.n).toBe(1);
  });

  it('refuses a forged or missing secret with 401 and writes nothing; an unknown bot is 404', async () => {
    const eve = h.user(506);
    const update = eve.messageUpdate('/start');
    const before = h.stub.calls.length;
    expect(await h.deliver(update, 'forged-secret')).toBe(401);
    const res = await fetch(`${h.baseUrl}/tg/${h.botId}`, {
      method: 'POST',
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(401);
    expect(h.stub.calls.length).toBe(before);
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ n: number }>(
        'select count(*)::int as n from telegram_updates where update_id = $1',
        [update.update_id],
      ),
    );
    expect(row!.n).toBe(0);
    const [clients] = await asPlatform(db, (tx) =>
      tx.query<{ n: number }>(
        'select count(*)::int as n from clients where telegram_user_id = 506',
      ),
    );
    expect(clients!.n).toBe(0);
    expect(
      (await fetch(`${h.baseUrl}/tg/${crypto.randomUUID()}`, { method: 'POST', body: '{}' }))
        .status,
    ).toBe(404);
  });

  it('two clients confirming the same slot at once: one is booked, the other is shown alternatives', async () => {
    const [a, b] = [h.user(507), h.user(508)];
    for (const u of [a, b]) {
      await u.send('/start');
      await u.press('Book');
      await u.press('Main studio');
      await u.press(/^cut/);
      await u.press('Continue');
      await u.press('Master 1');
      const day = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 3 });
      await u.press(
        day.setLocale('en').toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }),
      );
      await u.press('Later');
      await u.press('Later');
      await u.press('3:00 PM');
    }
    await Promise.all([a.press('Confirm'), b.press('Confirm')]);
    const texts = [a.screen().text, b.screen().text].sort();
    expect(texts[0]).toContain('Booked!');
    expect(texts[1]).toContain('just been taken');
    const loser = a.screen().text.includes('taken') ? a : b;
    expect(loser.screen().buttons.length).toBeGreaterThanOrEqual(2);
    await loser.press(/Master/);
    expect(loser.screen().text).toContain('Please check your booking');
    await loser.press('Confirm');
    expect(loser.screen().text).toContain('Booked!');
  });

  it('"My bookings" lists upcoming visits and cancels one with the terms stated first (also in maintenance)', async () => {
    const fay = h.user(509);
    await fay.send('/start');
    const { bookingId } = await bookVisitFor(db, w, 509, {
      start: localStart(4, '11:00'),
      service: 'colour',
      confirm: true,
    });
    await asPlatform(db, (tx) =>
      tx.query('update tenants set maintenance = true where id = $1', [w.tenantId]),
    );
    try {
      await fay.press('My bookings');
      expect(fay.screen().text).toBe('Your upcoming visits:');
      await fay.press(/colour/);
      expect(fay.screen().text).toContain('Master: Master 1');
      expect(fay.screen().text).toContain('Cancel this visit? It is free of charge.');
      await fay.press('Yes, cancel');
      expect(fay.screen().text).toContain('is cancelled');
    } finally {
      await asPlatform(db, (tx) =>
        tx.query('update tenants set maintenance = false where id = $1', [w.tenantId]),
      );
    }
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ status: string }>('select status from bookings where id = $1', [bookingId]),
    );
    expect(row!.status).toBe('cancelled');
  });

  it('a master sees the schedule and marks a no-show after the start; the client counter rises', async () => {
    await asPlatform(db, (tx) =>
      tx.query('update masters set telegram_user_id = 700 where id = $1', [w.masterIds[0]]),
    );
    const client = h.user(701, 'en', 'Gina');
    await client.send('/start');
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>('select id from clients where telegram_user_id = 701'),
    );
    const service = bookingService(db);
    const booked = await service.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: row!.id,
      serviceIds: [w.services.cut],
      start: DateTime.now().setZone(ZONE).startOf('day').plus({ days: 2, hours: 9 }).toMillis(),
      masterId: w.masterIds[0],
      actor: { kind: 'client', clientId: row!.id },
    });
    if (booked.kind !== 'booked') throw new Error(booked.kind);
    await service.confirm(w.tenantId, booked.booking.id, { kind: 'client', clientId: row!.id });
    // The visit began a minute ago (still today, local time).
    await asPlatform(db, (tx) =>
      tx.query(
        `update bookings set start_at = s, end_at = s + interval '30 minutes', span = tstzrange(s, s + interval '40 minutes')
         from (select greatest(now() - interval '1 minute', (date_trunc('day', now() at time zone $2) at time zone $2)) as s) t where id = $1`,
        [booked.booking.id, ZONE],
      ),
    );

    const master = h.user(700, 'en', 'Master');
    await master.send('/start');
    await master.press('My schedule');
    expect(master.screen().text).toBe('Your visits: Today');
    await master.press(/Gina/);
    expect(master.screen().text).toContain('Client: Gina');
    await master.press('No-show');
    expect(master.screen().text).toContain('Marked: no-show.');
    const [counter] = await asPlatform(db, (tx) =>
      tx.query<{ no_show_count: number }>(
        'select no_show_count from clients where telegram_user_id = 701',
      ),
    );
    expect(counter!.no_show_count).toBe(1);
    const [history] = await asPlatform(db, (tx) =>
      tx.query<{ actor_kind: string; actor_id: string }>(
        "select actor_kind, actor_id from booking_status_history where booking_id = $1 and to_status = 'no_show'",
        [booked.booking.id],
      ),
    );
    expect(history).toEqual({ actor_kind: 'master', actor_id: w.masterIds[0] });
    // A client sees no schedule button.
    await client.send('/start');
    expect(client.screen().buttons.flat()).not.toContain('🗓 My schedule');
  });

  it('moves a visit from "My bookings": terms first, then the same day and time screens', async () => {
    const gus = h.user(510);
    await gus.send('/start');
    const [client] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>('select id from clients where telegram_user_id = 510'),
    );
    const day = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 5 });
    const service = bookingService(db);
    const booked = await service.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: client!.id,
      serviceIds: [w.services.cut],
      start: day.plus({ hours: 16 }).toMillis(),
      masterId: w.masterIds[1],
      actor: { kind: 'client', clientId: client!.id },
    });
    if (booked.kind !== 'booked') throw new Error(booked.kind);
    await service.confirm(w.tenantId, booked.booking.id, { kind: 'client', clientId: client!.id });
    await gus.press('My bookings');
    await gus.press(/cut/);
    expect(gus.screen().text).toContain('Moving this visit is free of charge.');
    await gus.press('Move to another time');
    await gus.press(
      day.setLocale('en').toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }),
    );
    await gus.press('Later');
    await gus.press('9:00 AM');
    expect(gus.screen().text).toContain('Move your visit to');
    await gus.press('Confirm');
    expect(gus.screen().text).toContain('Your visit is moved to');
    const rows = await asPlatform(db, (tx) =>
      tx.query<{ status: string; start_at: Date }>(
        'select status, start_at from bookings where id = $1 or rescheduled_from_id = $1 order by created_at',
        [booked.booking.id],
      ),
    );
    expect(rows).toEqual([
      { status: 'cancelled', start_at: day.plus({ hours: 16 }).toJSDate() },
      { status: 'confirmed', start_at: day.plus({ hours: 9 }).toJSDate() },
    ]);
  });

  it('every button fits in 64 bytes of callback data', () => {
    const datas = h.stub.calls.flatMap((c) =>
      (
        (c.params.reply_markup as { inline_keyboard?: { callback_data: string }[][] } | undefined)
          ?.inline_keyboard ?? []
      )
        .flat()
        .map((b) => b.callback_data),
    );
    expect(datas.length).toBeGreaterThan(50);
    for (const d of datas) expect(new TextEncoder().encode(d).length).toBeLessThanOrEqual(64);
  });

  it('answers every callback query', () => {
    const presses = h.stub.calls.filter((c) => c.method === 'answerCallbackQuery').length;
    const edits = h.stub.calls.filter((c) => c.method === 'editMessageText').length;
    expect(presses).toBeGreaterThanOrEqual(edits);
    expect(secondLocation).toBeTruthy();
  });
});

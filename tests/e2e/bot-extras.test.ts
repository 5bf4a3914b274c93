import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { parseIcs, utcDateTime } from '../../tenants/calendar/ics.ts';
import { formatWhen } from '../../tenants/i18n/format.ts';
import { migratedPostgres } from '../support/pg.ts';
import {
  bookingService,
  createBookingWorld,
  ZONE,
  type BookingWorld,
  dayLabel,
} from '../support/booking-world.ts';
import { BotHarness, type ChatUser } from '../support/bot-harness.ts';

const octets = (s: string) => new TextEncoder().encode(s).length;

describe('tenant bot extras: calendar files, choices withdrawn mid-flow', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('bot_extras'));
    w = await createBookingWorld(db, { masters: 3, clients: 1 });
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h.stop();
    await cleanup();
  });

  const clientId = async (telegramUserId: number) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string }>('select id from clients where telegram_user_id = $1', [
          telegramUserId,
        ]),
      )
    )[0]!.id;
  const bookingRow = (id: string) =>
    asPlatform(
      db,
      async (tx) =>
        (
          await tx.query<{ start_at: Date; end_at: Date; status: string; master_id: string }>(
            'select start_at, end_at, status, master_id from bookings where id = $1',
            [id],
          )
        )[0]!,
    );

  /** Through the screens to the summary of `services` with `master`, `days` ahead at 10:00 local. */
  async function toSummary(
    u: ChatUser,
    services: RegExp[],
    master: string,
    days: number,
  ): Promise<void> {
    await u.send('/start');
    await u.press('Book');
    for (const s of services) await u.press(s);
    await u.press('Continue');
    await u.press(master);
    await u.press(dayLabel(days));
    await u.press('Later');
    await u.press('10:00 AM');
    expect(u.screen().text).toContain('Please check your booking');
  }

  it('"Add to calendar" in My bookings sends an .ics whose times, master and services match the booking; Back still works', async () => {
    await asPlatform(db, (tx) =>
      tx.query(
        "update locations set address = 'Hauptstraße 1; Hof 2, 10115 Berlin' where id = $1",
        [w.locationId],
      ),
    );
    const ann = h.user(801);
    await ann.send('/start');
    const start = DateTime.now()
      .setZone(ZONE)
      .startOf('day')
      .plus({ days: 4, hours: 11 })
      .toMillis();
    const service = bookingService(db);
    const annId = await clientId(801);
    const booked = await service.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: annId,
      serviceIds: [w.services.colour, w.services.cut],
      start,
      masterId: w.masterIds[0],
      actor: { kind: 'client', clientId: annId },
    });
    if (booked.kind !== 'booked') throw new Error(booked.kind);
    await service.confirm(w.tenantId, booked.booking.id, { kind: 'client', clientId: annId });

    await ann.press('My bookings');
    await ann.press(/colour/);
    const visit = ann.screen();
    expect(visit.buttons.flat()).toContain('📆 Add to calendar');
    expect(await ann.press('Add to calendar')).toBe(200);

    const files = h.stub.filesOf(h.token, 801);
    expect(files).toHaveLength(1);
    const file = files[0]!;
    const row = await bookingRow(booked.booking.id);
    expect(file).toMatchObject({
      method: 'sendDocument',
      field: 'document',
      filename: `booking-${DateTime.fromMillis(start, { zone: ZONE }).toISODate()}.ics`,
    });
    expect(file.caption).toContain(formatWhen(start, ZONE, 'en'));
    // RFC 5545 framing: CRLF only, no line over 75 octets.
    expect(file.text.endsWith('\r\n')).toBe(true);
    expect(file.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of file.text.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);

    const props = parseIcs(file.text);
    const get = (name: string) => props.find((p) => p.name === name)?.value;
    expect(get('UID')).toBe(`${booked.booking.id}@${w.tenantId}.slotbot`);
    expect(get('DTSTART')).toBe(utcDateTime(row.start_at.getTime()));
    expect(get('DTEND')).toBe(utcDateTime(row.end_at.getTime()));
    // The UTC instant is 11:00 on the wall clock of the location.
    expect(
      DateTime.fromFormat(get('DTSTART')!, "yyyyMMdd'T'HHmmss'Z'", { zone: 'UTC' })
        .setZone(ZONE)
        .toFormat('HH:mm'),
    ).toBe('11:00');
    expect(get('SUMMARY')).toContain('colour, cut');
    expect(get('LOCATION')).toBe('Studio, Hauptstraße 1; Hof 2, 10115 Berlin');
    const description = get('DESCRIPTION')!;
    expect(description).toContain(`When: ${formatWhen(start, ZONE, 'en')}`);
    expect(description).toContain('Master: Master 1');
    expect(description).toContain('Price: €90.00');
    expect(get('STATUS')).toBe('CONFIRMED');
    expect(get('TRIGGER')).toBe('-PT60M');

    // The screen stays where it was, and Back leads where it always does.
    expect(ann.screen()).toEqual(visit);
    await ann.press('Back');
    expect(ann.screen().text).toBe('Your upcoming visits:');
    await ann.press('Back');
    expect(ann.screen().text).toContain('Welcome to');
  });

  it("a held visit gets a tentative calendar entry, in the client's language", async () => {
    const boris = h.user(802, 'ru');
    await boris.send('/start');
    const start = DateTime.now()
      .setZone(ZONE)
      .startOf('day')
      .plus({ days: 5, hours: 9, minutes: 30 })
      .toMillis();
    const booked = await bookingService(db).book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: await clientId(802),
      serviceIds: [w.services.cut],
      start,
      masterId: w.masterIds[1],
      actor: { kind: 'client' },
    });
    if (booked.kind !== 'booked' || booked.booking.status !== 'held') throw new Error(booked.kind);
    await boris.press('Мои записи');
    await boris.press(/cut/);
    await boris.press('Добавить в календарь');
    const [file] = h.stub.filesOf(h.token, 802);
    const props = parseIcs(file!.text);
    const get = (name: string) => props.find((p) => p.name === name)?.value;
    expect(get('STATUS')).toBe('TENTATIVE');
    expect(get('DTSTART')).toBe(utcDateTime(start));
    expect(get('DESCRIPTION')).toContain('Мастер: Master 2');
    expect(get('DESCRIPTION')).toContain('Статус: забронирован');
    expect(file!.caption).toContain('Ваш визит');
  });

  it('a service withdrawn before Confirm: the client is told which, offered others, and Back still works', async () => {
    const cy = h.user(811);
    await toSummary(cy, [/^cut/, /^colour/], 'Master 1', 2);
    await asPlatform(db, (tx) =>
      tx.query('update services set active = false where id = $1', [w.services.colour]),
    );
    try {
      await cy.press('Confirm');
      expect(cy.screen().text).toBe('No longer offered: colour. Please choose something else:');
      expect(cy.screen().buttons).toEqual([
        ['➕ long'],
        ['➕ style'],
        ['🔁 Choose services again'],
        ['⬅️ Back', '🌐'],
      ]);
      const [count] = await asPlatform(db, (tx) =>
        tx.query<{ n: number }>(
          'select count(*)::int as n from bookings b join clients c on c.id = b.client_id where c.telegram_user_id = 811',
        ),
      );
      expect(count!.n).toBe(0);

      // The language can change here too: the same message and alternatives in Russian.
      await cy.press('🌐');
      await cy.press('Русский');
      expect(cy.screen().text).toBe(
        'Больше не предоставляется: colour. Выберите, пожалуйста, что-нибудь другое:',
      );
      expect(cy.screen().buttons.flat()).toContain('🔁 Выбрать услуги заново');

      // Picking a replacement: the services screen, still-offered choice kept, the new one added.
      await cy.press('➕ style');
      const services = cy.screen();
      expect(services.text).toContain('Больше не предоставляется: colour.');
      expect(services.text).toContain('2 услуги');
      expect(services.buttons.flat().filter((b) => b.startsWith('✅'))).toEqual([
        expect.stringMatching(/^✅ cut/),
        expect.stringMatching(/^✅ style/),
      ]);
      expect(services.buttons.flat().some((b) => b.includes('colour'))).toBe(false);

      await cy.press('Далее');
      expect(cy.screen().text).toBe('К кому вы хотите записаться?');
      // Back: the services screen as left (the note has been read), then the menu.
      await cy.press('Назад');
      expect(cy.screen().text).not.toContain('Больше не предоставляется');
      expect(cy.screen().text).toContain('2 услуги');
      await cy.press('Назад');
      expect(cy.screen().text).toContain('Добро пожаловать');
    } finally {
      await asPlatform(db, (tx) =>
        tx.query('update services set active = true where id = $1', [w.services.colour]),
      );
    }
  });

  it('a service withdrawn while choosing a day: the next screen says so instead of "no free times"', async () => {
    const dee = h.user(812);
    await dee.send('/start');
    await dee.press('Book');
    await dee.press(/^long/);
    await dee.press('Continue');
    await dee.press('Any master');
    await asPlatform(db, (tx) =>
      tx.query('update services set active = false where id = $1', [w.services.long]),
    );
    try {
      await dee.press(dayLabel(1));
      expect(dee.screen().text).toBe('No longer offered: long. Please choose something else:');
      await dee.press('Choose services again');
      expect(dee.screen().text).toContain('No longer offered: long.');
      expect(dee.screen().text).toContain('Nothing selected yet.');
      await dee.press('Continue');
      expect(h.stub.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe(
        'Pick at least one service first.',
      );
    } finally {
      await asPlatform(db, (tx) =>
        tx.query('update services set active = true where id = $1', [w.services.long]),
      );
    }
  });

  it('the chosen master deactivated between screens: said so, other masters and any master offered; Back is consistent', async () => {
    const eve = h.user(821);
    await eve.send('/start');
    await eve.press('Book');
    await eve.press(/^cut/);
    await eve.press('Continue');
    await eve.press('Master 3');
    await asPlatform(db, (tx) =>
      tx.query('update masters set active = false where id = $1', [w.masterIds[2]]),
    );
    try {
      await eve.press(dayLabel(2));
      expect(eve.screen().text).toBe(
        'Master 3 can no longer take this booking. Choose another master or any master:',
      );
      expect(eve.screen().buttons).toEqual([
        ['✨ Any master'],
        ['Master 1'],
        ['Master 2'],
        ['⬅️ Back', '🌐'],
      ]);
      await eve.press('Master 2');
      expect(eve.screen().text).toBe('Choose a day:');
      await eve.press(dayLabel(2));
      await eve.press('Later');
      await eve.press('10:00 AM');
      expect(eve.screen().text).toContain('Master: Master 2');
      // Back walks the rewound stack: times, days of Master 2, masters (without Master 3), services.
      await eve.press('Back');
      await eve.press('Back');
      expect(eve.screen().text).toBe('Choose a day:');
      await eve.press('Back');
      expect(eve.screen().text).toBe('Who would you like to see?');
      expect(eve.screen().buttons.flat()).toEqual([
        '✨ Any master',
        'Master 1',
        'Master 2',
        '⬅️ Back',
        '🌐',
      ]);
      await eve.press('Back');
      expect(eve.screen().text).toContain('Choose one or more services.');
    } finally {
      await asPlatform(db, (tx) =>
        tx.query('update masters set active = true where id = $1', [w.masterIds[2]]),
      );
    }
  });

  it('the master loses a skill before Confirm: nearest times with colleagues and any master offered; the booked visit goes to the calendar', async () => {
    const fay = h.user(822);
    await toSummary(fay, [/^cut/], 'Master 2', 3);
    await asPlatform(db, (tx) =>
      tx.query('delete from master_skills where master_id = $1 and service_id = $2', [
        w.masterIds[1],
        w.services.cut,
      ]),
    );
    try {
      await fay.press('Confirm');
      expect(fay.screen().text).toBe(
        'That master is no longer available for this booking. Other options:',
      );
      const buttons = fay.screen().buttons.flat();
      expect(buttons).toContain('✨ Any master');
      expect(buttons.some((b) => /10:00 AM · Master [13]$/.test(b))).toBe(true);
      expect(buttons.some((b) => b.endsWith('Master 2'))).toBe(false);
      // The same time with a colleague.
      await fay.press(/10:00 AM · Master/);
      expect(fay.screen().text).toMatch(/Master: Master [13]/);
      await fay.press('Confirm');
      expect(fay.screen().text).toContain('Booked!');
      const [booking] = await asPlatform(db, (tx) =>
        tx.query<{ id: string; master_id: string; start_at: Date }>(
          'select b.id, b.master_id, b.start_at from bookings b join clients c on c.id = b.client_id where c.telegram_user_id = 822',
        ),
      );
      expect(booking!.master_id).not.toBe(w.masterIds[1]);
      // Straight from the confirmation into the calendar.
      await fay.press('Add to calendar');
      const [file] = h.stub.filesOf(h.token, 822);
      const props = parseIcs(file!.text);
      expect(props.find((p) => p.name === 'DTSTART')!.value).toBe(
        utcDateTime(booking!.start_at.getTime()),
      );
      expect(props.find((p) => p.name === 'DESCRIPTION')!.value).toMatch(/Master: Master [13]/);
      expect(fay.screen().text).toContain('Booked!');
    } finally {
      await asPlatform(db, (tx) =>
        tx.query(
          'insert into master_skills (tenant_id, location_id, master_id, service_id) values ($1, $2, $3, $4)',
          [w.tenantId, w.locationId, w.masterIds[1], w.services.cut],
        ),
      );
    }
  });

  it('"Any master" after a master became unavailable leads to the days of any master, Back to the masters', async () => {
    const gus = h.user(823);
    await toSummary(gus, [/^style/], 'Master 1', 4);
    await asPlatform(db, (tx) =>
      tx.query('update masters set active = false where id = $1', [w.masterIds[0]]),
    );
    try {
      await gus.press('Confirm');
      expect(gus.screen().text).toBe(
        'That master is no longer available for this booking. Other options:',
      );
      await gus.press('✨ Any master');
      expect(gus.screen().text).toBe('Choose a day:');
      await gus.press('Back');
      expect(gus.screen().buttons.flat()).toEqual([
        '✨ Any master',
        'Master 2',
        'Master 3',
        '⬅️ Back',
        '🌐',
      ]);
    } finally {
      await asPlatform(db, (tx) =>
        tx.query('update masters set active = true where id = $1', [w.masterIds[0]]),
      );
    }
  });

  it('every button fits in 64 bytes and every callback query is answered', () => {
    const datas = h.stub.calls.flatMap((c) =>
      (
        (c.params.reply_markup as { inline_keyboard?: { callback_data: string }[][] } | undefined)
          ?.inline_keyboard ?? []
      )
        .flat()
        .map((b) => b.callback_data),
    );
    expect(datas.length).toBeGreaterThan(50);
    for (const d of datas) expect(octets(d)).toBeLessThanOrEqual(64);
    const answered = new Set(
      h.stub.callsOf('answerCallbackQuery').map((c) => c.params.callback_query_id),
    );
    expect(answered.size).toBe(h.presses.length);
    for (const id of h.presses) expect(answered.has(id)).toBe(true);
  });
});

import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySeedOnce } from '../../db/migrations.ts';
import { loadSeed } from '../../db/node/migration-files.ts';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { parseIcs } from '../../tenants/calendar/ics.ts';
import { migratedPostgres } from '../support/pg.ts';
import { BotHarness, type ChatUser } from '../support/bot-harness.ts';

/**
 * The client's screens on the demo business (two locations: Berlin in EUR, New York in USD), in
 * English and Russian, with exact texts. Dates are written here with Intl's plain parts, not with
 * the app's formatter, so the test says what a client must read.
 */
const DEMO = '00000000-0000-4000-8000-000000000001';
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

/** The first day from `from` days ahead on which `weekdays` (ISO) work, in `zone`. */
function nextWorkday(zone: string, weekdays: number[], from = 2): DateTime {
  for (let d = from; ; d++) {
    const day = DateTime.now().setZone(zone).startOf('day').plus({ days: d });
    if (weekdays.includes(day.weekday)) return day;
  }
}

const part = (at: DateTime, lang: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(lang, { ...options, timeZone: at.zoneName! }).format(at.toMillis());
/** "Wed, Dec 2" / "ср, 2 дек." */
const dayText = (at: DateTime, lang: string) =>
  part(at, lang, { weekday: 'short', day: 'numeric', month: 'short' });
/** "10:00 AM" / "10:00": the locale's own hour, never padded. */
const timeText = (at: DateTime, lang: string) =>
  part(at, lang, { hour: 'numeric', minute: '2-digit' });
const visitText = (start: DateTime, minutes: number, lang: string) =>
  `${dayText(start, lang)}, ${timeText(start, lang)} – ${timeText(start.plus({ minutes }), lang)}`;

describe('client screens on the demo business, in English and Russian', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let h: BotHarness;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('client_screens'));
    await applySeedOnce(db, 'demo', await loadSeed());
    h = new BotHarness(db);
    await h.start(DEMO);
  });
  afterAll(async () => {
    await h.stop();
    await cleanup();
  });

  const bookingsOf = (u: ChatUser) =>
    asPlatform(db, (tx) =>
      tx.query<{ id: string; start_at: Date; end_at: Date }>(
        'select b.id, b.start_at, b.end_at from bookings b join clients c on c.id = b.client_id where c.telegram_user_id = $1 order by b.start_at',
        [u.id],
      ),
    );

  it('English, Berlin: one language button, one time format, the visit as booked, one press to book again, where in My bookings', async () => {
    const u = h.user(9101, 'en');
    await u.send('/start');
    expect(u.screen()).toEqual({
      text: 'Welcome to Demo Studio! What would you like to do?',
      buttons: [['📅 Book a visit'], ['🗂 My bookings'], ['🌐 Language']],
    });
    await u.press('Book a visit');
    expect(u.screen()).toEqual({
      text: 'Choose a location:',
      buttons: [['Berlin Mitte'], ['New York SoHo'], ['⬅️ Back', '🌐']],
    });
    await u.press('Berlin Mitte');
    expect(u.screen().buttons[1]).toEqual(["Men's haircut · 40 min · €35.00"]);
    await u.press("Men's haircut");
    await u.press('Continue');
    await u.press('Anna');
    // Anna works Tuesday to Saturday, 10:00 to 19:00.
    const day = nextWorkday(BERLIN, [2, 3, 4, 5, 6]);
    await u.press(dayText(day, 'en'));
    const start = day.set({ hour: 10 });
    expect(u.screen().buttons[0]).toEqual(['10:00 AM', '10:15 AM', '10:30 AM', '10:45 AM']);
    await u.press('10:00 AM');
    // 40 minutes on a 15-minute grid: the visit is booked, and shown, as 45 minutes.
    expect(u.screen().text).toBe(
      [
        'Please check your booking:',
        "Services: Men's haircut",
        'Master: Anna',
        `When: ${visitText(start, 45, 'en')}`,
        'Price: €35.00',
        'Free cancellation until 24 h before; later a fee of 50 % applies.',
      ].join('\n'),
    );
    await u.press('Confirm');
    expect(u.screen()).toEqual({
      text: `Booked! ${visitText(start, 45, 'en')} with Anna. See you!`,
      buttons: [['📆 Add to calendar'], ['📅 Book a visit'], ['⬅️ Back', '🌐']],
    });
    const [booking] = await bookingsOf(u);
    expect(booking!.start_at.getTime()).toBe(start.toMillis());
    expect(booking!.end_at.getTime() - booking!.start_at.getTime()).toBe(45 * 60_000);

    // The calendar file says the same.
    await u.press('Add to calendar');
    const file = h.stub.filesOf(h.token, u.id).at(-1)!;
    const props = parseIcs(file.text);
    const value = (name: string) => props.find((p) => p.name === name)!.value;
    expect(
      Date.parse(
        value('DTEND').replace(/(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/, '$1-$2-$3T$4:$5:$6Z'),
      ) - start.toMillis(),
    ).toBe(45 * 60_000);
    expect(value('DESCRIPTION')).toContain(`When: ${visitText(start, 45, 'en')}`);

    // One press on "Book a visit" starts a booking; Back leads to the menu.
    await u.press('Book a visit');
    expect(u.screen().text).toBe('Choose a location:');
    await u.press('Back');
    expect(u.screen().text).toBe('Welcome to Demo Studio! What would you like to do?');

    // My bookings: where, in the list (two locations) and in the detail (name and address).
    await u.press('My bookings');
    expect(u.screen().buttons[0]).toEqual([
      `${dayText(start, 'en')}, ${timeText(start, 'en')} · Men's haircut · Berlin Mitte`,
    ]);
    await u.press("Men's haircut");
    expect(u.screen().text.split('\n').slice(0, 5)).toEqual([
      visitText(start, 45, 'en'),
      "Men's haircut",
      'Master: Anna',
      'Price: €35.00',
      '📍 Berlin Mitte, Torstraße 1, 10119 Berlin',
    ]);
    expect(u.screen().text).not.toContain('🕒');

    // Cancelled: "Book a visit" under it starts a booking too.
    await u.press('Yes, cancel');
    expect(u.screen().text).toBe(`Your visit ${visitText(start, 45, 'en')} is cancelled.`);
    await u.press('Book a visit');
    expect(u.screen().text).toBe('Choose a location:');
  });

  it('Russian, both locations: names in Russian, times as Russians write them, the zone of a visit elsewhere named', async () => {
    const u = h.user(9102, 'ru');
    await u.send('/start');
    expect(u.screen()).toEqual({
      text: 'Добро пожаловать в Demo Studio! Что вы хотите сделать?',
      buttons: [['📅 Записаться'], ['🗂 Мои записи'], ['🌐 Язык']],
    });
    await u.press('Записаться');
    expect(u.screen()).toEqual({
      text: 'Выберите филиал:',
      buttons: [['Берлин, Митте'], ['Нью-Йорк, Сохо'], ['⬅️ Назад', '🌐']],
    });

    // Berlin, Jonas (90 % speed): 40 minutes become 36, on the 15-minute grid 45.
    await u.press('Берлин, Митте');
    await u.press('Мужская стрижка');
    await u.press('Далее');
    await u.press('Йонас');
    const berlinDay = nextWorkday(BERLIN, [1, 2, 3, 4, 5]);
    await u.press(dayText(berlinDay, 'ru'));
    const berlinStart = berlinDay.set({ hour: 9 });
    expect(u.screen().buttons[0]).toEqual(['9:00', '9:15', '9:30', '9:45']);
    await u.press('9:00');
    expect(u.screen().text.split('\n').slice(0, 4)).toEqual([
      'Проверьте запись:',
      'Услуги: Мужская стрижка',
      'Мастер: Йонас',
      `Когда: ${visitText(berlinStart, 45, 'ru')}`,
    ]);
    await u.press('Подтвердить');
    expect(u.screen().text).toBe(
      `Вы записаны! ${visitText(berlinStart, 45, 'ru')}, мастер Йонас. До встречи!`,
    );

    // New York, Sofia: a 45-minute manicure on a 30-minute grid is an hour; pay at the venue.
    await u.press('Записаться');
    await u.press('Нью-Йорк, Сохо');
    await u.press('Классический маникюр');
    await u.press('Далее');
    await u.press('София');
    const nyDay = nextWorkday(NEW_YORK, [1, 2, 3, 4, 5]);
    await u.press(dayText(nyDay, 'ru'));
    const nyStart = nyDay.set({ hour: 10 });
    await u.press('10:00');
    expect(u.screen().text).toContain(`Когда: ${visitText(nyStart, 60, 'ru')}`);
    await u.press('Подтвердить');
    expect(u.screen().text).toBe(
      `Вы записаны! ${visitText(nyStart, 60, 'ru')}, мастер София. Оплата 30,00\u00a0$ на месте.`,
    );

    // My bookings: each says where; the New York one names its zone (the client's other visit is in Berlin).
    await u.send('/start');
    await u.press('Мои записи');
    const list = u.screen().buttons.flat();
    expect(list).toEqual(
      expect.arrayContaining([
        `${dayText(berlinStart, 'ru')}, ${timeText(berlinStart, 'ru')} · Мужская стрижка · Берлин, Митте`,
        `${dayText(nyStart, 'ru')}, ${timeText(nyStart, 'ru')} · Классический маникюр · Нью-Йорк, Сохо`,
      ]),
    );
    await u.press('Классический маникюр');
    const zone = new Intl.DateTimeFormat('ru', { timeZone: NEW_YORK, timeZoneName: 'longGeneric' })
      .formatToParts(nyStart.toMillis())
      .find((p) => p.type === 'timeZoneName')!.value;
    expect(u.screen().text.split('\n')).toEqual(
      expect.arrayContaining([
        visitText(nyStart, 60, 'ru'),
        'Классический маникюр',
        'Мастер: София',
        '📍 Нью-Йорк, Сохо, 120 Prince St, New York, NY 10012',
        `🕒 Время указано по месту: Нью-Йорк, Сохо, ${zone}.`,
      ]),
    );
  });
});

import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { digestKey, seedDigests } from '../../tenants/jobs/handlers/digest-admin.ts';
import type { JobResult } from '../../tenants/jobs/types.ts';
import {
  createBookingWorld,
  localStart,
  silentLogger,
  ZONE,
  type BookingWorld,
} from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { addStaff, bookConfirmed, moveVisit } from '../support/job-world.ts';
import { migratedPostgres } from '../support/pg.ts';

/**
 * The daily digest end to end: bookings made and settled through the booking service, the digest
 * job seeded and run by the embedded runner on the platform clock, the summary sent by the tenant's
 * bot to the Telegram stand-in, and the next day's job left in the jobs table.
 */
const OWNER_EN = 9101;
const MANAGER_RU = 9102;
const MASTER = 9103;

/** The digest's date label, built with Intl directly (a date has no zone: read it as UTC). */
const dayLabel = (isoDate: string, lang: string) =>
  new Intl.DateTimeFormat(lang, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  }).format(Date.parse(isoDate));

describe('daily digest to owners and managers', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let business = '';
  /** Today in Europe/Berlin: the day the bookings below happen (and the cancellation is made). */
  let day = '';

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('digest'));
    w = await createBookingWorld(db, { masters: 5, clients: 6 });
    await addStaff(db, w.tenantId, [
      { role: 'owner', telegramUserId: OWNER_EN, language: 'en' },
      { role: 'manager', telegramUserId: MANAGER_RU, language: 'ru' },
      { role: 'master', telegramUserId: MASTER, language: 'en' },
    ]);
    business = (
      await asPlatform(db, (tx) =>
        tx.query<{ name: string }>('select name from tenants where id = $1', [w.tenantId]),
      )
    )[0]!.name;
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h.stop();
    await cleanup();
  });

  const digests = (chatId: number) =>
    h.stub
      .messages(h.token, chatId)
      .map((m) => m.text)
      .filter((t) => t.startsWith('📊'));
  const book = (
    masterIndex: number,
    clientIndex: number,
    services: (keyof BookingWorld['services'])[],
    start: number,
  ) =>
    bookConfirmed(h.services.booking, {
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: w.clientIds[clientIndex]!,
      serviceIds: services.map((s) => w.services[s]),
      start,
      masterId: w.masterIds[masterIndex]!,
    });
  const master = (i: number) => ({ kind: 'master' as const, id: w.masterIds[i]! });
  const digestJobs = () =>
    asPlatform(db, (tx) =>
      tx.query<{ key: string; run_at: Date; status: string }>(
        "select key, run_at, status from jobs where kind = 'digest_admin' order by run_at, key",
      ),
    );
  const deliverDigest = (date: string): Promise<JobResult> =>
    h.services.dispatcher.dispatch(
      {
        kind: 'digest_admin',
        key: digestKey(w.tenantId, date),
        payload: { tenantId: w.tenantId, date },
        tenantId: w.tenantId,
        attempt: 1,
        correlationId: `digest-${date}`,
      },
      silentLogger,
    );
  /** 07:00 local on the day after `date`, as a UTC instant. */
  const morningAfter = (date: string) =>
    DateTime.fromISO(date, { zone: ZONE }).plus({ days: 1 }).set({ hour: 7 }).toJSDate();

  it("sends each owner/manager one digest of the day's visits, cancellations, no-shows, revenue and load, in their language", async () => {
    day = DateTime.now().setZone(ZONE).toISODate()!;
    // Every visit of the day starts at its first minute (so it has begun whenever the test runs), one per master.
    const dayStart = DateTime.fromISO(day, { zone: ZONE }).toMillis();

    const cut = await book(0, 0, ['cut'], localStart(2, '10:00')); // 30 min, €30, completed
    const colourStyle = await book(1, 1, ['colour', 'style'], localStart(2, '10:00')); // 105 min, €105, completed
    const long = await book(2, 2, ['long'], localStart(2, '10:00')); // 90 min, €90, no-show
    const style = await book(3, 3, ['style'], localStart(2, '10:00')); // 45 min, €45, still confirmed
    const cancelled = await book(4, 4, ['colour'], localStart(3, '10:00'));
    expect(
      await h.services.booking.cancel(w.tenantId, cancelled.id, {
        kind: 'client',
        id: 'tg:1',
        clientId: cancelled.clientId,
      }),
    ).toMatchObject({ kind: 'cancelled' });
    // A move is no cancellation, and the moved visit is on another day.
    const moving = await book(4, 5, ['cut'], localStart(4, '10:00'));
    expect(
      await h.services.booking.reschedule(
        w.tenantId,
        moving.id,
        { start: localStart(4, '11:00') },
        { kind: 'client', id: 'tg:1', clientId: moving.clientId },
      ),
    ).toMatchObject({ kind: 'rescheduled' });
    // A completed visit the day before is not this day's revenue.
    const yesterday = await book(4, 5, ['long'], localStart(5, '10:00'));

    for (const b of [cut, colourStyle, long, style, cancelled]) await moveVisit(db, b.id, dayStart);
    await moveVisit(db, yesterday.id, dayStart - 86_400_000);
    expect(
      await h.services.booking.markOutcome(w.tenantId, cut.id, 'completed', master(0)),
    ).toMatchObject({ kind: 'changed' });
    expect(
      await h.services.booking.markOutcome(w.tenantId, colourStyle.id, 'completed', master(1)),
    ).toMatchObject({ kind: 'changed' });
    expect(
      await h.services.booking.markOutcome(w.tenantId, long.id, 'no_show', master(2)),
    ).toMatchObject({ kind: 'changed' });
    expect(
      await h.services.booking.markOutcome(w.tenantId, yesterday.id, 'completed', master(4)),
    ).toMatchObject({ kind: 'changed' });
    // The masters work 8 hours on this weekday: 5 × 480 = 2400 working minutes; booked 30 + 105 + 90 + 45 = 270 → 11 %.
    const weekday = DateTime.fromISO(day).weekday;
    await asPlatform(db, (tx) =>
      tx.query(
        "update working_hours set end_local = '08:00' where tenant_id = $1 and weekday = $2",
        [w.tenantId, weekday],
      ),
    );

    // Seeded at start-up, and again at the next start: one job, for today, at 07:00 tomorrow.
    await seedDigests(db, h.services.scheduler, h.now());
    await seedDigests(db, h.services.scheduler, h.now());
    expect(await digestJobs()).toEqual([
      { key: `digest_admin:${w.tenantId}:${day}`, run_at: morningAfter(day), status: 'pending' },
    ]);

    await h.runJobs();
    expect(digests(OWNER_EN)).toEqual([]);
    h.offsetMs = morningAfter(day).getTime() + 1_000 - Date.now();
    await h.runJobs();

    expect(digests(OWNER_EN)).toEqual([
      `📊 ${business}: ${dayLabel(day, 'en')}\nBookings: 4 · cancellations: 1 · no-shows: 1\nRevenue: €135.00\nLoad: 11 % of working hours`,
    ]);
    expect(digests(MANAGER_RU)).toEqual([
      `📊 ${business}: ${dayLabel(day, 'ru')}\nЗаписи: 4 · отмены: 1 · неявки: 1\nВыручка: 135,00\u00a0€\nЗагрузка: 11 % рабочего времени`,
    ]);
    expect(h.stub.messages(h.token, MASTER)).toEqual([]);
  });

  it('delivered again (the job row run again, or a redelivery) sends nothing new; the next day is scheduled once', async () => {
    const next = DateTime.fromISO(day).plus({ days: 1 }).toISODate()!;
    expect(await digestJobs()).toEqual([
      { key: `digest_admin:${w.tenantId}:${day}`, run_at: morningAfter(day), status: 'succeeded' },
      { key: `digest_admin:${w.tenantId}:${next}`, run_at: morningAfter(next), status: 'pending' },
    ]);
    await asPlatform(db, (tx) =>
      tx.query("update jobs set status = 'pending', run_at = $2 where key = $1", [
        digestKey(w.tenantId, day),
        new Date(h.now() - 1000),
      ]),
    );
    await h.runJobs();
    expect(await deliverDigest(day)).toEqual({ status: 'done', outcome: 'already_sent' });
    expect(digests(OWNER_EN)).toHaveLength(1);
    expect(digests(MANAGER_RU)).toHaveLength(1);
    expect((await digestJobs()).map((j) => j.key)).toEqual([
      `digest_admin:${w.tenantId}:${day}`,
      `digest_admin:${w.tenantId}:${next}`,
    ]);
  });

  it('the next digest is at 07:00 local across DST changes (Europe/Berlin, March and October 2026)', async () => {
    // Seeded on 28 March: the digest of the 28th goes out on the 29th, the first day of summer time.
    await seedDigests(db, h.services.scheduler, Date.parse('2026-03-28T12:00:00+01:00'));
    expect(
      (await digestJobs()).find((j) => j.key === digestKey(w.tenantId, '2026-03-28')),
    ).toMatchObject({ run_at: new Date('2026-03-29T05:00:00Z') });

    expect(await deliverDigest('2026-03-28')).toEqual({ status: 'done', outcome: 'sent:2' });
    expect(
      (await digestJobs()).find((j) => j.key === digestKey(w.tenantId, '2026-03-29')),
    ).toMatchObject({ run_at: new Date('2026-03-30T05:00:00Z'), status: 'pending' });
    expect(await deliverDigest('2026-10-24')).toEqual({ status: 'done', outcome: 'sent:2' });
    expect(
      (await digestJobs()).find((j) => j.key === digestKey(w.tenantId, '2026-10-25')),
    ).toMatchObject({ run_at: new Date('2026-10-26T06:00:00Z'), status: 'pending' });
  });

  it('a day without completed visits still shows revenue in the location currency', async () => {
    // The 28 March 2026 digest of the previous test: nothing happened that day.
    expect(digests(OWNER_EN).at(-2)).toBe(
      `📊 ${business}: ${dayLabel('2026-03-28', 'en')}\nBookings: 0 · cancellations: 0 · no-shows: 0\nRevenue: €0.00\nLoad: 0 % of working hours`,
    );
    expect(digests(MANAGER_RU).at(-2)).toBe(
      `📊 ${business}: ${dayLabel('2026-03-28', 'ru')}\nЗаписи: 0 · отмены: 0 · неявки: 0\nВыручка: 0,00\u00a0€\nЗагрузка: 0 % рабочего времени`,
    );
  });

  it('load is booked minutes over working minutes: breaks and time off are not working time', async () => {
    const date = DateTime.now().setZone(ZONE).plus({ days: 8 }).toISODate()!;
    const at = (hhmm: string) => localStart(8, hhmm);
    await book(0, 0, ['long'], at('09:00')); // 90
    await book(1, 1, ['colour'], at('10:00')); // 60
    await book(4, 2, ['style'], at('09:00')); // 45 → 195 booked minutes
    const weekday = DateTime.fromISO(date).weekday;
    await asPlatform(db, async (tx) => {
      await tx.query(
        "update working_hours set start_local = '09:00', end_local = '17:00' where tenant_id = $1 and weekday = $2",
        [w.tenantId, weekday],
      );
      const breakAt = (m: number) =>
        tx.query(
          "insert into breaks (tenant_id, master_id, weekday, start_local, end_local) values ($1, $2, $3, '12:00', '13:00')",
          [w.tenantId, w.masterIds[m], weekday],
        );
      const offBetween = (m: number, from: string, to: string) =>
        tx.query(
          'insert into time_off (tenant_id, master_id, all_day, starts_at, ends_at) values ($1, $2, false, $3, $4)',
          [w.tenantId, w.masterIds[m], new Date(at(from)), new Date(at(to))],
        );
      await breakAt(1); // 480 − 60
      await offBetween(2, '09:00', '13:00'); // 480 − 240
      await tx.query(
        'insert into time_off (tenant_id, master_id, all_day, first_day, last_day) values ($1, $2, true, $3, $3)',
        [w.tenantId, w.masterIds[3], date],
      ); // 0
      await breakAt(4);
      await offBetween(4, '12:30', '14:00'); // 480 − 120 (12:00–14:00 together)
    });
    // Working: 480 + 420 + 240 + 0 + 360 = 1500 minutes; 195 / 1500 = 13 %.
    expect(await deliverDigest(date)).toEqual({ status: 'done', outcome: 'sent:2' });
    expect(digests(OWNER_EN).at(-1)).toBe(
      `📊 ${business}: ${dayLabel(date, 'en')}\nBookings: 3 · cancellations: 0 · no-shows: 0\nRevenue: €0.00\nLoad: 13 % of working hours`,
    );
  });
});

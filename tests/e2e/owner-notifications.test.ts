import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { notifyOwnersKey } from '../../tenants/notify/owner-notifier.ts';
import {
  createBookingWorld,
  localStart,
  silentLogger,
  type BookingWorld,
} from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { addStaff, bookConfirmed, localWhen, moveVisit } from '../support/job-world.ts';
import { migratedPostgres } from '../support/pg.ts';

/**
 * Owner notices end to end: real booking service effects -> owner_notifications -> notify_owners
 * job in the embedded runner (polled by hand on the platform clock) -> the tenant's bot -> the
 * Telegram stand-in. A burst within one window is one summary per owner/manager, in their language.
 */
const WINDOW = 10 * 60_000;
const OWNER_EN = 9001;
const MANAGER_RU = 9002;
const MASTER = 9003;
const FORMER_MANAGER = 9004;

describe('owner notifications, throttled into one summary per window', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let business = '';

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('owner_notify'));
    w = await createBookingWorld(db, { masters: 3, clients: 5 });
    await addStaff(db, w.tenantId, [
      { role: 'owner', telegramUserId: OWNER_EN, language: 'en' },
      { role: 'manager', telegramUserId: MANAGER_RU, language: 'ru' },
      { role: 'master', telegramUserId: MASTER, language: 'en' },
      { role: 'manager', telegramUserId: FORMER_MANAGER, language: 'en', active: false },
    ]);
    business = (
      await asPlatform(db, (tx) =>
        tx.query<{ name: string }>('select name from tenants where id = $1', [w.tenantId]),
      )
    )[0]!.name;
    h = new BotHarness(db, { notifyWindowMs: WINDOW });
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h.stop();
    await cleanup();
  });

  const chat = (id: number) => h.stub.messages(h.token, id).map((m) => m.text);
  /** Puts the platform clock one second into the next window; returns that window's number. */
  const startOfNextWindow = () => {
    const now = h.now();
    const bucket = Math.floor(now / WINDOW) + 1;
    h.offsetMs += bucket * WINDOW + 1_000 - now;
    return bucket;
  };
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
  const notifyJobs = () =>
    asPlatform(db, (tx) =>
      tx.query<{ key: string; run_at: Date; status: string }>(
        "select key, run_at, status from jobs where kind = 'notify_owners' order by run_at",
      ),
    );

  it('a burst (bookings, a cancellation, a no-show) is one summary per owner/manager at the end of the window, in their language', async () => {
    const bucket = startOfNextWindow();
    const first = await book(0, 0, ['cut'], localStart(3, '10:00'));
    const second = await book(1, 1, ['colour', 'style'], localStart(3, '11:30'));
    const third = await book(2, 2, ['long'], localStart(4, '09:15'));
    // The client cancels a confirmed booking within the free period.
    expect(
      await h.services.booking.cancel(w.tenantId, third.id, {
        kind: 'client',
        id: 'tg:1',
        clientId: third.clientId,
      }),
    ).toMatchObject({ kind: 'cancelled' });
    // A visit that then takes place without the client: its master marks the no-show after the start.
    const fourth = await book(0, 3, ['cut'], localStart(5, '10:00'));
    const pastStart = Math.floor((Date.now() - 60_000) / 900_000) * 900_000;
    await moveVisit(db, fourth.id, pastStart);
    expect(
      await h.services.booking.markOutcome(w.tenantId, fourth.id, 'no_show', {
        kind: 'master',
        id: w.masterIds[0]!,
      }),
    ).toMatchObject({ kind: 'changed' });

    // The window is still open: one flush job waits for its end, and nobody has heard anything.
    expect(await notifyJobs()).toEqual([
      {
        key: notifyOwnersKey(w.tenantId, bucket),
        run_at: new Date((bucket + 1) * WINDOW),
        status: 'pending',
      },
    ]);
    await h.runJobs();
    for (const id of [OWNER_EN, MANAGER_RU, MASTER, FORMER_MANAGER]) expect(chat(id)).toEqual([]);

    h.offsetMs += WINDOW;
    await h.runJobs();
    expect(chat(OWNER_EN)).toEqual([
      [
        `📋 6 updates at ${business}:`,
        `🆕 booked: ${localWhen(first.start, 'en')} · Master 1 · cut`,
        `🆕 booked: ${localWhen(second.start, 'en')} · Master 2 · colour, style`,
        `🆕 booked: ${localWhen(third.start, 'en')} · Master 3 · long`,
        `❌ cancelled: ${localWhen(third.start, 'en')} · Master 3 · long`,
        `🆕 booked: ${localWhen(pastStart, 'en')} · Master 1 · cut`,
        `🚫 no-show: ${localWhen(pastStart, 'en')} · Master 1 · Client 3`,
      ].join('\n'),
    ]);
    expect(chat(MANAGER_RU)).toEqual([
      [
        `📋 6 событий в «${business}»:`,
        `🆕 запись: ${localWhen(first.start, 'ru')} · Master 1 · cut`,
        `🆕 запись: ${localWhen(second.start, 'ru')} · Master 2 · colour, style`,
        `🆕 запись: ${localWhen(third.start, 'ru')} · Master 3 · long`,
        `❌ отмена: ${localWhen(third.start, 'ru')} · Master 3 · long`,
        `🆕 запись: ${localWhen(pastStart, 'ru')} · Master 1 · cut`,
        `🚫 неявка: ${localWhen(pastStart, 'ru')} · Master 1 · Client 3`,
      ].join('\n'),
    ]);
    // Local wall-clock time of Europe/Berlin, not UTC or the host's zone.
    expect(chat(OWNER_EN)[0]).toContain('10:00 AM · Master 1 · cut');
    expect(chat(OWNER_EN)[0]).toContain('11:30 AM · Master 2');
    expect(chat(MANAGER_RU)[0]).toContain(', 9:15 · Master 3');
    // A master and a deactivated manager are not told.
    expect(chat(MASTER)).toEqual([]);
    expect(chat(FORMER_MANAGER)).toEqual([]);
    const unsent = await asPlatform(db, (tx) =>
      tx.query<{ n: number }>(
        'select count(*)::int as n from owner_notifications where tenant_id = $1 and sent_at is null',
        [w.tenantId],
      ),
    );
    expect(unsent[0]!.n).toBe(0);
  });

  it('the flush delivered again (in-process redelivery, or the job row run again) sends nothing new', async () => {
    const [job] = await notifyJobs();
    expect(job!.status).toBe('succeeded');
    const again = await h.services.dispatcher.dispatch(
      {
        kind: 'notify_owners',
        key: job!.key,
        payload: { tenantId: w.tenantId },
        tenantId: w.tenantId,
        attempt: 2,
        correlationId: 'redelivery-0001',
      },
      silentLogger,
    );
    expect(again).toEqual({ status: 'done', outcome: 'nothing_new' });
    await asPlatform(db, (tx) =>
      tx.query("update jobs set status = 'pending', run_at = $2 where key = $1", [
        job!.key,
        new Date(h.now() - 1000),
      ]),
    );
    expect(await h.runJobs()).toBeGreaterThanOrEqual(1);
    expect(
      await asPlatform(db, (tx) =>
        tx.query<{ status: string }>('select status from jobs where key = $1', [job!.key]),
      ),
    ).toEqual([{ status: 'succeeded' }]);
    expect(chat(OWNER_EN)).toHaveLength(1);
    expect(chat(MANAGER_RU)).toHaveLength(1);
  });

  it('an event in a later window is a second summary, sent when that window ends', async () => {
    const bucket = Math.floor(h.now() / WINDOW);
    const fifth = await book(1, 4, ['style'], localStart(6, '14:45'));
    await h.runJobs();
    expect(chat(OWNER_EN)).toHaveLength(1);
    expect((await notifyJobs()).at(-1)).toEqual({
      key: notifyOwnersKey(w.tenantId, bucket),
      run_at: new Date((bucket + 1) * WINDOW),
      status: 'pending',
    });

    h.offsetMs += WINDOW;
    await h.runJobs();
    expect(chat(OWNER_EN)).toEqual([
      expect.any(String),
      `📋 1 update at ${business}:\n🆕 booked: ${localWhen(fifth.start, 'en')} · Master 2 · style`,
    ]);
    expect(chat(MANAGER_RU)).toEqual([
      expect.any(String),
      `📋 1 событие в «${business}»:\n🆕 запись: ${localWhen(fifth.start, 'ru')} · Master 2 · style`,
    ]);
    expect(chat(OWNER_EN)[1]).toContain('2:45 PM');
    expect(chat(MASTER)).toEqual([]);
    expect((await notifyJobs()).map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('three simultaneous deliveries of a flush (QStash delivers at least once) send one summary', async () => {
    const bucket = Math.floor(h.now() / WINDOW);
    const sixth = await book(2, 0, ['cut'], localStart(7, '16:00'));
    h.offsetMs += WINDOW;
    const delivery = {
      kind: 'notify_owners' as const,
      key: notifyOwnersKey(w.tenantId, bucket),
      payload: { tenantId: w.tenantId },
      tenantId: w.tenantId,
      attempt: 1,
      correlationId: 'simultaneous-0001',
    };
    const results = await Promise.all(
      [1, 2, 3].map(() => h.services.dispatcher.dispatch(delivery, silentLogger)),
    );
    expect(results.map((r) => (r.status === 'done' ? r.outcome : r.reason)).sort()).toEqual([
      'nothing_new',
      'nothing_new',
      'sent:1x2',
    ]);
    expect(chat(OWNER_EN)).toHaveLength(3);
    expect(chat(OWNER_EN)[2]).toBe(
      `📋 1 update at ${business}:\n🆕 booked: ${localWhen(sixth.start, 'en')} · Master 3 · cut`,
    );
    expect(chat(MANAGER_RU)).toHaveLength(3);
  });
});

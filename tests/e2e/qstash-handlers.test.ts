import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { bootstrap, type Platform } from '../../edge/runtime/bootstrap.ts';
import { registerBot } from '../../tenants/bots/onboarding.ts';
import { holdExpireKey, reminderKey } from '../../tenants/jobs/booking-jobs.ts';
import { deduplicationId } from '../../tenants/jobs/qstash-scheduler.ts';
import { createLogger, jsonLineWriter } from '../../tenants/observability/logger.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { createBookingWorld, localStart, type BookingWorld } from '../support/booking-world.ts';
import { localWhen } from '../support/job-world.ts';
import { migratedPostgres } from '../support/pg.ts';
import { QstashStub, type StubMessage } from '../support/qstash-stub.ts';
import { TelegramStub } from '../support/telegram-stub.ts';

/**
 * SCHEDULER=qstash end to end with the real job handlers: the platform is started the way the Node
 * entry starts it (bootstrap from environment variables), publishes through the real
 * `@upstash/qstash` Client to the QStash stand-in, which delivers signed callbacks over HTTP to the
 * app (behind a "proxy": PUBLIC_URL is not where it listens); the real Receiver checks them and the
 * real handlers send through the tenant's bot to the Telegram stand-in.
 */
const PUBLIC_URL = 'https://slotbot.example.test';
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
const BOT_TOKEN = `7${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}:AAE${'q'.repeat(32)}`;
/** The first client of createBookingWorld. */
const CLIENT_CHAT = 100_000;

describe('QStash with the real handlers: booking effects -> QStash -> POST /jobs/:kind -> Telegram', () => {
  let db: Database;
  let url = '';
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let platform: Platform;
  let server: ServerType;
  let appUrl = '';
  const telegram = new TelegramStub();
  const qstash = new QstashStub({
    route: (destination) => destination.replace(PUBLIC_URL, appUrl),
  });
  let bookingId = '';
  let start = 0;
  let holdExpiresAt = 0;

  beforeAll(async () => {
    ({ db, url, cleanup } = await migratedPostgres('qstash_handlers'));
    w = await createBookingWorld(db, { masters: 1, clients: 1 });
    await Promise.all([telegram.start(), qstash.start()]);
    telegram.addBot(BOT_TOKEN, 'studio_qstash_bot');
    platform = await bootstrap(
      {
        DATABASE_URL: url,
        PUBLIC_URL,
        ENCRYPTION_KEY,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        SCHEDULER: 'qstash',
        QSTASH_TOKEN: qstash.token,
        QSTASH_CURRENT_SIGNING_KEY: qstash.currentSigningKey,
        QSTASH_NEXT_SIGNING_KEY: qstash.nextSigningKey,
        QSTASH_URL: qstash.url,
        LOG_LEVEL: 'warn',
      },
      () => createLogger({ level: 'warn', writer: jsonLineWriter(() => {}) }),
    );
    expect(platform.runner).toBeUndefined();
    await new Promise<void>((resolve) => {
      server = serve({ fetch: platform.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(),
      );
    });
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await registerBot(
      {
        db,
        secrets: await createSecretBox(platform.config.encryptionKey),
        apiRoot: telegram.apiRoot,
        publicUrl: PUBLIC_URL,
      },
      { tenantId: w.tenantId, token: BOT_TOKEN },
    );
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await platform?.shutdown();
    await Promise.all([telegram.stop(), qstash.stop()]);
    await cleanup();
  });

  const reminders = () => telegram.messages(BOT_TOKEN, CLIENT_CHAT).map((m) => m.text);
  const messageFor = async (key: string): Promise<StubMessage> => {
    const id = await deduplicationId(key);
    const found = qstash.messages.find((m) => m.deduplicationId === id);
    if (!found)
      throw new Error(
        `no QStash message for ${key}; published: ${qstash.publishes.map((p) => p.body).join('\n')}`,
      );
    return found;
  };
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const expectedReminder = () =>
    `⏰ Reminder: cut with Master 1, ${localWhen(start, 'en')}.\n📍 Studio`;

  it("booking and confirming publish the hold's expiry and the reminders through the real Client", async () => {
    start = localStart(3, '10:00');
    const actor = { kind: 'client' as const, id: `tg:${CLIENT_CHAT}`, clientId: w.clientIds[0]! };
    const booked = await platform.services.booking.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: w.clientIds[0]!,
      serviceIds: [w.services.cut],
      start,
      masterId: w.masterIds[0]!,
      actor,
    });
    if (booked.kind !== 'booked') throw new Error(`setup: ${JSON.stringify(booked)}`);
    bookingId = booked.booking.id;
    holdExpiresAt = booked.booking.holdExpiresAt!;
    expect(await platform.services.booking.confirm(w.tenantId, bookingId, actor)).toMatchObject({
      kind: 'changed',
      booking: { status: 'confirmed' },
    });

    const hold = await messageFor(holdExpireKey(bookingId));
    expect(hold).toMatchObject({
      destination: `${PUBLIC_URL}/jobs/hold_expire`,
      notBefore: Math.ceil(holdExpiresAt / 1000),
      retries: 3,
      state: 'pending',
    });
    expect(JSON.parse(hold.body)).toMatchObject({
      key: holdExpireKey(bookingId),
      payload: { bookingId },
      tenantId: w.tenantId,
    });

    const day = await messageFor(reminderKey(bookingId, 1440));
    expect(day).toMatchObject({
      destination: `${PUBLIC_URL}/jobs/reminder_send`,
      notBefore: (start - 86_400_000) / 1000,
      retries: 3,
      state: 'pending',
    });
    expect(day.deduplicationId).toMatch(/^reminder_[0-9a-f-]+_1440-[0-9a-f]{32}$/);
    expect(JSON.parse(day.body)).toMatchObject({
      key: reminderKey(bookingId, 1440),
      payload: { bookingId, leadMinutes: 1440, startAt: start },
      tenantId: w.tenantId,
    });
    const threeHours = await messageFor(reminderKey(bookingId, 180));
    expect(threeHours).toMatchObject({
      destination: `${PUBLIC_URL}/jobs/reminder_send`,
      notBefore: (start - 3 * 3_600_000) / 1000,
    });
    // Each publish went to QStash with the token and was accepted.
    for (const m of [hold, day, threeHours])
      expect(qstash.publishes.find((p) => p.messageId === m.messageId)).toMatchObject({
        status: 201,
        headers: { authorization: `Bearer ${qstash.token}` },
      });
    expect(reminders()).toEqual([]);
  });

  it('a forged signature is refused with 401 and sends nothing', async () => {
    const day = await messageFor(reminderKey(bookingId, 1440));
    const forged = await qstash.send(day.destination, day.body, {
      key: 'forged',
      messageId: day.messageId,
    });
    expect(forged.status).toBe(401);
    const unsigned = await qstash.send(day.destination, day.body, { unsigned: true });
    expect(unsigned.status).toBe(401);
    expect(reminders()).toEqual([]);
    expect(
      await asPlatform(db, (tx) =>
        tx.query('select key from job_effects where key = $1', [reminderKey(bookingId, 1440)]),
      ),
    ).toEqual([]);
  });

  it("nothing is delivered before its time; at start − 24 h the client gets one reminder in the location's local time", async () => {
    const early = await qstash.deliverDue((start - 86_400_000) / 1000 - 60, {
      nowSeconds: nowSeconds(),
    });
    expect(early.filter((d) => d.destination.endsWith('/jobs/reminder_send'))).toEqual([]);
    expect(reminders()).toEqual([]);

    const due = await qstash.deliverDue((start - 86_400_000) / 1000, { nowSeconds: nowSeconds() });
    const delivered = due.filter((d) => d.destination === `${PUBLIC_URL}/jobs/reminder_send`);
    expect(delivered.map((d) => [d.status, JSON.parse(d.responseBody) as unknown])).toEqual([
      [200, { status: 'done', outcome: 'sent:sent' }],
    ]);
    // Every other job delivered so far (hold expiry, owner notices, digest) was answered 2xx too.
    expect([...early, ...due].filter((d) => d.status !== 200)).toEqual([]);
    expect(reminders()).toEqual([expectedReminder()]);
    expect(reminders()[0]).toContain('10:00 AM');
    // The hold's expiry came for a confirmed booking: left alone, still confirmed.
    expect(
      JSON.parse(
        [...early, ...due].find((d) => d.destination.endsWith('/jobs/hold_expire'))!.responseBody,
      ),
    ).toEqual({ status: 'done', outcome: 'left_alone:confirmed' });
    expect(
      await asPlatform(db, (tx) =>
        tx.query<{ status: string }>('select status from bookings where id = $1', [bookingId]),
      ),
    ).toEqual([{ status: 'confirmed' }]);
  });

  it('the same message delivered three more times, also at once, is still one reminder', async () => {
    const day = await messageFor(reminderKey(bookingId, 1440));
    expect(day.state).toBe('delivered');
    const again = await qstash.deliver(day);
    const concurrent = await Promise.all(
      [1, 2, 3].map((retried) =>
        qstash.send(day.destination, day.body, { messageId: day.messageId, retried }),
      ),
    );
    for (const d of [again, ...concurrent]) {
      expect(d.status).toBe(200);
      expect(JSON.parse(d.responseBody)).toEqual({ status: 'done', outcome: 'already_sent' });
    }
    expect(reminders()).toEqual([expectedReminder()]);
    expect(
      await asPlatform(db, (tx) =>
        tx.query<{ n: number }>('select count(*)::int as n from job_effects where key = $1', [
          reminderKey(bookingId, 1440),
        ]),
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('the three-hour reminder is its own message, delivered at its own time', async () => {
    await qstash.deliverDue((start - 3 * 3_600_000) / 1000, { nowSeconds: nowSeconds() });
    expect(reminders()).toEqual([expectedReminder(), expectedReminder()]);
  });
});

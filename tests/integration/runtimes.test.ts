import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator } from '../../db/migrations.ts';
import { loadMigrations } from '../../db/node/migration-files.ts';
import { openPostgres } from '../../db/postgres.ts';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { registerBot } from '../../tenants/bots/onboarding.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { createBookingWorld, ZONE, dayLabel } from '../support/booking-world.ts';
import { AdminClient, linkIn } from '../support/admin-client.ts';
import { ChatUser, postUpdate, webhookEndpoint } from '../support/chat-user.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import {
  serveDeno,
  serveNode,
  serveSupabaseFunction,
  serveWorker,
  serveWorkerBehindHyperdrive,
  type Served,
} from '../support/runtimes.ts';
import { TelegramStub } from '../support/telegram-stub.ts';

/**
 * The same app served by each runtime entry (Node, Deno, the Worker on workerd, directly and
 * through its Hyperdrive binding, and the Supabase function under Deno) against a real
 * PostgreSQL and the Telegram stand-in: health, a whole client booking over the webhook, and the
 * webhook's refusals. One database, one stand-in and one process per runtime for the file; each
 * runtime serves its own tenant and bot.
 */
const KEY = new Uint8Array(32).fill(3);
const KEY_B64 = Buffer.from(KEY).toString('base64');
/** A webhook or health answer later than this is a hang. */
const ANSWER_MS = 15_000;

let tdb: TestDatabase;
let db: Database;
const stub = new TelegramStub();
const runtimes = new Map<string, Promise<Served>>();

/** What every runtime gets; PUBLIC_URL is where it listens (setWebhook points there). */
const baseEnv = (publicUrl: string) => ({
  DATABASE_URL: tdb.url,
  ENCRYPTION_KEY: KEY_B64,
  PUBLIC_URL: publicUrl,
  TELEGRAM_API_ROOT: stub.apiRoot,
  SCHEDULER: 'local',
  LOG_LEVEL: 'info',
});

beforeAll(async () => {
  tdb = await createTestDatabase('runtimes');
  db = openPostgres(tdb.url, { max: 2 });
  await createMigrator(db, await loadMigrations()).up();
  await stub.start();
  // Started side by side; each runtime's tests wait for their own and fail alone if it cannot start.
  // SCHEDULER=local: the Worker only writes jobs (its cron is tests/integration/worker-cron.test.ts); the Node and Deno runners may run them.
  for (const [name, serve] of [
    ['Node', serveNode],
    ['Deno', serveDeno],
    ['workerd', serveWorker],
    ['workerd + Hyperdrive', serveWorkerBehindHyperdrive(tdb.url)],
    ['Supabase', serveSupabaseFunction],
  ] as const) {
    const served = serve(baseEnv);
    served.catch(() => {});
    runtimes.set(name, served);
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(
    [...runtimes.values()].map((served) =>
      served.then(
        (s) => s.stop(),
        () => {},
      ),
    ),
  );
  await stub.stop();
  await db.close();
  await tdb.drop();
}, 60_000);

describe.each([
  ['Node', 'edge/runtime/node.ts'],
  ['Deno', 'edge/runtime/deno.ts'],
  ['workerd', 'edge/runtime/worker.ts, wrangler dev'],
  ['workerd + Hyperdrive', 'the [[hyperdrive]] binding of wrangler.toml, DATABASE_URL unreachable'],
  ['Supabase', 'supabase/functions/slotbot under Deno, at /slotbot'],
])('%s (%s) against PostgreSQL', (name) => {
  let served: Served;
  let bot: { tenantId: string; masterIds: string[]; botId: string; token: string };
  const telegramUserId =
    700_000 + ['Node', 'Deno', 'workerd', 'workerd + Hyperdrive', 'Supabase'].indexOf(name);

  beforeAll(async () => {
    served = await runtimes.get(name)!;
    // Bots are registered once every server has started: a start in webhook mode points the
    // webhooks of the bots it finds at its own PUBLIC_URL, and each runtime here has its own.
    await Promise.allSettled(runtimes.values());
    const world = await createBookingWorld(db, { masters: 2, clients: 0 });
    const token = `${8_000_000 + Math.floor(Math.random() * 1_000_000)}:AAE${'r'.repeat(32)}`;
    stub.addBot(token, `${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_test_bot`);
    // Onboarding as `npm run bot:register` does it, with the key the server got: setWebhook points at the runtime.
    const { botId } = await registerBot(
      { db, secrets: await createSecretBox(KEY), apiRoot: stub.apiRoot, publicUrl: served.baseUrl },
      { tenantId: world.tenantId, token },
    );
    bot = { tenantId: world.tenantId, masterIds: world.masterIds, botId, token };
  }, 150_000);

  it('serves /healthz', async () => {
    const res = await fetch(`${served.baseUrl}/healthz`, {
      signal: AbortSignal.timeout(ANSWER_MS),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      database: { kind: 'postgres', ok: true, migrations: { up_to_date: true } },
    });
  });

  it('takes a whole client booking over the webhook: /start, service, master, day, time, Confirm', async () => {
    const hook = stub.webhooks.get(bot.token)!;
    expect(hook.url).toBe(`${served.baseUrl}/tg/${bot.botId}`);
    const ann = new ChatUser(
      webhookEndpoint(stub, bot.token, ANSWER_MS),
      telegramUserId,
      'en',
      'Ann',
    );
    const statuses: number[] = [];
    const step = async (delivered: Promise<number>) => void statuses.push(await delivered);

    await step(ann.send('/start'));
    expect(ann.screen().text).toContain('Welcome to');
    await step(ann.press('Book'));
    await step(ann.press(/^cut/));
    expect(ann.screen().text).toContain('1 service · 30 min · €30.00');
    await step(ann.press('Continue'));
    await step(ann.press('Master 2'));
    await step(ann.press(dayLabel(2)));
    await step(ann.press('Later'));
    await step(ann.press('10:00 AM'));
    const summary = ann.screen().text;
    expect(summary).toContain('Please check your booking');
    expect(summary).toContain('Master: Master 2');
    await step(ann.press('Confirm'));
    expect(statuses).toEqual(Array(statuses.length).fill(200));
    expect(ann.messages().map((m) => m.text)).toEqual(
      expect.arrayContaining([expect.stringContaining('Booked!')]),
    );

    const rows = await asPlatform(db, (tx) =>
      tx.query<{
        status: string;
        start_at: Date;
        master_id: string;
        total: number;
        currency: string;
      }>(
        `select b.status, b.start_at, b.master_id, b.total_minor::int as total, b.currency
         from bookings b join clients c on c.id = b.client_id where b.tenant_id = $1 and c.telegram_user_id = $2`,
        [bot.tenantId, telegramUserId],
      ),
    );
    const start = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 2 }).set({ hour: 10 });
    expect(rows).toEqual([
      {
        status: 'confirmed',
        start_at: start.toJSDate(),
        master_id: bot.masterIds[1],
        total: 3000,
        currency: 'EUR',
      },
    ]);
    // Every update was claimed once and is recorded for this bot.
    const [updates] = await asPlatform(db, (tx) =>
      tx.query<{ n: number }>('select count(*)::int as n from telegram_updates where bot_id = $1', [
        bot.botId,
      ]),
    );
    expect(updates!.n).toBe(statuses.length);
  });

  it('answers a button press in the webhook response itself: 200, application/json, answerCallbackQuery', async () => {
    const hook = stub.webhooks.get(bot.token)!;
    const bo = new ChatUser(
      webhookEndpoint(stub, bot.token, ANSWER_MS),
      telegramUserId + 100,
      'en',
      'Bo',
    );
    expect(await bo.send('/start')).toBe(200);
    const press = bo.pressUpdate('Book') as { callback_query: { id: string } };
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': hook.secret,
      },
      body: JSON.stringify(press),
      signal: AbortSignal.timeout(ANSWER_MS),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      method: 'answerCallbackQuery',
      callback_query_id: press.callback_query.id,
    });
    expect(bo.screen().text).toContain('Choose one or more services');
  });

  // Supabase Edge Functions answer GET requests for text/html as text/plain: the admin web is served
  // by the other runtimes (README "Deployment").
  it.skipIf(name === 'Supabase')(
    'signs a staff member in to the admin web: /admin in the bot, the link, the home page as the tenant',
    async () => {
      const ownerId = telegramUserId + 50;
      await asPlatform(db, (tx) =>
        tx.query(
          "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', $2)",
          [bot.tenantId, ownerId],
        ),
      );
      const olga = new ChatUser(webhookEndpoint(stub, bot.token, ANSWER_MS), ownerId, 'en', 'Olga');
      expect(await olga.send('/admin')).toBe(200);
      const browser = new AdminClient(served.baseUrl);
      const signedIn = await browser.signInWithLink(linkIn(olga.messages().at(-1)!.text));
      expect(signedIn.status).toBe(303);
      const home = await browser.get('/admin');
      expect(home.status).toBe(200);
      expect(home.html).toContain('Hello, Olga');
      expect(home.response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect((await new AdminClient(served.baseUrl).get('/admin')).status).toBe(401);
    },
  );

  it('answers a wrong secret with 401 (nothing recorded) and an unknown bot with 404', async () => {
    const hook = stub.webhooks.get(bot.token)!;
    const update = new ChatUser(
      webhookEndpoint(stub, bot.token),
      telegramUserId,
      'en',
      'Ann',
    ).messageUpdate('/start');
    expect(
      await postUpdate(hook.url, `${hook.secret.slice(0, -1)}x`, update, { timeoutMs: ANSWER_MS }),
    ).toBe(401);
    expect(await postUpdate(hook.url, '', update, { timeoutMs: ANSWER_MS })).toBe(401);
    const recorded = await asPlatform(db, (tx) =>
      tx.query('select 1 from telegram_updates where bot_id = $1 and update_id = $2', [
        bot.botId,
        update.update_id,
      ]),
    );
    expect(recorded).toEqual([]);
    expect(
      await postUpdate(`${served.baseUrl}/tg/${crypto.randomUUID()}`, hook.secret, update, {
        timeoutMs: ANSWER_MS,
      }),
    ).toBe(404);
  });
});

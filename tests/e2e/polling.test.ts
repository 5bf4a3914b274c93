import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import { dayLabel } from '../support/booking-world.ts';
import { ChatUser, pollingEndpoint, webhookEndpoint } from '../support/chat-user.ts';
import { freePort, startServer, type Running } from '../support/process.ts';
import { servedBot, type ServedBot } from '../support/served-bot.ts';

/**
 * TELEGRAM_MODE=polling with a real server process, PostgreSQL and the Telegram stand-in: the
 * webhook is removed, updates are fetched with getUpdates and go through the webhook's handling,
 * offsets advance only past updates handled, a restart (SIGTERM, SIGKILL mid-flight) handles
 * nothing twice and loses nothing, a second poller gets 409 without breaking the first, and a
 * start in webhook mode sets the webhook again.
 */
const LEASE_SECONDS = 3;
/** Long enough for a redelivery after a SIGKILL: the dead process's leases run out first. */
const CONFIRM_MS = 30_000;

describe('TELEGRAM_MODE=polling, a real server process', () => {
  let served: ServedBot;
  let server: Running | undefined;
  let other: Running | undefined;

  beforeAll(async () => {
    served = await servedBot('polling', { masters: 2 });
  });
  afterAll(async () => {
    await other?.kill('SIGKILL');
    await server?.kill('SIGKILL');
    await served.cleanup();
  });

  const start = (mode: 'polling' | 'webhook', extra: Record<string, string> = {}) =>
    startServer(
      served.serverEnv({
        TELEGRAM_MODE: mode,
        UPDATE_LEASE_SECONDS: String(LEASE_SECONDS),
        ...extra,
      }),
    );
  const user = (id: number, name: string) =>
    new ChatUser(pollingEndpoint(served.stub, served.token, CONFIRM_MS), id, 'en', name);

  async function until(
    what: string,
    check: () => boolean | Promise<boolean>,
    ms = 20_000,
  ): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting until ${what}\n${server?.output() ?? ''}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The claims of these updates in telegram_updates: state and how often each was claimed. */
  const claimsOf = (ids: number[]) =>
    asPlatform(served.db, (tx) =>
      tx.query<{ update_id: string; state: string; claims: number }>(
        'select update_id::text, state, claims from telegram_updates where bot_id = $1 and update_id = any($2::bigint[]) order by update_id',
        [served.botId, ids],
      ),
    );
  const bookingsOf = (telegramUserId: number) =>
    asPlatform(served.db, (tx) =>
      tx.query<{ status: string }>(
        'select b.status from bookings b join clients c on c.id = b.client_id where b.tenant_id = $1 and c.telegram_user_id = $2',
        [served.world.tenantId, telegramUserId],
      ),
    );

  /** From /start to the summary of a booking with `master` on day `day` at `time`. */
  async function toSummary(u: ChatUser, master: string, day: number, time: string): Promise<void> {
    expect(await u.send('/start')).toBe(200);
    expect(u.screen().text).toContain('Welcome to');
    for (const label of ['Book', /^cut/, 'Continue', master, dayLabel(day), 'Later', time] as const)
      expect(await u.press(label)).toBe(200);
    expect(u.screen().text).toContain('Please check your booking');
  }

  it('removes the webhook and takes a whole booking over getUpdates: fetched, answered, offsets advanced', async () => {
    expect(served.stub.webhooks.get(served.token)?.url).toBe(
      `http://127.0.0.1:${served.port}/tg/${served.botId}`,
    );
    server = await start('polling');
    await until('the bot is polled', () => served.stub.isPolling(served.token));
    expect(served.stub.webhooks.has(served.token)).toBe(false);
    const deletes = served.stub.callsOf('deleteWebhook').filter((c) => c.token === served.token);
    expect(deletes).toHaveLength(1);
    // The updates Telegram holds are customers' messages: removing the webhook keeps them.
    expect(deletes[0]!.params.drop_pending_updates ?? false).toBe(false);

    const ann = user(820_001, 'Ann');
    const sentBefore = served.stub.fetchesOf(served.token).length;
    await toSummary(ann, 'Master 2', 2, '10:00 AM');
    expect(await ann.press('Confirm')).toBe(200);
    expect(ann.screen().text).toContain('Booked!');
    expect(await bookingsOf(820_001)).toEqual([{ status: 'confirmed' }]);

    // Each update fetched once, in order, and confirmed by the next call's offset.
    const fetches = served.stub
      .fetchesOf(served.token)
      .slice(sentBefore)
      .filter((f) => f.ids.length > 0);
    const ids = fetches.flatMap((f) => f.ids);
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    for (const f of fetches) expect(f.offset === 0 || f.offset <= f.ids[0]!).toBe(true);
    expect(served.stub.confirmedOffset(served.token)).toBe(ids.at(-1)! + 1);
    expect(served.stub.pendingUpdates(served.token)).toEqual([]);
    const polls = served.stub.callsOf('getUpdates').filter((c) => c.token === served.token);
    expect(polls.at(-1)!.params).toMatchObject({
      timeout: 25,
      allowed_updates: ['message', 'callback_query', 'pre_checkout_query'],
    });
    expect(await claimsOf(ids)).toEqual(
      ids.map((id) => ({ update_id: String(id), state: 'done', claims: 1 })),
    );
  });

  it('SIGTERM while updates are in flight: they finish, and the restarted server handles none of them again', async () => {
    const users = Array.from({ length: 6 }, (_, i) => user(821_000 + i, `T${i}`));
    // A slow Telegram keeps the handlers busy while the server is told to stop.
    served.stub.delayNext('sendMessage', 1500, users.length);
    const updates = users.map((u) => u.messageUpdate('/start'));
    const sends = updates.map((update, i) => users[i]!.deliver(update));
    await until(
      'the welcome screens are being sent',
      () =>
        served.stub
          .callsOf('sendMessage')
          .filter((c) => users.some((u) => u.id === Number(c.params.chat_id))).length ===
        users.length,
    );
    expect(await server!.stop()).toBe(0);
    server = await start('polling');
    expect(await Promise.all(sends)).toEqual(users.map(() => 200));
    for (const u of users)
      expect(u.messages().filter((m) => m.text.includes('Welcome to'))).toHaveLength(1);
    const ids = updates.map((u) => u.update_id as number);
    expect(await claimsOf(ids)).toEqual(
      ids.map((id) => ({ update_id: String(id), state: 'done', claims: 1 })),
    );
    expect(served.stub.pendingUpdates(served.token)).toEqual([]);
  });

  it(
    'SIGKILL while Confirm presses are in flight: after the restart each is booked once with one "Booked!", and nothing is lost',
    { timeout: 120_000 },
    async () => {
      const users = Array.from({ length: 4 }, (_, i) => user(822_000 + i, `K${i}`));
      await Promise.all(
        users.map((u, i) =>
          toSummary(u, `Master ${1 + (i % 2)}`, 3 + Math.floor(i / 2), '10:00 AM'),
        ),
      );
      // The bookings commit, but "Booked!" is slow to be confirmed by Telegram: the process dies first.
      served.stub.delayNext('editMessageText', 10_000, users.length);
      const updates = users.map((u) => u.pressUpdate('Confirm'));
      const confirms = updates.map((update, i) => users[i]!.deliver(update));
      await until(
        'every Confirm booked',
        async () =>
          (await Promise.all(users.map((u) => bookingsOf(u.id)))).every(
            (rows) => rows.length === 1,
          ),
        30_000,
      );
      await server!.kill('SIGKILL');
      const ids = updates.map((u) => u.update_id as number);
      expect(served.stub.confirmedOffset(served.token)).toBeLessThanOrEqual(Math.min(...ids));

      server = await start('polling');
      expect(await Promise.all(confirms)).toEqual(users.map(() => 200));
      for (const u of users) {
        expect(await bookingsOf(u.id)).toEqual([{ status: 'confirmed' }]);
        expect(u.messages().filter((m) => m.text.includes('Booked!'))).toHaveLength(1);
      }
      // Fetched again after the restart and taken over from the dead process once its leases ran out.
      const claims = await claimsOf(ids);
      expect(claims.map((c) => c.state)).toEqual(ids.map(() => 'done'));
      expect(claims.every((c) => c.claims === 2)).toBe(true);
      expect(served.stub.pendingUpdates(served.token)).toEqual([]);
      expect(served.stub.confirmedOffset(served.token)).toBe(Math.max(...ids) + 1);
    },
  );

  it(
    'a second process polling the same bot gets 409, backs off and says why; the first keeps serving',
    { timeout: 120_000 },
    async () => {
      await until('the first server polls', () => served.stub.isPolling(served.token));
      other = await start('polling', { PORT: String(await freePort()) });
      await until('a conflict is reported', () =>
        `${server!.output()}${other!.output()}`.includes('"event":"polling_conflict"'),
      );
      const log = `${server!.output()}${other!.output()}`
        .split('\n')
        .find((l) => l.includes('"event":"polling_conflict"'))!;
      expect(log).toContain('one process');

      const bo = user(823_001, 'Bo');
      const sent: number[] = [];
      const deliver = async (update: Record<string, unknown>) => {
        sent.push(update.update_id as number);
        expect(await bo.deliver(update)).toBe(200);
      };
      await deliver(bo.messageUpdate('/start'));
      await deliver(bo.pressUpdate('Book'));
      expect(await other.stop()).toBe(0);
      other = undefined;
      await deliver(bo.pressUpdate(/^cut/));
      // One message, edited screen by screen: /start was not answered twice.
      expect(bo.messages()).toHaveLength(1);
      expect(bo.screen().text).toContain('1 service · 30 min');
      expect(await claimsOf(sent)).toEqual(
        sent.map((id) => ({ update_id: String(id), state: 'done', claims: 1 })),
      );
    },
  );

  it('a start in webhook mode sets the webhook again with the stored secret, and only where it differs', async () => {
    await server!.stop();
    const setsBefore = served.stub.callsOf('setWebhook').length;
    server = await start('webhook');
    const url = `http://127.0.0.1:${served.port}/tg/${served.botId}`;
    await until('the webhook is set', () => served.stub.webhooks.get(served.token)?.url === url);
    expect(served.stub.callsOf('setWebhook').slice(setsBefore)).toHaveLength(1);
    // The secret Telegram got is the one the server checks.
    const cy = new ChatUser(webhookEndpoint(served.stub, served.token), 824_001, 'en', 'Cy');
    expect(await cy.send('/start')).toBe(200);
    expect(cy.screen().text).toContain('Welcome to');

    await server.stop();
    const infosBefore = served.stub.callsOf('getWebhookInfo').length;
    server = await start('webhook');
    await until(
      'the webhook is checked',
      () => served.stub.callsOf('getWebhookInfo').length > infosBefore,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(served.stub.callsOf('setWebhook').slice(setsBefore)).toHaveLength(1);
    expect(await cy.press('Book')).toBe(200);
  });
});

import { describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import { claimUpdate } from '../../db/queries/bots.ts';
import { registerBot } from '../../tenants/bots/onboarding.ts';
import { createPollingRunner, type PollingRunner } from '../../tenants/bots/polling.ts';
import { createUpdateDelivery } from '../../tenants/bots/update-delivery.ts';
import { MAX_CLAIMS } from '../../tenants/bots/update-run.ts';
import { createLogger, jsonLineWriter } from '../../tenants/observability/logger.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { createBookingWorld } from '../support/booking-world.ts';
import { useBotWorld } from '../support/bot-world.ts';
import { ChatUser, pollingEndpoint } from '../support/chat-user.ts';

/**
 * The polling runner in process, against the Telegram stand-in and PostgreSQL: what it confirms
 * (only updates answered done, in order), which bots it polls (connected while running: picked
 * up; disabled: stopped), a 409 from another poller, a flood from one chat, a prompt stop.
 */
const LEASE_SECONDS = 4;

describe('the polling runner', () => {
  const t = useBotWorld('polling_runner', { world: { masters: 1, clients: 0 } });
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'debug',
    writer: jsonLineWriter((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
  });

  /** A runner started now; `polling` resolves once its own first long poll for the tenant's bot waits. */
  function runner(
    extra: Partial<Parameters<typeof createPollingRunner>[0]> = {},
  ): PollingRunner & { polling: Promise<void> } {
    const before = t.h.stub.callsOf('getUpdates').filter((c) => c.token === t.h.token).length;
    const deliver = createUpdateDelivery({ db: t.db, leaseSeconds: LEASE_SECONDS });
    const r = createPollingRunner({
      db: t.db,
      registry: t.h.services.registry,
      deliver,
      apiRoot: t.h.stub.apiRoot,
      logger,
      refreshMs: 200,
      conflictDelayMs: 300,
      ...extra,
    });
    r.start();
    const polling = until(
      'the bot is polled',
      () =>
        t.h.stub.callsOf('getUpdates').filter((c) => c.token === t.h.token).length > before &&
        t.h.stub.isPolling(t.h.token),
    );
    polling.catch(() => {});
    return Object.assign(r, { polling });
  }
  const user = (id: number, token = t.h.token) =>
    new ChatUser(pollingEndpoint(t.h.stub, token, 20_000), id, 'en', `U${id}`);
  const welcomes = (u: ChatUser) =>
    u.messages().filter((m) => m.text.includes('Welcome to')).length;

  async function until(
    what: string,
    check: () => boolean | Promise<boolean>,
    ms = 15_000,
  ): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting until ${what}; calls: ${JSON.stringify(t.h.stub.callsOf('getUpdates').slice(-4))}; logs:\n${logs
            .slice(-20)
            .map((l) => JSON.stringify(l))
            .join('\n')}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('an update answered "retry later" is not confirmed: it and those after it are fetched again, the done ones are not handled twice', async () => {
    const r = runner();
    try {
      await r.polling;
      const x = user(830_001);
      const y = user(830_002);
      const fromX = x.messageUpdate('/start');
      const fromY = y.messageUpdate('/start');
      const idX = fromX.update_id as number;
      const idY = fromY.update_id as number;
      // Another delivery holds X's update (a live lease): the handling answers "retry later".
      await asPlatform(t.db, (tx) =>
        claimUpdate(tx, {
          tenantId: t.w.tenantId,
          botId: t.h.botId,
          updateId: idX,
          token: crypto.randomUUID(),
          leaseSeconds: LEASE_SECONDS,
          maxClaims: MAX_CLAIMS,
        }),
      );
      const delivered = [x.deliver(fromX), y.deliver(fromY)];

      await until('Y is answered', () => welcomes(y) === 1);
      expect(welcomes(x)).toBe(0);
      expect(t.h.stub.confirmedOffset(t.h.token)).toBeLessThanOrEqual(idX);
      expect(t.h.stub.pendingUpdates(t.h.token)).toEqual([idX, idY]);

      expect(await Promise.all(delivered)).toEqual([200, 200]);
      expect(welcomes(x)).toBe(1);
      expect(welcomes(y)).toBe(1);
      // Y came back with X (not confirmed past X) and was not handed to the handling again.
      expect(
        t.h.stub.fetchesOf(t.h.token).filter((f) => f.ids.includes(idY)).length,
      ).toBeGreaterThanOrEqual(2);
      const claims = await asPlatform(t.db, (tx) =>
        tx.query<{ update_id: string; state: string; claims: number }>(
          'select update_id::text, state, claims from telegram_updates where bot_id = $1 and update_id = any($2::bigint[]) order by update_id',
          [t.h.botId, [idX, idY]],
        ),
      );
      expect(claims).toEqual([
        { update_id: String(idX), state: 'done', claims: 2 },
        { update_id: String(idY), state: 'done', claims: 1 },
      ]);
      expect(logs.some((l) => l.event === 'update_in_flight' && l.update_id === idX)).toBe(true);
      expect(t.h.stub.confirmedOffset(t.h.token)).toBe(idY + 1);
    } finally {
      await r.stop();
    }
  });

  it('polls a bot connected while it runs and stops polling a bot that is disabled', async () => {
    const r = runner();
    try {
      await r.polling;
      const world = await createBookingWorld(t.db, { masters: 1, clients: 0 });
      const token = `${6_100_000 + Math.floor(Math.random() * 100_000)}:AAE${'p'.repeat(32)}`;
      t.h.stub.addBot(token, 'late_comer_bot');
      const { botId } = await registerBot(
        {
          db: t.db,
          secrets: await createSecretBox(new Uint8Array(32).fill(5)),
          apiRoot: t.h.stub.apiRoot,
          publicUrl: 'http://127.0.0.1:1',
          mode: 'polling',
        },
        { tenantId: world.tenantId, token },
      );
      await until('the new bot is polled', () => t.h.stub.isPolling(token));
      const zed = user(830_010, token);
      expect(await zed.send('/start')).toBe(200);
      expect(welcomes(zed)).toBe(1);

      // Disabled while its next long poll waits (not in the moment between two polls, when "not
      // polling" would be true before the runner has noticed anything).
      await until('the new bot waits in its next long poll', () => t.h.stub.isPolling(token));
      const abandoned = t.h.stub.abandonedPolls;
      await asPlatform(t.db, (tx) =>
        tx.query("update tenant_bots set status = 'disabled' where id = $1", [botId]),
      );
      await until('the runner stops the disabled bot', () =>
        logs.some((l) => l.event === 'polling_stopped' && l.bot_id === botId),
      );
      // Its long poll was given up (aborted), not answered, and no other follows.
      await until(
        'the disabled bot is no longer polled',
        () => !t.h.stub.isPolling(token) && t.h.stub.abandonedPolls > abandoned,
      );
      const calls = t.h.stub.callsOf('getUpdates').filter((c) => c.token === token).length;
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(t.h.stub.callsOf('getUpdates').filter((c) => c.token === token).length).toBe(calls);
      expect(t.h.stub.isPolling(t.h.token)).toBe(true);
    } finally {
      await r.stop();
    }
  });

  it('another getUpdates caller (409) is logged as a conflict, and polling resumes after a pause', async () => {
    const r = runner();
    try {
      await r.polling;
      const conflicts = logs.filter((l) => l.event === 'polling_conflict').length;
      const res = await fetch(`${t.h.stub.apiRoot}/bot${t.h.token}/getUpdates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ timeout: 0 }),
      });
      expect(res.status).toBe(200);
      await until(
        'the conflict is logged',
        () => logs.filter((l) => l.event === 'polling_conflict').length > conflicts,
      );
      const conflict = logs.filter((l) => l.event === 'polling_conflict').at(-1)!;
      expect(conflict).toMatchObject({ level: 'warn', bot_id: t.h.botId });
      expect(String(conflict.msg)).toMatch(/one process/);
      const ida = user(830_020);
      expect(await ida.send('/start')).toBe(200);
      expect(welcomes(ida)).toBe(1);
    } finally {
      await r.stop();
    }
  });

  it('a flood from one chat in one batch is folded into the waiting update; every update is confirmed', async () => {
    const r = runner();
    try {
      await r.polling;
      const flood = user(830_030);
      const statuses = await Promise.all(Array.from({ length: 12 }, () => flood.send('hello')));
      expect(statuses).toEqual(Array(12).fill(200));
      expect(flood.messages().length).toBeLessThanOrEqual(2);
      expect(logs.filter((l) => l.event === 'update_coalesced').length).toBeGreaterThanOrEqual(10);
      expect(t.h.stub.pendingUpdates(t.h.token)).toEqual([]);
    } finally {
      await r.stop();
    }
  });

  it('stop() gives up the long poll at once instead of waiting it out', async () => {
    const r = runner();
    await r.polling;
    const abandoned = t.h.stub.abandonedPolls;
    await r.stop();
    await until('the poll is gone', () => !t.h.stub.isPolling(t.h.token), 2000);
    expect(t.h.stub.abandonedPolls).toBe(abandoned + 1);
  });
});

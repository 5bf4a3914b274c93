import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, webhookCallback } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { openPostgres } from '../db/postgres.ts';
import { BotHarness, type ChatUser } from '../tests/support/bot-harness.ts';
import { postUpdate } from '../tests/support/chat-user.ts';
import { createBookingWorld } from '../tests/support/booking-world.ts';
import { TelegramStub } from '../tests/support/telegram-stub.ts';
import { countingDatabase } from './counting-db.ts';
import { cpuSeconds } from './cpu-probe.ts';
import { fmt, median, percentile, report } from './harness.ts';
import { postgresAvailable, scratchDatabase } from './pg-scratch.ts';

const USERS = 32;

/** One user's navigation-heavy round: browse the booking screens back and forth, never booking. */
function* round(user: ChatUser): Generator<() => Record<string, unknown>> {
  yield () => user.pressUpdate('Book');
  yield () => user.pressUpdate(/cut ·/);
  yield () => user.pressUpdate(/style ·/);
  yield () => user.pressUpdate(/cut ·/);
  yield () => user.pressUpdate('Continue');
  yield () => user.pressUpdate('Master 1');
  yield () => user.pressUpdate('Back');
  yield () => user.pressUpdate('Back');
  yield () => user.pressUpdate('🌐');
  yield () => user.pressUpdate('English');
  yield () => user.pressUpdate('Back');
}

/** The webhook path: updates per second and latency, beside a bare grammY bot without a database. */
export async function webhookBench(): Promise<void> {
  if (!(await postgresAvailable())) {
    report('webhook figures', 'skipped: no PostgreSQL server');
    return;
  }
  const scratch = await scratchDatabase('webhook');
  const counting = countingDatabase(openPostgres(scratch.url, { max: 10 }));
  const db = counting.db;
  const h = new BotHarness(db);
  try {
    const world = await createBookingWorld(db, { masters: 2, clients: 1 });
    await h.start(world.tenantId);
    const users = Array.from({ length: USERS }, (_, i) => h.user(900_000 + i));
    for (const u of users) await u.send('/start');
    const recorded: Update[] = [];
    // Each user's place in its round survives from one measured run to the next.
    const rounds = new Map(users.map((u) => [u, round(u)]));

    async function drive(durationMs: number, pace?: number): Promise<number[]> {
      const latencies: number[] = [];
      const deadline = performance.now() + durationMs;
      const started = performance.now();
      let sent = 0;
      await Promise.all(
        users.map(async (user, i) => {
          while (performance.now() < deadline) {
            if (pace) {
              // Open loop: user i sends its k-th update at start + (k * USERS + i) / pace seconds.
              const due = started + ((sent++ * 1) / pace) * 1000;
              const wait = due - performance.now();
              if (wait > 0) await new Promise((r) => setTimeout(r, wait));
            }
            let next = rounds.get(user)!.next();
            if (next.done) {
              rounds.set(user, round(user));
              next = rounds.get(user)!.next();
            }
            const update = next.value!();
            recorded.push(update as unknown as Update);
            const t = performance.now();
            const status = await h.deliver(update);
            latencies.push(performance.now() - t);
            if (status !== 200) throw new Error(`webhook answered ${status} for user ${i}`);
          }
        }),
      );
      return latencies;
    }

    await drive(1000); // warm-up
    recorded.length = 0;
    counting.reset();
    const cpuBefore = await cpuSeconds(scratch.url);
    const closed = await drive(5000);
    const cpuAfter = await cpuSeconds(scratch.url);
    const rate = closed.length / 5;
    report(
      `slotbot webhook, ${USERS} users as fast as possible`,
      `${fmt(rate, 0)} updates/s, p50 ${fmt(median(closed), 1)} ms, p99 ${fmt(percentile(closed, 99), 1)} ms`,
    );
    const per = (n: number) => fmt(n / closed.length, 2);
    report(
      '  database work per update',
      `${per(counting.counts.transactions)} transactions, ${per(counting.counts.statements)} statements`,
    );
    report(
      '  CPU per update',
      `this process ${fmt(((cpuAfter.node - cpuBefore.node) * 1000) / closed.length, 2)} ms (client, app and Bot API stand-in), PostgreSQL ${fmt(((cpuAfter.postgres - cpuBefore.postgres) * 1000) / closed.length, 2)} ms`,
    );
    if (process.env.WEBHOOK_BENCH_STATEMENTS)
      for (const [text, n] of [...counting.counts.byStatement].sort((a, b) => b[1] - a[1]))
        report(`    ${per(n)}`, text);
    const paced = await drive(5000, 100);
    report(
      'slotbot webhook at 100 updates/s',
      `p50 ${fmt(median(paced), 1)} ms, p99 ${fmt(percentile(paced, 99), 1)} ms`,
    );

    // Upper bound: a bare grammY bot (same Bot API stand-in, no database) answering the same updates.
    const stub = new TelegramStub();
    await stub.start();
    const token = '5550001:AAE' + 'y'.repeat(32);
    stub.addBot(token, 'bare_bot');
    const bare = new Bot(token, {
      botInfo: {
        id: 5550001,
        is_bot: true,
        first_name: 'bare',
        username: 'bare_bot',
        can_join_groups: false,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      } as UserFromGetMe,
      client: { apiRoot: stub.apiRoot },
    });
    let n = 0;
    bare.on('callback_query:data', async (ctx) => {
      await ctx.api.sendMessage(ctx.chat!.id, `screen ${++n}`, {
        reply_markup: { inline_keyboard: [[{ text: 'Back', callback_data: `${n}|back` }]] },
      });
      await ctx.answerCallbackQuery();
    });
    // The same updates again, USERS at a time: handed to the bot in process (as before), then
    // through a webhook over HTTP with the same client as slotbot's (the same shape of work).
    const runBare = async (deliver: (u: Update) => Promise<unknown>) => {
      const latencies: number[] = [];
      const queue = closed.length ? [...recorded] : [];
      const cpu = process.cpuUsage();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: USERS }, async () => {
          for (let u = queue.shift(); u; u = queue.shift()) {
            const t = performance.now();
            await deliver(u);
            latencies.push(performance.now() - t);
          }
        }),
      );
      const rate = latencies.length / ((performance.now() - started) / 1000);
      const used = process.cpuUsage(cpu);
      return { rate, latencies, cpuMs: (used.user + used.system) / 1000 / latencies.length };
    };
    const inProcess = await runBare((u) => bare.handleUpdate(u));
    stub.forget(); // the same button presses are answered again
    const secret = 'bare-secret';
    const server = createServer(webhookCallback(bare, 'http', { secretToken: secret }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const bareUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const overHttp = await runBare(async (u) => {
      const status = await postUpdate(bareUrl, secret, u as unknown as Record<string, unknown>);
      if (status !== 200) throw new Error(`the bare webhook answered ${status}`);
    });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await stub.stop();
    for (const [name, run] of [
      ['bare grammY bot, same updates, no database', inProcess],
      ['bare grammY bot behind a webhook (HTTP, same client)', overHttp],
    ] as const) {
      report(
        name,
        `${fmt(run.rate, 0)} updates/s, p50 ${fmt(median(run.latencies), 1)} ms, p99 ${fmt(percentile(run.latencies, 99), 1)} ms`,
      );
      report('  CPU per update', `this process ${fmt(run.cpuMs, 2)} ms`);
    }
    report('  ratio slotbot/bare', fmt(rate / inProcess.rate, 2));
    report('  ratio slotbot/bare webhook', fmt(rate / overHttp.rate, 2));
    report(
      'targets',
      `>= 300 updates/s: ${rate >= 300 ? 'met' : 'NOT met'}; p99 < 50 ms at 100/s: ${percentile(paced, 99) < 50 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await h.stop();
    await db.close();
    await scratch.drop();
  }
}

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
import { cpuSeconds, walBytes } from './cpu-probe.ts';
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

const ROUNDS = Number(process.env.WEBHOOK_BENCH_ROUNDS ?? 6);
const ROUND_MS = 2_500;

/** A run's updates per second, latencies and this process's CPU per update. */
interface RunFigures {
  rate: number;
  latencies: number[];
  cpuMs: number;
}

/**
 * The webhook path: updates per second and latency, beside a bare grammY bot without a database.
 * The machine's speed drifts by a fifth within minutes, so the two are not measured one after the
 * other but in alternating rounds (slotbot, then the bare bot on the very updates slotbot was just
 * sent, in process and behind a webhook), and each ratio is the median of the rounds' ratios.
 */
export async function webhookBench(): Promise<void> {
  if (!(await postgresAvailable())) {
    report('webhook figures', 'skipped: no PostgreSQL server');
    return;
  }
  const scratch = await scratchDatabase('webhook');
  const counting = countingDatabase(openPostgres(scratch.url, { max: 10 }));
  const db = counting.db;
  const h = new BotHarness(db);
  const bare = await startBareBot();
  try {
    const world = await createBookingWorld(db, { masters: 2, clients: 1 });
    await h.start(world.tenantId);
    const users = Array.from({ length: USERS }, (_, i) => h.user(900_000 + i));
    for (const u of users) await u.send('/start');
    const recorded: Update[] = [];
    // Each user's place in its round survives from one measured run to the next.
    const rounds = new Map(users.map((u) => [u, round(u)]));
    let redelivered = 0;

    async function drive(durationMs: number, pace?: number): Promise<RunFigures> {
      const latencies: number[] = [];
      const cpu = process.cpuUsage();
      const started = performance.now();
      const deadline = started + durationMs;
      let sent = 0;
      await Promise.all(
        users.map(async (user, i) => {
          while (performance.now() < deadline) {
            if (pace) {
              // Open loop: the k-th update overall is due at start + k / pace seconds.
              const due = started + (sent++ / pace) * 1000;
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
            // A 503 asks Telegram to deliver the update again (the app could not finish it now:
            // a call to the Bot API stand-in failed, say); so does the bench, and counts it.
            let status = await h.deliver(update);
            for (let again = 0; status === 503 && again < 3; again++) {
              redelivered++;
              await new Promise((r) => setTimeout(r, 100));
              status = await h.deliver(update);
            }
            latencies.push(performance.now() - t);
            if (status !== 200) throw new Error(`webhook answered ${status} for user ${i}`);
          }
        }),
      );
      return figures(latencies, performance.now() - started, cpu);
    }

    await drive(1000); // warm-up
    await bare.replay(recorded.splice(0), (u) => bare.bot.handleUpdate(u));
    const slot: RunFigures[] = [];
    const inProcess: RunFigures[] = [];
    const overHttp: RunFigures[] = [];
    counting.reset();
    const cpuBefore = await cpuSeconds(scratch.url);
    const walBefore = await walBytes(scratch.url);
    for (let r = 0; r < ROUNDS; r++) {
      slot.push(await drive(ROUND_MS));
      const updates = recorded.splice(0);
      inProcess.push(await bare.replay(updates, (u) => bare.bot.handleUpdate(u)));
      overHttp.push(await bare.replay(updates, bare.post));
    }
    // The database figures cover the slotbot rounds only: the bare bot has none.
    const cpuAfter = await cpuSeconds(scratch.url);
    const walAfter = await walBytes(scratch.url);
    const all = (runs: RunFigures[]) => runs.flatMap((run) => run.latencies);
    const updates = all(slot).length;
    const line = (runs: RunFigures[]) => {
      const latencies = all(runs);
      return `${fmt(median(runs.map((run) => run.rate)), 0)} updates/s, p50 ${fmt(median(latencies), 1)} ms, p99 ${fmt(percentile(latencies, 99), 1)} ms`;
    };
    const cpuLine = (runs: RunFigures[]) =>
      `this process ${fmt(median(runs.map((run) => run.cpuMs)), 2)} ms`;
    report(`slotbot webhook, ${USERS} users as fast as possible`, line(slot));
    const per = (n: number) => fmt(n / updates, 2);
    report(
      '  database work per update',
      `${per(counting.counts.transactions)} transactions, ${per(counting.counts.statements)} statements, ${fmt((walAfter - walBefore) / updates / 1024, 2)} KiB of write-ahead log`,
    );
    report(
      '  CPU per update',
      `${cpuLine(slot)} (client, app and Bot API stand-in), PostgreSQL ${fmt(((cpuAfter.postgres - cpuBefore.postgres) * 1000) / updates, 2)} ms`,
    );
    if (process.env.WEBHOOK_BENCH_STATEMENTS)
      for (const [text, n] of [...counting.counts.byStatement].sort((a, b) => b[1] - a[1]))
        report(`    ${per(n)}`, text);
    report('bare grammY bot, same updates, no database', line(inProcess));
    report('  CPU per update', cpuLine(inProcess));
    report('bare grammY bot behind a webhook (HTTP, same client)', line(overHttp));
    report('  CPU per update', cpuLine(overHttp));
    const ratios = (bareRuns: RunFigures[]) => {
      const each = slot.map((run, i) => run.rate / bareRuns[i]!.rate);
      return `${fmt(median(each), 2)} (median of ${ROUNDS} alternating rounds; ${fmt(Math.min(...each), 2)}-${fmt(Math.max(...each), 2)})`;
    };
    report('  ratio slotbot/bare', ratios(inProcess));
    report('  ratio slotbot/bare webhook', ratios(overHttp));
    if (redelivered) {
      const why = h.logs
        .filter((l) => l.level === 'warn' || l.level === 'error')
        .map((l) => String(l.event));
      report('  answered 503, delivered again', `${redelivered} (${[...new Set(why)].join(', ')})`);
    }

    const paced = await drive(5000, 100);
    report(
      'slotbot webhook at 100 updates/s',
      `p50 ${fmt(median(paced.latencies), 1)} ms, p99 ${fmt(percentile(paced.latencies, 99), 1)} ms`,
    );
    const rate = median(slot.map((run) => run.rate));
    report(
      'targets',
      `>= 300 updates/s: ${rate >= 300 ? 'met' : 'NOT met'}; p99 < 50 ms at 100/s: ${percentile(paced.latencies, 99) < 50 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await bare.stop();
    await h.stop();
    await db.close();
    await scratch.drop();
  }
}

function figures(latencies: number[], elapsedMs: number, cpu: NodeJS.CpuUsage): RunFigures {
  const used = process.cpuUsage(cpu);
  return {
    rate: latencies.length / (elapsedMs / 1000),
    latencies,
    cpuMs: (used.user + used.system) / 1000 / Math.max(1, latencies.length),
  };
}

/**
 * The upper bound: a bare grammY bot (its own Bot API stand-in, no database) answering the same
 * button presses with a new screen, handed the updates in process or posted to its webhook over
 * HTTP with the same client as slotbot's (the same shape of work).
 */
async function startBareBot() {
  const stub = new TelegramStub();
  await stub.start();
  const token = '5550001:AAE' + 'y'.repeat(32);
  stub.addBot(token, 'bare_bot');
  const bot = new Bot(token, {
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
  bot.on('callback_query:data', async (ctx) => {
    await ctx.api.sendMessage(ctx.chat!.id, `screen ${++n}`, {
      reply_markup: { inline_keyboard: [[{ text: 'Back', callback_data: `${n}|back` }]] },
    });
    await ctx.answerCallbackQuery();
  });
  const secret = 'bare-secret';
  const server = createServer(webhookCallback(bot, 'http', { secretToken: secret }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    bot,
    post: async (u: Update) => {
      const status = await postUpdate(url, secret, u as unknown as Record<string, unknown>);
      if (status !== 200) throw new Error(`the bare webhook answered ${status}`);
    },
    /** The updates again, USERS at a time; the stand-in forgets first, so each press is answered. */
    async replay(updates: Update[], deliver: (u: Update) => Promise<unknown>): Promise<RunFigures> {
      stub.forget();
      const latencies: number[] = [];
      const queue = [...updates];
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
      return figures(latencies, performance.now() - started, cpu);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await stub.stop();
    },
  };
}

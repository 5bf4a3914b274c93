import { openPostgres } from '../db/postgres.ts';
import { asPlatform } from '../db/scope.ts';
import { BotHarness } from '../tests/support/bot-harness.ts';
import { ChatUser, postUpdate, type BotEndpoint } from '../tests/support/chat-user.ts';
import { fmt, median, percentile, report } from './harness.ts';
import { insertTenants, insertWorkingBots, type GeneratedBot } from './platform-fixture.ts';
import { postgresAvailable, scratchDatabase } from './pg-scratch.ts';

const TENANTS = Number(process.env.TENANTS_BENCH_TENANTS ?? 10_000);
const ACTIVE = Math.min(TENANTS, Number(process.env.TENANTS_BENCH_ACTIVE ?? 2_000));
const RATE = 100;
const SECONDS = Number(process.env.TENANTS_BENCH_SECONDS ?? 60);
const SAMPLE_MS = 5_000;
const COLD = 200;
const WARM_BOTS = 300;
const WARM_SECONDS = 5;
const MAX_IN_FLIGHT = 100;

/** What a user of one bot does, round after round: the menu, the language screen, a language. */
const STEPS: ((u: ChatUser) => Record<string, unknown>)[] = [
  (u) => u.messageUpdate('/start'),
  (u) => u.pressUpdate('🌐'),
  (u) => u.pressUpdate('English'),
];

/**
 * Many businesses in one deployment: 10,000 with a bot each, traffic spread over 2,000 of them at
 * 100 updates/s (each through the webhook over HTTP, as Telegram sends them). Memory and the bot
 * cache are sampled over the run, getMe calls counted at the Bot API stand-in; then the cold path:
 * the first update of a bot the process has not built yet, beside a second update of the same bot.
 */
export async function tenantsBench(): Promise<void> {
  if (!(await postgresAvailable())) {
    report('tenants figures', 'skipped: no PostgreSQL server');
    return;
  }
  const scratch = await scratchDatabase('tenants');
  const db = openPostgres(scratch.url, { max: 10 });
  const cache = Number(process.env.TENANTS_BENCH_CACHE ?? 0);
  const h = new BotHarness(db, cache ? { botCacheSize: cache } : {});
  try {
    await h.startWithoutBot();
    const secrets = await h.secretBox();
    const started = performance.now();
    const bots = await asPlatform(db, async (tx) => {
      await insertTenants(tx, TENANTS, { mixed: false });
      return insertWorkingBots(tx, secrets);
    });
    await db.exec('analyze');
    report(
      `generated ${fmt(TENANTS, 0)} businesses with a bot each`,
      `${fmt((performance.now() - started) / 1000, 1)} s`,
    );
    for (const b of bots) h.stub.addBot(b.token, b.username);
    let resets = 0;
    const userOf = (b: GeneratedBot, i: number) => {
      const endpoint: BotEndpoint = {
        stub: h.stub,
        token: b.token,
        // A kept-alive connection the server closed meanwhile fails the request (ECONNRESET):
        // sent again, as Telegram would (the update is claimed once either way).
        deliver: (u) => {
          const telegram = { stub: h.stub, token: b.token };
          return postUpdate(`${h.baseUrl}/tg/${b.botId}`, b.secret, u, { telegram }).catch(() => {
            resets++;
            return postUpdate(`${h.baseUrl}/tg/${b.botId}`, b.secret, u, { telegram });
          });
        },
      };
      return new ChatUser(endpoint, 700_000 + i, 'en', `User${i}`);
    };
    const users = bots.slice(0, ACTIVE).map(userOf);
    const step = new Map<ChatUser, number>();
    const inFlight = new Map<ChatUser, Promise<unknown>>();
    const registry = h.services.registry;
    let getMe = 0;
    const countGetMe = () => {
      getMe += h.stub.callsOf('getMe').length;
      h.stub.forget();
    };
    countGetMe();
    const gc = (globalThis as { gc?: () => void }).gc;
    const samples: string[] = [];
    // A forced collection stops the process for tens of milliseconds: only at the start and the
    // end, outside the timed updates; in between the heap is read as it is (garbage included).
    const sample = (label: string, collect = false) => {
      if (collect) gc?.();
      const m = process.memoryUsage();
      samples.push(
        `${label.padEnd(8)} heap ${fmt(m.heapUsed / 2 ** 20, 0)} MiB, RSS ${fmt(m.rss / 2 ** 20, 0)} MiB, bots built ${registry.size()}`,
      );
    };

    async function send(user: ChatUser, latencies: number[]): Promise<void> {
      const k = step.get(user) ?? 0;
      step.set(user, (k + 1) % STEPS.length);
      const t = performance.now();
      const status = await user.deliver(STEPS[k]!(user));
      latencies.push(performance.now() - t);
      if (status !== 200) throw new Error(`webhook answered ${status}`);
    }

    /**
     * Open loop at RATE updates/s for `seconds`; update k goes to bot (k * 7919) mod the users
     * (every bot in turn, spread out); a bot's next update waits for its previous answer, as
     * Telegram does per chat. Returns each update's send time (from the start) and latency.
     */
    async function atRate(
      active: ChatUser[],
      seconds: number,
      sampleMemory: boolean,
    ): Promise<{ at: number[]; latencies: number[]; late: number; elapsed: number }> {
      const at: number[] = [];
      const latencies: number[] = [];
      const total = RATE * seconds;
      const begin = performance.now();
      let nextSample = begin + SAMPLE_MS;
      const sends: Promise<void>[] = [];
      let open = 0;
      let late = 0;
      for (let k = 0; k < total; k++) {
        const due = begin + (k * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (sampleMemory && performance.now() >= nextSample) {
          countGetMe();
          sample(`${fmt((performance.now() - begin) / 1000, 0)} s`);
          nextSample += SAMPLE_MS;
        }
        // A machine that cannot keep the rate must not pile up requests without end (the backlog
        // would be the memory measured): at most MAX_IN_FLIGHT at once, the next ones sent late.
        while (open >= MAX_IN_FLIGHT) await new Promise((r) => setTimeout(r, 1));
        if (performance.now() - due > 1000) late++;
        const user = active[(k * 7919) % active.length]!;
        open++;
        const sent = (inFlight.get(user) ?? Promise.resolve())
          .then(async () => {
            const t = performance.now();
            await send(user, latencies);
            at.push(t - begin);
          })
          .finally(() => open--);
        inFlight.set(user, sent);
        sends.push(sent);
      }
      await Promise.all(sends);
      return { at, latencies, late, elapsed: (performance.now() - begin) / 1000 };
    }

    // A process that has just started runs its code cold (the first second or two of updates wait
    // on the JIT and new connections): warmed first on other businesses' bots, so that the run
    // below measures the 2,000 bots' own first updates (built then) and what follows.
    const warmBots = bots.length >= ACTIVE + COLD + WARM_BOTS ? bots.slice(-WARM_BOTS) : [];
    if (warmBots.length) {
      await atRate(
        warmBots.map((b, i) => userOf(b, TENANTS + i)),
        WARM_SECONDS,
        false,
      );
      for (const b of warmBots) registry.forgetTenant(b.tenantId);
    }
    sample('start', true);
    const run = await atRate(users, SECONDS, true);
    countGetMe();
    sample('end', true);
    const total = RATE * SECONDS;
    report(
      `${fmt(total, 0)} updates over ${fmt(ACTIVE, 0)} bots at ${RATE}/s`,
      `${fmt(run.latencies.length / run.elapsed, 0)} updates/s, p50 ${fmt(median(run.latencies), 1)} ms, p99 ${fmt(percentile(run.latencies, 99), 1)} ms`,
    );
    // Each bot's first update falls in the first ACTIVE / RATE seconds: built then.
    const firstRound = ACTIVE / RATE;
    const phase = (from: number, to: number) =>
      run.latencies.filter((_, i) => run.at[i]! >= from * 1000 && run.at[i]! < to * 1000);
    for (const [label, xs] of [
      [`  first ${fmt(firstRound, 0)} s (every bot's first update)`, phase(0, firstRound)],
      [`  after (every bot built)`, phase(firstRound, Infinity)],
    ] as const)
      report(label, `p50 ${fmt(median(xs), 1)} ms, p99 ${fmt(percentile(xs, 99), 1)} ms`);
    if (run.late)
      report(
        '  NOT at the rate',
        `${fmt(run.late, 0)} updates sent more than 1 s late (${MAX_IN_FLIGHT} in flight): the machine could not keep ${RATE}/s`,
      );
    report('  getMe calls at the Bot API stand-in', `${getMe} (for ${fmt(total, 0)} updates)`);
    report('  requests sent again after a connection reset', String(resets));
    report(
      '  memory over the run',
      gc ? '(heap after a forced collection at start and end only)' : '',
    );
    for (const s of samples) report('   ', s);

    // The cold path: the first update of bots not built yet, one at a time, then a second
    // update of each (built now), the same screen.
    const cold = bots.slice(ACTIVE, ACTIVE + COLD).map((b, i) => userOf(b, ACTIVE + i));
    const first: number[] = [];
    const again: number[] = [];
    for (const u of cold) {
      await send(u, first);
      step.set(u, 0);
      await send(u, again);
    }
    countGetMe();
    report(
      `cold path: first update of a bot not built (${COLD} bots)`,
      `p50 ${fmt(median(first), 1)} ms, p99 ${fmt(percentile(first, 99), 1)} ms`,
    );
    report(
      '  the same update again, bot built',
      `p50 ${fmt(median(again), 1)} ms, p99 ${fmt(percentile(again, 99), 1)} ms`,
    );
    report(
      '  cold path costs',
      `${fmt(median(first) - median(again), 1)} ms at p50; getMe calls ${getMe}`,
    );
  } finally {
    await h.stop();
    await db.close();
    await scratch.drop();
  }
}

import postgres from 'postgres';
import { openPostgres } from '../db/postgres.ts';
import { registerBot } from '../tenants/bots/onboarding.ts';
import { createSecretBox } from '../tenants/security/secret-box.ts';
import { createBookingWorld, dayLabel } from '../tests/support/booking-world.ts';
import { ChatUser, webhookEndpoint } from '../tests/support/chat-user.ts';
import {
  serveDeno,
  serveNode,
  serveWorker,
  serveWorkerBehindHyperdrive,
  type Served,
} from '../tests/support/runtimes.ts';
import { TelegramStub } from '../tests/support/telegram-stub.ts';
import { fmt, median, report } from './harness.ts';
import { ADMIN_URL, postgresAvailable, scratchDatabase } from './pg-scratch.ts';

const KEY = new Uint8Array(32).fill(5);
/** Idle backends report their counters to pg_stat_database within seconds; this waits them out. */
const STATS_SETTLE_MS = 11_000;
const NAVIGATORS = 4;

interface Counters {
  xacts: number;
  sessions: number;
}

/** Transactions (committed and rolled back, a statement outside a transaction counting as one) and connections opened, of one database. */
async function countersOf(name: string): Promise<Counters> {
  const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<
      { xacts: string; sessions: string }[]
    >`select xact_commit + xact_rollback as xacts, sessions from pg_stat_database where datname = ${name}`;
    return { xacts: Number(row!.xacts), sessions: Number(row!.sessions) };
  } finally {
    await sql.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What a window of updates cost the database: the counters' change across it, less what the
 * runtime does on its own meanwhile (the embedded runner's poll, measured over an idle window as long).
 */
async function measured(
  name: string,
  idleRatePerMs: number,
  work: () => Promise<number[]>,
): Promise<{ latencies: number[]; xacts: number; sessions: number }> {
  await sleep(STATS_SETTLE_MS);
  const before = await countersOf(name);
  const started = performance.now();
  const latencies = await work();
  await sleep(STATS_SETTLE_MS);
  const after = await countersOf(name);
  const background = idleRatePerMs * (performance.now() - started);
  return {
    latencies,
    xacts: after.xacts - before.xacts - background,
    sessions: after.sessions - before.sessions,
  };
}

/** Per update, one runtime at a time against its own database: a whole booking, and navigation without booking. */
export async function runtimesBench(): Promise<void> {
  if (!(await postgresAvailable())) {
    report('runtime figures', 'skipped: no PostgreSQL server');
    return;
  }
  const only = process.env.BENCH_RUNTIMES?.split(',');
  // How the Worker runs in production: behind Hyperdrive's binding, whose pool of connections to
  // the database PgBouncer stands in for (transaction mode, as Hyperdrive pools).
  // Imported here: the module says on import when no pooler is configured, which only matters here.
  const { POOLER, poolerUrl } = await import('../tests/support/pgbouncer.ts');
  const pooled = (url: string) => serveWorkerBehindHyperdrive(poolerUrl(url));
  const entries = (
    [
      ['Node', () => serveNode],
      ['Deno', () => serveDeno],
      ['workerd', () => serveWorker],
      ['workerd + Hyperdrive (PgBouncer)', pooled],
    ] as const
  ).filter(([name]) => !only || only.some((o) => name.startsWith(o)));
  for (const [name, serveFor] of entries) {
    if (serveFor === pooled && !POOLER.available) {
      report(name, `skipped: ${POOLER.reason} (\`scripts/pgbouncer.sh DIR\` prints one)`);
      continue;
    }
    // The entry's name as a database and bot name can carry it.
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    const scratch = await scratchDatabase(`rt_${slug}`);
    const serve = serveFor(scratch.url);
    const dbName = new URL(scratch.url).pathname.slice(1);
    const stub = new TelegramStub();
    await stub.start();
    let served: Served | undefined;
    const db = openPostgres(scratch.url, { max: 1 });
    try {
      served = await serve((publicUrl) => ({
        DATABASE_URL: scratch.url,
        ENCRYPTION_KEY: Buffer.from(KEY).toString('base64'),
        PUBLIC_URL: publicUrl,
        TELEGRAM_API_ROOT: stub.apiRoot,
        SCHEDULER: 'local',
        // info: the Node entry's start is recognised by its server_listening line.
        LOG_LEVEL: 'info',
        ...(serveFor === pooled ? { DATABASE_POOL_MODE: 'transaction' } : {}),
      }));
      const world = await createBookingWorld(db, { masters: 2, clients: 0 });
      const token = `${7_000_000 + Math.floor(Math.random() * 1_000_000)}:AAE${'b'.repeat(32)}`;
      stub.addBot(token, `${slug}_bench_bot`);
      await registerBot(
        {
          db,
          secrets: await createSecretBox(KEY),
          apiRoot: stub.apiRoot,
          publicUrl: served.baseUrl,
        },
        { tenantId: world.tenantId, token },
      );
      await db.close();
      const endpoint = webhookEndpoint(stub, token, 30_000);
      const timed = async (latencies: number[], delivered: () => Promise<number>) => {
        const start = performance.now();
        const status = await delivered();
        latencies.push(performance.now() - start);
        if (status !== 200)
          throw new Error(
            `${name}: an update was answered ${status}\n${served!.output().slice(-4000)}`,
          );
      };
      const book = async (user: ChatUser, master: string, day: number) => {
        const latencies: number[] = [];
        await timed(latencies, () => user.send('/start'));
        await timed(latencies, () => user.press('Book'));
        await timed(latencies, () => user.press(/^cut/));
        await timed(latencies, () => user.press('Continue'));
        await timed(latencies, () => user.press(master));
        await timed(latencies, () => user.press(dayLabel(day)));
        await timed(latencies, () => user.press('Later'));
        await timed(latencies, () => user.press('10:00 AM'));
        await timed(latencies, () => user.press('Confirm'));
        if (
          !user.screen().text.includes('Booked!') &&
          !user.messages().some((m) => m.text.includes('Booked!'))
        )
          throw new Error(`${name}: the booking did not go through: ${user.screen().text}`);
        return latencies;
      };
      const navigate = async (user: ChatUser) => {
        const latencies: number[] = [];
        await timed(latencies, () => user.send('/start'));
        // The webhook suite's round (bench/webhook.bench.ts): the booking screens back and forth, a language change.
        for (let round = 0; round < 2; round++) {
          for (const label of [
            'Book',
            /cut ·/,
            /style ·/,
            /cut ·/,
            'Continue',
            'Master 1',
            'Back',
            'Back',
            '🌐',
            'English',
            'Back',
          ])
            await timed(latencies, () => user.press(label));
        }
        return latencies;
      };
      const user = (i: number) => new ChatUser(endpoint, 900_000 + i, 'en', `User ${i}`);

      // Warm: the first update of a process builds the bot and reads the catalog.
      await book(user(0), 'Master 1', 2);
      // What the runtime does on its own (Node's and Deno's embedded runner).
      await sleep(STATS_SETTLE_MS);
      const idleFrom = await countersOf(dbName);
      const idleStart = performance.now();
      await sleep(2 * STATS_SETTLE_MS);
      const idleRate =
        ((await countersOf(dbName)).xacts - idleFrom.xacts) / (performance.now() - idleStart);

      const booking = await measured(dbName, idleRate, () => book(user(1), 'Master 2', 2));
      const navigation = await measured(dbName, idleRate, async () =>
        (
          await Promise.all(Array.from({ length: NAVIGATORS }, (_, i) => navigate(user(2 + i))))
        ).flat(),
      );
      for (const [what, m] of [
        ['whole booking, one update at a time', booking],
        [`navigation, ${NAVIGATORS} users at once`, navigation],
      ] as const) {
        const n = m.latencies.length;
        report(
          `${name}: ${what}`,
          `p50 ${fmt(median(m.latencies))} ms, ${fmt(m.xacts / n, 2)} transactions and ${fmt(m.sessions / n, 2)} connections per update (${n} updates)`,
        );
      }
      report(`${name}: idle`, `${fmt(idleRate * 1000, 2)} transactions/s of its own`);
    } catch (error) {
      report(`${name}`, `failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await db.close().catch(() => {});
      await served?.stop();
      await stub.stop();
      await scratch.drop();
    }
  }
}

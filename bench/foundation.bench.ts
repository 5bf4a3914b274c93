import { createApp } from '../edge/app.ts';
import { createMigrator } from '../db/migrations.ts';
import { loadMigrations } from '../db/node/migration-files.ts';
import { openPglite } from '../db/pglite.ts';
import { openPostgres } from '../db/postgres.ts';
import { createLogger } from '../tenants/observability/logger.ts';
import { fmt, median, percentile, report, throughput, timeRuns } from './harness.ts';
import { ADMIN_URL, postgresAvailable, scratchDatabase } from './pg-scratch.ts';

/** Foundation figures: migration time, the health endpoint, and the raw insert-transaction rate. */
export async function foundationBench(): Promise<void> {
  const migrations = await loadMigrations();
  const silent = createLogger({ level: 'silent', writer: () => {} });

  const pgliteMigrate = await timeRuns(3, async () => {
    const db = await openPglite();
    await createMigrator(db, migrations).up();
    await db.close();
  });
  report(
    'PGlite: open in memory + all migrations (median of 3)',
    `${fmt(median(pgliteMigrate))} ms`,
  );

  const db = await openPglite();
  await createMigrator(db, migrations).up();
  const app = createApp({ db, logger: silent });
  const latencies: number[] = [];
  const rps = await throughput(2000, async () => {
    const t = performance.now();
    const res = await app.request('/healthz');
    await res.arrayBuffer();
    latencies.push(performance.now() - t);
  });
  report(
    'GET /healthz in process on PGlite',
    `${fmt(rps, 0)} req/s, p50 ${fmt(median(latencies), 2)} ms, p99 ${fmt(percentile(latencies, 99), 2)} ms`,
  );
  await db.close();

  if (!(await postgresAvailable())) {
    report('PostgreSQL figures', `skipped: no server at ${ADMIN_URL}`);
    return;
  }
  const scratch = await scratchDatabase('foundation', false);
  const pg = openPostgres(scratch.url, { max: 8 });
  try {
    const [migrate] = await timeRuns(1, async () => {
      await createMigrator(pg, migrations).up();
    });
    report('PostgreSQL: all migrations on an empty database', `${fmt(migrate!)} ms`);
    await pg.exec(
      'create table bench_insert (id bigint generated always as identity primary key, at timestamptz not null default now())',
    );
    const insertTx = () =>
      pg.transaction(
        async (tx) => void (await tx.query('insert into bench_insert default values')),
      );
    report(
      'PostgreSQL: one-insert transactions, 1 connection',
      `${fmt(await throughput(2000, insertTx), 0)} tx/s`,
    );
    report(
      'PostgreSQL: one-insert transactions, 8 connections',
      `${fmt(await throughput(2000, insertTx, 8), 0)} tx/s`,
    );
  } finally {
    await pg.close();
    await scratch.drop();
  }
}

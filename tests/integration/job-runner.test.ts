import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { findJob, onceByKey } from '../../db/queries/jobs.ts';
import { createEmbeddedScheduler, createJobRunner } from '../../tenants/jobs/embedded-runner.ts';
import { createJobDispatcher, type JobDelivery } from '../../tenants/jobs/types.ts';
import { silentLogger } from '../support/booking-world.ts';
import { createTenantWorld } from '../support/fixtures.ts';
import { migratedPostgres } from '../support/pg.ts';
import { ROOT } from '../support/process.ts';

describe('embedded job runner (jobs table, FOR UPDATE SKIP LOCKED)', () => {
  let db: Database;
  let url: string;
  let cleanup: () => Promise<void>;
  let tenantId: string;
  let clock = Date.parse('2030-01-01T00:00:00Z');
  const now = () => clock;

  beforeAll(async () => {
    ({ db, url, cleanup } = await migratedPostgres('job_runner'));
    tenantId = (await createTenantWorld(db, 'jobs')).tenantId;
  });
  afterAll(() => cleanup());

  const scheduler = () => createEmbeddedScheduler(db);

  it('two runners polling at once never take the same job; every job runs once', async () => {
    for (let i = 0; i < 120; i++)
      await scheduler().schedule({
        kind: 'reminder_send',
        key: `race:${i}`,
        runAt: clock - 1000,
        payload: { i },
        tenantId,
      });
    const seen: string[] = [];
    const record = createJobDispatcher({
      reminder_send: async (d) => (seen.push(d.key), { status: 'done', outcome: 'ok' }),
    });
    const runners = [1, 2].map((n) =>
      createJobRunner({
        db,
        dispatcher: record,
        logger: silentLogger,
        now,
        workerId: `r${n}`,
        batch: 7,
      }),
    );
    const drain = async (r: (typeof runners)[number]) => {
      while ((await r.runDue()) > 0);
    };
    await Promise.all(runners.map(drain));
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ n: number }>(
        "select count(*)::int as n from jobs where key like 'race:%' and status = 'succeeded'",
      ),
    );
    expect(row!.n).toBe(120);
  });

  it('scheduling one key twice is one job', async () => {
    await scheduler().schedule({
      kind: 'reminder_send',
      key: 'once-only',
      runAt: clock + 5000,
      payload: { v: 1 },
      tenantId,
    });
    await scheduler().schedule({
      kind: 'reminder_send',
      key: 'once-only',
      runAt: clock + 9000,
      payload: { v: 2 },
      tenantId,
    });
    const job = await asPlatform(db, (tx) => findJob(tx, 'once-only'));
    expect(job).toMatchObject({
      payload: { v: 1 },
      run_at: new Date(clock + 5000),
      status: 'pending',
    });
  });

  it('a failing job is retried with backoff and becomes dead after its attempts, with the error kept', async () => {
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into jobs (kind, key, run_at, tenant_id, max_attempts) values ('digest_admin', 'flaky', $1, $2, 3)",
        [new Date(clock - 1), tenantId],
      ),
    );
    const attempts: number[] = [];
    const failing = createJobDispatcher({
      digest_admin: async (d) => {
        attempts.push(d.attempt);
        throw new Error(`boom ${d.attempt}`);
      },
    });
    const runner = createJobRunner({
      db,
      dispatcher: failing,
      logger: silentLogger,
      now,
      backoffMs: (a) => a * 60_000,
    });
    await runner.runDue();
    let job = await asPlatform(db, (tx) => findJob(tx, 'flaky'));
    expect(job).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'Error: boom 1',
      run_at: new Date(clock + 60_000),
    });
    const due = await asPlatform(db, (tx) =>
      tx.query<{ key: string }>('select key from jobs where status = $1 and run_at <= $2', [
        'pending',
        new Date(clock),
      ]),
    );
    expect(due).toEqual([]); // not before its backoff
    clock += 60_000;
    await runner.runDue();
    job = await asPlatform(db, (tx) => findJob(tx, 'flaky'));
    expect(job).toMatchObject({
      status: 'pending',
      attempts: 2,
      run_at: new Date(clock + 120_000),
    });
    clock += 120_000;
    await runner.runDue();
    job = await asPlatform(db, (tx) => findJob(tx, 'flaky'));
    expect(job).toMatchObject({ status: 'dead', attempts: 3, last_error: 'Error: boom 3' });
    clock += 3_600_000;
    await runner.runDue();
    expect(attempts).toEqual([1, 2, 3]); // a dead job is never taken again
  });

  it('a job whose runner hangs is given to another after the visibility timeout; the late finisher cannot complete it', async () => {
    await scheduler().schedule({
      kind: 'payment_reconcile',
      key: 'stuck',
      runAt: clock - 1,
      payload: {},
      tenantId,
    });
    let release: () => void = () => {};
    const hanging = createJobDispatcher({
      payment_reconcile: () =>
        new Promise((resolve) => (release = () => resolve({ status: 'done', outcome: 'late' }))),
    });
    const stuck = createJobRunner({
      db,
      dispatcher: hanging,
      logger: silentLogger,
      now,
      workerId: 'stuck',
      visibilityMs: 30_000,
    });
    const stuckRun = stuck.runDue();
    await new Promise((r) => setTimeout(r, 300));
    const ran: JobDelivery[] = [];
    const healthy = createJobRunner({
      db,
      dispatcher: createJobDispatcher({
        payment_reconcile: async (d) => (ran.push(d), { status: 'done', outcome: 'ok' }),
      }),
      logger: silentLogger,
      now,
      workerId: 'healthy',
    });
    expect(await healthy.runDue()).toBe(0);
    clock += 30_001;
    expect(await healthy.runDue()).toBe(1);
    expect(ran.map((d) => [d.key, d.attempt])).toEqual([['stuck', 2]]);
    release();
    await stuckRun;
    expect(await asPlatform(db, (tx) => findJob(tx, 'stuck'))).toMatchObject({
      status: 'succeeded',
      attempts: 2,
    });
  });

  it('a worker process killed mid-job: the job runs again after the visibility timeout, with one effect', async () => {
    await scheduler().schedule({
      kind: 'hold_expire',
      key: 'killed',
      runAt: Date.now() - 1000,
      payload: {},
      tenantId,
    });
    // node itself with tsx as a loader: the killed process is the one holding the connection.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/support/job-worker-child.ts', url, '2000'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the child never started the job:\n${out}`)),
        30_000,
      );
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('working')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(await asPlatform(db, (tx) => findJob(tx, 'killed'))).toMatchObject({
      status: 'running',
      attempts: 1,
    });

    let effects = 0;
    const survivor = createJobRunner({
      db,
      logger: silentLogger,
      now: Date.now,
      workerId: 'survivor',
      dispatcher: createJobDispatcher({
        hold_expire: async (d) => {
          await asPlatform(db, (tx) =>
            onceByKey(
              tx,
              { key: `effect:${d.key}`, tenantId },
              async () => (effects++, { by: 'survivor' }),
            ),
          );
          return { status: 'done', outcome: 'ok' };
        },
      }),
    });
    const deadline = Date.now() + 20_000;
    while ((await survivor.runDue()) === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    // Delivered again (it may take another poll): still one effect.
    await asPlatform(db, (tx) =>
      tx.query("update jobs set status = 'pending', run_at = now() where key = 'killed'"),
    );
    await survivor.runDue();
    expect(effects).toBe(1);
    const rows = await asPlatform(db, (tx) =>
      tx.query<{ detail: { by: string } }>(
        "select detail from job_effects where key = 'effect:killed'",
      ),
    );
    expect(rows).toEqual([{ detail: { by: 'survivor' } }]);
    expect(await asPlatform(db, (tx) => findJob(tx, 'killed'))).toMatchObject({
      status: 'succeeded',
    });
  }, 60_000);
});

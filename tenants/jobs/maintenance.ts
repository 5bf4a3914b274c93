import type { Database } from '../../db/port.ts';
import type { Logger } from '../observability/logger.ts';
import { createJobRunner } from './embedded-runner.ts';
import { seedDigests } from './handlers/digest-admin.ts';
import type { JobDispatcher, Scheduler } from './types.ts';

/**
 * The platform's periodic upkeep, in one place for every runtime: the Worker's Cron Trigger runs
 * it (`edge/runtime/worker.ts`, `scheduled`), and the Node and Deno servers run its sweep and
 * daily seeding after the embedded runner's polls (`edge/runtime/bootstrap.ts`).
 *
 * - Expired holds are released (`expire_holds`): besides each hold's own `hold_expire` job, so a
 *   lost job never keeps a hold (the slot search and `book_slot` ignore overdue holds anyway).
 * - Due jobs of the jobs table are run, with SCHEDULER=local only: there the jobs are rows, and a
 *   runtime without a polling runner (a Worker) must run them itself. With SCHEDULER=qstash the
 *   jobs are QStash messages that QStash delivers to `POST /jobs/:kind`; nothing waits in the table.
 * - The daily digests are seeded once a UTC day: each active tenant's chain (each digest schedules
 *   the next) starts or restarts at today's local date; one job per key, so a chain that is
 *   running is left as it is, and a tenant that joined since gets its first digest.
 */
export interface MaintenanceDeps {
  db: Database;
  booking: { expireHolds(): Promise<string[]> };
  dispatcher: JobDispatcher;
  scheduler: Scheduler;
  logger: Logger;
  /** Epoch ms. */
  now: () => number;
}

export interface MaintenanceTick {
  /** Release the holds past their expiry (default true). */
  sweepHolds?: boolean;
  /**
   * Run the due jobs of the jobs table here (SCHEDULER=local only), in batches until none is due
   * or the clock passes `until` (epoch ms); a job taken stays this runner's for the runner's
   * visibility timeout (2 min), after which another runner may take it again.
   */
  runDueJobs?: { until: number };
  /** Seed the daily digests (see `digestSeedingDue`). */
  seedDigests?: boolean;
}

export interface MaintenanceReport {
  holdsReleased?: number;
  jobsRun?: number;
  /** Tenants whose digest chain was (re)started; already running chains count too. */
  digestsSeeded?: number;
  /** The steps that failed; every step runs even when an earlier one failed. */
  failed: { step: 'sweep_holds' | 'run_due_jobs' | 'seed_digests'; error: unknown }[];
}

const DAY_MS = 86_400_000;
/** Jobs taken per batch by the cron's runner. */
const CRON_BATCH = 10;

/**
 * Whether a tick seeds the digests: the first tick of a UTC day. A Cron Trigger's ticks fall on
 * whole minutes (`scheduledTime`), so with `* * * * *` (or any schedule that includes 00:00 UTC)
 * the tick at 00:00 UTC seeds; `previousTick` (a long-running server's last seeding) makes it the
 * first tick after midnight, whenever that comes.
 */
export function digestSeedingDue(tick: number, previousTick?: number): boolean {
  const day = Math.floor(tick / DAY_MS);
  if (previousTick === undefined) return tick - day * DAY_MS < 60_000;
  return day > Math.floor(previousTick / DAY_MS);
}

/** One maintenance tick; see `MaintenanceDeps`. Failures are logged and reported, never thrown. */
export async function runMaintenance(
  deps: MaintenanceDeps,
  tick: MaintenanceTick,
): Promise<MaintenanceReport> {
  const { logger } = deps;
  const report: MaintenanceReport = { failed: [] };
  const step = async (
    name: MaintenanceReport['failed'][number]['step'],
    work: () => Promise<void>,
  ) => {
    try {
      await work();
    } catch (error) {
      report.failed.push({ step: name, error });
      logger.error({ event: 'maintenance_step_failed', step: name, err: error });
    }
  };
  if (tick.sweepHolds ?? true) {
    await step('sweep_holds', async () => {
      const released = await deps.booking.expireHolds();
      report.holdsReleased = released.length;
      if (released.length) logger.info({ event: 'holds_swept', count: released.length });
    });
  }
  if (tick.runDueJobs) {
    const until = tick.runDueJobs.until;
    await step('run_due_jobs', async () => {
      const runner = createJobRunner({
        db: deps.db,
        dispatcher: deps.dispatcher,
        logger,
        now: deps.now,
        batch: CRON_BATCH,
      });
      let ran = 0;
      for (;;) {
        const batch = await runner.runDue();
        ran += batch;
        report.jobsRun = ran;
        if (batch < CRON_BATCH || deps.now() >= until) break;
      }
      if (ran) logger.info({ event: 'due_jobs_run', count: ran });
    });
  }
  if (tick.seedDigests) {
    await step('seed_digests', async () => {
      report.digestsSeeded = await seedDigests(deps.db, deps.scheduler, deps.now());
      logger.info({ event: 'digests_seeded', count: report.digestsSeeded });
    });
  }
  return report;
}

import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import {
  claimDueJobs,
  completeJob,
  enqueueJob,
  failJob,
  type JobRow,
} from '../../db/queries/jobs.ts';
import type { Logger } from '../observability/logger.ts';
import { isJobKind, type JobDispatcher, type JobResult, type Scheduler } from './types.ts';

/** The embedded scheduler: a row in the jobs table per key, run by `createJobRunner`. */
export function createEmbeddedScheduler(db: Database): Scheduler {
  return {
    async schedule(job) {
      await asPlatform(db, (tx) =>
        enqueueJob(tx, {
          kind: job.kind,
          key: job.key,
          payload: job.payload,
          runAt: new Date(job.runAt),
          ...(job.tenantId ? { tenantId: job.tenantId } : {}),
          ...(job.correlationId ? { correlationId: job.correlationId } : {}),
        }),
      );
    },
  };
}

export interface JobRunnerOptions {
  db: Database;
  dispatcher: JobDispatcher;
  logger: Logger;
  /** Epoch ms. */
  now: () => number;
  /** Names this runner in `jobs.locked_by`; unique per process. */
  workerId?: string;
  /** A taken job not finished within this time is given to another runner. */
  visibilityMs?: number;
  pollMs?: number;
  /** Jobs taken per poll. */
  batch?: number;
  /** Delay before attempt `attempt + 1` after a failure. */
  backoffMs?: (attempt: number) => number;
  /** Called after every poll that ran something; e.g. a sweep of expired holds. */
  afterPoll?: () => Promise<void>;
}

/** Exponential backoff from 5 s, capped at an hour, with up to 20 % jitter against herds. */
export const defaultBackoff = (attempt: number) => {
  const base = Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.round(base * (1 + Math.random() * 0.2));
};

const errorText = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * Polls the jobs table and runs due jobs through the dispatcher. Several runners (replicas) may
 * poll one database: `FOR UPDATE SKIP LOCKED` gives each job to one of them, and a job whose
 * runner died is taken again once its visibility timeout has passed.
 */
export function createJobRunner(options: JobRunnerOptions) {
  const { db, dispatcher, logger, now } = options;
  const workerId = options.workerId ?? `runner-${crypto.randomUUID()}`;
  const visibilityMs = options.visibilityMs ?? 120_000;
  const pollMs = options.pollMs ?? 1_000;
  const batch = options.batch ?? 10;
  const backoff = options.backoffMs ?? defaultBackoff;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function runOne(job: JobRow): Promise<void> {
    const correlationId = job.correlation_id ?? crypto.randomUUID();
    let result: JobResult;
    if (!isJobKind(job.kind)) {
      result = { status: 'retry', reason: `unknown job kind ${job.kind}` };
    } else {
      try {
        result = await dispatcher.dispatch(
          {
            kind: job.kind,
            key: job.key,
            payload: job.payload,
            ...(job.tenant_id ? { tenantId: job.tenant_id } : {}),
            attempt: job.attempts,
            correlationId,
          },
          logger,
        );
      } catch (error) {
        logger.error({
          event: 'job_failed',
          correlation_id: correlationId,
          job_kind: job.kind,
          job_key: job.key,
          attempt: job.attempts,
          err: error,
        });
        result = { status: 'retry', reason: errorText(error) };
      }
    }
    const at = new Date(now());
    if (result.status === 'done') {
      if (!(await asPlatform(db, (tx) => completeJob(tx, { id: job.id, workerId, now: at })))) {
        logger.warn({
          event: 'job_lock_lost',
          correlation_id: correlationId,
          job_kind: job.kind,
          job_key: job.key,
        });
      }
      return;
    }
    const retryAt = new Date(at.getTime() + (result.afterMs ?? backoff(job.attempts)));
    const outcome = await asPlatform(db, (tx) =>
      failJob(tx, { id: job.id, workerId, error: result.reason, retryAt, now: at }),
    );
    if (outcome === 'dead')
      logger.error({
        event: 'job_dead',
        correlation_id: correlationId,
        job_kind: job.kind,
        job_key: job.key,
        attempt: job.attempts,
        reason: result.reason,
      });
  }

  /** One poll: takes the due jobs and runs them; returns how many ran. */
  async function runDue(): Promise<number> {
    const jobs = await asPlatform(db, (tx) =>
      claimDueJobs(tx, { workerId, now: new Date(now()), visibilityMs, limit: batch }),
    );
    await Promise.all(jobs.map(runOne));
    return jobs.length;
  }

  async function loop(): Promise<void> {
    if (stopped) return;
    let ran = 0;
    try {
      ran = await runDue();
      if (options.afterPoll) await options.afterPoll();
    } catch (error) {
      logger.error({ event: 'job_poll_failed', err: error });
    }
    if (stopped) return;
    // A full batch means more may be due: poll again at once.
    timer = setTimeout(
      () => {
        running = loop();
      },
      ran >= batch ? 0 : pollMs,
    );
  }

  return {
    workerId,
    runDue,
    start(): void {
      if (!stopped) return;
      stopped = false;
      running = loop();
    },
    /** Stops polling and waits for the jobs in hand. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;

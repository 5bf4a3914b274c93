import type { Logger } from '../observability/logger.ts';

/** The kinds of delayed work; the database's `jobs.kind` check lists the same names. */
/** notify_owners: the throttled flush of owner notices (a burst becomes one summary). */
/** client_notice: a client told of a change the business made to their booking (a cancellation). */
export const JOB_KINDS = [
  'reminder_send',
  'hold_expire',
  'payment_reconcile',
  'digest_admin',
  'notify_owners',
  'client_notice',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const isJobKind = (value: string): value is JobKind =>
  (JOB_KINDS as readonly string[]).includes(value);

/**
 * A piece of work to run at (or soon after) `runAt`. Scheduling the same `key` twice is one job:
 * the embedded runner keeps one row per key, QStash deduplicates on it.
 */
export interface JobRequest {
  kind: JobKind;
  /** Epoch ms (UTC instant). */
  runAt: number;
  /** At most 200 characters; names the effect, e.g. `hold_expire:<booking id>`. */
  key: string;
  payload: Record<string, unknown>;
  tenantId?: string;
  /** The request or job that caused this one; follows it into the handler's logs. */
  correlationId?: string;
}

/** The scheduler port: the embedded runner and QStash implement it. */
export interface Scheduler {
  schedule(job: JobRequest): Promise<void>;
}

/** One delivery of a job to its handler; a job may be delivered more than once. */
export interface JobDelivery {
  kind: JobKind;
  key: string;
  payload: Record<string, unknown>;
  tenantId?: string;
  /** 1 for the first delivery. */
  attempt: number;
  correlationId: string;
}

/**
 * What a handler reports. `done` ends the job (also when there was nothing to do: handlers check
 * the booking's state when they fire). `retry` asks for another delivery later; a thrown error is
 * treated the same way, with backoff.
 */
export type JobResult =
  { status: 'done'; outcome: string } | { status: 'retry'; reason: string; afterMs?: number };

export type JobHandler = (delivery: JobDelivery, logger: Logger) => Promise<JobResult>;

/** Runs a delivered job with its kind's handler; shared by the embedded runner and `POST /jobs/:kind`. */
export interface JobDispatcher {
  dispatch(delivery: JobDelivery, logger: Logger): Promise<JobResult>;
}

export function createJobDispatcher(handlers: Partial<Record<JobKind, JobHandler>>): JobDispatcher {
  return {
    async dispatch(delivery, logger) {
      const handler = handlers[delivery.kind];
      if (!handler)
        return {
          status: 'retry',
          reason: `no handler for job kind ${delivery.kind} in this process`,
        };
      const log = logger.child({
        correlation_id: delivery.correlationId,
        job_kind: delivery.kind,
        job_key: delivery.key,
        ...(delivery.tenantId ? { tenant_id: delivery.tenantId } : {}),
      });
      const result = await handler(delivery, log);
      log.info({
        event: 'job_handled',
        attempt: delivery.attempt,
        state: result.status,
        ...(result.status === 'done' ? { outcome: result.outcome } : { reason: result.reason }),
      });
      return result;
    },
  };
}

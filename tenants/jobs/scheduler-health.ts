import type { JobRequest, Scheduler } from './types.ts';

/** What `/healthz` says about the scheduler. */
export interface SchedulerHealthReport {
  kind: 'local' | 'qstash';
  /** False while the latest attempt to schedule failed. */
  ok: boolean;
  /** Why, in words an operator can act on; no secrets. */
  error?: string;
  /** ISO time of the first failure of the current run of failures. */
  failing_since?: string;
  /** Start-up work still waiting for the scheduler (e.g. `digest_seeding`). */
  pending?: string[];
}

export interface SchedulerMonitor {
  /** The scheduler with every outcome recorded: use it in place of the one given. */
  readonly scheduler: Scheduler;
  report(): SchedulerHealthReport;
  /** Marks `task` as waiting for the scheduler; call the returned function once it is done. */
  waitingFor(task: string): () => void;
}

/**
 * Watches a scheduler's outcomes: the latest publish decides `ok` (a success after failures
 * clears the error), so a scheduler that went away and came back reports healthy again.
 */
export function monitorScheduler(
  inner: Scheduler,
  options: {
    kind: SchedulerHealthReport['kind'];
    describe?: (error: unknown) => string;
    now?: () => number;
  },
): SchedulerMonitor {
  const now = options.now ?? (() => Date.now());
  const describe =
    options.describe ??
    ((error: unknown) =>
      error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  let failure: { error: string; since: number } | undefined;
  const pending = new Set<string>();
  return {
    scheduler: {
      async schedule(job: JobRequest) {
        try {
          await inner.schedule(job);
        } catch (error) {
          failure = { error: describe(error), since: failure?.since ?? now() };
          throw error;
        }
        failure = undefined;
      },
    },
    report() {
      return {
        kind: options.kind,
        ok: failure === undefined,
        ...(failure
          ? { error: failure.error, failing_since: new Date(failure.since).toISOString() }
          : {}),
        ...(pending.size ? { pending: [...pending] } : {}),
      };
    },
    waitingFor(task) {
      pending.add(task);
      return () => pending.delete(task);
    },
  };
}

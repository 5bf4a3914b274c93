import type { Logger } from '../observability/logger.ts';

export interface BackgroundTask {
  /** Resolves when the task succeeded or was stopped; never rejects. */
  readonly settled: Promise<void>;
  /** No further attempts (one in flight runs to its end, unlogged). */
  stop(): void;
}

export interface RetryOptions {
  /** Names the task in the logs (`task` field). */
  name: string;
  task: () => Promise<unknown>;
  logger: Logger;
  /** First wait after a failure; doubles up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** In [0, 1): each wait is between half and all of its nominal length, so replicas spread out. */
  random?: () => number;
}

/**
 * Runs start-up work that depends on another service (QStash) without holding start-up hostage:
 * the first attempt starts at once, failures are logged (`startup_task_retry`) and retried with
 * jittered exponential backoff until one succeeds (`startup_task_done`) or `stop()`.
 */
export function retryInBackground(options: RetryOptions): BackgroundTask {
  const first = options.firstDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 60_000;
  const random = options.random ?? Math.random;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
      // A pending retry alone must not keep a process alive (Node; elsewhere there is no unref).
      (timer as { unref?: () => void }).unref?.();
    });

  const settled = (async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await options.task();
        if (!stopped)
          options.logger.info({
            event: 'startup_task_done',
            task: options.name,
            attempts: attempt,
          });
        return;
      } catch (error) {
        if (stopped) return;
        const nominal = Math.min(max, first * 2 ** (attempt - 1));
        const delay = Math.round(nominal / 2 + (nominal / 2) * random());
        options.logger.warn({
          event: 'startup_task_retry',
          task: options.name,
          attempt,
          retry_in_ms: delay,
          err: error,
        });
        await sleep(delay);
      }
    }
  })();

  return {
    settled,
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      wake?.();
    },
  };
}

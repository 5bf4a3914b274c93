import { describe, expect, it, vi } from 'vitest';
import { retryInBackground } from '../../tenants/jobs/background-retry.ts';
import { describeQstashFailure } from '../../tenants/jobs/qstash-scheduler.ts';
import { monitorScheduler } from '../../tenants/jobs/scheduler-health.ts';
import type { JobRequest } from '../../tenants/jobs/types.ts';
import { createLogger, jsonLineWriter } from '../../tenants/observability/logger.ts';

const job: JobRequest = { kind: 'digest_admin', runAt: 0, key: 'k', payload: {} };

function capture() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    logger: createLogger({
      level: 'info',
      writer: jsonLineWriter((l) => lines.push(JSON.parse(l) as Record<string, unknown>)),
    }),
  };
}

describe('scheduler monitor', () => {
  it('reports the latest outcome: a failure with its reason and since when, cleared by the next success', async () => {
    let down = true;
    let clock = Date.parse('2026-03-01T10:00:00Z');
    const monitor = monitorScheduler(
      {
        schedule: async () => {
          if (down) throw Object.assign(new Error('{"error":"Unauthorized"}'), { status: 401 });
        },
      },
      { kind: 'qstash', describe: describeQstashFailure, now: () => clock },
    );
    const done = monitor.waitingFor('digest_seeding');
    expect(monitor.report()).toEqual({ kind: 'qstash', ok: true, pending: ['digest_seeding'] });
    await expect(monitor.scheduler.schedule(job)).rejects.toThrow('Unauthorized');
    clock += 60_000;
    await expect(monitor.scheduler.schedule(job)).rejects.toThrow();
    expect(monitor.report()).toEqual({
      kind: 'qstash',
      ok: false,
      error: 'QStash refused the token (401): check QSTASH_TOKEN',
      failing_since: '2026-03-01T10:00:00.000Z',
      pending: ['digest_seeding'],
    });
    down = false;
    await monitor.scheduler.schedule(job);
    done();
    expect(monitor.report()).toEqual({ kind: 'qstash', ok: true });
  });

  it('describes an unreachable QStash and any other failure', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(describeQstashFailure(refused)).toBe(
      'QStash unreachable at the configured QSTASH_URL: fetch failed (ECONNREFUSED)',
    );
    expect(describeQstashFailure(Object.assign(new Error('boom'), { status: 500 }))).toBe(
      'QStash answered 500: boom',
    );
    expect(describeQstashFailure(new RangeError('a job key has at most 200 characters'))).toBe(
      'QStash publish failed: RangeError: a job key has at most 200 characters',
    );
  });
});

describe('retryInBackground', () => {
  it('retries a failing task with growing, jittered waits until it succeeds, logging each failure', async () => {
    const { lines, logger } = capture();
    let calls = 0;
    const task = retryInBackground({
      name: 'seed',
      logger,
      firstDelayMs: 4,
      maxDelayMs: 16,
      random: () => 0.5,
      task: async () => {
        if (++calls < 5) throw new TypeError('fetch failed');
      },
    });
    await task.settled;
    expect(calls).toBe(5);
    const retries = lines.filter((l) => l.event === 'startup_task_retry');
    // Nominal 4, 8, 16, 16 (capped), each between half and all of it: 3/4 with random 0.5.
    expect(retries.map((l) => l.retry_in_ms)).toEqual([3, 6, 12, 12]);
    expect(retries[0]).toMatchObject({
      level: 'warn',
      task: 'seed',
      attempt: 1,
      err: { type: 'TypeError', message: 'fetch failed' },
    });
    expect(lines.at(-1)).toMatchObject({ event: 'startup_task_done', task: 'seed', attempts: 5 });
  });

  it('stops waiting when stopped, and never rejects', async () => {
    const { lines, logger } = capture();
    let calls = 0;
    const task = retryInBackground({
      name: 'seed',
      logger,
      firstDelayMs: 3_600_000,
      task: async () => {
        calls++;
        throw new Error('down');
      },
    });
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    task.stop();
    await expect(task.settled).resolves.toBeUndefined();
    expect(calls).toBe(1);
    expect(lines.map((l) => l.event)).toEqual(['startup_task_retry']);
  });
});

import { z } from 'zod';
import type { Queryable } from '../port.ts';

export const jobRowSchema = z.object({
  id: z.string(),
  tenant_id: z.string().nullable(),
  kind: z.string(),
  key: z.string(),
  payload: z.record(z.string(), z.unknown()),
  run_at: z.coerce.date(),
  status: z.enum(['pending', 'running', 'succeeded', 'dead', 'discarded']),
  attempts: z.coerce.number(),
  max_attempts: z.coerce.number(),
  correlation_id: z.string().nullable(),
  last_error: z.string().nullable(),
});
export type JobRow = z.infer<typeof jobRowSchema>;

const COLUMNS =
  'id, tenant_id, kind, key, payload, run_at, status, attempts, max_attempts, correlation_id, last_error';

export interface NewJob {
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  runAt: Date;
  tenantId?: string;
  correlationId?: string;
  maxAttempts?: number;
}

/** One job per key: the first scheduling wins, a repeat is a no-op. True when a job was created. */
export async function enqueueJob(q: Queryable, job: NewJob): Promise<boolean> {
  const rows = await q.query(
    `insert into public.jobs (kind, key, payload, run_at, tenant_id, correlation_id, max_attempts)
     values ($1, $2, $3::jsonb, $4, $5, $6, coalesce($7, 8))
     on conflict (key) do nothing returning id`,
    [
      job.kind,
      job.key,
      JSON.stringify(job.payload),
      job.runAt.toISOString(),
      job.tenantId ?? null,
      job.correlationId ?? null,
      job.maxAttempts ?? null,
    ],
  );
  return rows.length === 1;
}

/**
 * Takes up to `limit` due jobs for `workerId`: pending ones whose time has come and running ones
 * whose worker let the visibility timeout pass (it died or hangs). Another runner skips the rows
 * this one locked, so no job is taken twice. A job out of attempts becomes dead instead.
 */
export async function claimDueJobs(
  q: Queryable,
  p: { workerId: string; now: Date; visibilityMs: number; limit: number },
): Promise<JobRow[]> {
  const rows = await q.query(
    `with due as (
       select id from public.jobs
       where status in ('pending', 'running') and run_at <= $1
         and (status = 'pending' or locked_until <= $1)
       order by run_at
       limit $4
       for update skip locked
     )
     update public.jobs j set
       status = case when j.attempts >= j.max_attempts then 'dead' else 'running' end,
       attempts = case when j.attempts >= j.max_attempts then j.attempts else j.attempts + 1 end,
       locked_until = case when j.attempts >= j.max_attempts then null else $1::timestamptz + make_interval(secs => $3 / 1000.0) end,
       locked_by = case when j.attempts >= j.max_attempts then null else $2 end,
       last_error = case when j.attempts >= j.max_attempts then coalesce(j.last_error, 'the worker stopped responding') else j.last_error end,
       finished_at = case when j.attempts >= j.max_attempts then $1::timestamptz else null end
     from due where j.id = due.id
     returning ${COLUMNS.split(', ')
       .map((c) => `j.${c}`)
       .join(', ')}`,
    [p.now.toISOString(), p.workerId, p.visibilityMs, p.limit],
  );
  return rows.map((r) => jobRowSchema.parse(r)).filter((j) => j.status === 'running');
}

/** Marks a job done; false when this worker no longer holds it (its lock expired and it was retaken). */
export async function completeJob(
  q: Queryable,
  p: { id: string; workerId: string; now: Date },
): Promise<boolean> {
  const rows = await q.query(
    `update public.jobs set status = 'succeeded', finished_at = $3, locked_until = null, locked_by = null, last_error = null
     where id = $1 and locked_by = $2 and status = 'running' returning id`,
    [p.id, p.workerId, p.now.toISOString()],
  );
  return rows.length === 1;
}

/** Gives a failed job back for another attempt at `retryAt`, or marks it dead when out of attempts. */
export async function failJob(
  q: Queryable,
  p: { id: string; workerId: string; error: string; retryAt: Date; now: Date },
): Promise<'retry' | 'dead' | 'lost'> {
  const [row] = await q.query<{ status: string }>(
    `update public.jobs set
       status = case when attempts >= max_attempts then 'dead' else 'pending' end,
       run_at = case when attempts >= max_attempts then run_at else $4 end,
       finished_at = case when attempts >= max_attempts then $5::timestamptz else null end,
       last_error = left($3, 2000), locked_until = null, locked_by = null
     where id = $1 and locked_by = $2 and status = 'running' returning status`,
    [p.id, p.workerId, p.error, p.retryAt.toISOString(), p.now.toISOString()],
  );
  if (!row) return 'lost';
  return row.status === 'dead' ? 'dead' : 'retry';
}

export async function findJob(q: Queryable, key: string): Promise<JobRow | undefined> {
  const [row] = await q.query(`select ${COLUMNS} from public.jobs where key = $1`, [key]);
  return row ? jobRowSchema.parse(row) : undefined;
}

/**
 * Runs `effect` at most once per key: under an advisory lock on the key, inside the caller's
 * transaction, and records the key with it. A second delivery (even a simultaneous one) waits for
 * the first and then finds the key. Undefined when the effect had already happened.
 */
export async function onceByKey<T extends Record<string, unknown>>(
  q: Queryable,
  p: { key: string; tenantId: string },
  effect: () => Promise<T>,
): Promise<T | undefined> {
  await q.query("select pg_advisory_xact_lock(hashtext('slotbot.effect:' || $1))", [p.key]);
  const [seen] = await q.query('select 1 from public.job_effects where key = $1', [p.key]);
  if (seen) return undefined;
  const detail = await effect();
  await q.query(
    'insert into public.job_effects (key, tenant_id, detail) values ($1, $2, $3::jsonb)',
    [p.key, p.tenantId, JSON.stringify(detail)],
  );
  return detail;
}

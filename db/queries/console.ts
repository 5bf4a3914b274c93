import { z } from 'zod';
import type { Queryable } from '../port.ts';

/**
 * The platform console's reads and writes (businesses, their bots and activity, jobs in trouble).
 * Each list is a keyset page over an index (`supabase/migrations/20261126000500_admin_web.sql`, jobs in `…0400_bots_and_jobs.sql`); the statement text
 * depends on which filters are present, so every prepared statement has a plan that uses them.
 */

export const TENANT_STATUSES = ['pending', 'active', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

const botSchema = z.object({ id: z.string(), username: z.string(), status: z.string() });
export type ConsoleBot = z.infer<typeof botSchema>;

const tenantSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  status: z.enum(TENANT_STATUSES),
  maintenance: z.boolean(),
  maintenance_message: z.string().nullable(),
  maintenance_until: z.coerce.date().nullable(),
  default_language: z.string(),
  created_at: z.coerce.date(),
  bots: z.array(botSchema),
  bookings_7d: z.coerce.number(),
  last_update_at: z.coerce.date().nullable(),
});
export type TenantSummary = z.infer<typeof tenantSummarySchema>;

/** A business's facts for the list and the detail page: per row a few index lookups. */
const SUMMARY = `t.id, t.name, t.slug, t.status, t.maintenance, t.maintenance_message, t.maintenance_until, t.default_language, t.created_at,
  coalesce((select json_agg(json_build_object('id', b.id, 'username', b.username, 'status', b.status) order by b.created_at, b.id)
            from public.tenant_bots b where b.tenant_id = t.id), '[]'::json) as bots,
  (select count(*) from public.bookings k where k.tenant_id = t.id and k.created_at >= $1::timestamptz - interval '7 days') as bookings_7d,
  (select max(u.received_at) from public.telegram_updates u where u.tenant_id = t.id) as last_update_at`;

/** `column` starts with `param` (case-insensitive), as a byte-wise range an index can serve. */
const startsWith = (column: string, param: string) =>
  `${column} ~>=~ lower(${param}) and ${column} ~<~ (lower(${param}) || chr(1114111))`;

/**
 * Businesses by name, `limit` after the business `afterId` (keyset on name, id); `search` keeps
 * those whose name, slug or a bot's username starts with it; `status` those of that status.
 */
export async function listTenants(
  q: Queryable,
  p: { now: Date; search?: string; status?: TenantStatus; afterId?: string; limit: number },
): Promise<TenantSummary[]> {
  const params: unknown[] = [p.now.toISOString()];
  const where: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (p.search) {
    const s = param(p.search);
    // The matches' ids first (three index ranges), then those rows by primary key: never a scan of all.
    where.push(`t.id = any(array(
      select id from public.tenants where ${startsWith('lower(name)', s)}
      union select id from public.tenants where ${startsWith('slug', s)}
      union select tenant_id from public.tenant_bots where ${startsWith('lower(username)', s)}))`);
  }
  if (p.status) where.push(`t.status = ${param(p.status)}`);
  if (p.afterId) {
    const a = param(p.afterId);
    where.push(
      `(t.name, t.id) > (select c.name, c.id from public.tenants c where c.id = ${a}::uuid)`,
    );
  }
  const rows = await q.query(
    `select ${SUMMARY} from public.tenants t ${where.length ? `where ${where.join(' and ')}` : ''} order by t.name, t.id limit ${param(p.limit)}`,
    params,
  );
  return rows.map((r) => tenantSummarySchema.parse(r));
}

const detailSchema = tenantSummarySchema.extend({
  zone: z.string().nullable(),
  owners: z.coerce.number(),
  open_claims: z.coerce.number(),
  dead_jobs: z.coerce.number(),
  failing_jobs: z.coerce.number(),
});
export type TenantDetail = z.infer<typeof detailSchema>;

/** One business with its first location's zone, owners, open invitations and jobs in trouble. */
export async function tenantDetail(
  q: Queryable,
  p: { id: string; now: Date; lock?: boolean },
): Promise<TenantDetail | undefined> {
  const [row] = await q.query(
    `select ${SUMMARY},
       (select l.timezone from public.locations l where l.tenant_id = t.id order by l.sort_order, l.created_at, l.id limit 1) as zone,
       (select count(*) from public.staff_users s where s.tenant_id = t.id and s.role = 'owner' and s.active) as owners,
       (select count(*) from public.tenant_claims c where c.tenant_id = t.id and c.claimed_at is null and c.expires_at > $1::timestamptz) as open_claims,
       (select count(*) from public.jobs j where j.tenant_id = t.id and j.status = 'dead') as dead_jobs,
       (select count(*) from public.jobs j where j.tenant_id = t.id and j.status in ('pending', 'running') and j.attempts > 0) as failing_jobs
     from public.tenants t where t.id = $2`,
    [p.now.toISOString(), p.id],
  );
  return row ? detailSchema.parse(row) : undefined;
}

const tenantStateSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(TENANT_STATUSES),
  maintenance: z.boolean(),
  maintenance_message: z.string().nullable(),
  maintenance_until: z.string().nullable(),
});
/** What a status or maintenance change alters (the audit's before and after). */
export type TenantState = z.infer<typeof tenantStateSchema>;
const STATE =
  'id, name, status, maintenance, maintenance_message, to_char(maintenance_until at time zone \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS"Z"\') as maintenance_until';

/** A business's status and maintenance, row-locked for the change that follows. */
export async function lockTenantState(q: Queryable, id: string): Promise<TenantState | undefined> {
  const [row] = await q.query(`select ${STATE} from public.tenants where id = $1 for update`, [id]);
  return row ? tenantStateSchema.parse(row) : undefined;
}

export async function updateTenantState(
  q: Queryable,
  id: string,
  s: {
    status: TenantStatus;
    maintenance: boolean;
    maintenanceMessage: string | null;
    maintenanceUntil: Date | null;
  },
): Promise<TenantState> {
  const [row] = await q.query(
    `update public.tenants set status = $2, maintenance = $3, maintenance_message = $4, maintenance_until = $5 where id = $1 returning ${STATE}`,
    [id, s.status, s.maintenance, s.maintenanceMessage, s.maintenanceUntil?.toISOString() ?? null],
  );
  return tenantStateSchema.parse(row);
}

/** A new business; undefined when the slug is taken. */
export async function insertTenant(
  q: Queryable,
  p: { name: string; slug: string; defaultLanguage: string; status: TenantStatus },
): Promise<{ id: string } | undefined> {
  const [row] = await q.query<{ id: string }>(
    'insert into public.tenants (name, slug, default_language, status) values ($1, $2, $3, $4) on conflict (slug) do nothing returning id',
    [p.name, p.slug, p.defaultLanguage, p.status],
  );
  return row;
}

export async function deleteTenant(q: Queryable, id: string): Promise<void> {
  await q.query('delete from public.tenants where id = $1', [id]);
}

export interface PlatformCounts {
  tenants: Record<TenantStatus, number>;
  maintenance: number;
  deadJobs: number;
  failingJobs: number;
}

/** The home page's figures: businesses by status, in maintenance, and jobs in trouble. */
export async function platformCounts(q: Queryable): Promise<PlatformCounts> {
  const [byStatus, [jobs]] = await Promise.all([
    q.query<{ status: TenantStatus; n: string; m: string }>(
      'select status, count(*) as n, count(*) filter (where maintenance) as m from public.tenants group by status',
    ),
    q.query<{ dead: string; failing: string }>(
      `select count(*) filter (where status = 'dead') as dead, count(*) filter (where status <> 'dead') as failing
       from public.jobs where status = 'dead' or (status in ('pending', 'running') and attempts > 0)`,
    ),
  ]);
  const tenants: Record<TenantStatus, number> = { pending: 0, active: 0, suspended: 0 };
  let maintenance = 0;
  for (const row of byStatus) {
    tenants[row.status] = Number(row.n);
    maintenance += Number(row.m);
  }
  return {
    tenants,
    maintenance,
    deadJobs: Number(jobs?.dead ?? 0),
    failingJobs: Number(jobs?.failing ?? 0),
  };
}

const troubleJobSchema = z.object({
  id: z.string(),
  tenant_id: z.string().nullable(),
  tenant_name: z.string().nullable(),
  kind: z.string(),
  key: z.string(),
  status: z.enum(['pending', 'running', 'succeeded', 'dead', 'discarded']),
  attempts: z.coerce.number(),
  max_attempts: z.coerce.number(),
  run_at: z.coerce.date(),
  updated_at: z.coerce.date(),
  last_error: z.string().nullable(),
});
export type TroubleJob = z.infer<typeof troubleJobSchema>;

const TROUBLE = "(j.status = 'dead' or (j.status in ('pending', 'running') and j.attempts > 0))";

/**
 * Jobs in trouble (dead, or failed at least once and not done yet), most recently changed first,
 * `limit` after the job `afterId` (keyset on updated_at, id); all or one business's.
 */
export async function listTroubleJobs(
  q: Queryable,
  p: { tenantId?: string; afterId?: string; limit: number },
): Promise<TroubleJob[]> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [TROUBLE];
  if (p.tenantId) where.push(`j.tenant_id = ${param(p.tenantId)}`);
  if (p.afterId)
    where.push(
      `(j.updated_at, j.id) < (select c.updated_at, c.id from public.jobs c where c.id = ${param(p.afterId)}::uuid)`,
    );
  const rows = await q.query(
    `select j.id, j.tenant_id, (select t.name from public.tenants t where t.id = j.tenant_id) as tenant_name, j.kind, j.key, j.status, j.attempts, j.max_attempts, j.run_at, j.updated_at, left(j.last_error, 500) as last_error
     from public.jobs j
     where ${where.join(' and ')} order by j.updated_at desc, j.id desc limit ${param(p.limit)}`,
    params,
  );
  return rows.map((r) => troubleJobSchema.parse(r));
}

const jobStateSchema = z.object({
  id: z.string(),
  tenant_id: z.string().nullable(),
  kind: z.string(),
  key: z.string(),
  status: z.string(),
  attempts: z.coerce.number(),
  run_at: z.string(),
  last_error: z.string().nullable(),
});
/** What retrying or discarding a job alters (the audit's before and after). */
export type JobState = z.infer<typeof jobStateSchema>;
const JOB_STATE =
  'id, tenant_id, kind, key, status, attempts, to_char(run_at at time zone \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS"Z"\') as run_at, left(last_error, 300) as last_error';

export async function lockJob(q: Queryable, id: string): Promise<JobState | undefined> {
  const [row] = await q.query(`select ${JOB_STATE} from public.jobs where id = $1 for update`, [
    id,
  ]);
  return row ? jobStateSchema.parse(row) : undefined;
}

/** Back to pending, due at `now`, with a fresh set of attempts (the last error stays until it succeeds). */
export async function retryJobRow(q: Queryable, id: string, now: Date): Promise<JobState> {
  const [row] = await q.query(
    `update public.jobs set status = 'pending', run_at = $2, attempts = 0, locked_until = null, locked_by = null, finished_at = null
     where id = $1 returning ${JOB_STATE}`,
    [id, now.toISOString()],
  );
  return jobStateSchema.parse(row);
}

/** Given up on: kept with its last error, never run again. */
export async function discardJobRow(q: Queryable, id: string, now: Date): Promise<JobState> {
  const [row] = await q.query(
    `update public.jobs set status = 'discarded', finished_at = $2, locked_until = null, locked_by = null where id = $1 returning ${JOB_STATE}`,
    [id, now.toISOString()],
  );
  return jobStateSchema.parse(row);
}

import { checkDatabase } from '../db/health.ts';
import type { Database } from '../db/port.ts';
import type { SchedulerHealthReport } from '../tenants/jobs/scheduler-health.ts';
import type { PlatformHealth } from '../admin-ui/pages/landing.tsx';

/**
 * The platform's health, for `/healthz` and the landing page alike. Serving needs the database
 * reachable and migrated; a failing scheduler only degrades the report (see app.ts).
 */
export async function readPlatformHealth(
  db: Database,
  scheduler: { report(): SchedulerHealthReport } | undefined,
  now: () => number,
): Promise<PlatformHealth> {
  const database = await checkDatabase(db, now);
  const report = scheduler?.report();
  const serving = database.ok && database.migrations?.up_to_date === true;
  return {
    status: serving && report?.ok !== false ? 'ok' : 'degraded',
    serving,
    database,
    ...(report ? { scheduler: report } : {}),
  };
}

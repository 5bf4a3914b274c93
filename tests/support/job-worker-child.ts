/**
 * A job runner in a process of its own, for the crash test: it takes the due jobs and, inside the
 * effect's transaction, prints "working" and then hangs, so the test can kill it mid-job.
 * Arguments: database URL, visibility timeout in ms.
 */
import { openPostgres } from '../../db/postgres.ts';
import { asPlatform } from '../../db/scope.ts';
import { onceByKey } from '../../db/queries/jobs.ts';
import { createJobRunner } from '../../tenants/jobs/embedded-runner.ts';
import { createJobDispatcher } from '../../tenants/jobs/types.ts';
import { createLogger } from '../../tenants/observability/logger.ts';

const [url, visibility] = process.argv.slice(2) as [string, string];
const db = openPostgres(url);
const runner = createJobRunner({
  db,
  logger: createLogger({ level: 'silent', writer: () => {} }),
  now: Date.now,
  visibilityMs: Number(visibility),
  workerId: 'doomed-worker',
  dispatcher: createJobDispatcher({
    hold_expire: async (delivery) => {
      await asPlatform(db, (tx) =>
        onceByKey(tx, { key: `effect:${delivery.key}`, tenantId: delivery.tenantId! }, async () => {
          await tx.query("select set_config('application_name', 'doomed-worker', true)");
          process.stdout.write('working\n');
          // Mid-effect, transaction open: the test kills the process here.
          await new Promise(() => {});
          return { by: 'doomed-worker' };
        }),
      );
      return { status: 'done', outcome: 'unreachable' };
    },
  }),
});
await runner.runDue();

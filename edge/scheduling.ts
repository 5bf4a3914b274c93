import type { Database } from '../db/port.ts';
import { createEmbeddedScheduler } from '../tenants/jobs/embedded-runner.ts';
import { createQstashScheduler, describeQstashFailure } from '../tenants/jobs/qstash-scheduler.ts';
import { monitorScheduler, type SchedulerMonitor } from '../tenants/jobs/scheduler-health.ts';
import { qstashSignatureVerifier } from '../tenants/jobs/qstash-signature.ts';
import type { JobDispatcher, Scheduler } from '../tenants/jobs/types.ts';
import type { Logger } from '../tenants/observability/logger.ts';
import type { AppConfig } from './config.ts';
import type { JobRouteDeps } from './jobs-route.ts';

/** The configured scheduler: QStash (`SCHEDULER=qstash`) or the embedded jobs table. */
export function schedulerFor(config: AppConfig, db: Database, logger: Logger): Scheduler {
  if (config.scheduler.kind === 'qstash') {
    return createQstashScheduler({
      token: config.scheduler.token,
      publicUrl: config.publicUrl,
      logger,
      ...(config.scheduler.url ? { baseUrl: config.scheduler.url } : {}),
    });
  }
  return createEmbeddedScheduler(db);
}

/** The configured scheduler with its outcomes watched, for `/healthz` (long-running servers). */
export function monitoredSchedulerFor(
  config: AppConfig,
  db: Database,
  logger: Logger,
): SchedulerMonitor {
  return monitorScheduler(schedulerFor(config, db, logger), {
    kind: config.scheduler.kind,
    ...(config.scheduler.kind === 'qstash' ? { describe: describeQstashFailure } : {}),
  });
}

/** `POST /jobs/:kind` exists only with QStash: the embedded runner calls the dispatcher in-process. */
export function jobRoutesFor(
  config: AppConfig,
  dispatcher: JobDispatcher,
): JobRouteDeps | undefined {
  if (config.scheduler.kind !== 'qstash') return undefined;
  return {
    dispatcher,
    publicUrl: config.publicUrl,
    verifySignature: qstashSignatureVerifier({
      currentSigningKey: config.scheduler.currentSigningKey,
      nextSigningKey: config.scheduler.nextSigningKey,
    }),
  };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../edge/app.ts';
import { openPglite } from '../../db/pglite.ts';
import { createMigrator } from '../../db/migrations.ts';
import { loadMigrations } from '../../db/node/migration-files.ts';
import type { Database } from '../../db/port.ts';
import { createLogger, jsonLineWriter } from '../../tenants/observability/logger.ts';
import { describeQstashFailure } from '../../tenants/jobs/qstash-scheduler.ts';
import { monitorScheduler } from '../../tenants/jobs/scheduler-health.ts';

describe('GET /healthz', () => {
  let db: Database;
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', writer: jsonLineWriter((l) => lines.push(l)) });
  beforeAll(async () => {
    db = await openPglite();
  });
  afterAll(() => db.close());

  it('is 503 and degraded until the schema is migrated, then 200', async () => {
    const app = createApp({ db, logger });
    const before = await app.request('/healthz');
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({
      status: 'degraded',
      database: { ok: true, migrations: { applied: 0, up_to_date: false } },
    });

    const migrations = await loadMigrations();
    await createMigrator(db, migrations.slice(0, -1)).up();
    expect((await app.request('/healthz')).status).toBe(503);

    await createMigrator(db, migrations).up();
    const after = await app.request('/healthz', {
      headers: { 'x-correlation-id': 'test-correlation-1' },
    });
    expect(after.status).toBe(200);
    expect(after.headers.get('x-correlation-id')).toBe('test-correlation-1');
    expect(await after.json()).toMatchObject({
      status: 'ok',
      database: {
        kind: 'pglite',
        ok: true,
        migrations: {
          applied: migrations.length,
          latest: migrations.at(-1)!.version,
          up_to_date: true,
        },
      },
    });
    const logged = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.correlation_id === 'test-correlation-1');
    expect(logged).toMatchObject([{ event: 'http_request', path: '/healthz', status: 200 }]);
    expect(typeof logged[0]!.latency_ms).toBe('number');
  });

  it('is 503 with the error code when the database is unreachable', async () => {
    const closed = await openPglite();
    await closed.close();
    const res = await createApp({ db: closed, logger }).request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'degraded', database: { ok: false } });
  });

  it('a scheduler that is down makes the report degraded but the answer stays 200 (the instance still serves)', async () => {
    let down = true;
    const monitor = monitorScheduler(
      {
        schedule: async () => {
          if (down) throw new TypeError('fetch failed');
        },
      },
      { kind: 'qstash', describe: describeQstashFailure },
    );
    const app = createApp({ db, logger, scheduler: monitor });
    await expect(
      monitor.scheduler.schedule({ kind: 'digest_admin', runAt: 0, key: 'k', payload: {} }),
    ).rejects.toThrow();
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'degraded',
      database: { ok: true },
      scheduler: {
        kind: 'qstash',
        ok: false,
        error: 'QStash unreachable at the configured QSTASH_URL: fetch failed',
      },
    });
    down = false;
    await monitor.scheduler.schedule({ kind: 'digest_admin', runAt: 0, key: 'k', payload: {} });
    expect(await (await app.request('/healthz')).json()).toMatchObject({
      status: 'ok',
      scheduler: { kind: 'qstash', ok: true },
    });
  });

  it('answers unknown routes with a JSON problem', async () => {
    const res = await createApp({ db, logger }).request('/nowhere', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Not found',
      status: 404,
      detail: 'No route for POST /nowhere',
    });
  });
});

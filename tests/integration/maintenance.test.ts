import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { createEmbeddedScheduler } from '../../tenants/jobs/embedded-runner.ts';
import { digestKey } from '../../tenants/jobs/handlers/digest-admin.ts';
import { runMaintenance, type MaintenanceDeps } from '../../tenants/jobs/maintenance.ts';
import { createJobDispatcher } from '../../tenants/jobs/types.ts';
import { createLogger } from '../../tenants/observability/logger.ts';
import {
  bookingService,
  createBookingWorld,
  localStart,
  silentLogger,
  ZONE,
  type BookingWorld,
} from '../support/booking-world.ts';
import { migratedPostgres } from '../support/pg.ts';

/** The upkeep every runtime shares (`tenants/jobs/maintenance.ts`), in process against PostgreSQL. */
describe('runMaintenance', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  const ran: string[] = [];
  let deps: MaintenanceDeps;
  const client = { kind: 'client' as const, id: 'tg:maintenance' };

  const jobs = (pattern: string) =>
    asPlatform(db, (tx) =>
      tx.query<{ key: string; status: string; run_at: Date }>(
        'select key, status, run_at from jobs where key like $1 order by key',
        [pattern],
      ),
    );
  const hold = async (minutesFromNow: number, at: string) => {
    const r = await bookingService(db).book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: w.clientIds[0]!,
      serviceIds: [w.services.cut],
      start: localStart(3, at),
      masterId: w.masterIds[0],
      actor: client,
    });
    if (r.kind !== 'booked') throw new Error(r.kind);
    await asPlatform(db, (tx) =>
      tx.query(
        'update bookings set hold_expires_at = now() + make_interval(mins => $2) where id = $1',
        [r.booking.id, minutesFromNow],
      ),
    );
    return r.booking.id;
  };
  const status = async (id: string) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{ status: string }>('select status from bookings where id = $1', [id]),
      )
    )[0]!.status;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('maintenance'));
    w = await createBookingWorld(db, { masters: 1, clients: 1 });
    deps = {
      db,
      booking: bookingService(db),
      dispatcher: createJobDispatcher({
        reminder_send: async (d) => (ran.push(d.key), { status: 'done', outcome: 'ok' }),
      }),
      scheduler: createEmbeddedScheduler(db),
      logger: silentLogger,
      now: Date.now,
    };
  });
  afterAll(() => cleanup());

  it('sweeps expired holds, runs every due job (in batches) and no future one, and seeds each active tenant`s digest once', async () => {
    const expired = await hold(-1, '10:00');
    const running = await hold(10, '12:00');
    const scheduler = createEmbeddedScheduler(db);
    for (let i = 0; i < 23; i++)
      await scheduler.schedule({
        kind: 'reminder_send',
        key: `due:${String(i).padStart(2, '0')}`,
        runAt: Date.now() - 1000,
        payload: {},
        tenantId: w.tenantId,
      });
    await scheduler.schedule({
      kind: 'reminder_send',
      key: 'later:1',
      runAt: Date.now() + 3_600_000,
      payload: {},
      tenantId: w.tenantId,
    });

    const report = await runMaintenance(deps, {
      runDueJobs: { until: Date.now() + 30_000 },
      seedDigests: true,
    });

    expect(report).toEqual({ holdsReleased: 1, jobsRun: 23, digestsSeeded: 1, failed: [] });
    expect(await status(expired)).toBe('expired');
    expect(await status(running)).toBe('held');
    expect(ran.sort()).toEqual(
      Array.from({ length: 23 }, (_, i) => `due:${String(i).padStart(2, '0')}`),
    );
    expect((await jobs('due:%')).every((j) => j.status === 'succeeded')).toBe(true);
    expect(await jobs('later:%')).toMatchObject([{ status: 'pending' }]);
    // Today's digest, at 07:00 the next local morning (digest_admin's own rule).
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    const digests = await jobs('digest_admin:%');
    expect(digests).toEqual([
      {
        key: digestKey(w.tenantId, today),
        status: 'pending',
        run_at: DateTime.fromISO(today, { zone: ZONE })
          .plus({ days: 1 })
          .set({ hour: 7 })
          .toJSDate(),
      },
    ]);

    // A second tick finds nothing to do; seeding again is the same one job.
    ran.length = 0;
    expect(
      await runMaintenance(deps, { runDueJobs: { until: Date.now() + 30_000 }, seedDigests: true }),
    ).toEqual({ holdsReleased: 0, jobsRun: 0, digestsSeeded: 1, failed: [] });
    expect(ran).toEqual([]);
    expect(await jobs('digest_admin:%')).toEqual(digests);
  });

  it('runs only what it is asked to: no jobs without runDueJobs (SCHEDULER=qstash), no seeding but on the day`s first tick', async () => {
    const scheduler = createEmbeddedScheduler(db);
    await scheduler.schedule({
      kind: 'reminder_send',
      key: 'due:qstash',
      runAt: Date.now() - 1000,
      payload: {},
      tenantId: w.tenantId,
    });
    expect(await runMaintenance(deps, { seedDigests: false })).toEqual({
      holdsReleased: 0,
      failed: [],
    });
    expect(await jobs('due:qstash')).toMatchObject([{ status: 'pending' }]);
    await asPlatform(db, (tx) => tx.query("delete from jobs where key = 'due:qstash'"));
  });

  it('a failing step is logged and reported, and the other steps still run', async () => {
    const expired = await hold(-1, '14:00');
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'info',
      writer: (_level, fields) => void lines.push(fields),
    });
    const broken = {
      ...deps,
      logger,
      scheduler: { schedule: () => Promise.reject(new Error('QStash said no')) },
    };
    const report = await runMaintenance(broken, {
      runDueJobs: { until: Date.now() + 30_000 },
      seedDigests: true,
    });
    expect(report.failed.map((f) => f.step)).toEqual(['seed_digests']);
    expect(report).toMatchObject({ holdsReleased: 1, jobsRun: 0 });
    expect(await status(expired)).toBe('expired');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'maintenance_step_failed', step: 'seed_digests' }),
      ]),
    );
  });
});

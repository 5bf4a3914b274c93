import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator } from '../../db/migrations.ts';
import { loadMigrations } from '../../db/node/migration-files.ts';
import { openPostgres } from '../../db/postgres.ts';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { registerBot } from '../../tenants/bots/onboarding.ts';
import { createEmbeddedScheduler } from '../../tenants/jobs/embedded-runner.ts';
import { digestJob, digestKey } from '../../tenants/jobs/handlers/digest-admin.ts';
import { digestSeedingDue } from '../../tenants/jobs/maintenance.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import {
  bookingService,
  createBookingWorld,
  localStart,
  ZONE,
  type BookingWorld,
} from '../support/booking-world.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { serveWorker, type Served } from '../support/runtimes.ts';
import { TelegramStub } from '../support/telegram-stub.ts';

/**
 * The Worker's Cron Trigger (`scheduled` in edge/runtime/worker.ts) on workerd, under
 * `wrangler dev --test-scheduled`, against PostgreSQL with SCHEDULER=local: nothing else runs the
 * jobs table here, so whatever happened, the cron tick did it. A tick is fired through
 * `/__scheduled` (the `--test-scheduled` route) and through `/cdn-cgi/handler/scheduled`, which
 * also sets `scheduledTime` (for the 00:00 UTC tick) and answers 500 when the handler throws.
 */
const KEY = new Uint8Array(32).fill(5);
const OWNER = 880_001;

let tdb: TestDatabase;
let db: Database;
let worker: Served;
let world: BookingWorld;
let botToken: string;
const stub = new TelegramStub();

const jobs = (pattern: string) =>
  asPlatform(db, (tx) =>
    tx.query<{ key: string; status: string }>(
      'select key, status from jobs where key like $1 order by key',
      [pattern],
    ),
  );
const statusOf = async (id: string) =>
  (
    await asPlatform(db, (tx) =>
      tx.query<{ status: string }>('select status from bookings where id = $1', [id]),
    )
  )[0]!.status;

beforeAll(async () => {
  tdb = await createTestDatabase('worker_cron');
  db = openPostgres(tdb.url, { max: 2 });
  await createMigrator(db, await loadMigrations()).up();
  await stub.start();
  worker = await serveWorker(
    (publicUrl) => ({
      DATABASE_URL: tdb.url,
      ENCRYPTION_KEY: Buffer.from(KEY).toString('base64'),
      PUBLIC_URL: publicUrl,
      TELEGRAM_API_ROOT: stub.apiRoot,
      SCHEDULER: 'local',
      LOG_LEVEL: 'info',
    }),
    ['--test-scheduled'],
  );
  world = await createBookingWorld(db, { masters: 1, clients: 1 });
  botToken = `${8_100_000 + Math.floor(Math.random() * 100_000)}:AAE${'c'.repeat(32)}`;
  stub.addBot(botToken, 'cron_test_bot');
  await registerBot(
    { db, secrets: await createSecretBox(KEY), apiRoot: stub.apiRoot, publicUrl: worker.baseUrl },
    { tenantId: world.tenantId, token: botToken },
  );
  await asPlatform(db, (tx) =>
    tx.query(
      "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', $2)",
      [world.tenantId, OWNER],
    ),
  );
}, 150_000);

afterAll(async () => {
  await worker?.stop();
  await stub.stop();
  await db?.close();
  await tdb?.drop();
}, 60_000);

describe('the Worker`s Cron Trigger on workerd (wrangler dev --test-scheduled), SCHEDULER=local', () => {
  it('a tick sweeps an expired hold and runs the due jobs of the jobs table (here: yesterday`s digest, sent to the owner through the bot)', async () => {
    const client = { kind: 'client' as const, id: 'tg:cron' };
    const booked = await bookingService(db).book({
      tenantId: world.tenantId,
      locationId: world.locationId,
      clientId: world.clientIds[0]!,
      serviceIds: [world.services.cut],
      start: localStart(2, '11:00'),
      masterId: world.masterIds[0],
      actor: client,
    });
    if (booked.kind !== 'booked') throw new Error(booked.kind);
    await asPlatform(db, (tx) =>
      tx.query("update bookings set hold_expires_at = now() - interval '1 minute' where id = $1", [
        booked.booking.id,
      ]),
    );
    const yesterday = DateTime.now().setZone(ZONE).minus({ days: 1 }).toISODate()!;
    await createEmbeddedScheduler(db).schedule({
      ...digestJob(world.tenantId, yesterday, ZONE),
      runAt: Date.now() - 60_000,
    });
    const before = Date.now();

    const res = await fetch(`${worker.baseUrl}/__scheduled?cron=*+*+*+*+*`, {
      signal: AbortSignal.timeout(60_000),
    });

    expect(res.status).toBe(200);
    expect(await statusOf(booked.booking.id)).toBe('expired');
    expect(await jobs(`${digestKey(world.tenantId, yesterday)}`)).toEqual([
      { key: digestKey(world.tenantId, yesterday), status: 'succeeded' },
    ]);
    const sent = stub.messages(botToken, OWNER).map((m) => m.text);
    expect(sent).toEqual([
      expect.stringMatching(/^📊 .*\nBookings: 0 · cancellations: 0 · no-shows: 0/),
    ]);
    // The chain goes on: the digest scheduled today's.
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    expect(await jobs(digestKey(world.tenantId, today))).toMatchObject([{ status: 'pending' }]);
    expect(worker.output()).toContain('"event":"cron_tick"');
    // Not the 00:00 UTC tick (unless this ran then): no seeding.
    if (!digestSeedingDue(before) && !digestSeedingDue(Date.now()))
      expect(worker.output()).not.toContain('"event":"digests_seeded"');
  });

  it('the tick at 00:00 UTC seeds the daily digests: a tenant without a digest chain gets today`s, one with a chain keeps its one job', async () => {
    const newcomer = await createBookingWorld(db, { masters: 1, clients: 0 });
    expect(await jobs(`digest_admin:${newcomer.tenantId}:%`)).toEqual([]);
    const midnight = DateTime.utc().startOf('day').toMillis();

    const res = await fetch(
      `${worker.baseUrl}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${midnight}`,
      { signal: AbortSignal.timeout(60_000) },
    );

    expect(res.status).toBe(200);
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    expect(await jobs(`digest_admin:${newcomer.tenantId}:%`)).toEqual([
      { key: digestKey(newcomer.tenantId, today), status: 'pending' },
    ]);
    expect(await jobs(`digest_admin:${world.tenantId}:${today}`)).toHaveLength(1);
    expect(worker.output()).toMatch(/"event":"digests_seeded","count":2/);
  });

  it('a tick whose step fails is a failed run (500 from the trigger endpoint), after the other steps ran', async () => {
    const booked = await bookingService(db).book({
      tenantId: world.tenantId,
      locationId: world.locationId,
      clientId: world.clientIds[0]!,
      serviceIds: [world.services.cut],
      start: localStart(2, '15:00'),
      masterId: world.masterIds[0],
      actor: { kind: 'client', id: 'tg:cron' },
    });
    if (booked.kind !== 'booked') throw new Error(booked.kind);
    await asPlatform(db, (tx) =>
      tx.query("update bookings set hold_expires_at = now() - interval '1 minute' where id = $1", [
        booked.booking.id,
      ]),
    );
    // Seeding cannot write its jobs.
    await db.exec(`create function public.test_refuse_jobs() returns trigger language plpgsql as $$ begin raise exception 'jobs refused by the test'; end $$;
                   create trigger test_refuse_jobs before insert on public.jobs for each row execute function public.test_refuse_jobs();`);
    try {
      const midnight = DateTime.utc().startOf('day').toMillis();
      const res = await fetch(
        `${worker.baseUrl}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*&time=${midnight}`,
        { signal: AbortSignal.timeout(60_000) },
      );
      expect(res.status).toBe(500);
      expect(await statusOf(booked.booking.id)).toBe('expired');
      expect(worker.output()).toMatch(/"event":"maintenance_step_failed","step":"seed_digests"/);
      expect(worker.output()).toMatch(/"event":"cron_tick".*"failed":\["seed_digests"\]/);
    } finally {
      await db.exec(
        'drop trigger test_refuse_jobs on public.jobs; drop function public.test_refuse_jobs();',
      );
    }
  });
});

import { openPostgres } from '../db/postgres.ts';
import type { Database } from '../db/port.ts';
import { bookingService, createBookingWorld, localStart } from '../tests/support/booking-world.ts';
import { fmt, report } from './harness.ts';
import { postgresAvailable, scratchDatabase } from './pg-scratch.ts';

const WORKERS = 8;
const SECONDS = 3;
const client = { kind: 'client' as const, id: 'tg:bench' };

async function runFor(ms: number, workers: number, work: (worker: number, i: number) => Promise<boolean>) {
  const deadline = performance.now() + ms;
  const started = performance.now();
  let ok = 0;
  let attempts = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        attempts++;
        if (await work(worker, i)) ok++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: ok / seconds, attemptsPerSecond: attempts / seconds };
}

/** Booking throughput through the whole service (checks + RPC) beside a minimal insert transaction. */
export async function bookingBench(): Promise<void> {
  if (!(await postgresAvailable())) {
    report('booking figures', 'skipped: no PostgreSQL server');
    return;
  }
  const scratch = await scratchDatabase('booking');
  const connections: Database[] = Array.from({ length: WORKERS }, () => openPostgres(scratch.url, { max: 1 }));
  try {
    const setup = openPostgres(scratch.url, { max: 1 });
    const world = await createBookingWorld(setup, { masters: WORKERS + 1, clients: WORKERS });
    await setup.exec('create table bench_insert (id bigint generated always as identity primary key, at timestamptz not null default now())');
    await setup.close();

    const baseline = await runFor(SECONDS * 1000, WORKERS, async (w) => {
      await connections[w]!.transaction(async (tx) => void (await tx.query('insert into bench_insert default values')));
      return true;
    });
    report(`minimal one-insert transaction, ${WORKERS} connections`, `${fmt(baseline.perSecond, 0)} tx/s`);

    const services = connections.map((c) => bookingService(c));
    // No contention: each worker books its own master, slot after slot (15-minute steps, 30-minute visits).
    const distinct = await runFor(SECONDS * 1000, WORKERS, async (w, i) => {
      const r = await services[w]!.book({
        tenantId: world.tenantId,
        locationId: world.locationId,
        clientId: world.clientIds[w]!,
        serviceIds: [world.services.cut],
        masterId: world.masterIds[w],
        start: localStart(1 + Math.floor(i / 30), '00:00') + (i % 30) * 45 * 60_000,
        actor: client,
      });
      return r.kind === 'booked';
    });
    report(`bookings, distinct masters, ${WORKERS} workers`, `${fmt(distinct.perSecond, 0)} bookings/s (ratio to baseline ${fmt(distinct.perSecond / baseline.perSecond, 2)})`);

    // Contention: every worker aims at the same master's next few slots.
    const contended = await runFor(SECONDS * 1000, WORKERS, async (w, i) => {
      const r = await services[w]!.book({
        tenantId: world.tenantId,
        locationId: world.locationId,
        clientId: world.clientIds[w]!,
        serviceIds: [world.services.cut],
        masterId: world.masterIds[WORKERS],
        start: localStart(1 + Math.floor(i / 8), '08:00') + (i % 8) * 60 * 60_000,
        actor: client,
      });
      return r.kind === 'booked';
    });
    report(
      `bookings, one master, ${WORKERS} workers`,
      `${fmt(contended.attemptsPerSecond, 0)} attempts/s, ${fmt(contended.perSecond, 0)} bookings/s (the rest: slot taken + alternatives)`,
    );
    report('target', `distinct-master bookings >= 1/3 of the minimal transaction rate: ${distinct.perSecond * 3 >= baseline.perSecond ? 'met' : 'NOT met'}`);
  } finally {
    await Promise.all(connections.map((c) => c.close()));
    await scratch.drop();
  }
}

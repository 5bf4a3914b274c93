import { findSlots } from '../tenants/availability/engine.ts';
import { ZoneCalendar } from '../tenants/availability/calendar.ts';
import { referenceSlots } from '../tests/support/availability-reference.ts';
import { benchLocation, benchSearch } from './availability-fixture.ts';
import { fmt, median, report, timeRuns } from './harness.ts';

/** The gap search: targets are < 10 ms for a 60-day "any master" search and < 10 µs per master-day. */
export async function availabilityBench(): Promise<void> {
  const location = benchLocation();
  report(
    'location',
    `20 masters, 8 services, 60-day horizon, ${fmt(location.bookingsPerWorkingDay)} bookings per master-day`,
  );
  const requests = [['s2'], ['s1', 's4'], ['s1', 's2', 's3']];
  let engineMsPerMasterDay = 0;
  for (const ids of requests) {
    const search = benchSearch(location, ids);
    const calendar = new ZoneCalendar(location.zone);
    findSlots(search, { calendar }); // warm the calendar and the JIT
    for (let i = 0; i < 20; i++) findSlots(search, { calendar });
    const result = findSlots(search, { calendar });
    const masterDays = result.qualifiedMasterIds.length * 61;
    const warm = await timeRuns(31, () => void findSlots(search, { calendar }));
    const cold = await timeRuns(11, () => void findSlots(search));
    const perMasterDayUs = (median(warm) * 1000) / masterDays;
    engineMsPerMasterDay = Math.max(engineMsPerMasterDay, median(warm) / masterDays);
    report(
      `any master, ${ids.length} service(s) [${ids.join('+')}], ${result.qualifiedMasterIds.length} masters`,
      `${fmt(median(warm), 2)} ms median (cold calendar ${fmt(median(cold), 2)} ms), ${result.slots.length} slots`,
    );
    report(
      '  master-days per second',
      `${fmt(masterDays / (median(warm) / 1000), 0)} (${fmt(perMasterDayUs, 2)} µs per master-day)`,
    );
  }

  // The minute-by-minute reference on the same location (one run; it is slow by design).
  const search = benchSearch(location, ['s1', 's4']);
  const started = performance.now();
  const reference = referenceSlots(search);
  const referenceMs = performance.now() - started;
  const engine = findSlots(search);
  const same =
    engine.slots.length === reference.size &&
    engine.slots.every(
      (s) => JSON.stringify(reference.get(s.start)) === JSON.stringify(s.masterIds),
    );
  const calendar = new ZoneCalendar(location.zone);
  const engineMs = median(await timeRuns(21, () => void findSlots(search, { calendar })));
  report(
    'reference, same 60-day any-master search [s1+s4]',
    `${fmt(referenceMs, 0)} ms, results ${same ? 'identical' : 'DIFFERENT'}`,
  );
  report('  speed ratio engine/reference', `${fmt(referenceMs / engineMs, 0)}x faster`);
  if (!same) process.exitCode = 1;
}

import { DateTime } from 'luxon';
import type {
  MasterSchedule,
  RequestedService,
  SlotSearch,
} from '../tenants/availability/types.ts';

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same input. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface BenchLocation {
  zone: string;
  now: number;
  services: RequestedService[];
  masters: MasterSchedule[];
  bookingsPerWorkingDay: number;
}

/**
 * The benchmark location: 20 masters, 8 services, Mon-Sat hours with lunch, and about 8 bookings
 * per master per working day over the 60-day horizon.
 */
export function benchLocation(): BenchLocation {
  const rand = prng(20261126);
  const zone = 'Europe/Berlin';
  const now = Date.parse('2026-03-02T07:00:00Z');
  const services: RequestedService[] = [20, 30, 45, 60, 60, 75, 90, 120].map((durationMin, i) => ({
    id: `s${i + 1}`,
    durationMin,
  }));
  const masters: MasterSchedule[] = [];
  let bookings = 0;
  let workingDays = 0;
  for (let m = 0; m < 20; m++) {
    const skills = new Map<string, number | null>();
    for (const s of services)
      if (s.id === 's1' || s.id === 's2' || rand() < 0.7)
        skills.set(s.id, rand() < 0.3 ? Math.max(10, s.durationMin - 10) : null);
    const startHour = 8 + Math.floor(rand() * 3);
    const hours = [1, 2, 3, 4, 5, 6].map((weekday) => ({
      weekday,
      start: startHour * 60,
      end: (startHour + 10) * 60,
    }));
    const breaks = [1, 2, 3, 4, 5, 6].map((weekday) => ({
      weekday,
      start: 13 * 60,
      end: 13 * 60 + 30,
    }));
    const busy: { start: number; end: number }[] = [];
    const today = DateTime.fromMillis(now, { zone }).startOf('day');
    for (let d = 0; d <= 61; d++) {
      const day = today.plus({ days: d });
      if (day.weekday === 7) continue;
      workingDays++;
      // About eight visits of 30-60 minutes with gaps, inside the working hours.
      let cursor = day.set({ hour: startHour }).toMillis();
      for (let b = 0; b < 8; b++) {
        cursor += Math.floor(rand() * 4) * 15 * 60_000;
        const length = (2 + Math.floor(rand() * 3)) * 15 * 60_000;
        busy.push({ start: cursor, end: cursor + length + 10 * 60_000 });
        cursor += length + 10 * 60_000;
        bookings++;
      }
    }
    masters.push({
      id: `m${m + 1}`,
      speedPercent: 80 + Math.floor(rand() * 6) * 10,
      skills,
      hours,
      breaks,
      timeOff: [],
      busy,
    });
  }
  return { zone, now, services, masters, bookingsPerWorkingDay: bookings / workingDays };
}

export function benchSearch(location: BenchLocation, serviceIds: string[]): SlotSearch {
  return {
    now: location.now,
    timezone: location.zone,
    policy: {
      leadTimeMinutes: 60,
      horizonDays: 60,
      slotStepMinutes: 15,
      sameDayCutoff: '18:00',
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
    },
    services: location.services.filter((s) => serviceIds.includes(s.id)),
    masters: location.masters,
  };
}

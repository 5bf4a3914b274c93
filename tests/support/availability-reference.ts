import { DateTime } from 'luxon';
import type { SlotSearch } from '../../tenants/availability/types.ts';

/**
 * A deliberately naive reference for the availability rules, minute by minute, sharing no code with
 * the engine: every minute of the search range is looked up with luxon on its own, and a start is
 * valid when every rule holds for it. Slow by design; only for tests and the benchmark ratio.
 */
export interface MinuteInfo {
  date: string;
  weekday: number;
  wall: number;
}

export function referenceSlots(search: SlotSearch): Map<number, string[]> {
  const zone = search.timezone;
  const { policy } = search;
  const step = policy.slotStepMinutes;
  const nowLocal = DateTime.fromMillis(search.now, { zone });
  const today = nowLocal.startOf('day');
  const cutoff = policy.sameDayCutoff
    ? Number(policy.sameDayCutoff.slice(0, 2)) * 60 + Number(policy.sameDayCutoff.slice(3))
    : null;
  const pastCutoff = cutoff !== null && nowLocal.hour * 60 + nowLocal.minute >= cutoff;
  const allowedDates = new Set<string>();
  for (let i = pastCutoff ? 1 : 0; i <= policy.horizonDays; i++) {
    const date = today.plus({ days: i }).toISODate()!;
    if ((!search.fromDate || date >= search.fromDate) && (!search.toDate || date <= search.toDate))
      allowedDates.add(date);
  }

  // Every minute from the start of today until two days after the horizon (visits may run late).
  const first = Math.floor(today.toMillis() / 60_000);
  const last = Math.floor(today.plus({ days: policy.horizonDays + 2 }).toMillis() / 60_000);
  const info: MinuteInfo[] = [];
  const minutesOfDate = new Map<string, number[]>();
  for (let x = first; x < last; x++) {
    const dt = DateTime.fromMillis(x * 60_000, { zone });
    const m = { date: dt.toISODate()!, weekday: dt.weekday, wall: dt.hour * 60 + dt.minute };
    info.push(m);
    if (!minutesOfDate.has(m.date)) minutesOfDate.set(m.date, []);
    minutesOfDate.get(m.date)!.push(x);
  }
  const at = (x: number) => info[x - first]!;
  // The first minute of `date` whose wall clock reads `wall` or later (else the minute after the date).
  const memo = new Map<string, number>();
  const firstAtOrAfter = (date: string, wall: number) => {
    const key = `${date}|${wall}`;
    let found = memo.get(key);
    if (found === undefined) {
      const xs = minutesOfDate.get(date)!;
      found = xs[xs.length - 1]! + 1;
      for (const x of xs) {
        if (at(x).wall >= wall) {
          found = x;
          break;
        }
      }
      memo.set(key, found);
    }
    return found;
  };
  const inWeekly = (
    x: number,
    windows: readonly { weekday: number; start: number; end: number }[],
  ) => {
    const m = at(x);
    return windows.some(
      (w) =>
        w.weekday === m.weekday &&
        firstAtOrAfter(m.date, w.start) <= x &&
        x < firstAtOrAfter(m.date, w.end),
    );
  };

  const result = new Map<number, string[]>();
  const nowMinute = Math.ceil(search.now / 60_000);
  for (const master of search.masters) {
    if (search.services.length === 0 || !search.services.every((s) => master.skills.has(s.id)))
      continue;
    const total = search.services.reduce(
      (sum, s) => sum + (master.skills.get(s.id) ?? s.durationMin),
      0,
    );
    let duration = 0;
    while (duration * 100 < total * master.speedPercent) duration += step;

    const free = new Uint8Array(last - first);
    for (let x = first; x < last; x++) {
      const m = at(x);
      const working = inWeekly(x, master.hours);
      const onBreak = inWeekly(x, master.breaks);
      const off = master.timeOff.some((t) =>
        t.kind === 'days'
          ? m.date >= t.firstDay && m.date <= t.lastDay
          : x >= Math.floor(t.start / 60_000) && x < Math.ceil(t.end / 60_000),
      );
      free[x - first] = working && !onBreak && !off ? 1 : 0;
    }
    // Minutes covered by a blocking booking's span.
    const busy = new Set<number>();
    for (const b of master.busy) {
      for (let x = Math.floor(b.start / 60_000); x < Math.ceil(b.end / 60_000); x++) busy.add(x);
    }
    for (let s = first; s + duration <= last; s++) {
      const m = at(s);
      if (!allowedDates.has(m.date)) continue;
      if (m.wall % step !== 0) continue;
      if (s < nowMinute + policy.leadTimeMinutes) continue;
      // Free for the whole visit, and all on the start's local date (no visit spans midnight).
      let allFree = true;
      for (let x = s; x < s + duration && allFree; x++)
        allFree = free[x - first] === 1 && at(x).date === m.date;
      if (!allFree) continue;
      // The occupied span [s - before, s + duration + after) may touch no busy minute.
      let clash = false;
      for (
        let x = s - policy.bufferBeforeMinutes;
        x < s + duration + policy.bufferAfterMinutes && !clash;
        x++
      ) {
        clash = busy.has(x);
      }
      if (clash) continue;
      const key = s * 60_000;
      if (!result.has(key)) result.set(key, []);
      result.get(key)!.push(master.id);
    }
  }
  return result;
}

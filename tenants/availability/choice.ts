import type { Slot, SlotSearchResult } from './types.ts';

/**
 * The fair choice among the masters who can take a slot ("any master"): the one with the fewest busy
 * minutes on that local date; on a tie, the one listed first (the location's sort order). Spreading
 * work this way keeps every master's day similarly full.
 */
export function chooseMaster(
  slot: Slot,
  localDate: string,
  result: Pick<SlotSearchResult, 'load'>,
): string {
  let best = slot.masterIds[0]!;
  let bestLoad = Infinity;
  for (const id of slot.masterIds) {
    const load = result.load[id]?.[localDate] ?? 0;
    if (load < bestLoad) {
      best = id;
      bestLoad = load;
    }
  }
  return best;
}

export interface Alternative {
  start: number;
  masterId: string;
}

/**
 * The `count` valid starts closest to a refused or taken one. With a chosen master, that master's
 * nearest starts come first; the rest are filled with other qualified masters' starts, nearest in
 * time on either side (an earlier start wins a tie), the master picked by `chooseMaster`. A start
 * already offered is not offered twice.
 */
export function nearestAlternatives(
  result: Pick<SlotSearchResult, 'slots' | 'load'>,
  requested: { start: number; masterId?: string },
  count: number,
  localDateOf: (epochMs: number) => string,
): Alternative[] {
  const byDistance = (a: { start: number }, b: { start: number }) =>
    Math.abs(a.start - requested.start) - Math.abs(b.start - requested.start) || a.start - b.start;
  const out: Alternative[] = [];
  const taken = new Set<number>();
  if (requested.masterId) {
    const own = result.slots.filter(
      (s) => s.start !== requested.start && s.masterIds.includes(requested.masterId!),
    );
    for (const slot of own.sort(byDistance).slice(0, count)) {
      out.push({ start: slot.start, masterId: requested.masterId });
      taken.add(slot.start);
    }
  }
  if (out.length < count) {
    const others = result.slots
      .filter(
        (s) =>
          !taken.has(s.start) && (requested.masterId !== undefined || s.start !== requested.start),
      )
      .sort(byDistance);
    for (const slot of others) {
      if (out.length >= count) break;
      const eligible = slot.masterIds.filter((m) => m !== requested.masterId);
      if (eligible.length === 0) continue;
      out.push({
        start: slot.start,
        masterId: chooseMaster({ ...slot, masterIds: eligible }, localDateOf(slot.start), result),
      });
    }
  }
  return out;
}

/**
 * nearestAlternatives over `search(masterIds)`, searching only the chosen master first: when that
 * master alone has `count` starts in the window, the others' calendars would add nothing to the
 * answer, so they are not searched. The answer is always that of the search over every master.
 */
export function nearestAlternativesSearched(
  search: (masterIds?: readonly string[]) => Pick<SlotSearchResult, 'slots' | 'load'>,
  requested: { start: number; masterId?: string },
  count: number,
  localDateOf: (epochMs: number) => string,
): Alternative[] {
  if (requested.masterId) {
    const own = nearestAlternatives(search([requested.masterId]), requested, count, localDateOf);
    if (own.length >= count) return own;
  }
  return nearestAlternatives(search(), requested, count, localDateOf);
}

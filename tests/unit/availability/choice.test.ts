import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseMaster,
  nearestAlternatives,
  nearestAlternativesSearched,
} from '../../../tenants/availability/choice.ts';
import { findSlots } from '../../../tenants/availability/engine.ts';
import { localClock } from '../../../tenants/availability/local-days.ts';
import type { MasterSchedule, SlotSearch } from '../../../tenants/availability/types.ts';
import { referenceSlots } from '../../support/availability-reference.ts';
import { searchArb } from '../../support/availability-arbitraries.ts';

const H = 3_600_000;
const MONDAY = Date.parse('2026-06-15T00:00:00Z'); // a Monday; zone UTC keeps the arithmetic plain

function master(
  id: string,
  busy: [number, number][] = [],
  skills: string[] = ['cut'],
): MasterSchedule {
  return {
    id,
    speedPercent: 100,
    skills: new Map(skills.map((s) => [s, null])),
    hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: 9 * 60, end: 17 * 60 })),
    breaks: [],
    timeOff: [],
    busy: busy.map(([from, to]) => ({ start: MONDAY + from * H, end: MONDAY + to * H })),
  };
}

function search(
  masters: MasterSchedule[],
  services = [{ id: 'cut', durationMin: 60 }],
): SlotSearch {
  return {
    now: MONDAY,
    timezone: 'UTC',
    policy: {
      leadTimeMinutes: 0,
      horizonDays: 2,
      slotStepMinutes: 60,
      sameDayCutoff: null,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
    },
    services,
    masters,
    toDate: '2026-06-15',
  };
}

const dateOf = (ms: number) => localClock('UTC', ms).date;

describe('any master', () => {
  it('unions qualified masters and tags each slot with who can take it', () => {
    const result = findSlots(
      search([master('ann', [[9, 12]]), master('bob', [[14, 17]]), master('cy', [], ['colour'])]),
    );
    expect(result.qualifiedMasterIds).toEqual(['ann', 'bob']);
    const at = (h: number) => result.slots.find((s) => s.start === MONDAY + h * H)?.masterIds;
    expect(at(9)).toEqual(['bob']);
    expect(at(12)).toEqual(['ann', 'bob']);
    expect(at(15)).toEqual(['ann']);
  });

  it('picks the least loaded master of the day, then the first listed', () => {
    const result = findSlots(
      search([master('ann', [[9, 12]]), master('bob', [[14, 15]]), master('cy')]),
    );
    const noon = result.slots.find((s) => s.start === MONDAY + 12 * H)!;
    expect(noon.masterIds).toEqual(['ann', 'bob', 'cy']);
    expect(result.load).toMatchObject({ ann: { '2026-06-15': 180 }, bob: { '2026-06-15': 60 } });
    expect(chooseMaster(noon, '2026-06-15', result)).toBe('cy');
    expect(chooseMaster({ ...noon, masterIds: ['ann', 'bob'] }, '2026-06-15', result)).toBe('bob');
    const even = findSlots(search([master('ann'), master('bob')]));
    expect(chooseMaster(even.slots[0]!, '2026-06-15', even)).toBe('ann');
  });

  it('finds nothing when no master has every requested skill', () => {
    const result = findSlots(
      search(
        [master('ann')],
        [
          { id: 'cut', durationMin: 60 },
          { id: 'colour', durationMin: 30 },
        ],
      ),
    );
    expect(result).toMatchObject({ slots: [], qualifiedMasterIds: [] });
  });
});

describe('nearest alternatives', () => {
  it('offers the same master first, nearest on either side, then other masters', () => {
    // ann is free 9-10 and 13-17; bob is free all day. 11:00 is refused for ann.
    const result = findSlots(search([master('ann', [[10, 13]]), master('bob')]));
    const alternatives = nearestAlternatives(
      result,
      { start: MONDAY + 11 * H, masterId: 'ann' },
      4,
      dateOf,
    );
    expect(alternatives).toEqual([
      { start: MONDAY + 9 * H, masterId: 'ann' },
      { start: MONDAY + 13 * H, masterId: 'ann' },
      { start: MONDAY + 14 * H, masterId: 'ann' },
      { start: MONDAY + 15 * H, masterId: 'ann' },
    ]);
    // ann has five free starts in all (9, 13, 14, 15, 16); the rest come from bob, nearest first.
    const more = nearestAlternatives(
      result,
      { start: MONDAY + 11 * H, masterId: 'ann' },
      7,
      dateOf,
    );
    expect(more.slice(4)).toEqual([
      { start: MONDAY + 16 * H, masterId: 'ann' },
      { start: MONDAY + 11 * H, masterId: 'bob' },
      { start: MONDAY + 10 * H, masterId: 'bob' },
    ]);
  });

  it('for any master, offers the nearest starts with the fair master, never the refused start', () => {
    const result = findSlots(search([master('ann', [[9, 12]]), master('bob', [[11, 12]])]));
    const alternatives = nearestAlternatives(result, { start: MONDAY + 11 * H }, 3, dateOf);
    expect(alternatives.map((a) => (a.start - MONDAY) / H)).toEqual([10, 12, 9]);
    expect(alternatives[1]!.masterId).toBe('bob');
  });

  it('only ever offers valid starts, the closest ones, each at most once', () => {
    fc.assert(
      fc.property(
        searchArb(),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: -600, max: 600 }),
        (s, count, shift) => {
          const result = findSlots(s);
          const valid = referenceSlots(s);
          const requested = { start: s.now + shift * 60_000 + 3 * H, masterId: s.masters[0]!.id };
          const alternatives = nearestAlternatives(
            result,
            requested,
            count,
            (ms) => localClock(s.timezone, ms).date,
          );
          const own = [...valid.entries()].filter(
            ([start, ids]) => start !== requested.start && ids.includes(requested.masterId),
          );
          expect(alternatives.length).toBe(
            Math.min(
              count,
              own.length +
                [...valid.entries()].filter(
                  ([start, ids]) =>
                    !own.some(([o]) => o === start) && ids.some((id) => id !== requested.masterId),
                ).length,
            ),
          );
          const seen = new Set<number>();
          for (const a of alternatives) {
            expect(valid.get(a.start)).toContain(a.masterId);
            expect(seen.has(a.start)).toBe(false);
            seen.add(a.start);
          }
          const ownOffered = alternatives.filter((a) => a.masterId === requested.masterId);
          const distances = own
            .map(([start]) => Math.abs(start - requested.start))
            .sort((a, b) => a - b);
          expect(ownOffered.map((a) => Math.abs(a.start - requested.start))).toEqual(
            distances.slice(0, ownOffered.length),
          );
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});

describe('nearest alternatives, searching the chosen master first', () => {
  it('gives the answer of the search over every master, searching the others only when it must', () => {
    fc.assert(
      fc.property(
        searchArb(),
        fc.integer({ min: -1, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(),
        (search, masterIndex, count, pick) => {
          const all = findSlots(search);
          // A start the search offers (a taken slot looks like that to the engine) or, without any, now.
          const start =
            all.slots.length > 0 ? all.slots[pick % all.slots.length]!.start : search.now;
          const masterId =
            masterIndex >= 0 ? search.masters[masterIndex % search.masters.length]?.id : undefined;
          const requested = { start, ...(masterId ? { masterId } : {}) };
          const dateOf = (ms: number) => localClock(search.timezone, ms).date;
          const searched: (readonly string[] | undefined)[] = [];
          const lazily = nearestAlternativesSearched(
            (masterIds) => {
              searched.push(masterIds);
              return findSlots({
                ...search,
                masters: masterIds
                  ? search.masters.filter((m) => masterIds.includes(m.id))
                  : search.masters,
              });
            },
            requested,
            count,
            dateOf,
          );
          expect(lazily).toEqual(nearestAlternatives(all, requested, count, dateOf));
          // Every master is searched only when the chosen one could not fill the list alone.
          const ownAlone = masterId ? lazily.filter((a) => a.masterId === masterId).length : 0;
          expect(searched.includes(undefined)).toBe(!masterId || ownAlone < count);
        },
      ),
      { numRuns: Number(process.env.AVAILABILITY_RUNS ?? 200) },
    );
  }, 120_000);
});

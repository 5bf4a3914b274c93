import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSlots } from '../../../tenants/availability/engine.ts';
import { referenceSlots } from '../../support/availability-reference.ts';
import { searchArb } from '../../support/availability-arbitraries.ts';

const toMap = (slots: { start: number; masterIds: string[] }[]) =>
  new Map(slots.map((s) => [s.start, s.masterIds]));

describe('availability engine against the minute-by-minute reference', () => {
  it('returns exactly the reference starts, with the same masters, for random schedules', () => {
    fc.assert(
      fc.property(searchArb(), (search) => {
        const engine = findSlots(search);
        const reference = referenceSlots(search);
        expect(toMap(engine.slots)).toEqual(reference);
        // Ascending, no duplicate instants.
        for (let i = 1; i < engine.slots.length; i++)
          expect(engine.slots[i]!.start).toBeGreaterThan(engine.slots[i - 1]!.start);
      }),
      { numRuns: Number(process.env.AVAILABILITY_RUNS ?? 200) },
    );
  }, 180_000);
});

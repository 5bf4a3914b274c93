import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZoneCalendar } from '../../../tenants/availability/calendar.ts';
import { findSlots, offersStart } from '../../../tenants/availability/engine.ts';
import { searchArb } from '../../support/availability-arbitraries.ts';

const MINUTE = 60_000;

describe('offersStart: one instant, the same answer as the search', () => {
  it('agrees with findSlots for every 5-minute instant around now and for off-minute instants, each master', () => {
    fc.assert(
      fc.property(searchArb(), (search) => {
        // Every zone in the arbitraries has offsets in whole quarter hours and every step is a
        // multiple of 5 minutes, so each start the search can offer is a multiple of 5 minutes.
        const first = Math.floor(search.now / (5 * MINUTE)) * 5 * MINUTE - 2 * 86_400_000;
        const last = search.now + (search.policy.horizonDays + 2) * 86_400_000;
        const calendar = new ZoneCalendar(search.timezone);
        for (const master of search.masters) {
          const offered = new Set(
            findSlots({ ...search, masters: [master] }).slots.map((s) => s.start),
          );
          const check = {
            now: search.now,
            timezone: search.timezone,
            policy: search.policy,
            services: search.services,
            master,
          };
          for (let start = first; start <= last; start += 5 * MINUTE) {
            if (offersStart({ ...check, start }, { calendar }) !== offered.has(start)) {
              expect({
                master: master.id,
                start: new Date(start).toISOString(),
                offered: offersStart({ ...check, start }, { calendar }),
              }).toEqual({
                master: master.id,
                start: new Date(start).toISOString(),
                offered: offered.has(start),
              });
            }
          }
          for (const start of offered) {
            expect(offersStart({ ...check, start: start + 1 }, { calendar })).toBe(false);
            expect(offersStart({ ...check, start: start + 30_000 })).toBe(false);
          }
        }
      }),
      { numRuns: Number(process.env.AVAILABILITY_RUNS ?? 200) },
    );
  }, 180_000);

  it('offers nothing for no services', () => {
    fc.assert(
      fc.property(searchArb(), (search) => {
        const master = search.masters[0]!;
        for (const slot of findSlots({ ...search, masters: [master] }).slots) {
          expect(
            offersStart({
              now: search.now,
              timezone: search.timezone,
              policy: search.policy,
              services: [],
              master,
              start: slot.start,
            }),
          ).toBe(false);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('refuses a calendar of another zone, as findSlots does', () => {
    const master = {
      id: 'm',
      speedPercent: 100,
      skills: new Map([['s', null]]),
      hours: [],
      breaks: [],
      timeOff: [],
      busy: [],
    };
    const policy = {
      leadTimeMinutes: 0,
      horizonDays: 1,
      slotStepMinutes: 15,
      sameDayCutoff: null,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
    };
    expect(() =>
      offersStart(
        {
          now: 0,
          timezone: 'Europe/Berlin',
          policy,
          services: [{ id: 's', durationMin: 30 }],
          master,
          start: 0,
        },
        { calendar: new ZoneCalendar('UTC') },
      ),
    ).toThrow(/another timezone/);
  });
});

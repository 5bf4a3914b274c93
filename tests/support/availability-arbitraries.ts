import fc from 'fast-check';
import type {
  MasterSchedule,
  SlotSearch,
  TimeOff,
  WeeklyWindow,
} from '../../tenants/availability/types.ts';

/** Zones with the awkward cases: DST both ways, half-hour and 45-minute offsets, a 30-minute DST. */
export const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'UTC',
  'Asia/Kathmandu',
  'America/Santiago',
  'Pacific/Chatham',
];

/** Instants near the 2026 DST switches of those zones, and ordinary days. */
const ANCHORS = [
  '2026-03-29T00:30:00Z', // Berlin spring forward (01:00Z)
  '2026-10-25T00:30:00Z', // Berlin fall back (01:00Z)
  '2026-03-08T06:00:00Z', // New York spring forward (07:00Z)
  '2026-11-01T05:00:00Z', // New York fall back (06:00Z)
  '2026-04-04T14:00:00Z', // Lord Howe fall back (15:00Z)
  '2026-10-03T15:00:00Z', // Lord Howe spring forward (15:30Z)
  '2026-04-05T02:00:00Z', // Santiago fall back (03:00Z, at local midnight)
  '2026-09-06T03:00:00Z', // Santiago spring forward (04:00Z: local midnight does not exist)
  '2026-06-15T09:17:00Z',
  '2026-01-10T21:00:00Z',
].map((iso) => Date.parse(iso));

/** Up to `maxPerDay` non-overlapping windows on each weekday (some days empty), on a 15-minute grid. */
const windowsArb = (maxPerDay: number, emptyDayWeight: number): fc.Arbitrary<WeeklyWindow[]> =>
  fc
    .array(
      fc.oneof(
        { weight: emptyDayWeight, arbitrary: fc.constant<number[]>([]) },
        {
          weight: 3,
          arbitrary: fc.uniqueArray(
            fc.integer({ min: 0, max: 96 }).map((q) => q * 15),
            { minLength: 2, maxLength: 2 * maxPerDay },
          ),
        },
      ),
      { minLength: 7, maxLength: 7 },
    )
    .map((days) =>
      days.flatMap((cuts, i) => {
        const sorted = [...cuts].sort((a, b) => a - b);
        const out: WeeklyWindow[] = [];
        for (let j = 0; j + 1 < sorted.length; j += 2)
          out.push({ weekday: i + 1, start: sorted[j]!, end: sorted[j + 1]! });
        return out;
      }),
    );

const ALL_SKILLS = ['s1', 's2', 's3', 's4'];

export function searchArb(): fc.Arbitrary<SlotSearch> {
  return fc
    .record({
      zone: fc.constantFrom(...ZONES),
      anchor: fc.constantFrom(...ANCHORS),
      shift: fc.integer({ min: -2 * 86_400, max: 2 * 86_400 }).map((sec) => sec * 1000 + 123),
      lead: fc.integer({ min: 0, max: 600 }),
      horizon: fc.integer({ min: 1, max: 3 }),
      step: fc.constantFrom(5, 10, 15, 20, 30, 45, 60, 25),
      cutoff: fc.option(
        fc
          .integer({ min: 0, max: 1439 })
          .map(
            (m) =>
              `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
          ),
        { nil: null },
      ),
      before: fc.integer({ min: 0, max: 30 }),
      after: fc.integer({ min: 0, max: 30 }),
      services: fc.uniqueArray(
        fc.record({
          id: fc.constantFrom('s1', 's2', 's3', 's4'),
          durationMin: fc.integer({ min: 5, max: 120 }),
        }),
        {
          minLength: 1,
          maxLength: 3,
          selector: (s) => s.id,
        },
      ),
      masters: fc.array(
        fc.record({
          speedPercent: fc.oneof(
            fc.constantFrom(100, 80, 125, 150),
            fc.integer({ min: 25, max: 400 }),
          ),
          skills: fc.oneof(
            { weight: 3, arbitrary: fc.constant(ALL_SKILLS) },
            { weight: 1, arbitrary: fc.subarray(ALL_SKILLS) },
          ),
          overrides: fc.array(fc.option(fc.integer({ min: 5, max: 90 }), { nil: null }), {
            minLength: 4,
            maxLength: 4,
          }),
          hours: windowsArb(2, 1),
          breaks: windowsArb(1, 3),
          offDays: fc.array(
            fc.tuple(fc.integer({ min: -1, max: 3 }), fc.integer({ min: 0, max: 1 })),
            { maxLength: 1 },
          ),
          offRanges: fc.array(
            fc.tuple(fc.integer({ min: -1440, max: 4 * 1440 }), fc.integer({ min: 1, max: 600 })),
            { maxLength: 2 },
          ),
          busy: fc.array(
            fc.tuple(
              fc.integer({ min: -1440, max: 4 * 1440 }),
              fc.integer({ min: 5, max: 180 }),
              fc.integer({ min: 0, max: 59 }),
            ),
            { maxLength: 8 },
          ),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    })
    .map((r): SlotSearch => {
      const now = r.anchor + r.shift;
      const day = (offset: number) =>
        new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
      const masters: MasterSchedule[] = r.masters.map((m, i) => {
        const timeOff: TimeOff[] = [
          ...m.offDays.map(([from, len]): TimeOff => ({
            kind: 'days',
            firstDay: day(from),
            lastDay: day(from + len),
          })),
          ...m.offRanges.map(([from, len]): TimeOff => ({
            kind: 'range',
            start: now + from * 60_000,
            end: now + (from + len) * 60_000,
          })),
        ];
        return {
          id: `m${i + 1}`,
          speedPercent: m.speedPercent,
          skills: new Map(m.skills.map((id) => [id, m.overrides[Number(id.slice(1)) - 1] ?? null])),
          hours: m.hours,
          breaks: m.breaks,
          timeOff,
          busy: m.busy.map(([from, len, sec]) => ({
            start: now + from * 60_000 + sec * 1000,
            end: now + (from + len) * 60_000 + sec * 1000,
          })),
        };
      });
      return {
        now,
        timezone: r.zone,
        policy: {
          leadTimeMinutes: r.lead,
          horizonDays: r.horizon,
          slotStepMinutes: r.step,
          sameDayCutoff: r.cutoff,
          bufferBeforeMinutes: r.before,
          bufferAfterMinutes: r.after,
        },
        services: r.services,
        masters,
      };
    });
}

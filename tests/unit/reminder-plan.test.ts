import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { planReminders } from '../../tenants/jobs/reminder-plan.ts';
import { formatWhen } from '../../tenants/i18n/format.ts';

const H = 3_600_000;
const policy = (leadMinutes: number[], whenLate: 'send_now' | 'skip' = 'send_now') => ({
  reminders: { leadMinutes, whenLate },
});

describe('reminder plan', () => {
  it('a visit three days ahead is reminded at exactly start − 24 h and start − 3 h (UTC instants)', () => {
    const start = Date.parse('2026-12-04T09:30:00Z');
    const now = start - 3 * 24 * H;
    expect(planReminders(policy([1440, 180]), start, now)).toEqual([
      { leadMinutes: 1440, runAt: Date.parse('2026-12-03T09:30:00Z') },
      { leadMinutes: 180, runAt: Date.parse('2026-12-04T06:30:00Z') },
    ]);
  });

  it('across the spring-forward switch the reminder stays 24 real hours before and reads right locally', () => {
    // Berlin leaves CET for CEST on 2026-03-29; the visit is Monday 30 March, 10:00 local (08:00Z).
    const start = DateTime.fromISO('2026-03-30T10:00', { zone: 'Europe/Berlin' }).toMillis();
    const now = DateTime.fromISO('2026-03-27T12:00', { zone: 'Europe/Berlin' }).toMillis();
    const [day, hours] = planReminders(policy([1440, 180]), start, now);
    expect(new Date(day!.runAt).toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(new Date(hours!.runAt).toISOString()).toBe('2026-03-30T05:00:00.000Z');
    // The Sunday reminder fires at 10:00 local (CEST), the visit is shown at 10:00 too.
    expect(
      DateTime.fromMillis(day!.runAt, { zone: 'Europe/Berlin' }).toFormat('yyyy-MM-dd HH:mm'),
    ).toBe('2026-03-29 10:00');
    expect(formatWhen(start, 'Europe/Berlin', 'en')).toContain('10:00');
  });

  it('across the fall-back switch as well (New York, 1 November 2026)', () => {
    const start = DateTime.fromISO('2026-11-02T09:00', { zone: 'America/New_York' }).toMillis();
    const [day] = planReminders(policy([1440]), start, start - 5 * 24 * H);
    expect(start - day!.runAt).toBe(24 * H);
    // The clocks went back at 02:00 on Sunday: 24 real hours before Monday 09:00 EST is Sunday 09:00 EST.
    expect(
      DateTime.fromMillis(day!.runAt, { zone: 'America/New_York' }).toFormat('yyyy-MM-dd HH:mm'),
    ).toBe('2026-11-01 09:00');
  });

  it('lead times already passed: one reminder now (send_now) or none (skip); nothing for a visit begun', () => {
    const start = Date.parse('2026-12-04T09:30:00Z');
    const now = start - 2 * H;
    expect(planReminders(policy([1440, 180]), start, now)).toEqual([
      { leadMinutes: 180, runAt: now },
    ]);
    expect(planReminders(policy([1440, 180], 'skip'), start, now)).toEqual([]);
    expect(planReminders(policy([1440, 60]), start, now)).toEqual([
      { leadMinutes: 60, runAt: start - H },
      { leadMinutes: 1440, runAt: now },
    ]);
    expect(planReminders(policy([1440, 180]), start, start)).toEqual([]);
  });

  it('every planned reminder lies in [now, start) and future ones are exactly start − lead', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 43_200 }), { maxLength: 5 }),
        fc.integer({ min: 0, max: 60 * 24 * 60 }),
        fc.constantFrom<'send_now' | 'skip'>('send_now', 'skip'),
        (leads, minutesAhead, whenLate) => {
          const now = Date.parse('2026-06-01T00:00:00Z');
          const start = now + minutesAhead * 60_000;
          const plan = planReminders(policy(leads, whenLate), start, now);
          for (const r of plan) {
            expect(r.runAt).toBeGreaterThanOrEqual(now);
            expect(r.runAt).toBeLessThan(start);
            if (r.runAt > now) expect(r.runAt).toBe(start - r.leadMinutes * 60_000);
          }
          expect(plan.filter((r) => r.runAt === now).length).toBeLessThanOrEqual(
            whenLate === 'skip' ? 0 : 1,
          );
          expect(new Set(plan.map((r) => r.leadMinutes)).size).toBe(plan.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

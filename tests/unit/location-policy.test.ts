import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOCATION_POLICY,
  parseLocationPolicy,
} from '../../tenants/policy/location-policy.ts';

describe('location policy', () => {
  it('accepts the default policy', () => {
    expect(parseLocationPolicy(DEFAULT_LOCATION_POLICY)).toEqual({
      ok: true,
      policy: DEFAULT_LOCATION_POLICY,
    });
  });

  it.each([
    [{ slotStepMinutes: 0 }, 'slotStepMinutes: Too small'],
    [{ leadTimeMinutes: 1.5 }, 'leadTimeMinutes:'],
    [{ horizonDays: 400 }, 'horizonDays: Too big'],
    [{ sameDayCutoff: '25:00' }, 'sameDayCutoff: expected HH:MM (24-hour clock)'],
    [
      { cancellation: { freeUntilHours: 2, lockHours: 24, fee: null } },
      'cancellation.lockHours: lockHours must not exceed freeUntilHours',
    ],
    [
      { reschedule: { freeUntilHours: 24, lockHours: 2, fee: { kind: 'percent', percent: 150 } } },
      'reschedule.fee.percent: Too big',
    ],
    [
      { reminders: { leadMinutes: [60, 60], whenLate: 'skip' } },
      'reminders.leadMinutes: reminder lead times must be distinct',
    ],
    [{ deposit: { mode: 'sometimes', percent: 10, noShowThreshold: 1 } }, 'deposit.mode:'],
  ])('names the field and the rule for %j', (patch, expected) => {
    const result = parseLocationPolicy({ ...DEFAULT_LOCATION_POLICY, ...patch });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toContain(expected);
  });

  it('refuses something that is not an object', () => {
    expect(parseLocationPolicy('15 minutes')).toMatchObject({ ok: false });
  });
});

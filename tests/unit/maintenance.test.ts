import { describe, expect, it } from 'vitest';
import { digestSeedingDue } from '../../tenants/jobs/maintenance.ts';

const at = (iso: string) => Date.parse(iso);

describe('digestSeedingDue: once a UTC day', () => {
  it('a cron tick seeds when it is the tick of 00:00 UTC', () => {
    expect(digestSeedingDue(at('2026-03-29T00:00:00Z'))).toBe(true);
    expect(digestSeedingDue(at('2026-03-29T00:00:59Z'))).toBe(true);
    expect(digestSeedingDue(at('2026-03-29T00:01:00Z'))).toBe(false);
    expect(digestSeedingDue(at('2026-03-29T23:59:00Z'))).toBe(false);
    expect(digestSeedingDue(at('2026-03-29T12:00:00Z'))).toBe(false);
  });

  it('a long-running server seeds on its first tick after each UTC midnight', () => {
    const seeded = at('2026-03-28T09:13:00Z');
    expect(digestSeedingDue(at('2026-03-28T23:59:59Z'), seeded)).toBe(false);
    expect(digestSeedingDue(at('2026-03-29T00:00:30Z'), seeded)).toBe(true);
    expect(digestSeedingDue(at('2026-03-30T17:00:00Z'), seeded)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import {
  leadHistogram,
  load,
  loadPercent,
  ltvMinor,
  percent,
  share,
} from '../../tenants/analytics/metrics.ts';
import {
  localDayBounds,
  parsePeriod,
  periodBounds,
  periodDates,
  periodLength,
  presetOf,
  presetPeriod,
} from '../../tenants/analytics/period.ts';

const query = (q: Record<string, string>) => ({ get: (name: string) => q[name] });
// 2026-03-29 09:00 UTC: 11:00 in Berlin on the spring-forward day.
const NOW = Date.parse('2026-03-29T09:00:00Z');

describe('analytics period', () => {
  it('a local day is [midnight, next midnight): 23 hours on the spring-forward day, 25 on the fall-back day', () => {
    const spring = localDayBounds('2026-03-29', 'Europe/Berlin');
    expect(new Date(spring.from).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(spring.to).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect((spring.to - spring.from) / 3_600_000).toBe(23);
    const fall = localDayBounds('2026-10-25', 'Europe/Berlin');
    expect((fall.to - fall.from) / 3_600_000).toBe(25);
    expect(periodBounds({ fromDate: '2026-03-28', toDate: '2026-03-30' }, 'Europe/Berlin')).toEqual(
      { from: Date.parse('2026-03-27T23:00:00Z'), to: Date.parse('2026-03-30T22:00:00Z') },
    );
  });

  it('defaults to the last 30 local days up to today; presets are the last 7/30/90 and the next 30 days', () => {
    expect(parsePeriod(query({}), 'Europe/Berlin', NOW)).toEqual({
      ok: true,
      period: { fromDate: '2026-02-28', toDate: '2026-03-29' },
    });
    expect(presetPeriod('last7', 'Europe/Berlin', NOW)).toEqual({
      fromDate: '2026-03-23',
      toDate: '2026-03-29',
    });
    expect(presetPeriod('next30', 'Europe/Berlin', NOW)).toEqual({
      fromDate: '2026-03-29',
      toDate: '2026-04-27',
    });
    // Already the 29th in Auckland, still the 28th in Honolulu at 22:00 UTC on the 28th.
    const late = Date.parse('2026-03-28T22:00:00Z');
    expect(presetPeriod('last7', 'Pacific/Auckland', late).toDate).toBe('2026-03-29');
    expect(presetPeriod('last7', 'Pacific/Honolulu', late).toDate).toBe('2026-03-28');
    expect(presetOf({ fromDate: '2025-12-30', toDate: '2026-03-29' }, 'Europe/Berlin', NOW)).toBe(
      'last90',
    );
    expect(
      presetOf({ fromDate: '2026-03-01', toDate: '2026-03-29' }, 'Europe/Berlin', NOW),
    ).toBeUndefined();
    expect(periodLength({ fromDate: '2026-03-28', toDate: '2026-03-30' })).toBe(3);
    expect(periodDates({ fromDate: '2026-03-28', toDate: '2026-03-30' })).toEqual([
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
    ]);
  });

  it('one date given: 30 days from or up to it; wrong dates, order and spans over 366 days are said, the default stands in', () => {
    expect(parsePeriod(query({ from: '2026-01-01' }), 'UTC', NOW)).toEqual({
      ok: true,
      period: { fromDate: '2026-01-01', toDate: '2026-01-30' },
    });
    expect(parsePeriod(query({ to: '2026-01-30' }), 'UTC', NOW)).toEqual({
      ok: true,
      period: { fromDate: '2026-01-01', toDate: '2026-01-30' },
    });
    expect(parsePeriod(query({ from: '2026-02-30', to: 'x' }), 'Europe/Berlin', NOW)).toMatchObject(
      { ok: false, problems: { from: true, to: true }, period: { toDate: '2026-03-29' } },
    );
    expect(
      parsePeriod(query({ from: '2026-03-10', to: '2026-03-01' }), 'Europe/Berlin', NOW),
    ).toMatchObject({ ok: false, problems: { order: true } });
    expect(
      parsePeriod(query({ from: '2025-01-01', to: '2026-03-01' }), 'Europe/Berlin', NOW),
    ).toMatchObject({ ok: false, problems: { span: true } });
    expect(
      parsePeriod(query({ from: '2025-03-01', to: '2026-03-01' }), 'Europe/Berlin', NOW).ok,
    ).toBe(true);
  });
});

describe('analytics arithmetic', () => {
  it('shares of nothing are null, not 0 % and not NaN', () => {
    expect(share(2, 8)).toBe(0.25);
    expect(share(0, 0)).toBeNull();
    expect(percent(2 / 3)).toBe(66.7);
    expect(load(150, 1320)).toBeCloseTo(0.1136, 4);
    expect(load(30, 0)).toBeNull();
    expect(loadPercent(30, 0)).toBe(0);
    expect(loadPercent(150, 1320)).toBe(11);
  });

  it('LTV is realized revenue per client in whole minor units, rounded half up', () => {
    expect(ltvMinor(10_200, 3)).toBe(3_400);
    expect(ltvMinor(1_000, 3)).toBe(333);
    expect(ltvMinor(500, 3)).toBe(167);
    expect(ltvMinor(500, 0)).toBeNull();
  });

  it('lead-time buckets: every bucket in order, missing ones 0, open at both ends', () => {
    const h = leadHistogram([
      { bucket: 0, bookings: 2 },
      { bucket: 6, bookings: 1 },
    ]);
    expect(h.map((b) => b.bookings)).toEqual([2, 0, 0, 0, 0, 0, 1]);
    expect(h[0]).toEqual({ index: 0, fromHours: null, toHours: 2, bookings: 2 });
    expect(h[6]).toEqual({ index: 6, fromHours: 672, toHours: null, bookings: 1 });
  });
});

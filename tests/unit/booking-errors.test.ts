import { describe, expect, it } from 'vitest';
import { bookingRefusalOf, decodeBookingError } from '../../db/booking-errors.ts';

describe('booking refusals, decoded once', () => {
  it('reads each SQLSTATE of the booking functions, with its detail', () => {
    expect(
      bookingRefusalOf('SB002', '{"until":"2026-12-01T10:00:00Z","message":"inventory"}'),
    ).toEqual({ reason: 'maintenance', until: '2026-12-01T10:00:00Z', message: 'inventory' });
    expect(bookingRefusalOf('SB002')).toEqual({
      reason: 'maintenance',
      until: null,
      message: null,
    });
    expect(bookingRefusalOf('SB005', '["a", "b"]')).toEqual({
      reason: 'service_unavailable',
      serviceIds: ['a', 'b'],
    });
    expect(bookingRefusalOf('SB008', '{"rule":"horizon"}')).toEqual({ reason: 'horizon' });
    expect(bookingRefusalOf('SB008', '{"rule":"lead_time"}')).toEqual({ reason: 'lead_time' });
    expect(bookingRefusalOf('SB011', '42')).toEqual({ reason: 'catalog_changed', version: 42 });
    expect(bookingRefusalOf('SB011', 'garbled')).toEqual({
      reason: 'catalog_changed',
      version: null,
    });
    const plain: [string, string][] = [
      ['SB001', 'tenant_closed'],
      ['SB003', 'location_unavailable'],
      ['SB004', 'master_unavailable'],
      ['SB006', 'skill_missing'],
      ['SB007', 'slot_taken'],
      ['23P01', 'slot_taken'],
      ['SB009', 'idempotency_key_reused'],
      ['SB010', 'booking_not_found'],
      ['SB012', 'outside_hours'],
      ['SB013', 'in_break'],
      ['SB014', 'time_off'],
      ['SB015', 'same_day_cutoff'],
      ['SB016', 'off_grid'],
      ['SB017', 'override_not_allowed'],
      ['SB020', 'invalid_transition'],
      ['SB021', 'invalid_transition'],
      ['SB022', 'not_started'],
    ];
    for (const [code, reason] of plain) expect(bookingRefusalOf(code), code).toEqual({ reason });
  });

  it('lets every other error through: other SQLSTATEs, errors without one, statuses', () => {
    expect(bookingRefusalOf('23503')).toBeUndefined();
    expect(bookingRefusalOf('confirmed')).toBeUndefined();
    expect(decodeBookingError(new Error('boom'))).toBeUndefined();
    expect(decodeBookingError({ code: '40P01', message: 'deadlock' })).toBeUndefined();
    expect(
      decodeBookingError({ code: 'SB013', message: 'the visit overlaps a break', detail: '' }),
    ).toEqual({ reason: 'in_break' });
  });
});

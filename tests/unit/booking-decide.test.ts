import { describe, expect, it } from 'vitest';
import type { BookingSnapshot } from '../../db/queries/booking-snapshot.ts';
import { createBookingCaches } from '../../tenants/booking/booking-cache.ts';
import {
  decideHold,
  explainRefusedStart,
  holdParams,
  masterOrder,
  precheck,
  refusalFor,
  type DecideContext,
} from '../../tenants/booking/decide.ts';
import type { BookRequest } from '../../tenants/booking/requests.ts';
import { DEFAULT_LOCATION_POLICY } from '../../tenants/policy/location-policy.ts';

/**
 * The booking decisions are pure: a snapshot, a request and one reading of the clock in, a
 * decision out. Berlin, Monday 2026-06-01; masters work 09:00–18:00 every day.
 */
const ZONE = 'Europe/Berlin';
const NOW = Date.parse('2026-06-01T06:00:00Z'); // 08:00 local
const at = (hhmm: string, day = '2026-06-02') => Date.parse(`${day}T${hhmm}:00+02:00`);
const POLICY = {
  ...DEFAULT_LOCATION_POLICY,
  leadTimeMinutes: 60,
  horizonDays: 30,
  slotStepMinutes: 15,
  sameDayCutoff: null,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
};

const master = (id: string, busy: [number, number][] = [], skills = ['cut']) => ({
  id,
  display_name: id,
  speed_factor: 1,
  active: true,
  skills: skills.map((service_id) => ({ service_id, override: null })),
  hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: 9 * 60, end: 18 * 60 })),
  breaks: [],
  time_off: [],
  busy,
});

function snapshot(over: Partial<BookingSnapshot> = {}): BookingSnapshot {
  return {
    tenant: {
      status: 'active',
      maintenance: false,
      maintenance_until: null,
      maintenance_message: null,
    },
    location: {
      id: 'loc',
      name: 'Studio',
      timezone: ZONE,
      currency: 'EUR',
      policy: POLICY,
      active: true,
      catalog_version: 7,
    },
    replay_id: null,
    replay_master_id: null,
    client: { id: 'client', no_show_count: 0, language: 'en' },
    services: [{ id: 'cut', name: 'Cut', duration_min: 30, price_minor: 3000, active: true }],
    masters: [master('anna'), master('boris')],
    ...over,
  };
}

const caches = createBookingCaches();
const ctx: DecideContext = {
  now: NOW,
  alternativeCount: 3,
  calendarFor: caches.calendarFor,
  policyOf: caches.policyOf,
  mastersOf: caches.mastersOf,
};

const request = (over: Partial<BookRequest> = {}): BookRequest => ({
  tenantId: 't',
  locationId: 'loc',
  clientId: 'client',
  serviceIds: ['cut'],
  start: at('10:00'),
  actor: { kind: 'client', id: 'tg:1' },
  ...over,
});

describe('booking decisions (tenants/booking/decide.ts)', () => {
  it('writes a free start with the chosen master, or the less busy master for "any master"', () => {
    expect(decideHold(ctx, snapshot(), request({ masterId: 'boris' }))).toEqual({
      kind: 'write',
      masterId: 'boris',
    });
    const annaBusy = snapshot({
      masters: [master('anna', [[at('14:00'), at('16:00')]]), master('boris')],
    });
    expect(decideHold(ctx, annaBusy, request())).toEqual({ kind: 'write', masterId: 'boris' });
    expect(masterOrder(ctx, annaBusy, request(), ['anna', 'boris'], 0)).toEqual(['boris', 'anna']);
  });

  it('refuses a closed tenant or a withdrawn service at once, with what can be had instead', () => {
    const closed = snapshot({
      tenant: {
        status: 'active',
        maintenance: true,
        maintenance_until: null,
        maintenance_message: 'back soon',
      },
    });
    expect(decideHold(ctx, closed, request())).toEqual({
      kind: 'refuse',
      refusal: {
        kind: 'tenant_unavailable',
        reason: 'maintenance',
        until: null,
        message: 'back soon',
      },
    });
    const withdrawn = snapshot({
      services: [
        { id: 'cut', name: 'Cut', duration_min: 30, price_minor: 3000, active: false },
        { id: 'style', name: 'Style', duration_min: 45, price_minor: 4500, active: true },
      ],
    });
    expect(decideHold(ctx, withdrawn, request())).toEqual({
      kind: 'refuse',
      refusal: {
        kind: 'service_unavailable',
        serviceIds: ['cut'],
        alternatives: [{ id: 'style', name: 'Style' }],
      },
    });
  });

  it('reads wider when the narrow snapshot cannot decide: a taken or unworked start, an unlisted master', () => {
    const taken = snapshot({ masters: [master('anna', [[at('10:00'), at('10:30')]])] });
    expect(decideHold(ctx, taken, request({ masterId: 'anna' }))).toEqual({ kind: 'careful' });
    expect(decideHold(ctx, snapshot(), request({ start: at('07:00') }))).toEqual({
      kind: 'careful',
    });
    expect(decideHold(ctx, snapshot(), request({ masterId: 'nobody' }))).toEqual({
      kind: 'careful',
    });
    // Over every master, the unlisted one is refused with colleagues' times.
    const wide = precheck(ctx, snapshot(), request({ masterId: 'nobody' }), true);
    expect(wide).toMatchObject({ refusal: { kind: 'master_unavailable', masterId: 'nobody' } });
  });

  it('hands a repeated idempotency key to the master of the earlier booking, whatever is free', () => {
    const taken = snapshot({
      masters: [master('anna', [[at('10:00'), at('10:30')]]), master('boris')],
    });
    expect(decideHold(ctx, taken, request(), { replayMaster: 'anna' })).toEqual({
      kind: 'write',
      masterId: 'anna',
    });
  });

  it('trusts the cached catalog only for a start its master works; anything else is read afresh', () => {
    const cached = snapshot({ client: null });
    expect(decideHold(ctx, cached, request({ masterId: 'anna' }), { cached: true })).toEqual({
      kind: 'write',
      masterId: 'anna',
    });
    expect(
      decideHold(ctx, cached, request({ masterId: 'anna', start: at('19:00') }), { cached: true }),
    ).toEqual({ kind: 'careful' });
    // Outside the cache the client must belong to the tenant: a caller's bug, not a refusal.
    expect(() => decideHold(ctx, cached, request({ masterId: 'anna' }))).toThrow(/client/);
  });

  it('explains a refused start by the first rule it breaks, else the schedule, else another booking', () => {
    const s = snapshot({ masters: [master('anna', [[at('10:00'), at('10:30')]])] });
    const explain = (start: number) => {
      const r = explainRefusedStart(ctx, s, request({ start }), ['anna'], []);
      return r.kind === 'policy_blocked' ? r.rule : r.kind;
    };
    expect(explain(at('08:30', '2026-06-01'))).toBe('lead_time');
    expect(explain(at('10:00', '2026-07-15'))).toBe('horizon');
    expect(explain(at('07:00'))).toBe('outside_schedule');
    expect(explain(at('10:00'))).toBe('slot_taken');
  });

  it('turns the database refusals into the same refusals, with the alternatives given', () => {
    const alternatives = [{ start: at('11:00'), masterId: 'anna' }];
    expect(refusalFor({ reason: 'in_break' } as never, alternatives)).toEqual({
      kind: 'policy_blocked',
      rule: 'outside_schedule',
      message: 'that time is outside the working hours',
      alternatives,
    });
    expect(refusalFor({ reason: 'slot_taken' } as never)).toBeUndefined();
  });

  it("builds book_slot's parameters without empty optional fields", () => {
    const p = holdParams(request({ idempotencyKey: '', comment: '' }), 'anna', 7);
    expect(p).toMatchObject({ masterId: 'anna', catalogVersion: 7, actorKind: 'client' });
    expect(p.idempotencyKey).toBeUndefined();
    expect(p.comment).toBeUndefined();
  });
});

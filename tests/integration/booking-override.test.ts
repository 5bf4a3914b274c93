import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { BookingError } from '../../tenants/booking/results.ts';
import { migratedPostgres } from '../support/pg.ts';
import {
  bookingService,
  createBookingWorld,
  localStart,
  type BookingWorld,
} from '../support/booking-world.ts';

/**
 * The booking service's staff override (BookRequest.override): the engine is not asked, book_slot
 * judges it (staff only), the reason lands in the history; other bookings, lead time and horizon
 * still refuse it. And a client without Telegram books like anyone else.
 */
describe('booking service: a staff override of the schedule', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let service: ReturnType<typeof bookingService>;
  let walkIn: string;
  const owner = { kind: 'owner' as const, id: 'owner-1' };

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('booking_override'));
    w = await createBookingWorld(db, { masters: 1, clients: 1 });
    service = bookingService(db);
    await asPlatform(db, async (tx) => {
      await tx.query('delete from working_hours where master_id = $1', [w.masterIds[0]]);
      await tx.query(
        "insert into working_hours (tenant_id, master_id, weekday, start_local, end_local) select $1, $2, d, '09:00', '18:00' from generate_series(1, 7) d",
        [w.tenantId, w.masterIds[0]],
      );
      walkIn = (
        await tx.query<{ id: string }>(
          "insert into clients (tenant_id, source, first_name, phone) values ($1, 'phone', 'Anna', '+4930123456') returning id",
          [w.tenantId],
        )
      )[0]!.id;
    });
  });
  afterAll(() => cleanup());

  const request = (start: number, over: Record<string, unknown> = {}) => ({
    tenantId: w.tenantId,
    locationId: w.locationId,
    clientId: walkIn,
    serviceIds: [w.services.cut],
    masterId: w.masterIds[0]!,
    start,
    actor: owner,
    ...over,
  });

  it('without an override, an evening start is outside the schedule', async () => {
    const refused = await service.book(request(localStart(3, '20:00')));
    expect(refused).toMatchObject({ kind: 'policy_blocked', rule: 'outside_schedule' });
  });

  it('with an owner’s reason it is booked, and the history says what was set aside and why', async () => {
    const booked = await service.book(
      request(localStart(3, '20:00'), { override: { reason: 'Wedding party' } }),
    );
    if (booked.kind !== 'booked') throw new Error(JSON.stringify(booked));
    const [history] = await asPlatform(db, (tx) =>
      tx.query<{ reason: string; actor_kind: string }>(
        'select reason, actor_kind from booking_status_history where booking_id = $1',
        [booked.booking.id],
      ),
    );
    expect(history).toEqual({
      actor_kind: 'owner',
      reason: 'booked (override: the visit is outside the working hours): Wedding party',
    });
    // Overlapping it is still refused, override or not.
    expect(
      (
        await service.book(
          request(localStart(3, '20:15'), { override: { reason: 'Another party' } }),
        )
      ).kind,
    ).toBe('slot_taken');
  });

  it('lead time and horizon still bind; a client or master may not override; a master is needed', async () => {
    expect(
      await service.book(request(Date.now() - 3_600_000, { override: { reason: 'Past' } })),
    ).toMatchObject({ kind: 'policy_blocked', rule: 'lead_time' });
    expect(
      await service.book(request(localStart(90, '20:00'), { override: { reason: 'Far' } })),
    ).toMatchObject({ kind: 'policy_blocked', rule: 'horizon' });
    await expect(
      service.book(
        request(localStart(4, '20:00'), {
          actor: { kind: 'client', id: 'tg:1', clientId: walkIn },
          override: { reason: 'Please' },
        }),
      ),
    ).rejects.toThrow(BookingError);
    await expect(
      service.book(
        request(localStart(4, '20:00'), { masterId: undefined, override: { reason: 'Any' } }),
      ),
    ).rejects.toThrow(BookingError);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../db/postgres.ts';
import type { Database } from '../../db/port.ts';
import { tenantClaims } from '../../db/scope.ts';
import { bookSlot, bookSlotScoped, type BookSlotParams } from '../../db/queries/bookings.ts';
import { migratedPostgres } from '../support/pg.ts';
import {
  createBookingWorld,
  localStart,
  slotRequest,
  type BookingWorld,
} from '../support/booking-world.ts';

describe('book_slot as one scoped statement (real PostgreSQL)', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let url: string;
  let w: BookingWorld;

  const hold = (over: Partial<BookSlotParams> & { masterId: string; start: Date }) =>
    slotRequest(w, 'tg:scoped', over);

  beforeAll(async () => {
    ({ db, url, cleanup } = await migratedPostgres('scoped'));
    w = await createBookingWorld(db, { masters: 2, clients: 1 });
  });
  afterAll(() => cleanup());

  it('acts only for the tenant its claims name, and the claims end with the statement', async () => {
    const other = await createBookingWorld(db, { masters: 1, clients: 1 });
    const start = new Date(localStart(8, '15:00'));
    const one = openPostgres(url, { max: 1 }); // one connection: what the statement leaves behind is visible to the next
    try {
      const request = hold({ masterId: w.masterIds[0]!, start });
      await expect(
        bookSlotScoped(one, tenantClaims({ tenantId: other.tenantId }), request),
      ).rejects.toMatchObject({ code: '42501' });
      const booked = await bookSlotScoped(one, tenantClaims({ tenantId: w.tenantId }), request);
      expect(booked).toMatchObject({ tenant_id: w.tenantId, status: 'held', replayed: false });
      const [left] = await one.query<{ claims: string | null }>(
        "select nullif(current_setting('request.jwt.claims', true), '') as claims",
      );
      expect(left!.claims).toBeNull();
      // Without claims the function refuses: nothing of the scope outlived its statement.
      await expect(bookSlot(one, hold({ masterId: w.masterIds[1]!, start }))).rejects.toMatchObject(
        { code: '42501' },
      );
    } finally {
      await one.close();
    }
  });

  it('hands back the booking of a repeated idempotency key, marked as replayed', async () => {
    const request = hold({
      masterId: w.masterIds[1]!,
      start: new Date(localStart(9, '10:00')),
      idempotencyKey: 'scoped-once',
    });
    const claims = tenantClaims({ tenantId: w.tenantId });
    const first = await bookSlotScoped(db, claims, request);
    const again = await bookSlotScoped(db, claims, request);
    expect(first.replayed).toBe(false);
    expect(again).toMatchObject({ id: first.id, replayed: true });
  });
});

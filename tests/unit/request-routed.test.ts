import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/port.ts';
import {
  createRequestRoutedDatabase,
  NoRequestDatabaseError,
} from '../../edge/runtime/request-routed.ts';
import { createBookingWriter } from '../../db/booking-writer.ts';
import type { BookSlotParams } from '../../db/queries/bookings.ts';

/** A connection that records what reached it and answers each statement after `delayMs`. */
function connection(name: string, delayMs = 5) {
  const statements: string[] = [];
  const db: Database = {
    kind: 'postgres',
    location: name,
    async query<T>(text: string) {
      statements.push(text);
      await new Promise((r) => setTimeout(r, delayMs));
      if (text.includes('book_slots')) throw new Error(`refused by ${name}`);
      return [{ via: name }] as T[];
    },
    async exec(script) {
      statements.push(script);
    },
    async transaction(fn) {
      statements.push('begin');
      return fn(db);
    },
    close: () => Promise.resolve(),
  };
  return { db, statements };
}

const params = (n: number): BookSlotParams =>
  ({
    tenantId: '00000000-0000-4000-8000-000000000001',
    locationId: '00000000-0000-4000-8000-000000000002',
    clientId: `00000000-0000-4000-8000-00000000010${n}`,
    serviceIds: ['00000000-0000-4000-8000-000000000003'],
    masterId: '00000000-0000-4000-8000-000000000004',
    start: new Date(0),
    actorKind: 'client',
    actorId: `tg:${n}`,
    catalogVersion: 1,
  }) as BookSlotParams;

describe('a request-routed database (edge/runtime/request-routed.ts)', () => {
  it("sends each call over the connection of the request it is made in, also after awaits, timers and concurrent requests' calls", async () => {
    const routed = createRequestRoutedDatabase();
    const a = connection('a', 7);
    const b = connection('b', 3);
    const serve = async (name: string) => {
      const first = await routed.db.query(`select 1 -- ${name}`);
      await new Promise((r) => setTimeout(r, 2));
      const later = await new Promise((resolve) =>
        setTimeout(() => resolve(routed.db.query(`select 2 -- ${name}`)), 1),
      );
      const inTx = await routed.db.transaction((tx) => tx.query(`select 3 -- ${name}`));
      return [first, later, inTx, routed.db.location];
    };
    const [fromA, fromB] = await Promise.all([
      routed.run(a.db, () => serve('a')),
      routed.run(b.db, () => serve('b')),
    ]);
    expect(fromA).toEqual([[{ via: 'a' }], [{ via: 'a' }], [{ via: 'a' }], 'a']);
    expect(fromB).toEqual([[{ via: 'b' }], [{ via: 'b' }], [{ via: 'b' }], 'b']);
    expect(a.statements.every((s) => s === 'begin' || s.endsWith('-- a'))).toBe(true);
    expect(b.statements.every((s) => s === 'begin' || s.endsWith('-- b'))).toBe(true);
  });

  it('refuses a call made outside any request instead of borrowing a connection', async () => {
    const routed = createRequestRoutedDatabase();
    await expect(routed.db.query('select 1')).rejects.toBeInstanceOf(NoRequestDatabaseError);
    await expect(routed.db.transaction(async () => 1)).rejects.toBeInstanceOf(
      NoRequestDatabaseError,
    );
    expect(() => routed.db.target!()).toThrow(NoRequestDatabaseError);
  });

  it("keeps the booking writer's group commit within one request: a booking never waits in, or is written by, another request's batch", async () => {
    const routed = createRequestRoutedDatabase();
    // One batch in flight at a time: shared across requests, the second request's booking would
    // queue behind the first's and then be written over the first request's connection.
    const writer = createBookingWriter(routed.db, { maxInFlight: 1 });
    const a = connection('a', 20);
    const b = connection('b', 1);
    const [fromA, fromB] = await Promise.all([
      routed.run(a.db, () => writer.hold(params(1)).catch((e: Error) => e.message)),
      routed.run(b.db, () => writer.hold(params(2)).catch((e: Error) => e.message)),
    ]);
    expect(fromA).toBe('refused by a');
    expect(fromB).toBe('refused by b');
    expect(a.statements.filter((s) => s.includes('book_slots'))).toHaveLength(1);
    expect(b.statements.filter((s) => s.includes('book_slots'))).toHaveLength(1);
  });

  it('still groups the bookings of one database into one batch (Node: no target)', async () => {
    const one = connection('one', 10);
    const writer = createBookingWriter(one.db, { maxInFlight: 1 });
    const outcomes = await Promise.all(
      [1, 2, 3].map((n) => writer.hold(params(n)).catch((e: Error) => e.message)),
    );
    expect(outcomes).toEqual(['refused by one', 'refused by one', 'refused by one']);
    // The first alone, the two that queued meanwhile together.
    expect(one.statements.filter((s) => s.includes('book_slots'))).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/port.ts';
import {
  createRequestRoutedDatabase,
  NoRequestDatabaseError,
} from '../../edge/runtime/request-routed.ts';

/** A connection that records what reached it and answers each statement after `delayMs`. */
function connection(name: string, delayMs = 5) {
  const statements: string[] = [];
  const db: Database = {
    kind: 'postgres',
    location: name,
    async query<T>(text: string) {
      statements.push(text);
      await new Promise((r) => setTimeout(r, delayMs));
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
  });
});

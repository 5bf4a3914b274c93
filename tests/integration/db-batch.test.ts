import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../db/pglite.ts';
import { openPostgres } from '../../db/postgres.ts';
import type { Database } from '../../db/port.ts';
import { pgErrorInfo } from '../../db/port.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

/** Database.batch: statements sent together, committed together, or not at all. */
describe.each(['postgres', 'pglite'] as const)('Database.batch on %s', (kind) => {
  let db: Database;
  let scratch: TestDatabase | undefined;

  beforeAll(async () => {
    if (kind === 'postgres') {
      scratch = await createTestDatabase('batch');
      db = openPostgres(scratch.url, { max: 2 });
    } else {
      db = await openPglite();
    }
    await db.exec('create table notes (id integer primary key, body text not null check (length(body) > 0))');
  });
  afterAll(async () => {
    await db.close();
    await scratch?.drop();
  });

  it('answers each statement in order, in one transaction, and commits', async () => {
    const [inserted, seen, first, second] = await db.batch([
      { text: 'insert into notes (id, body) values ($1, $2), ($3, $4) returning id', params: [1, 'one', 2, 'two'] },
      { text: 'select count(*)::int as n from notes' },
      { text: 'select txid_current()::text as tx' },
      { text: 'select txid_current()::text as tx' },
    ]);
    expect(inserted!.map((r) => r.id)).toEqual([1, 2]);
    expect(seen).toEqual([{ n: 2 }]);
    expect(first).toEqual(second);
    expect((await db.query<{ n: number }>('select count(*)::int as n from notes'))[0]!.n).toBe(2);
  });

  it('keeps nothing when a statement fails, and reports that failure rather than the ones it caused', async () => {
    const attempt = db.batch([
      { text: 'insert into notes (id, body) values ($1, $2)', params: [3, 'three'] },
      { text: 'insert into notes (id, body) values ($1, $2)', params: [4, ''] },
      { text: 'insert into notes (id, body) values ($1, $2)', params: [5, 'five'] },
    ]);
    const error = await attempt.then(() => undefined, (e: unknown) => e);
    expect(pgErrorInfo(error)?.code).toBe('23514');
    const ids = (await db.query<{ id: number }>('select id from notes order by id')).map((r) => r.id);
    expect(ids).toEqual([1, 2]);
    // The connection is usable afterwards (no transaction left open on it).
    expect(await db.batch([{ text: 'select 1 as one' }])).toEqual([[{ one: 1 }]]);
  });
});

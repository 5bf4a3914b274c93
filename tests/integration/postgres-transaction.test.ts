import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../db/postgres.ts';
import type { Database } from '../../db/port.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

/**
 * db.transaction on postgres.js pipelines BEGIN with the first statement. When the server has
 * lost the prepared statements of a connection (DISCARD ALL, a pooler handing the session to
 * someone else), postgres.js may prepare a failed statement again and re-send it behind whatever
 * is already queued; a unit of work must still be all or nothing, and the connection fit for the
 * next one.
 */
describe('db.transaction on postgres.js after the server lost its prepared statements', () => {
  let scratch: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    scratch = await createTestDatabase('tx');
    db = openPostgres(scratch.url, { max: 1 }); // one connection: what it lost, the next unit meets
    await db.exec(
      'create table entries (id integer primary key, body text not null check (length(body) > 0))',
    );
  });
  afterAll(async () => {
    await db.close();
    await scratch.drop();
  });

  it('is still all or nothing', async () => {
    const insert = 'insert into entries (id, body) values ($1, $2)';
    await db.transaction(async (tx) => void (await tx.query(insert, [1, 'kept'])));
    await db.exec('deallocate all');

    const failed = db.transaction(async (tx) => {
      await tx.query(insert, [2, 'must not be kept']);
      await tx.query(insert, [3, '']);
    });
    // It fails (on the lost statement or on the empty body, depending on what the driver re-sent).
    await expect(failed).rejects.toBeDefined();
    const ids = (await db.query<{ id: number }>('select id from entries order by id')).map(
      (r) => r.id,
    );
    expect(ids).toEqual([1]);
    // The connection is not left inside a transaction, and the next unit works.
    expect(
      (await db.query<{ open: boolean }>('select now() <> statement_timestamp() as open'))[0]!.open,
    ).toBe(false);
    await db.transaction(async (tx) => void (await tx.query(insert, [4, 'kept too'])));
    expect((await db.query<{ n: number }>('select count(*)::int as n from entries'))[0]!.n).toBe(2);
  });
});

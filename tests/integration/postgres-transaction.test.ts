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

/**
 * A pipelined transaction sends BEGIN, its statements and COMMIT together: all or nothing as any
 * other, and a statement sent after an answer was awaited is refused rather than run outside it.
 */
describe('db.transaction on postgres.js, pipelined', () => {
  let scratch: TestDatabase;
  let db: Database;
  const insert = 'insert into items (id, body) values ($1, $2)';
  const ids = async () =>
    (await db.query<{ id: number }>('select id from items order by id')).map((r) => r.id);

  beforeAll(async () => {
    scratch = await createTestDatabase('txpipe');
    db = openPostgres(scratch.url, { max: 1 });
    await db.exec(
      'create table items (id integer primary key, body text not null check (length(body) > 0))',
    );
  });
  afterAll(async () => {
    await db.close();
    await scratch.drop();
  });

  it('commits what it sent and answers with its results', async () => {
    const [a, b] = await db.transaction(
      (tx) =>
        Promise.all([
          tx.query<{ id: number }>(`${insert} returning id`, [1, 'one']),
          tx.query<{ id: number }>(`${insert} returning id`, [2, 'two']),
        ]),
      { pipelined: true },
    );
    expect([a[0]!.id, b[0]!.id]).toEqual([1, 2]);
    expect(await ids()).toEqual([1, 2]);
  });

  it('rolls back as a whole when one statement fails, and the connection stays usable', async () => {
    const failed = db.transaction(
      (tx) => Promise.all([tx.query(insert, [3, 'must not be kept']), tx.query(insert, [4, ''])]),
      { pipelined: true },
    );
    await expect(failed).rejects.toMatchObject({ code: '23514' });
    expect(await ids()).toEqual([1, 2]);
    expect(
      (await db.query<{ open: boolean }>('select now() <> statement_timestamp() as open'))[0]!.open,
    ).toBe(false);
  });

  it('refuses a statement sent after awaiting an answer (what went out at once is committed)', async () => {
    const late = db.transaction(
      async (tx) => {
        await tx.query(insert, [5, 'sent at once']);
        await tx.query(insert, [6, 'sent late']);
      },
      { pipelined: true },
    );
    await expect(late).rejects.toThrow(/has finished/);
    // The first statement was committed with the unit's COMMIT: pipelined work is sent at once.
    expect(await ids()).toEqual([1, 2, 5]);
  });
});

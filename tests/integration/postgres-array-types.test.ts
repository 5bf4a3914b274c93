import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../db/postgres.ts';
import { ArrayTypeCache } from '../../db/postgres-array-types.ts';
import { createSessionPool, type SessionPool } from '../../db/postgres-sessions.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

/**
 * A client opened after another learnt the database's array types sends no type query (on
 * Workers: none per request), and arrays still parse and serialize as on a client that fetched
 * them. What each connection sends is read off its socket.
 */
describe('array types learnt once, handed to later connections', () => {
  let scratch: TestDatabase;
  const pools: SessionPool[] = [];

  beforeAll(async () => {
    scratch = await createTestDatabase('arrtypes');
    const setup = createSessionPool(scratch.url, 1, {});
    await setup.use((s) => s.sql.unsafe(`create type mood as enum ('calm', 'busy')`));
    await setup.close();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await scratch.drop();
  });

  /** A pool of one connection whose outgoing bytes are recorded, one entry per connection. */
  function recordingPool(cache: ArrayTypeCache, url = scratch.url) {
    const sent: string[] = [];
    const { hostname, port } = new URL(url);
    // postgres.js takes a connected socket (`socket`), which its types do not list.
    const pool = createSessionPool(
      url,
      1,
      {
        onnotice: () => {},
        socket: () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = connect(Number(port || 5432), hostname, () => resolve(socket));
            socket.once('error', reject);
            const index = sent.push('') - 1;
            const write = socket.write.bind(socket) as (
              chunk: unknown,
              ...rest: unknown[]
            ) => boolean;
            socket.write = ((chunk: unknown, ...rest: unknown[]) => {
              sent[index] += Buffer.from(chunk as Uint8Array).toString('latin1');
              return write(chunk, ...rest);
            }) as typeof socket.write;
          }),
      } as Parameters<typeof createSessionPool>[2],
      cache,
    );
    pools.push(pool);
    return { pool, sentTypeQuery: () => sent.some((s) => s.includes('pg_catalog.pg_type')) };
  }

  /** Arrays both ways: parameters serialized by the client, results parsed by it. */
  async function roundTrip(pool: SessionPool) {
    const [row] = await pool.use((s) =>
      s.sql.unsafe(
        `select $1::text[] as names, $2::int4[] as counts, $3::uuid[] as ids,
                array['busy', 'calm']::mood[] as moods, array['{"a":1}']::jsonb[] as docs`,
        [['a', 'b,c', 'd"e'], [1, 2], ['9d3bbd1b-4f7d-4d43-9a53-2b5f2d6c1e20']] as never[],
      ),
    );
    return row;
  }

  const expected = {
    names: ['a', 'b,c', 'd"e'],
    counts: [1, 2],
    ids: ['9d3bbd1b-4f7d-4d43-9a53-2b5f2d6c1e20'],
    moods: ['busy', 'calm'],
    docs: [{ a: 1 }],
  };

  it('the first connection fetches them; a later one, of another pool, only uses them', async () => {
    const cache = new ArrayTypeCache();
    const first = recordingPool(cache);
    expect(await roundTrip(first.pool)).toEqual(expected);
    expect(first.sentTypeQuery()).toBe(true);

    const later = recordingPool(cache);
    expect(await roundTrip(later.pool)).toEqual(expected);
    expect(later.sentTypeQuery()).toBe(false);
  });

  it('a transaction as the first unit of a connection that did not fetch them settles', async () => {
    const cache = new ArrayTypeCache();
    await roundTrip(recordingPool(cache).pool);
    const later = recordingPool(cache);
    const result = await later.pool.use(async (s) => {
      await s.sql.unsafe('begin');
      const [row] = await s.sql.unsafe(`select array[1, 2]::int8[] as ids`);
      await s.sql.unsafe('commit');
      return row;
    });
    expect(result).toEqual({ ids: ['1', '2'] });
    expect(later.sentTypeQuery()).toBe(false);
  });

  it('a type that start-up migrations create is an array type of the connections opened after them', async () => {
    // Node's adapter (no `arrayTypes` given) runs the migrations on its first connection.
    const db = openPostgres(scratch.url, { max: 2 });
    try {
      await db.exec(`create type shift as enum ('early', 'late')`);
      // Two units at once: the second opens the pool's second connection, after the migration.
      const read = () => db.query(`select array['late']::shift[] as shifts, pg_sleep(0.05)`);
      const [, [later]] = await Promise.all([read(), read()]);
      expect(later).toMatchObject({ shifts: ['late'] });
    } finally {
      await db.close();
    }
  });

  it('fetched again once they are older than a connection keeps its own, and per database', async () => {
    let now = 0;
    const cache = new ArrayTypeCache(30 * 60_000, () => now);
    await roundTrip(recordingPool(cache).pool);
    now += 30 * 60_000;
    const stale = recordingPool(cache);
    expect(await roundTrip(stale.pool)).toEqual(expected);
    expect(stale.sentTypeQuery()).toBe(true);

    const other = await createTestDatabase('arrtypes2');
    try {
      const setup = createSessionPool(other.url, 1, {});
      await setup.use((s) => s.sql.unsafe(`create type mood as enum ('calm', 'busy')`));
      await setup.close();
      const elsewhere = recordingPool(cache, other.url);
      expect(await roundTrip(elsewhere.pool)).toEqual(expected);
      expect(elsewhere.sentTypeQuery()).toBe(true);
      await elsewhere.pool.close();
    } finally {
      await other.drop();
    }
  });
});

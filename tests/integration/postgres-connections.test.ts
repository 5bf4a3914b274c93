import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresOptions } from '../../db/postgres.ts';
import type { Database } from '../../db/port.ts';
import { isTransient } from '../../tenants/bots/errors.ts';
import { ArrayTypeCache } from '../../db/postgres-array-types.ts';
import { WORKER_POSTGRES_OPTIONS } from '../../edge/runtime/worker-database.ts';
import { ADMIN_URL, createTestDatabase, type TestDatabase } from '../support/pg.ts';

/**
 * How the postgres.js adapter gets a connection for a unit of work. postgres.js 3.4.9 loses a
 * `sql.reserve()` request in several ways (porsager/postgres#751, #1219): on a connection it opens
 * for the request without fetching types, and whenever a request that waits for a connection is
 * handed to that connection as it reconnects. Each case here hung (or crashed) before the adapter
 * acquired connections its own way; a hang shows as a failure within a few seconds.
 */
const SETTLE_MS = 4000;

function settles<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not settle within ${SETTLE_MS} ms`)),
      SETTLE_MS,
    );
  });
  return Promise.race([work, hung]).finally(() => clearTimeout(timer));
}

/**
 * The array types as a Worker's isolate keeps them after its first request: a connection opened
 * with these sends no type query (learnt in `beforeAll`).
 */
const isolateTypes = new ArrayTypeCache();

/** Every option the adapter exposes, with the Worker's own first. */
const OPTION_SETS: [string, PostgresOptions][] = [
  ['the Worker', WORKER_POSTGRES_OPTIONS],
  [
    'the Worker, its isolate knowing the array types',
    { ...WORKER_POSTGRES_OPTIONS, arrayTypes: isolateTypes },
  ],
  ['a pool of three', { max: 3 }],
  ['one connection without prepared statements', { max: 1, prepare: false }],
];

describe('postgres.js adapter: getting a connection for a unit of work', () => {
  let scratch: TestDatabase;
  let admin: postgres.Sql;
  const opened: Database[] = [];
  const open = (options: PostgresOptions, url = scratch.url) => {
    const db = openPostgres(url, options);
    opened.push(db);
    return db;
  };
  const insert = (db: Pick<Database, 'transaction'>, label: string) =>
    db.transaction(
      async (tx) =>
        (
          await tx.query<{ id: number }>('insert into marks (label) values ($1) returning id', [
            label,
          ])
        )[0]!.id,
    );
  const labels = async () =>
    (await admin.unsafe<{ label: string }[]>(`select label from marks order by id`)).map(
      (r) => r.label,
    );

  beforeAll(async () => {
    scratch = await createTestDatabase('conn');
    const setup = openPostgres(scratch.url, { max: 1 });
    await setup.exec('create table marks (id serial primary key, label text not null)');
    await setup.close();
    const learning = openPostgres(scratch.url, { max: 1, arrayTypes: isolateTypes });
    await learning.query('select 1');
    await learning.close();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${scratch.name}`;
    admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
    await admin.unsafe('truncate marks');
  });
  afterAll(async () => {
    await admin.end();
    await scratch.drop();
  });

  /** Terminates the server session with this backend pid and waits until it is gone. */
  async function terminate(pid: number): Promise<void> {
    await admin.unsafe('select pg_terminate_backend($1)', [pid]);
    while ((await admin.unsafe('select 1 from pg_stat_activity where pid = $1', [pid])).length)
      await new Promise((r) => setTimeout(r, 10));
  }

  for (const [name, options] of OPTION_SETS) {
    it(`${name}: a fresh pool whose first call is a transaction`, async () => {
      const db = open(options);
      expect(await settles('the first transaction', insert(db, 'first'))).toBeGreaterThan(0);
      expect(await labels()).toEqual(['first']);
    });

    it(`${name}: a transaction as the first call after the server closed the connection`, async () => {
      const db = open(options);
      await settles('a warm-up query', db.query('select 1'));
      // The session ends itself: its statement fails, the server closes the connection.
      await expect(
        settles(
          'the terminating statement',
          db.query('select pg_terminate_backend(pg_backend_pid())'),
        ),
      ).rejects.toThrow();
      expect(
        await settles('the transaction after the close', insert(db, 'after close')),
      ).toBeGreaterThan(0);
      expect(await settles('a second transaction', insert(db, 'again'))).toBeGreaterThan(0);
      expect(await labels()).toEqual(['after close', 'again']);
    });

    it(`${name}: a transaction after the server closed the connection while it was idle`, async () => {
      const db = open(options);
      const [{ pid }] = (await settles(
        'a warm-up query',
        db.query<{ pid: number }>('select pg_backend_pid() as pid'),
      )) as [{ pid: number }];
      await terminate(pid);
      // Whether the client saw the close before the next unit is up to the socket's timing: the
      // transaction either opens a new connection or fails as transient (the webhook's 503); it
      // never hangs, and the one after it goes through.
      const first = await settles('the transaction after the close', insert(db, 'first')).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (first !== undefined) expect(isTransient(first)).toBe(true);
      expect(await settles('the next transaction', insert(db, 'next'))).toBeGreaterThan(0);
      expect(await labels()).toEqual(first === undefined ? ['first', 'next'] : ['next']);
    });
  }

  for (const [name, arrayTypes] of [
    ['fetching the array types', undefined],
    ['knowing the array types', isolateTypes],
  ] as const) {
    it(`closing a pool while its first transaction opens the connection (${name}) leaves no connection open`, async () => {
      // Closed at several moments of the connection's opening (before or during its BEGIN). A
      // close that comes after the reservation waits for postgres.js's own end timeout (5 s).
      for (const delayMs of [0, 1, 2, 3]) {
        const db = openPostgres(scratch.url, { max: 1, arrayTypes });
        const unit = db.transaction((tx) => tx.query('select 1'));
        unit.catch(() => {});
        await new Promise((r) => setTimeout(r, delayMs));
        await db.close();
        await unit.catch(() => {});
      }
      const left = async () =>
        (
          await admin.unsafe<{ n: number }[]>(
            `select count(*)::int as n from pg_stat_activity
              where datname = current_database() and application_name = 'slotbot'`,
          )
        )[0]!.n;
      // A closing connection leaves the server at once; allow a moment for the last ones.
      for (let tries = 0; tries < 20 && (await left()) > 0; tries++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await left()).toBe(0);
    }, 30_000);
  }

  it('settings in the database URL cannot turn off what the adapter relies on', async () => {
    const url = new URL(scratch.url);
    url.searchParams.set('fetch_types', 'false');
    url.searchParams.set('idle_timeout', '0.05');
    url.searchParams.set('max_lifetime', '0.05');
    const db = open({ max: 1 }, url.toString());
    expect(await settles('the first transaction', insert(db, 'url'))).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(await settles('a transaction later', insert(db, 'later'))).toBeGreaterThan(0);
    expect(await labels()).toEqual(['url', 'later']);
    expect(
      (await db.query<{ names: unknown }>("select array['a']::text[] as names"))[0]!.names,
    ).toEqual(['a']);
  });

  it('arrays come back as arrays with the Worker options, as on Node', async () => {
    const db = open(WORKER_POSTGRES_OPTIONS);
    const [row] = await settles(
      'the query',
      db.query<{ names: unknown; ids: unknown }>(
        "select array['a', 'b']::text[] as names, array[1, 2] as ids",
      ),
    );
    expect(row).toEqual({ names: ['a', 'b'], ids: [1, 2] });
  });

  it('a transaction waiting for the only connection gets one when that connection is closed under the one before it', async () => {
    const db = open({ max: 1 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let firstPid = 0;
    const first = db.transaction(async (tx) => {
      firstPid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid'))[0]!.pid;
      await tx.query("insert into marks (label) values ('first, lost')");
      await gate;
      await tx.query("insert into marks (label) values ('first, after the close')");
    });
    first.catch(() => {});
    while (!firstPid) await new Promise((r) => setTimeout(r, 5));
    const second = insert(db, 'second'); // waits: the only connection is in use
    await terminate(firstPid);
    release();
    // It fails as a connection failure (the webhook answers 503 so that Telegram delivers it again).
    const failure = await settles('the first transaction', first).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isTransient(failure)).toBe(true);
    expect(await settles('the waiting transaction', second)).toBeGreaterThan(0);
    // Nothing of the first transaction was kept, nor run on the connection that replaced its own.
    expect(await labels()).toEqual(['second']);
  });

  it('a transaction whose connection closes while its statements wait inside the driver fails at once', async () => {
    const db = open({ max: 1, prepare: false });
    let pid = 0;
    const unit = db.transaction(async (tx) => {
      pid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid'))[0]!.pid;
      const sleeping = tx.query('select pg_sleep(30)');
      sleeping.catch(() => {});
      // Queued behind the sleep (a statement with parameters is described first, so the driver holds the rest).
      const queued = [1, 2, 3].map((n) =>
        tx.query('insert into marks (label) values ($1)', [`queued ${n}`]),
      );
      for (const q of queued) q.catch(() => {});
      await queued[2];
    });
    unit.catch(() => {});
    while (!pid) await new Promise((r) => setTimeout(r, 5));
    await terminate(pid);
    const failure = await settles('the transaction', unit).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isTransient(failure)).toBe(true);
    expect(await settles('the next transaction', insert(db, 'next'))).toBeGreaterThan(0);
    expect(await labels()).toEqual(['next']);
  });

  it('many transactions at once on a fresh pool all settle', async () => {
    const db = open({ max: 2 });
    const ids = await settles(
      'twelve transactions',
      Promise.all(Array.from({ length: 12 }, (_, i) => insert(db, `t${i}`))),
    );
    expect(new Set(ids).size).toBe(12);
  });

  it('a statement sent through a finished transaction is refused, not run on its own or in the next unit', async () => {
    const db = open({ max: 1 });
    let leaked!: Parameters<Parameters<Database['transaction']>[0]>[0];
    await db.transaction(async (tx) => {
      leaked = tx;
      await tx.query('select 1');
    });
    const next = db.transaction(async (tx) => {
      await tx.query("insert into marks (label) values ('next')");
      throw new Error('the next unit gives up');
    });
    await expect(
      settles('the leaked statement', leaked.query("insert into marks (label) values ('leaked')")),
    ).rejects.toThrow(/finished/);
    await expect(next).rejects.toThrow('the next unit gives up');
    expect(await labels()).toEqual([]);
  });
});

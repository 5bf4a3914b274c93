import type postgres from 'postgres';
import { redactDatabaseUrl, type Database, type Queryable, type Row } from './port.ts';
import type { ArrayTypeCache } from './postgres-array-types.ts';
import {
  ConnectionLostError,
  createSessionPool,
  databaseClosed,
  type Session,
} from './postgres-sessions.ts';

/**
 * How the connections reach PostgreSQL (`DATABASE_POOL_MODE`): `session` directly or through a
 * session-mode pooler (Supabase's port 5432), where a client keeps its server connection;
 * `transaction` through a transaction-mode pooler (PgBouncer `pool_mode = transaction`, Supavisor
 * on Supabase's port 6543), which hands each transaction to whichever server connection is free.
 */
export const POOL_MODES = ['session', 'transaction'] as const;
export type PoolMode = (typeof POOL_MODES)[number];

export interface PostgresOptions {
  /** Connections; 1 on Workers where a connection lives for one request. */
  max?: number;
  onNotice?: (message: string) => void;
  /**
   * `transaction` turns named prepared statements off: they live on one server connection, and the
   * pooler may send the next statement to another, where that name is unknown (or another
   * client's). Default `session`.
   */
  poolMode?: PoolMode;
  /**
   * Named prepared statements (parsed and planned once per connection); default: on, except in
   * `transaction` pool mode.
   */
  prepare?: boolean;
  /**
   * Where the array types of the database are kept between clients; default: none, each
   * connection fetches them when it opens. A request-scoped runtime passes one kept for its
   * isolate, so that a request's connection does not fetch them again. Not for a process that
   * migrates the database it serves (Node, Deno): the types would be learnt before the
   * migrations, and the connections opened after them would not know the types they create.
   */
  arrayTypes?: ArrayTypeCache;
}

/**
 * JSON parameters: a string is sent as the JSON text it already is (as PGlite does), anything else
 * is stringified. postgres.js would otherwise encode a string a second time as a JSON string.
 */
const jsonType = {
  to: 3802,
  from: [114, 3802],
  serialize: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
  parse: (text: string) => JSON.parse(text) as unknown,
};

function wrap(sql: postgres.Sql | postgres.TransactionSql, prepare: boolean): Queryable {
  return {
    async query<T extends Row>(text: string, params: readonly unknown[] = []) {
      const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare });
      return rows as unknown as T[];
    },
    async exec(script: string) {
      await sql.unsafe(script).simple();
    },
  };
}

/**
 * The PostgreSQL adapter. Connections come from `createSessionPool` (see there why not from
 * postgres.js's pool): each statement outside a transaction and each transaction holds one
 * connection for itself. Array types are fetched by each connection, or in a request-scoped
 * runtime (Workers, the Supabase function) by the isolate's first one and handed to the later
 * ones (`options.arrayTypes`), so results parse the same on every runtime.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): Database {
  const prepare = options.prepare ?? options.poolMode !== 'transaction';
  const sessions = createSessionPool(
    url,
    options.max ?? 10,
    {
      onnotice: (notice) => options.onNotice?.(String(notice.message ?? '')),
      connection: { application_name: 'slotbot' },
      types: { json: jsonType },
      // For every statement the client sends, its own too (the array types fetched on connecting).
      prepare,
    },
    options.arrayTypes,
  );
  return {
    kind: 'postgres',
    location: redactDatabaseUrl(url),
    query: (text, params) =>
      sessions.use((session) => wrap(session.sql, prepare).query(text, params)),
    exec: (script) => sessions.use((session) => wrap(session.sql, prepare).exec(script)),
    transaction: (fn, options) =>
      sessions.use((session) =>
        options?.pipelined
          ? runPipelinedTransaction(session, prepare, fn)
          : runTransaction(session, prepare, fn),
      ),
    close: () => sessions.close(),
  };
}

/**
 * One transaction on a reserved connection. BEGIN is not awaited on its own: it travels with the
 * first statement, saving a round trip (except on a connection not open yet, see openUnit). Any failed statement makes the whole unit fail (and roll
 * back), even if `fn` caught the error, since PostgreSQL would otherwise turn the COMMIT of an
 * aborted transaction into a silent ROLLBACK. Once the unit is over (finished, or its connection
 * lost), its statements are refused: sent, they would run outside it.
 */
async function runTransaction<T>(
  session: Session,
  prepare: boolean,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const unit = await openUnit(session, prepare);
  const { conn, tx } = unit;
  try {
    const begin = unit.begun
      ? Promise.resolve()
      : unit.run(() => Promise.resolve(conn.unsafe('begin')));
    begin.catch(() => {});
    let result: T;
    try {
      // Guarded as a whole: after a lost connection, a statement queued inside postgres.js never settles.
      result = await session.guard(fn(tx));
      await begin;
      if (unit.failure) throw unit.failure;
    } catch (error) {
      if (!session.lost) await session.guard(conn.unsafe('rollback')).catch(() => {});
      throw error;
    }
    if (session.lost)
      throw (
        unit.failure ??
        new ConnectionLostError('the database connection closed during the transaction')
      );
    const done = await session.guard(conn.unsafe('commit'));
    if ((done as unknown as { command?: string }).command === 'ROLLBACK')
      throw unit.failure ?? new Error('the transaction was rolled back');
    return result;
  } finally {
    unit.close();
  }
}

/**
 * A transaction whose statements are all sent before any answer is awaited (TransactionOptions
 * `pipelined`): BEGIN, the statements `fn` sends at once and COMMIT go out together, one round
 * trip (two on a connection not open yet, whose BEGIN goes first: see openUnit). A failed statement turns the COMMIT into a ROLLBACK, and the unit fails with it.
 */
async function runPipelinedTransaction<T>(
  session: Session,
  prepare: boolean,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const unit = await openUnit(session, prepare);
  const { conn, tx } = unit;
  try {
    const begin = unit.begun
      ? Promise.resolve()
      : unit.run(() => Promise.resolve(conn.unsafe('begin')));
    begin.catch(() => {});
    const outcome = session.guard(fn(tx)).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    // Whatever `fn` sends from now on would come after the COMMIT, outside the transaction.
    unit.over = true;
    const commit = session.guard(Promise.resolve(conn.unsafe('commit')));
    commit.catch(() => {});
    const result = await outcome;
    await begin.catch(() => {});
    const done = await commit.catch((error: unknown) => {
      throw unit.failure ?? error;
    });
    if (session.lost)
      throw (
        unit.failure ??
        new ConnectionLostError('the database connection closed during the transaction')
      );
    if ((done as unknown as { command?: string }).command === 'ROLLBACK' || unit.failure)
      throw unit.failure ?? new Error('the transaction was rolled back');
    if (!result.ok) throw result.error;
    return result.value;
  } finally {
    unit.close();
  }
}

/**
 * A reserved connection for one transaction, with its statements guarded: once the unit is over
 * (finished, or its connection lost) they are refused, since sent they would run outside it.
 * The first failed statement is kept as the unit's failure. Reserved, because postgres.js keeps a
 * reserved connection's waiting statements to itself: when the connection closes they are never
 * sent, where the client's own queue would send them on the connection it reopens (in autocommit:
 * half a transaction written). A reservation is only asked for on an open connection
 * (`Session.reservable`): a client's first transaction opens it with its BEGIN, awaited, and then
 * reserves it (`begun`). Once the pool is closing, the connection is being ended: the transaction
 * fails as the closed database, since a reservation asked for then makes postgres.js reopen the
 * connection, which nothing closes again.
 */
async function openUnit(session: Session, prepare: boolean) {
  let conn: postgres.ReservedSql;
  let begun = false;
  try {
    if (!session.reservable) {
      await session.guard(Promise.resolve(session.sql.unsafe('begin')));
      begun = true;
    }
    if (session.closing) throw databaseClosed();
    conn = await session.guard(session.sql.reserve());
  } catch (error) {
    session.discard(); // a reservation that failed may still sit in the client's queue
    throw error;
  }
  const inner = wrap(conn, prepare);
  const unit = {
    conn,
    begun,
    failure: undefined as unknown,
    over: false,
    run<R>(statement: () => Promise<R>): Promise<R> {
      if (unit.over)
        return Promise.reject(
          new Error(
            'this transaction has finished: a statement sent through it now would run outside it',
          ),
        );
      if (session.lost)
        return Promise.reject(
          unit.failure ??
            new ConnectionLostError('the database connection closed during the transaction'),
        );
      return statement().catch((error: unknown) => {
        unit.failure ??= error;
        throw error;
      });
    },
    tx: {
      query: (text, params) => unit.run(() => inner.query(text, params)),
      exec: (script) => unit.run(() => inner.exec(script)),
    } as Queryable,
    close(): void {
      unit.over = true;
      // A lost connection is not handed back: postgres.js would reuse the connection object.
      if (!session.lost) conn.release();
    },
  };
  return unit;
}

import postgres from 'postgres';
import { redactDatabaseUrl, type Database, type Queryable, type Row } from './port.ts';

export interface PostgresOptions {
  /** Pool size; 1 on Workers where a connection lives for one request. */
  max?: number;
  /** Whether to load custom type OIDs on connect (skip on Workers to save a round trip). */
  fetchTypes?: boolean;
  onNotice?: (message: string) => void;
  /**
   * Named prepared statements (default true: parsed and planned once per connection). Turn off
   * behind a transaction-mode pooler (PgBouncer, Supabase's port 6543), which cannot keep them.
   */
  prepare?: boolean;
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

export function openPostgres(url: string, options: PostgresOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    fetch_types: options.fetchTypes ?? true,
    onnotice: (notice) => options.onNotice?.(String(notice.message ?? '')),
    connection: { application_name: 'slotbot' },
    types: { json: jsonType },
  });
  const prepare = options.prepare ?? true;
  const base = wrap(sql, prepare);
  return {
    kind: 'postgres',
    location: redactDatabaseUrl(url),
    query: base.query,
    exec: base.exec,
    /**
     * One transaction on a reserved connection. BEGIN is not awaited on its own: it travels with the
     * first statement, saving a round trip. Any failed statement makes the whole unit fail (and
     * roll back), even if `fn` caught the error, since PostgreSQL would otherwise turn the COMMIT
     * of an aborted transaction into a silent ROLLBACK.
     */
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const conn = await sql.reserve();
      let failure: unknown;
      const track = <R>(p: Promise<R>): Promise<R> =>
        p.catch((error: unknown) => {
          failure ??= error;
          throw error;
        });
      const inner = wrap(conn, prepare);
      const tx: Queryable = {
        query: (text, params) => track(inner.query(text, params)),
        exec: (script) => track(inner.exec(script)),
      };
      try {
        const begin = track(Promise.resolve(conn.unsafe('begin')));
        begin.catch(() => {});
        let result: T;
        try {
          result = await fn(tx);
          await begin;
          if (failure) throw failure;
        } catch (error) {
          await conn.unsafe('rollback').catch(() => {});
          throw error;
        }
        const done = await conn.unsafe('commit');
        if ((done as unknown as { command?: string }).command === 'ROLLBACK') throw failure ?? new Error('the transaction was rolled back');
        return result;
      } finally {
        conn.release();
      }
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

import postgres from 'postgres';
import { redactDatabaseUrl, type Database, type Queryable, type Row } from './port.ts';

export interface PostgresOptions {
  /** Pool size; 1 on Workers where a connection lives for one request. */
  max?: number;
  /** Whether to load custom type OIDs on connect (skip on Workers to save a round trip). */
  fetchTypes?: boolean;
  onNotice?: (message: string) => void;
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

function wrap(sql: postgres.Sql | postgres.TransactionSql): Queryable {
  return {
    async query<T extends Row>(text: string, params: readonly unknown[] = []) {
      const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
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
  const base = wrap(sql);
  return {
    kind: 'postgres',
    location: redactDatabaseUrl(url),
    query: base.query,
    exec: base.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return (await sql.begin((tx) => fn(wrap(tx)))) as T;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

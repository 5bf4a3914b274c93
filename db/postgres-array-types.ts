import type postgres from 'postgres';

type Convert = (value: any) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What postgres.js learns of a database's array types when a connection opens (its own functions). */
interface Learnt {
  url: string;
  at: number;
  parsers: Record<number, Convert>;
  serializers: Record<number, Convert>;
  /** Element type oid → its array type oid (how postgres.js types an array parameter). */
  typeArrayMap: Record<number, number>;
}

/** The parts of a postgres.js 3.4 client's options that hold the array types it fetched. */
interface ClientTypes {
  parsers: Record<number, Convert & { array?: boolean }>;
  serializers: Record<number, Convert>;
  shared?: { typeArrayMap?: Record<number, number> };
}

const typesOf = (sql: postgres.Sql) => sql.options as unknown as ClientTypes;

/**
 * The array types of a database, learnt from the first client that fetched them and handed to
 * the clients opened after it, which then skip postgres.js's type query (a round trip and a
 * transaction when a connection opens). That matters on Workers and in the Supabase function,
 * where every request opens a connection: kept for the isolate, this makes the query once per
 * isolate instead of once per update. Learnt types are kept 30 minutes (a Node connection keeps
 * the ones it fetched for 30 to 60, `postgres-sessions.ts`): an array type a migration adds is
 * known to a running isolate within that time, and at once to a new deployment's isolates. Not for a process that migrates
 * the database it serves: its types would be learnt before the migrations.
 * A client whose options do not have the expected shape (another postgres.js) teaches nothing:
 * clients then fetch the types themselves, as before.
 */
export class ArrayTypeCache {
  private learnt: Learnt | undefined;

  constructor(
    private readonly maxAgeMs = 30 * 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * Opens a client of `url` (`open` is given the `fetch_types` to use) with the known array types
   * installed, or fetching them itself when none are known; `learning` says which.
   */
  open(
    url: string,
    open: (fetchTypes: boolean) => postgres.Sql,
  ): { sql: postgres.Sql; learning: boolean } {
    const learnt = this.current(url);
    const sql = open(!learnt);
    if (!learnt) return { sql, learning: true };
    const types = typesOf(sql);
    Object.assign(types.parsers, learnt.parsers);
    Object.assign(types.serializers, learnt.serializers);
    Object.assign(((types.shared ??= {}).typeArrayMap ??= {}), learnt.typeArrayMap);
    return { sql, learning: false };
  }

  private current(url: string): Learnt | undefined {
    const learnt = this.learnt;
    return learnt && learnt.url === url && this.now() - learnt.at < this.maxAgeMs
      ? learnt
      : undefined;
  }

  /** Keeps the array types a client of `url` fetched (call after its first statement succeeded). */
  learnFrom(url: string, sql: postgres.Sql): void {
    if (this.current(url)) return;
    const types = typesOf(sql);
    const typeArrayMap = types.shared?.typeArrayMap;
    if (!typeArrayMap || !Object.keys(typeArrayMap).length) return;
    const parsers: Learnt['parsers'] = {};
    const serializers: Learnt['serializers'] = {};
    for (const arrayOid of Object.values(typeArrayMap)) {
      const parse = types.parsers[arrayOid];
      const serialize = types.serializers[arrayOid];
      if (!parse?.array || !serialize) return;
      parsers[arrayOid] = parse;
      serializers[arrayOid] = serialize;
    }
    this.learnt = { url, at: this.now(), parsers, serializers, typeArrayMap: { ...typeArrayMap } };
  }
}

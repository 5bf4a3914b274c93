import { PGlite, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Database, Queryable, Row } from './port.ts';

function wrap(pg: PGlite | PgliteTransaction): Queryable {
  return {
    async query<T extends Row>(text: string, params: readonly unknown[] = []) {
      const result = await pg.query<T>(text, params as unknown[]);
      return result.rows;
    },
    async exec(script: string) {
      await pg.exec(script);
    },
  };
}

/**
 * Embedded PostgreSQL (WASM). `dataDir` persists to that folder on Node; without it the database
 * lives in memory (tests).
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  const pg = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    extensions: { btree_gist, pg_trgm },
  });
  const base = wrap(pg);
  return {
    kind: 'pglite',
    location: dataDir ?? 'memory',
    query: base.query,
    exec: base.exec,
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => pg.transaction((tx) => fn(wrap(tx))),
    async close() {
      await pg.close();
    },
  };
}

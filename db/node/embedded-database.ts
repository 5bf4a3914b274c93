import { mkdirSync } from 'node:fs';
import { openPglite } from '../pglite.ts';
import type { Database } from '../port.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';

/**
 * Opens the embedded database in `dir` (created when missing) for this process alone: the
 * directory's lock is taken first (`DataDirInUseError` when another process holds it) and given
 * back when the database is closed or the process exits.
 */
export async function openEmbeddedDatabase(dir: string, command: string): Promise<Database> {
  mkdirSync(dir, { recursive: true });
  const lock = acquireDataDirLock(dir, command);
  let db: Database;
  try {
    db = await openPglite(dir);
  } catch (error) {
    lock.release();
    throw error;
  }
  return {
    kind: db.kind,
    location: db.location,
    query: db.query,
    exec: db.exec,
    transaction: db.transaction,
    async close() {
      try {
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}

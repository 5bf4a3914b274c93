import postgres from 'postgres';
import { openPostgres } from '../../db/postgres.ts';
import { openPglite } from '../../db/pglite.ts';
import { createMigrator } from '../../db/migrations.ts';
import { loadMigrations } from '../../db/node/migration-files.ts';
import type { Database } from '../../db/port.ts';

/** The local PostgreSQL server the integration tests use (a maintenance database on it). */
export const ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the local server, unique to the caller. */
export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const name =
    `slotbot_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

/** A migrated PostgreSQL database plus its cleanup. */
export async function migratedPostgres(
  label: string,
): Promise<{ db: Database; url: string; cleanup(): Promise<void> }> {
  const tdb = await createTestDatabase(label);
  const db = openPostgres(tdb.url, { max: 4 });
  await createMigrator(db, await loadMigrations()).up();
  return {
    db,
    url: tdb.url,
    async cleanup() {
      await db.close();
      await tdb.drop();
    },
  };
}

export async function migratedPglite(): Promise<Database> {
  const db = await openPglite();
  await createMigrator(db, await loadMigrations()).up();
  return db;
}

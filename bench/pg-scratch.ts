import postgres from 'postgres';
import { createMigrator } from '../db/migrations.ts';
import { loadMigrations } from '../db/node/migration-files.ts';

export const ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function postgresAvailable(): Promise<boolean> {
  const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end();
  }
}

/** A throw-away database on the local server for one benchmark; `drop` removes it. */
export async function scratchDatabase(
  label: string,
  migrate = true,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `slotbot_bench_${label}_${Date.now().toString(36)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  if (migrate) {
    const { openPostgres } = await import('../db/postgres.ts');
    const db = openPostgres(url.toString(), { max: 1 });
    await createMigrator(db, await loadMigrations()).up();
    await db.close();
  }
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

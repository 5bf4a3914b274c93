import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigrationError, type Migration } from '../migrations.ts';

export const SUPABASE_DIR = resolve(fileURLToPath(new URL('../../supabase', import.meta.url)));

const FILE_NAME = /^(\d{14})_([a-z0-9_]+)\.sql$/;

/**
 * Reads `supabase/migrations/<version>_<name>.sql` and the matching `supabase/down/<same name>`.
 * A migration without its down file is an error: every change must be reversible.
 */
export async function loadMigrations(dir = SUPABASE_DIR): Promise<Migration[]> {
  const upDir = join(dir, 'migrations');
  const downDir = join(dir, 'down');
  const files = (await readdir(upDir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match)
      throw new MigrationError(`${join(upDir, file)}: name must be YYYYMMDDHHmmss_snake_case.sql`);
    const downPath = join(downDir, file);
    if (!existsSync(downPath))
      throw new MigrationError(`${join(upDir, file)} has no down migration at ${downPath}`);
    migrations.push({
      version: match[1]!,
      name: match[2]!,
      up: await readFile(join(upDir, file), 'utf8'),
      down: await readFile(downPath, 'utf8'),
    });
  }
  for (const file of await readdir(downDir)) {
    if (!files.includes(file))
      throw new MigrationError(`${join(downDir, file)} has no matching up migration`);
  }
  return migrations;
}

export async function loadSeed(dir = SUPABASE_DIR): Promise<string> {
  return readFile(join(dir, 'seed.sql'), 'utf8');
}

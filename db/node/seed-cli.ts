import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { applySeedOnce, createMigrator } from '../migrations.ts';
import { openPostgres } from '../postgres.ts';
import { poolModeFromEnv } from './pool-mode-env.ts';
import type { Database } from '../port.ts';
import { openEmbeddedDatabase } from './embedded-database.ts';
import { loadMigrations, loadSeed } from './migration-files.ts';

/** The seeds there are, by the name recorded in `slotbot_meta.seeds` (the embedded start applies `demo` too). */
const SEEDS: Record<string, { about: string; done: string }> = {
  demo: {
    about:
      'the demo business (slug demo): two locations (Berlin, EUR; New York, USD), services, masters, weekly hours; supabase/seed.sql',
    done: 'the demo business (slug demo); connect a bot to it with `npm run bot:register -- --tenant demo --token <BotFather token>`',
  },
};

const USAGE = `Usage: npm run seed -- <name>

Seeds:
${Object.entries(SEEDS)
  .map(([name, seed]) => `  ${name.padEnd(8)} ${seed.about}`)
  .join('\n')}

Database: DATABASE_URL if set, else the embedded PGlite under DATA_DIR (default ./.data); it must be
migrated (npm run migrate -- up). A seed is applied once per database: running it again changes nothing.`;

class SeedRefused extends Error {}

async function open(): Promise<Database> {
  const url = process.env.DATABASE_URL?.trim();
  if (url) return openPostgres(url, { max: 1, poolMode: poolModeFromEnv() });
  return openEmbeddedDatabase(
    join(process.env.DATA_DIR?.trim() || './.data', 'pglite'),
    'npm run seed',
  );
}

async function main(name: string): Promise<void> {
  const db = await open();
  try {
    process.stdout.write(
      `database: ${db.kind === 'pglite' ? `embedded PGlite at ${db.location}` : db.location}\n`,
    );
    // Seed data is written against the current schema: on an older one it would fail half-way.
    const states = await createMigrator(db, await loadMigrations()).status();
    const applied = states.filter((m) => m.applied).length;
    if (applied < states.length) {
      throw new SeedRefused(
        `the database is not migrated (${applied} of ${states.length} migrations applied): run \`npm run migrate -- up\` first`,
      );
    }
    if (await applySeedOnce(db, name, await loadSeed())) {
      process.stdout.write(`seeded "${name}": ${SEEDS[name]!.done}\n`);
      return;
    }
    const [row] = await db.query<{ applied_at: Date }>(
      'select applied_at from slotbot_meta.seeds where name = $1',
      [name],
    );
    process.stdout.write(
      `"${name}" is already seeded in this database (since ${row?.applied_at.toISOString() ?? 'unknown'}): nothing to do\n`,
    );
  } finally {
    await db.close();
  }
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { help: { type: 'boolean', short: 'h' } },
});
const name = positionals[0];
if (values.help || !name) {
  process.stdout.write(`${USAGE}\n`);
} else if (!Object.hasOwn(SEEDS, name) || positionals.length > 1) {
  process.stderr.write(
    `Unknown seed "${positionals.join(' ')}": the seeds are ${Object.keys(SEEDS).join(', ')}.\n\n${USAGE}\n`,
  );
  process.exit(2);
} else {
  main(name).catch((error: unknown) => {
    process.stderr.write(
      `Could not seed "${name}": ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}

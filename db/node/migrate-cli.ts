import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { createMigrator, MigrationError } from '../migrations.ts';
import { openPostgres } from '../postgres.ts';
import { poolModeFromEnv } from './pool-mode-env.ts';
import type { Database } from '../port.ts';
import { openEmbeddedDatabase } from './embedded-database.ts';
import { loadMigrations } from './migration-files.ts';

const USAGE = `Usage: npm run migrate -- <command> [options]

Commands:
  status               list migrations and whether each is applied
  up [--to VERSION]    apply pending migrations (all, or up to VERSION)
  down [--steps N | --to VERSION | --all]
                       revert the newest applied migration (or N, or all above VERSION, or all)

Database: DATABASE_URL if set, else the embedded PGlite under DATA_DIR (default ./.data).`;

async function open(): Promise<Database> {
  const url = process.env.DATABASE_URL?.trim();
  if (url) return openPostgres(url, { max: 1, poolMode: poolModeFromEnv() });
  return openEmbeddedDatabase(
    join(process.env.DATA_DIR?.trim() || './.data', 'pglite'),
    'npm run migrate',
  );
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      steps: { type: 'string' },
      all: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!['status', 'up', 'down'].includes(command))
    fail(`Unknown command "${command}".\n\n${USAGE}`);
  if (values.to !== undefined && !/^\d{14}$/.test(values.to))
    fail('--to expects a migration version: 14 digits, YYYYMMDDHHmmss');
  const steps = values.steps === undefined ? undefined : Number(values.steps);
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 1))
    fail('--steps expects a whole number of migrations, 1 or more');

  const db = await open();
  try {
    const migrator = createMigrator(db, await loadMigrations());
    process.stdout.write(
      `database: ${db.kind === 'pglite' ? `embedded PGlite at ${db.location}` : db.location}\n`,
    );
    if (command === 'status') {
      for (const m of await migrator.status()) {
        const state = m.applied
          ? `applied ${m.appliedAt?.toISOString()}${m.unchanged ? '' : ' (EDITED since applied)'}`
          : 'pending';
        process.stdout.write(`${m.version}  ${m.name.padEnd(40)} ${state}\n`);
      }
    } else if (command === 'up') {
      const done = await migrator.up(values.to ? { to: values.to } : {});
      process.stdout.write(
        done.length
          ? done.map((m) => `applied  ${m.version}_${m.name}\n`).join('')
          : 'nothing to apply: up to date\n',
      );
    } else {
      const done = await migrator.down({
        ...(values.all ? { all: true } : {}),
        ...(values.to ? { to: values.to } : {}),
        ...(steps ? { steps } : {}),
      });
      process.stdout.write(
        done.length
          ? done.map((m) => `reverted ${m.version}_${m.name}\n`).join('')
          : 'nothing to revert\n',
      );
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof MigrationError ? 'Migration error' : 'Error'}: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

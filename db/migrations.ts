import type { Database, Queryable } from './port.ts';

/** One schema change: `up` applies it, `down` reverts it exactly. */
export interface Migration {
  /** `YYYYMMDDHHmmss` (UTC), as in the Supabase CLI file name. */
  version: string;
  name: string;
  up: string;
  down: string;
}

export interface MigrationState {
  version: string;
  name: string;
  applied: boolean;
  appliedAt?: Date;
  /** False when the applied migration's file was edited afterwards. */
  unchanged: boolean;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Both statements of the bookkeeping schema; idempotent. */
const BOOKKEEPING = `
create schema if not exists slotbot_meta;
create table if not exists slotbot_meta.schema_migrations (
  version text primary key,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null default now()
);
create table if not exists slotbot_meta.seeds (
  name text primary key,
  applied_at timestamptz not null default now()
);`;

/** Key of the advisory lock that serializes migration runs across processes. */
const MIGRATION_LOCK = [0x510760, 1] as const;

export async function checksum(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

interface AppliedRow extends Record<string, unknown> {
  version: string;
  name: string;
  checksum: string;
  applied_at: Date;
}

async function readApplied(q: Queryable): Promise<Map<string, AppliedRow>> {
  const [exists] = await q.query<{ present: boolean }>(
    "select to_regclass('slotbot_meta.schema_migrations') is not null as present",
  );
  if (!exists?.present) return new Map();
  const rows = await q.query<AppliedRow>(
    'select version, name, checksum, applied_at from slotbot_meta.schema_migrations order by version',
  );
  return new Map(rows.map((r) => [r.version, r]));
}

function validateSet(migrations: readonly Migration[]): Migration[] {
  const sorted = [...migrations].sort((a, b) => a.version.localeCompare(b.version));
  for (let i = 0; i < sorted.length; i++) {
    const m = sorted[i]!;
    if (!/^\d{14}$/.test(m.version))
      throw new MigrationError(
        `migration ${m.version}_${m.name}: version must be 14 digits (YYYYMMDDHHmmss)`,
      );
    if (i > 0 && sorted[i - 1]!.version === m.version)
      throw new MigrationError(`two migrations share version ${m.version}`);
    if (!m.down.trim())
      throw new MigrationError(`migration ${m.version}_${m.name} has no down migration`);
  }
  return sorted;
}

export interface Migrator {
  status(): Promise<MigrationState[]>;
  /** Applies every pending migration (or those up to `to`), all in one transaction. */
  up(options?: { to?: string }): Promise<Migration[]>;
  /** Reverts the newest applied migrations: `steps` of them (default 1), all, or down to `to` (kept). */
  down(options?: { steps?: number; all?: boolean; to?: string }): Promise<Migration[]>;
}

export function createMigrator(db: Database, migrations: readonly Migration[]): Migrator {
  const known = validateSet(migrations);

  async function lockedRun<T>(
    fn: (tx: Queryable, applied: Map<string, AppliedRow>) => Promise<T>,
  ): Promise<T> {
    return db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK]);
      await tx.exec(BOOKKEEPING);
      return fn(tx, await readApplied(tx));
    });
  }

  return {
    async status() {
      const applied = await readApplied(db);
      const states: MigrationState[] = [];
      for (const m of known) {
        const row = applied.get(m.version);
        states.push({
          version: m.version,
          name: m.name,
          applied: !!row,
          ...(row ? { appliedAt: row.applied_at } : {}),
          unchanged: !row || row.checksum === (await checksum(m.up)),
        });
      }
      return states;
    },

    up(options = {}) {
      return lockedRun(async (tx, applied) => {
        for (const version of applied.keys()) {
          if (!known.some((m) => m.version === version)) {
            throw new MigrationError(
              `the database has migration ${version} applied, which this code does not know: deploy the newer code or revert it first`,
            );
          }
        }
        const done: Migration[] = [];
        for (const m of known) {
          if (options.to && m.version > options.to) break;
          const row = applied.get(m.version);
          const sum = await checksum(m.up);
          if (row) {
            if (row.checksum !== sum) {
              throw new MigrationError(
                `migration ${m.version}_${m.name} was edited after it was applied; add a new migration instead`,
              );
            }
            continue;
          }
          try {
            await tx.exec(m.up);
          } catch (error) {
            throw new MigrationError(
              `migration ${m.version}_${m.name} failed: ${(error as Error).message}`,
              { cause: error },
            );
          }
          await tx.query(
            'insert into slotbot_meta.schema_migrations (version, name, checksum) values ($1, $2, $3)',
            [m.version, m.name, sum],
          );
          done.push(m);
        }
        return done;
      });
    },

    down(options = {}) {
      return lockedRun(async (tx, applied) => {
        const newestFirst = known.filter((m) => applied.has(m.version)).reverse();
        const targets = options.all
          ? newestFirst
          : options.to !== undefined
            ? newestFirst.filter((m) => m.version > options.to!)
            : newestFirst.slice(0, options.steps ?? 1);
        for (const m of targets) {
          try {
            await tx.exec(m.down);
          } catch (error) {
            throw new MigrationError(
              `down migration ${m.version}_${m.name} failed: ${(error as Error).message}`,
              { cause: error },
            );
          }
          await tx.query('delete from slotbot_meta.schema_migrations where version = $1', [
            m.version,
          ]);
        }
        return targets;
      });
    },
  };
}

/** Runs `script` once per database under `name` (the demo seed); true when it ran now. */
export async function applySeedOnce(db: Database, name: string, script: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1, $2)', [MIGRATION_LOCK[0], 2]);
    await tx.exec(BOOKKEEPING);
    const inserted = await tx.query(
      'insert into slotbot_meta.seeds (name) values ($1) on conflict do nothing returning name',
      [name],
    );
    if (inserted.length === 0) return false;
    await tx.exec(script);
    return true;
  });
}

import { afterAll, describe, expect, it } from 'vitest';
import { createMigrator, MigrationError } from '../../db/migrations.ts';
import { loadMigrations } from '../../db/node/migration-files.ts';
import { openPostgres } from '../../db/postgres.ts';
import { openPglite } from '../../db/pglite.ts';
import type { Database } from '../../db/port.ts';
import { catalogDump } from '../support/catalog.ts';
import { createTestDatabase } from '../support/pg.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function freshPostgres(label: string, max = 2): Promise<{ db: Database; url: string }> {
  const tdb = await createTestDatabase(label);
  const db = openPostgres(tdb.url, { max });
  cleanups.push(async () => {
    await db.close();
    await tdb.drop();
  });
  return { db, url: tdb.url };
}

async function freshPglite(): Promise<Database> {
  const db = await openPglite();
  cleanups.push(() => db.close());
  return db;
}

// PGlite runs the whole schema single-threaded in WebAssembly: up, down and up again takes most of a
// minute when the machine is busy with the other test workers.
const SCHEMA_ROUND_TRIP_TIMEOUT = 180_000;

for (const engine of ['postgres', 'pglite'] as const) {
  describe(`migrations on ${engine}`, { timeout: SCHEMA_ROUND_TRIP_TIMEOUT }, () => {
    it('all up, all down, all up again leaves the same schema; all down leaves nothing behind', async () => {
      const db = engine === 'postgres' ? (await freshPostgres('mig')).db : await freshPglite();
      const migrations = await loadMigrations();
      const migrator = createMigrator(db, migrations);
      const empty = await catalogDump(db);

      expect((await migrator.up()).map((m) => m.version)).toEqual(migrations.map((m) => m.version));
      const first = await catalogDump(db);
      expect(first.columns.some((l) => l.startsWith('public.bookings span tstzrange'))).toBe(true);
      expect(
        first.constraints.some((l) =>
          l.includes('bookings_no_overlap EXCLUDE USING gist (master_id WITH =, span WITH &&)'),
        ),
      ).toBe(true);
      expect(
        first.indexes.some((l) =>
          l.includes(
            'bookings_master_start_status_idx ON public.bookings USING btree (master_id, start_at, status)',
          ),
        ),
      ).toBe(true);

      expect((await migrator.down({ all: true })).map((m) => m.version)).toEqual(
        migrations.map((m) => m.version).reverse(),
      );
      const down = await catalogDump(db);
      expect(down.columns).toEqual([]);
      expect(down.functions).toEqual([]);
      expect(down.policies).toEqual([]);
      expect(down.extensions).toEqual(empty.extensions);
      expect((await migrator.status()).every((m) => !m.applied)).toBe(true);

      await migrator.up();
      expect(await catalogDump(db)).toEqual(first);
      expect((await migrator.status()).every((m) => m.applied && m.unchanged)).toBe(true);
    });

    it('reverts step by step and to a version, and re-applies only what is pending', async () => {
      const db = engine === 'postgres' ? (await freshPostgres('steps')).db : await freshPglite();
      const migrations = await loadMigrations();
      const migrator = createMigrator(db, migrations);
      await migrator.up();
      const [firstVersion] = migrations.map((m) => m.version);
      expect(await migrator.down()).toHaveLength(1);
      expect(await migrator.down({ to: firstVersion })).toHaveLength(migrations.length - 2);
      expect((await migrator.status()).filter((m) => m.applied).map((m) => m.version)).toEqual([
        firstVersion,
      ]);
      expect(await migrator.up()).toHaveLength(migrations.length - 1);
      expect(await migrator.up()).toHaveLength(0);
    });
  });
}

describe('migration safety', () => {
  it('lets only one of two concurrent starts apply the migrations (advisory lock)', async () => {
    const { url } = await freshPostgres('lock');
    const other = openPostgres(url, { max: 1 });
    const one = openPostgres(url, { max: 1 });
    try {
      const migrations = await loadMigrations();
      const results = await Promise.all([
        createMigrator(one, migrations).up(),
        createMigrator(other, migrations).up(),
      ]);
      expect(results.map((r) => r.length).sort()).toEqual([0, migrations.length]);
      const [{ n }] = (await one.query<{ n: number }>(
        'select count(*)::int as n from slotbot_meta.schema_migrations',
      )) as [{ n: number }];
      expect(n).toBe(migrations.length);
    } finally {
      await other.close();
      await one.close();
    }
  });

  it('refuses to run when an applied migration was edited, and rolls back a failing one whole', async () => {
    const db = await freshPglite();
    const migrations = await loadMigrations();
    await createMigrator(db, migrations).up();
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, up: `${m.up}\n-- edited` } : m));
    await expect(createMigrator(db, edited).up()).rejects.toThrow(
      /was edited after it was applied/,
    );

    const broken = [
      ...migrations,
      {
        version: '29991231235959',
        name: 'broken',
        up: 'create table public.ok_table (id int); select 1/0;',
        down: 'drop table public.ok_table;',
      },
    ];
    await expect(createMigrator(db, broken).up()).rejects.toBeInstanceOf(MigrationError);
    const [row] = await db.query<{ present: boolean }>(
      "select to_regclass('public.ok_table') is not null as present",
    );
    expect(row?.present).toBe(false);
  });

  it('refuses a database that has a migration this code does not know', async () => {
    const db = await freshPglite();
    const migrations = await loadMigrations();
    await createMigrator(db, migrations).up();
    await expect(createMigrator(db, migrations.slice(0, -1)).up()).rejects.toThrow(/does not know/);
  });
});

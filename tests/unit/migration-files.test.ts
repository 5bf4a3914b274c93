import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../db/node/migration-files.ts';
import { EXPECTED_SCHEMA_VERSION } from '../../db/schema-version.ts';

describe('migration files', () => {
  it('pair every up with a down, and the code expects the newest one', async () => {
    const migrations = await loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    for (const m of migrations) {
      expect(m.down.trim().length, `${m.version}_${m.name} down`).toBeGreaterThan(0);
      expect(m.up, 'Supabase style: lowercase SQL keywords').not.toMatch(/\b(CREATE|ALTER|INSERT|SELECT) /);
    }
    expect(EXPECTED_SCHEMA_VERSION).toBe(migrations.at(-1)!.version);
  });

  it('refuses an up without its down, a stray down, and a badly named file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-'));
    mkdirSync(join(dir, 'migrations'));
    mkdirSync(join(dir, 'down'));
    writeFileSync(join(dir, 'migrations', '20260101000000_a.sql'), 'select 1;');
    await expect(loadMigrations(dir)).rejects.toThrow(/has no down migration/);
    writeFileSync(join(dir, 'down', '20260101000000_a.sql'), 'select 1;');
    writeFileSync(join(dir, 'down', '20260101000001_b.sql'), 'select 1;');
    await expect(loadMigrations(dir)).rejects.toThrow(/has no matching up migration/);
    writeFileSync(join(dir, 'migrations', '2026_bad.sql'), 'select 1;');
    await expect(loadMigrations(dir)).rejects.toThrow(/YYYYMMDDHHmmss_snake_case/);
  });
});

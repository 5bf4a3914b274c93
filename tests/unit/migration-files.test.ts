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
      expect(m.up, 'Supabase style: lowercase SQL keywords').not.toMatch(
        /\b(CREATE|ALTER|INSERT|SELECT) /,
      );
    }
    expect(EXPECTED_SCHEMA_VERSION).toBe(migrations.at(-1)!.version);
  });

  it('define each SQL function, type and trigger once in the whole tree (one home per rule)', async () => {
    const migrations = await loadMigrations();
    const counts = new Map<string, number>();
    const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const m of migrations) {
      // A down file only drops: a function it re-created would be a second copy of the rule.
      expect(m.down, `${m.version}_${m.name} down`).not.toMatch(
        /create\s+(or\s+replace\s+)?(function|trigger|type)\b/i,
      );
      expect(
        m.up,
        `${m.version}_${m.name}: define a function once, not "or replace" it`,
      ).not.toMatch(/create\s+or\s+replace/i);
      for (const [, name] of m.up.matchAll(/create\s+function\s+([a-z_.]+)\s*\(/gi))
        count(`function ${name!.toLowerCase()}`);
      for (const [, name] of m.up.matchAll(/create\s+type\s+([a-z_.]+)/gi))
        count(`type ${name!.toLowerCase()}`);
      for (const [, name, table] of m.up.matchAll(
        /create\s+trigger\s+([a-z_]+)\s[\s\S]*?\bon\s+([a-z_.]+)/gi,
      )) {
        count(`trigger ${name!.toLowerCase()} on ${table!.toLowerCase()}`);
      }
    }
    expect(counts.size).toBeGreaterThan(30);
    expect([...counts].filter(([, n]) => n > 1).map(([key]) => key)).toEqual([]);
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

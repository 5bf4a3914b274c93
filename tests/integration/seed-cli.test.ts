import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock } from '../../db/node/data-dir-lock.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { runScript } from '../support/process.ts';
import { TelegramStub } from '../support/telegram-stub.ts';

/**
 * `npm run seed -- demo` puts the demo business into any database (the embedded default seeds it
 * by itself on first start; PostgreSQL never did): once, on a migrated database, one process at a
 * time on an embedded one. `bot:register -- --tenant demo` then finds it.
 */
const seed = (args: string[], env: Record<string, string>) =>
  runScript('db/node/seed-cli.ts', args, env);
const oneLine = (text: string) => {
  const lines = text.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
};

describe('npm run seed on PostgreSQL', () => {
  let tdb: TestDatabase;
  const telegram = new TelegramStub();
  beforeAll(async () => {
    tdb = await createTestDatabase('seed_cli');
    await telegram.start();
  });
  afterAll(async () => {
    await telegram.stop();
    await tdb.drop();
  });

  const count = async (sql: string) => {
    const client = postgres(tdb.url, { max: 1, onnotice: () => {} });
    try {
      return Number((await client.unsafe(sql))[0]!.n);
    } finally {
      await client.end();
    }
  };

  it('refuses an unmigrated database, seeds a migrated one once, and bot:register then finds the demo business', async () => {
    const env = { DATABASE_URL: tdb.url };
    const early = await seed(['demo'], env);
    expect(early.code).toBe(1);
    expect(oneLine(early.stderr)).toMatch(
      /^Could not seed "demo": the database is not migrated \(0 of \d+ migrations applied\): run `npm run migrate -- up` first$/,
    );
    expect(
      await count(
        "select count(*) as n from pg_tables where schemaname = 'public' and tablename = 'tenants'",
      ),
    ).toBe(0);

    expect((await runScript('db/node/migrate-cli.ts', ['up'], env)).code).toBe(0);
    const first = await seed(['demo'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('database: postgres://');
    expect(first.stdout).toMatch(/^seeded "demo": the demo business \(slug demo\)/m);
    expect(await count("select count(*) as n from public.tenants where slug = 'demo'")).toBe(1);
    const locations = await count('select count(*) as n from public.locations');

    const again = await seed(['demo'], env);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^"demo" is already seeded in this database \(since \d{4}-\d\d-\d\dT[\d:.]+Z\): nothing to do$/m,
    );
    expect(await count('select count(*) as n from public.tenants')).toBe(1);
    expect(await count('select count(*) as n from public.locations')).toBe(locations);

    const token = `${7_300_000 + Math.floor(Math.random() * 99_999)}:AAE${'s'.repeat(32)}`;
    telegram.addBot(token, 'demo_seeded_bot');
    const register = await runScript(
      'edge/runtime/register-bot-cli.ts',
      ['--tenant', 'demo', '--token', token],
      {
        ...env,
        PUBLIC_URL: 'https://bots.example.test',
        ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
        TELEGRAM_API_ROOT: telegram.apiRoot,
      },
    );
    expect(register.stderr).toBe('');
    expect(register.code).toBe(0);
    expect(register.stdout).toContain(
      '@demo_seeded_bot is connected: webhook https://bots.example.test/tg/',
    );
  });

  it('says which seeds exist when asked for another one, and prints its usage when asked for none', async () => {
    const unknown = await seed(['salon'], { DATABASE_URL: tdb.url });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Unknown seed "salon": the seeds are demo\.$/m);
    const usage = await seed([], { DATABASE_URL: tdb.url });
    expect(usage.code).toBe(0);
    expect(usage.stdout).toMatch(/^Usage: npm run seed -- <name>$/m);
    expect(usage.stdout).toMatch(/^\s+demo\s+/m);
  });
});

describe('npm run seed on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'slotbot-seed-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const lockFile = join(dataDir, 'pglite.lock');

  it('waits its turn: refused while another process holds the data directory, seeds once it is free', async () => {
    const lock = acquireDataDirLock(join(dataDir, 'pglite'), 'npm start');
    try {
      const refused = await seed(['demo'], { DATA_DIR: dataDir });
      expect(refused.code).toBe(1);
      expect(oneLine(refused.stderr)).toMatch(
        /^Could not seed "demo": the embedded database at .*pglite is in use by another process \(npm start, pid \d+.*stop that process first/,
      );
    } finally {
      lock.release();
    }
    expect((await runScript('db/node/migrate-cli.ts', ['up'], { DATA_DIR: dataDir })).code).toBe(0);
    const done = await seed(['demo'], { DATA_DIR: dataDir });
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('database: embedded PGlite at');
    expect(done.stdout).toMatch(/^seeded "demo"/m);
    expect(existsSync(lockFile)).toBe(false);
  });
});

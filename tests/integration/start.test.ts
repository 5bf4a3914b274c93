import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../db/pglite.ts';
import { freePort, runToExit, startServer } from '../support/process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'slotbot-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function inspect<T>(
  fn: (db: Awaited<ReturnType<typeof openPglite>>) => Promise<T>,
): Promise<T> {
  const db = await openPglite(join(dataDir, 'pglite'));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('npm start on the embedded default', () => {
  it('starts on a fresh data dir, seeds the demo tenant once, and keeps data across restarts', async () => {
    const port = await freePort();
    const first = await startServer({ DATA_DIR: dataDir, PORT: String(port) });
    let health: Response;
    try {
      health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'ok',
        database: { kind: 'pglite', ok: true, migrations: { up_to_date: true }, seeds: ['demo'] },
      });
      const listening = first
        .output()
        .split('\n')
        .filter((l) => l.includes('server_listening'));
      expect(listening).toHaveLength(1);
      expect(listening[0]).toContain(
        `Slotbot listening on http://localhost:${port} (database: embedded PGlite at ${join(dataDir, 'pglite')})`,
      );
      expect(first.output()).toContain('"event":"demo_seeded"');
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const seeded = await inspect(async (db) => {
      await db.query(
        "insert into clients (tenant_id, telegram_user_id, first_name) values ('00000000-0000-4000-8000-000000000001', 777001, 'Kept')",
      );
      return db.query<{
        slug: string;
        zones: string[];
        currencies: string[];
        masters: number;
        services: number;
      }>(`
        select t.slug,
               array_agg(distinct l.timezone order by l.timezone) as zones,
               array_agg(distinct l.currency order by l.currency) as currencies,
               (select count(*)::int from masters m where m.tenant_id = t.id) as masters,
               (select count(*)::int from services s where s.tenant_id = t.id) as services
        from tenants t join locations l on l.tenant_id = t.id group by t.id, t.slug`);
    });
    expect(seeded).toEqual([
      {
        slug: 'demo',
        zones: ['America/New_York', 'Europe/Berlin'],
        currencies: ['EUR', 'USD'],
        masters: 5,
        services: 9,
      },
    ]);

    const second = await startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(second.output()).not.toContain('demo_seeded');
      expect(second.output()).not.toContain('migrations_applied');
    } finally {
      expect(await second.stop()).toBe(0);
    }
    const after = await inspect((db) =>
      db.query<{ tenants: number; kept: number }>(
        'select (select count(*)::int from tenants) as tenants, (select count(*)::int from clients where telegram_user_id = 777001) as kept',
      ),
    );
    expect(after).toEqual([{ tenants: 1, kept: 1 }]);
  });
});

describe('configuration errors stop start-up', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const db = 'postgres://postgres@127.0.0.1:5432/postgres';
  const cases: [string, Record<string, string>, RegExp[]][] = [
    [
      'malformed DATABASE_URL',
      {
        DATABASE_URL: 'mysql://localhost/db',
        ENCRYPTION_KEY: key,
        PUBLIC_URL: 'https://bots.example.com',
      },
      [
        /^Configuration error: DATABASE_URL is invalid: expected a postgres:\/\/ or postgresql:\/\/ URL/m,
      ],
    ],
    [
      'missing ENCRYPTION_KEY',
      { DATABASE_URL: db, PUBLIC_URL: 'https://bots.example.com' },
      [/^Configuration error: ENCRYPTION_KEY is required: 32 random bytes in base64/m],
    ],
    [
      'short ENCRYPTION_KEY',
      { DATABASE_URL: db, PUBLIC_URL: 'https://bots.example.com', ENCRYPTION_KEY: 'c2hvcnQ=' },
      [
        /^Configuration error: ENCRYPTION_KEY is invalid: expected 32 random bytes in base64.*got 5 bytes/m,
      ],
    ],
    [
      'missing PUBLIC_URL',
      { DATABASE_URL: db, ENCRYPTION_KEY: key },
      [/^Configuration error: PUBLIC_URL is required: the https URL/m],
    ],
    [
      'malformed PUBLIC_URL',
      { PUBLIC_URL: 'bots.example.com' },
      [/^Configuration error: PUBLIC_URL is invalid: expected a https:\/\/ or http:\/\/ URL/m],
    ],
    [
      'malformed PORT',
      { PORT: 'eighty' },
      [/^Configuration error: PORT is invalid: expected a TCP port number between 1 and 65535/m],
    ],
    [
      'malformed TELEGRAM_API_ROOT',
      { TELEGRAM_API_ROOT: 'api.telegram.org' },
      [
        /^Configuration error: TELEGRAM_API_ROOT is invalid: expected a https:\/\/ or http:\/\/ URL/m,
      ],
    ],
    [
      'unknown SCHEDULER',
      { SCHEDULER: 'cron' },
      [
        /^Configuration error: SCHEDULER is invalid: expected `local` \(embedded job runner\) or `qstash`/m,
      ],
    ],
    [
      'qstash without its keys',
      { SCHEDULER: 'qstash' },
      [
        /^Configuration error: QSTASH_TOKEN is required/m,
        /^Configuration error: QSTASH_CURRENT_SIGNING_KEY is required/m,
        /^Configuration error: QSTASH_NEXT_SIGNING_KEY is required/m,
      ],
    ],
    [
      'unknown LOG_LEVEL',
      { LOG_LEVEL: 'loud' },
      [
        /^Configuration error: LOG_LEVEL is invalid: expected one of fatal, error, warn, info, debug, trace, silent/m,
      ],
    ],
  ];

  it.each(cases)(
    '%s: one clear line per problem and a non-zero exit',
    async (_name, env, expected) => {
      const result = await runToExit({ DATA_DIR: join(dataDir, 'unused'), ...env });
      expect(result.code).toBe(1);
      for (const line of expected) expect(result.stderr).toMatch(line);
      expect(result.stderr.trim().split('\n')).toHaveLength(expected.length);
      expect(result.stdout).not.toContain('server_listening');
    },
  );
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runScript, startServer } from '../support/process.ts';

/**
 * PGlite is one process's database: a second process opening the same data directory writes a
 * diverging copy (the issue: `bot:register` beside `npm start` said "connected" and lost the row).
 * Whoever opens it first holds it; everyone else refuses with one line saying what to do.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'slotbot-lock-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const lockFile = join(dataDir, 'pglite.lock');
const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

function expectRefusal(
  result: { code: number | null; stderr: string; stdout: string },
  prefix: string,
) {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    new RegExp(
      `^${prefix}: the embedded database at .*pglite is in use by another process \\(npm start, pid \\d+`,
    ),
  );
  expect(lines[0]).toMatch(/stop that process first.*or set DATABASE_URL/);
  expect(result.stdout).not.toContain('connected');
}

describe('one process at a time on an embedded database', () => {
  it('bot:register, migrate and a second server refuse while the server runs; all work once it stopped', async () => {
    const port = await freePort();
    const server = await startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      expect(existsSync(lockFile)).toBe(true);
      const register = await runScript(
        'edge/runtime/register-bot-cli.ts',
        ['--tenant', 'demo', '--token', TOKEN],
        { DATA_DIR: dataDir, TELEGRAM_API_ROOT: 'http://127.0.0.1:9' },
      );
      expectRefusal(register, 'Could not connect the bot');
      expectRefusal(
        await runScript('db/node/migrate-cli.ts', ['status'], { DATA_DIR: dataDir }),
        'Error',
      );
      expectRefusal(
        await runScript('edge/runtime/node.ts', [], {
          DATA_DIR: dataDir,
          PORT: String(await freePort()),
        }),
        'Slotbot failed to start',
      );
      // The server never noticed.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(existsSync(lockFile)).toBe(false);
    const status = await runScript('db/node/migrate-cli.ts', ['status'], { DATA_DIR: dataDir });
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('a lock left by a killed process (SIGKILL) does not block the next start', async () => {
    const port = await freePort();
    const first = await startServer({ DATA_DIR: dataDir, PORT: String(port) });
    const holder = (JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number }).pid;
    process.kill(holder, 'SIGKILL');
    await first.exited;
    expect(existsSync(lockFile)).toBe(true);
    const second = await startServer({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number }).pid).not.toBe(holder);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});

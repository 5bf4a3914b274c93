import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratedPostgres } from '../support/pg.ts';
import { cleanEnv, freePort, ROOT, runToExit, startServer } from '../support/process.ts';

/** A port taken by another program ends start-up with one line naming PORT, exit code 1, the database released. */
let blocker: Server;
let port = 0;
const dataDir = mkdtempSync(join(tmpdir(), 'slotbot-listen-'));

beforeAll(async () => {
  port = await freePort();
  blocker = createServer();
  // No host, as the servers listen: every address of the port.
  await new Promise<void>((resolve, reject) =>
    blocker.once('error', reject).listen(port, () => resolve()),
  );
});
afterAll(async () => {
  await new Promise((r) => blocker.close(r));
  rmSync(dataDir, { recursive: true, force: true });
});

const expectedLine = (command: string) =>
  `Slotbot cannot listen on port ${port}: it is in use by another program. Stop that program or set PORT to a free port (e.g. PORT=${port + 1} ${command}).`;

describe('a port in use', () => {
  it('Node: one line, exit code 1, and the embedded database is given back (the next start works)', async () => {
    const result = await runToExit({ DATA_DIR: dataDir, PORT: String(port) });
    expect(result.stderr.trim().split('\n')).toEqual([expectedLine('npm start')]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('server_listening');
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);

    const other = await freePort();
    const server = await startServer({ DATA_DIR: dataDir, PORT: String(other) });
    try {
      expect(await (await fetch(`http://127.0.0.1:${other}/healthz`)).json()).toMatchObject({
        status: 'ok',
        database: { seeds: ['demo'] },
      });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('Deno: the same line with its own command, exit code 1', async () => {
    const { url, cleanup } = await migratedPostgres('listen_deno');
    try {
      const env = cleanEnv({
        DATABASE_URL: url,
        PUBLIC_URL: 'https://bots.example.test',
        ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
        PORT: String(port),
        DENO_NO_UPDATE_CHECK: '1',
      });
      const child = spawn(
        join(ROOT, 'node_modules/.bin/deno'),
        ['run', '-A', 'edge/runtime/deno.ts'],
        { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      // Deno's Node layer warns about a dependency's use of `punycode` on every start; not ours to say.
      const lines = stderr
        .trim()
        .split('\n')
        .filter((l) => !/^\(node:\d+\) \[DEP\d+\] DeprecationWarning/.test(l));
      expect(lines).toEqual([expectedLine('deno run -A edge/runtime/deno.ts')]);
      expect(code).toBe(1);
      expect(stdout).not.toContain('server_listening');
    } finally {
      await cleanup();
    }
  });
});

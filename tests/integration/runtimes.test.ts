import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator } from '../../db/migrations.ts';
import { loadMigrations } from '../../db/node/migration-files.ts';
import { openPostgres } from '../../db/postgres.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { cleanEnv, freePort, ROOT } from '../support/process.ts';

/** The same app core served by the other runtime entries, against a real PostgreSQL. */
let tdb: TestDatabase;
const children: ChildProcess[] = [];
const key = Buffer.alloc(32, 3).toString('base64');

beforeAll(async () => {
  tdb = await createTestDatabase('runtimes');
  const db = openPostgres(tdb.url, { max: 1 });
  await createMigrator(db, await loadMigrations()).up();
  await db.close();
});

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await tdb.drop();
});

async function waitForHealth(port: number, child: ChildProcess, output: () => string): Promise<Response> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
    try {
      return await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`no answer on port ${port}:\n${output()}`);
}

function launch(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

describe('runtime entries', () => {
  it('Deno serves /healthz from edge/runtime/deno.ts', async () => {
    const port = await freePort();
    const { child, output } = launch(join(ROOT, 'node_modules/.bin/deno'), ['run', '-A', 'edge/runtime/deno.ts'], {
      DATABASE_URL: tdb.url,
      PUBLIC_URL: `http://localhost:${port}`,
      ENCRYPTION_KEY: key,
      PORT: String(port),
      DENO_NO_UPDATE_CHECK: '1',
    });
    const res = await waitForHealth(port, child, output);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { kind: 'postgres', ok: true, migrations: { up_to_date: true } } });
    expect(output()).toContain(`Slotbot listening on http://localhost:${port}`);
  });

  it('the Worker serves /healthz on workerd (wrangler dev, offline)', async () => {
    // A free port can be taken by a parallel test between picking it and workerd binding it: try again.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const vars = { DATABASE_URL: tdb.url, ENCRYPTION_KEY: key, PUBLIC_URL: `http://localhost:${port}`, SCHEDULER: 'local' };
      const { child, output } = launch(
        join(ROOT, 'node_modules/.bin/wrangler'),
        ['dev', '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(await freePort()), ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])],
        { WRANGLER_SEND_METRICS: 'false', CI: 'true', XDG_CONFIG_HOME: join(ROOT, '.wrangler', 'config') },
      );
      let res: Response;
      try {
        res = await waitForHealth(port, child, output);
      } catch (error) {
        if (attempt < 3 && output().includes('Address already in use')) continue;
        throw error;
      }
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', database: { kind: 'postgres', ok: true, migrations: { up_to_date: true } } });
      return;
    }
  });
});

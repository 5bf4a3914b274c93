import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanEnv, freePort, ROOT, startServer } from './process.ts';

/** A runtime entry serving the app as its own process, for the tests that drive it over HTTP. */
export interface Served {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `command` in the repository with only `env` (and PATH, HOME), collecting its output. */
export function launch(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  };
  return { child, output: () => out, stop };
}

/** Resolves once `healthUrl` answers at all (any status), or throws with the process's output. */
export async function waitForHealth(
  healthUrl: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
    try {
      await (await fetch(healthUrl, { signal: AbortSignal.timeout(5000) })).arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`no answer from ${healthUrl}:\n${output()}`);
}

/** The Node entry (`npm start`) on a free port. */
export async function serveNode(env: (baseUrl: string) => Record<string, string>): Promise<Served> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const running = await startServer({ ...env(baseUrl), PORT: String(port) }, 90_000);
  return { baseUrl, output: running.output, stop: async () => void (await running.stop()) };
}

/** The Deno entry (`deno run -A edge/runtime/deno.ts`) on a free port, with the npm package's deno binary. */
export async function serveDeno(env: (baseUrl: string) => Record<string, string>): Promise<Served> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const { child, output, stop } = launch(
    join(ROOT, 'node_modules/.bin/deno'),
    ['run', '-A', 'edge/runtime/deno.ts'],
    { ...env(baseUrl), PORT: String(port), DENO_NO_UPDATE_CHECK: '1' },
  );
  try {
    await waitForHealth(`${baseUrl}/healthz`, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, output, stop };
}

/**
 * `wrangler dev` (workerd, offline) serving the Worker entry with `env` as `--var`s; `args` adds
 * flags (e.g. `--test-scheduled`).
 */
export async function serveWorker(
  env: (baseUrl: string) => Record<string, string>,
  args: string[] = [],
): Promise<Served> {
  // A free port can be taken by a parallel test between picking it and workerd binding it: try again.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const vars = Object.entries(env(baseUrl)).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
    const { child, output, stop } = launch(
      join(ROOT, 'node_modules/.bin/wrangler'),
      [
        'dev',
        '--port',
        String(port),
        '--ip',
        '127.0.0.1',
        '--inspector-port',
        String(await freePort()),
        ...args,
        ...vars,
      ],
      {
        WRANGLER_SEND_METRICS: 'false',
        CI: 'true',
        XDG_CONFIG_HOME: join(ROOT, '.wrangler', 'config'),
      },
    );
    try {
      await waitForHealth(`${baseUrl}/healthz`, child, output);
      return { baseUrl, output, stop };
    } catch (error) {
      await stop();
      if (attempt < 3 && output().includes('Address already in use')) continue;
      throw error;
    }
  }
}

/**
 * The Worker as deployed with Cloudflare Hyperdrive: the repository's wrangler.toml with the
 * `[[hyperdrive]]` binding its comments describe, whose local stand-in (`wrangler dev` proxies the
 * binding's connections to `localConnectionString`) points at `databaseUrl`. DATABASE_URL is set
 * to an address where nothing listens, so every statement has to go through the binding.
 */
export function serveWorkerBehindHyperdrive(databaseUrl: string) {
  return async (env: (baseUrl: string) => Record<string, string>): Promise<Served> => {
    const local = new URL(databaseUrl);
    // Wrangler insists on a password; the local server and PgBouncer trust the user and ignore it.
    if (!local.password) local.password = 'unused';
    const config = join(ROOT, '.wrangler', `hyperdrive-${process.pid}-${++hyperdriveConfigs}.toml`);
    const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8').replace(
      /^main = .*$/m,
      `main = ${JSON.stringify(join(ROOT, 'edge/runtime/worker.ts'))}`,
    );
    mkdirSync(dirname(config), { recursive: true });
    writeFileSync(
      config,
      `${toml}\n[[hyperdrive]]\nbinding = "HYPERDRIVE"\nid = "${'0'.repeat(32)}"\nlocalConnectionString = ${JSON.stringify(local.toString())}\n`,
    );
    const nowhere = `postgres://nobody:unused@127.0.0.1:${await freePort()}/nothing`;
    try {
      const served = await serveWorker(
        (baseUrl) => ({ ...env(baseUrl), DATABASE_URL: nowhere }),
        ['--config', config],
      );
      return {
        ...served,
        stop: async () => {
          await served.stop();
          rmSync(config, { force: true });
        },
      };
    } catch (error) {
      rmSync(config, { force: true });
      throw error;
    }
  };
}
let hyperdriveConfigs = 0;

/**
 * The Supabase Edge Function (`supabase/functions/slotbot`) under Deno, with its own deno.json
 * (the import map Supabase bundles with) resolved against the installed node_modules (so its
 * pinned versions must be the installed ones), on a free port; `baseUrl` includes `/slotbot`, as
 * `https://<project>.supabase.co/functions/v1/slotbot` would.
 */
export async function serveSupabaseFunction(
  env: (baseUrl: string) => Record<string, string>,
): Promise<Served> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const baseUrl = `${origin}/slotbot`;
  const { child, output, stop } = launch(
    join(ROOT, 'node_modules/.bin/deno'),
    [
      'run',
      '-A',
      '--config',
      'supabase/functions/slotbot/deno.json',
      '--node-modules-dir=manual',
      'tests/support/deno-serve.ts',
      'supabase/functions/slotbot/index.ts',
    ],
    { ...env(baseUrl), PORT: String(port), DENO_NO_UPDATE_CHECK: '1' },
  );
  try {
    await waitForHealth(`${baseUrl}/healthz`, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, output, stop };
}

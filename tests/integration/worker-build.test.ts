import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/process.ts';

const outDir = mkdtempSync(join(tmpdir(), 'slotbot-worker-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('Cloudflare Worker bundle', () => {
  it('builds with wrangler deploy --dry-run, without Node-only modules', async () => {
    await promisify(execFile)(
      join(ROOT, 'node_modules/.bin/wrangler'),
      ['deploy', '--dry-run', '--outdir', outDir],
      {
        cwd: ROOT,
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
        timeout: 120_000,
      },
    );
    const bundle = join(outDir, 'worker.js');
    const code = readFileSync(bundle);
    const gzipped = gzipSync(code).length;
    console.log(
      `worker bundle: ${(statSync(bundle).size / 1024).toFixed(1)} KiB, gzipped ${(gzipped / 1024).toFixed(1)} KiB`,
    );
    expect(gzipped).toBeLessThan(1024 * 1024); // the Workers free-plan limit is 1 MiB gzipped
    const text = code.toString();
    expect(text).not.toContain('@electric-sql/pglite');
    expect(text).not.toMatch(/from\s*["']pino["']/);
  });
});

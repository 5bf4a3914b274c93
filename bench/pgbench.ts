import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Transactions per second of a pgbench script (prepared statements), or undefined without pgbench. */
export async function pgbenchTps(
  url: string,
  script: string,
  clients: number,
  seconds: number,
): Promise<number | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'slotbot-pgbench-'));
  try {
    const file = join(dir, 'script.sql');
    writeFileSync(file, script);
    const { stdout } = await promisify(execFile)(
      'pgbench',
      [
        '-n',
        '-M',
        'prepared',
        '-f',
        file,
        '-c',
        String(clients),
        '-j',
        '2',
        '-T',
        String(seconds),
        url,
      ],
      { timeout: (seconds + 30) * 1000 },
    );
    const match = /tps = ([\d.]+)/.exec(stdout);
    return match ? Number(match[1]) : undefined;
  } catch (error) {
    process.stderr.write(
      `pgbench failed: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}\n`,
    );
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { readFileSync } from 'node:fs';
import postgres from 'postgres';

/**
 * CPU seconds used so far by this process and by the PostgreSQL server processes serving one
 * database (read from /proc, so on Linux with the server on this machine; elsewhere 0).
 */
export async function cpuSeconds(url: string): Promise<{ node: number; postgres: number }> {
  const own = process.cpuUsage();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let pg = 0;
  try {
    const rows = await sql<{ pid: number }[]>`
      select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
    for (const { pid } of rows) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        pg += (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
      } catch {
        // not on this machine, or gone meanwhile
      }
    }
  } finally {
    await sql.end();
  }
  return { node: (own.user + own.system) / 1e6, postgres: pg };
}

/**
 * How far the server's write-ahead log has come, in bytes (the whole server, so runs measure
 * alone): the difference over a run is the log the run made PostgreSQL write and flush.
 */
export async function walBytes(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ bytes: string }[]>`
      select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as bytes`;
    return Number(row!.bytes);
  } finally {
    await sql.end();
  }
}

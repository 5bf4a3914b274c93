import postgres from 'postgres';

/**
 * PgBouncer in transaction mode for the tests that must hold through a transaction-mode pooler.
 * `TEST_PGBOUNCER_URL` is its address with user and no database (e.g.
 * postgres://postgres@127.0.0.1:6432/); it serves every database of the test server (`* =` entry)
 * and lists `postgres` in `admin_users`. `bash .ci/run` installs Debian's pgbouncer, starts it and
 * sets the variable; without it those tests are skipped, saying so.
 */
export const POOLER: { available: true; baseUrl: string } | { available: false; reason: string } =
  process.env.TEST_PGBOUNCER_URL?.trim()
    ? { available: true, baseUrl: process.env.TEST_PGBOUNCER_URL.trim() }
    : {
        available: false,
        reason:
          'TEST_PGBOUNCER_URL is not set; `bash .ci/run` starts PgBouncer in transaction mode and sets it',
      };

if (!POOLER.available) console.warn(`PgBouncer variants skipped: ${POOLER.reason}`);

/** The pooler's address for the database of `directUrl` (same database name, the pooler's host and port). */
export function poolerUrl(directUrl: string): string {
  if (!POOLER.available) throw new Error(POOLER.reason);
  const url = new URL(POOLER.baseUrl);
  url.pathname = new URL(directUrl).pathname;
  return url.toString();
}

/** What PgBouncer's admin console says about one database: its pool mode and transactions served. */
export async function pgbouncerStats(
  database: string,
): Promise<{ poolMode: string | undefined; transactions: number }> {
  if (!POOLER.available) throw new Error(POOLER.reason);
  const url = new URL(POOLER.baseUrl);
  url.pathname = '/pgbouncer';
  // The admin console speaks the simple protocol only, and knows no catalog to fetch types from.
  const admin = postgres(url.toString(), { max: 1, fetch_types: false, onnotice: () => {} });
  try {
    const pools = await admin.unsafe('show pools').simple();
    const stats = await admin.unsafe('show stats').simple();
    const pool = (pools as unknown as { database: string; pool_mode?: string }[]).find(
      (p) => p.database === database,
    );
    const stat = (
      stats as unknown as { database: string; total_xact_count: string | number }[]
    ).find((s) => s.database === database);
    return { poolMode: pool?.pool_mode, transactions: Number(stat?.total_xact_count ?? 0) };
  } finally {
    await admin.end({ timeout: 5 });
  }
}

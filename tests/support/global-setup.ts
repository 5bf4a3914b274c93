import postgres from 'postgres';
import { ADMIN_URL } from './pg.ts';

/** Fails fast, with the fix, when the local PostgreSQL the integration tests need is not there. */
export default async function setup(): Promise<void> {
  const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (error) {
    throw new Error(
      `Integration tests need PostgreSQL at ${ADMIN_URL} (set TEST_DATABASE_URL to use another): ${(error as Error).message}. ` +
        'Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    );
  } finally {
    await sql.end();
  }
}

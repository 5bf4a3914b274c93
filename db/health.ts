import type { Database } from './port.ts';
import { EXPECTED_SCHEMA_VERSION } from './schema-version.ts';

export interface DatabaseHealth {
  kind: Database['kind'];
  ok: boolean;
  latency_ms: number;
  error?: string;
  migrations?: { applied: number; latest: string | null; expected: string; up_to_date: boolean };
  seeds?: string[];
}

/** Probes the database and reads the migration bookkeeping; never throws. */
export async function checkDatabase(db: Database, now: () => number): Promise<DatabaseHealth> {
  const started = now();
  try {
    const [meta] = await db.query<{ migrations: boolean; seeds: boolean }>(
      "select to_regclass('slotbot_meta.schema_migrations') is not null as migrations, to_regclass('slotbot_meta.seeds') is not null as seeds",
    );
    let applied = 0;
    let latest: string | null = null;
    let seeds: string[] = [];
    if (meta?.migrations) {
      const [row] = await db.query<{ applied: number; latest: string | null }>(
        'select count(*)::int as applied, max(version) as latest from slotbot_meta.schema_migrations',
      );
      applied = row?.applied ?? 0;
      latest = row?.latest ?? null;
    }
    if (meta?.seeds) {
      seeds = (
        await db.query<{ name: string }>('select name from slotbot_meta.seeds order by name')
      ).map((r) => r.name);
    }
    return {
      kind: db.kind,
      ok: true,
      latency_ms: Math.round((now() - started) * 100) / 100,
      migrations: {
        applied,
        latest,
        expected: EXPECTED_SCHEMA_VERSION,
        up_to_date: latest === EXPECTED_SCHEMA_VERSION,
      },
      seeds,
    };
  } catch (error) {
    return {
      kind: db.kind,
      ok: false,
      latency_ms: Math.round((now() - started) * 100) / 100,
      error: (error as { code?: string }).code ?? (error as Error).name ?? 'error',
    };
  }
}

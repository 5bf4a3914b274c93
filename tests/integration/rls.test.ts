import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform, asTenant } from '../../db/scope.ts';
import { pgErrorInfo, type Database } from '../../db/port.ts';
import { migratedPglite, migratedPostgres } from '../support/pg.ts';
import { createTenantWorld, type TenantWorld } from '../support/fixtures.ts';

/** Every table of the public schema, from the catalog: a new table is covered (or fails) at once. */
async function publicTables(db: Database) {
  return db.query<{ table: string; rls: boolean; has_tenant_id: boolean }>(`
    select c.relname as table, c.relrowsecurity as rls,
           exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as has_tenant_id
    from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
    order by c.relname`);
}

/**
 * Tables only the platform reads or writes (sign-in secrets, sessions, claim codes, platform
 * settings): a tenant's role has no grant on them at all, whatever their rows say.
 */
const PLATFORM_ONLY = [
  'platform_settings',
  'admin_sessions',
  'admin_login_links',
  'signup_attempts',
];

/** Either the statement is refused outright, or it touches no row: both mean "cannot". */
async function refusedOrNoRows(run: () => Promise<unknown[]>): Promise<'refused' | number> {
  try {
    return (await run()).length;
  } catch (error) {
    expect(pgErrorInfo(error)?.code, String(error)).toBe('42501');
    return 'refused';
  }
}

for (const engine of ['postgres', 'pglite'] as const) {
  describe(`row-level security on ${engine}`, () => {
    let db: Database;
    let cleanup: () => Promise<void>;
    let a: TenantWorld;
    let b: TenantWorld;

    beforeAll(async () => {
      if (engine === 'postgres') {
        const m = await migratedPostgres('rls');
        db = m.db;
        cleanup = m.cleanup;
      } else {
        db = await migratedPglite();
        cleanup = () => db.close();
      }
      a = await createTenantWorld(db, 'tenant-a');
      b = await createTenantWorld(db, 'tenant-b');
    });
    afterAll(() => cleanup());

    it('has RLS enabled on every public table, and every table is tenant-owned', async () => {
      const tables = await publicTables(db);
      expect(tables.length).toBeGreaterThanOrEqual(18);
      for (const t of tables) {
        expect(t.rls, `${t.table} must have row-level security enabled`).toBe(true);
        expect(
          t.has_tenant_id || t.table === 'tenants' || PLATFORM_ONLY.includes(t.table),
          `${t.table} has no tenant_id: decide how tenants are isolated`,
        ).toBe(true);
      }
    });

    it('refuses a tenant every platform-only table, with or without its own rows in it', async () => {
      for (const table of PLATFORM_ONLY) {
        for (const sql of [
          `select 1 from public.${table}`,
          `delete from public.${table} returning 1`,
        ]) {
          await expect(
            asTenant(db, { tenantId: b.tenantId }, (tx) => tx.query(sql)),
            `${table}: ${sql}`,
          ).rejects.toMatchObject({ code: '42501' });
        }
      }
    });

    it('scopes every table: tenant A sees, changes and removes none of tenant B rows', async () => {
      const tables = (await publicTables(db)).filter((t) => !PLATFORM_ONLY.includes(t.table));
      for (const { table } of tables) {
        const col = table === 'tenants' ? 'id' : 'tenant_id';
        const ownedBy = async (tenantId: string) =>
          asPlatform(
            db,
            async (tx) =>
              (
                await tx.query<{ n: number }>(
                  `select count(*)::int as n from public.${table} where ${col} = $1`,
                  [tenantId],
                )
              )[0]!.n,
          );
        const bCount = await ownedBy(b.tenantId);
        const aCount = await ownedBy(a.tenantId);
        expect(
          bCount,
          `fixture has no ${table} row for tenant B: add one in tests/support/fixtures.ts`,
        ).toBeGreaterThan(0);

        const seen = await asTenant(db, { tenantId: a.tenantId }, (tx) =>
          tx.query<{ owner: string }>(`select ${col}::text as owner from public.${table}`),
        );
        expect(seen.length, `${table}: A sees exactly its own rows`).toBe(aCount);
        expect(
          seen.every((r) => r.owner === a.tenantId),
          `${table}: A sees only its own rows`,
        ).toBe(true);

        const updated = await refusedOrNoRows(() =>
          asTenant(db, { tenantId: a.tenantId }, (tx) =>
            tx.query(`update public.${table} set ${col} = ${col} where ${col} = $1 returning 1`, [
              b.tenantId,
            ]),
          ),
        );
        expect([0, 'refused'], `${table}: A updated B rows`).toContain(updated);

        const deleted = await refusedOrNoRows(() =>
          asTenant(db, { tenantId: a.tenantId }, (tx) =>
            tx.query(`delete from public.${table} where ${col} = $1 returning 1`, [b.tenantId]),
          ),
        );
        expect([0, 'refused'], `${table}: A deleted B rows`).toContain(deleted);
        expect(await ownedBy(b.tenantId), `${table}: B rows intact`).toBe(bCount);

        // A copy of one of B's rows, written by A: refused by the insert policy (or the grant).
        const [sample] = await asPlatform(db, (tx) =>
          tx.query<{ row: Record<string, unknown> }>(
            `select to_jsonb(t) as row from public.${table} t where ${col} = $1 limit 1`,
            [b.tenantId],
          ),
        );
        const copy = { ...sample!.row };
        if ('id' in copy && table !== 'tenants' && table !== 'audit_log')
          copy.id = crypto.randomUUID();
        // A booking is born held (a trigger insists before RLS gets to look).
        if (table === 'bookings')
          Object.assign(copy, {
            status: 'held',
            hold_expires_at: new Date(Date.now() + 60_000).toISOString(),
          });
        // Generated columns (the audit log's identity, the clients' search text) are left to the
        // table, as any writer must.
        const generated =
          table === 'audit_log' ? ['id'] : table === 'clients' ? ['search_text'] : [];
        if (generated.length) for (const c of generated) delete copy[c];
        const columns = Object.keys(copy).join(', ');
        await expect(
          asTenant(db, { tenantId: a.tenantId }, (tx) =>
            tx.query(
              `insert into public.${table} (${columns}) select ${columns} from jsonb_populate_record(null::public.${table}, $1::jsonb)`,
              [JSON.stringify(copy)],
            ),
          ),
          `${table}: A inserted a row for B`,
        ).rejects.toMatchObject({ code: '42501' });

        // Moving one of A's own rows over to B is refused as well.
        if (aCount > 0) {
          const moved = await refusedOrNoRows(() =>
            asTenant(db, { tenantId: a.tenantId }, (tx) =>
              tx.query(`update public.${table} set ${col} = $1 where ${col} = $2 returning 1`, [
                b.tenantId,
                a.tenantId,
              ]),
            ),
          );
          expect(moved, `${table}: A moved a row to B`).toBe('refused');
        }
        expect(await ownedBy(a.tenantId), `${table}: A rows intact`).toBe(aCount);
      }
    });

    it('lets a tenant work with its own rows', async () => {
      const clients = await asTenant(db, { tenantId: a.tenantId }, async (tx) => {
        await tx.query(
          'insert into clients (tenant_id, telegram_user_id, first_name) values ($1, 424242, $2)',
          [a.tenantId, 'Own'],
        );
        await tx.query("update clients set notes = 'regular' where telegram_user_id = 424242");
        return tx.query<{ notes: string }>(
          'select notes from clients where telegram_user_id = 424242',
        );
      });
      expect(clients).toEqual([{ notes: 'regular' }]);
    });

    it('gives anonymous sessions nothing and a scope without a tenant no rows', async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.query("select set_config('role', 'anon', true)");
          return tx.query('select * from public.bookings');
        }),
      ).rejects.toMatchObject({ code: '42501' });
      const rows = await db.transaction(async (tx) => {
        await tx.query(
          "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', '{}', true)",
        );
        return tx.query('select * from public.bookings');
      });
      expect(rows).toEqual([]);
    });
  });
}

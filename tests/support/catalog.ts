import type { Database } from '../../db/port.ts';

/**
 * A textual dump of the schema objects the migrations own (tables, columns, constraints, indexes,
 * policies, functions, triggers, grants, RLS flags, extensions), sorted, for comparisons.
 */
export type CatalogDump = Record<
  | 'schemas'
  | 'columns'
  | 'constraints'
  | 'indexes'
  | 'policies'
  | 'rls'
  | 'functions'
  | 'triggers'
  | 'grants'
  | 'extensions',
  string[]
>;

export async function catalogDump(db: Database): Promise<CatalogDump> {
  const lines = async (sql: string) =>
    (await db.query<{ line: string }>(sql)).map((r) => r.line).sort();
  return {
    schemas: await lines(
      `select nspname as line from pg_namespace where nspname in ('public', 'app', 'extensions')`,
    ),
    columns: await lines(`
      select concat_ws(' ', table_schema || '.' || table_name, column_name, data_type, is_nullable, coalesce(column_default, '-')) as line
      from information_schema.columns where table_schema in ('public', 'app')`),
    constraints: await lines(`
      select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) as line
      from pg_constraint where connamespace in ('public'::regnamespace) `),
    indexes: await lines(`
      select pg_get_indexdef(i.indexrelid) as line
      from pg_index i join pg_class c on c.oid = i.indrelid where c.relnamespace = 'public'::regnamespace`),
    policies: await lines(`
      select concat_ws(' | ', tablename, policyname, permissive, roles::text, cmd, coalesce(qual, '-'), coalesce(with_check, '-')) as line
      from pg_policies where schemaname = 'public'`),
    rls: await lines(`
      select relname || ' rls=' || relrowsecurity || ' force=' || relforcerowsecurity as line
      from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'`),
    functions: await lines(`
      select p.oid::regprocedure::text || ' ' || md5(pg_get_functiondef(p.oid)) || ' definer=' || p.prosecdef as line
      from pg_proc p where p.pronamespace in ('public'::regnamespace, (select oid from pg_namespace where nspname = 'app'))`),
    triggers: await lines(
      `select pg_get_triggerdef(oid) as line from pg_trigger where not tgisinternal`,
    ),
    grants: await lines(`
      select concat_ws(' ', table_schema || '.' || table_name, grantee, privilege_type) as line
      from information_schema.role_table_grants where table_schema = 'public'`),
    extensions: await lines(
      `select extname || ' in ' || extnamespace::regnamespace::text as line from pg_extension`,
    ),
  };
}

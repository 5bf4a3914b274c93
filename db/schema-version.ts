/**
 * The newest migration this code needs. Health reports the database as out of date until it has
 * been applied; a unit test keeps this in step with `supabase/migrations`.
 */
export const EXPECTED_SCHEMA_VERSION = '20261126000500';

import type { PostgresOptions } from '../../db/postgres.ts';

/**
 * How the Worker opens PostgreSQL: a connection cannot outlive its request on Workers, so each
 * request gets a pool of one connection, opened on its first statement and closed after the response.
 */
export const WORKER_POSTGRES_OPTIONS: PostgresOptions = { max: 1 };

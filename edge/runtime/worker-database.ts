import type { PostgresOptions } from '../../db/postgres.ts';

/**
 * How a request-scoped runtime opens PostgreSQL: a connection cannot outlive its request on
 * Workers (a socket belongs to the request that opened it), so each request gets a pool of one
 * connection, opened on its first statement and closed after the response.
 */
export const WORKER_POSTGRES_OPTIONS: PostgresOptions = { max: 1 };

/** A Hyperdrive binding as the Worker sees it (`[[hyperdrive]]` in wrangler.toml): what matters here. */
export interface HyperdriveBinding {
  readonly connectionString: string;
}

/** The binding name of wrangler.toml's `[[hyperdrive]]` entry this app reads. */
export const HYPERDRIVE_BINDING = 'HYPERDRIVE';

/**
 * Where a request connects: through Cloudflare Hyperdrive when the Worker has the binding
 * (`env.HYPERDRIVE.connectionString`: Hyperdrive keeps the pool of connections to the database
 * near it, so the connection a request opens is cheap), else to `DATABASE_URL`. Undefined when
 * there is neither. Read per request, as Cloudflare's examples do.
 */
export function databaseUrlOf(env: Readonly<Record<string, unknown>>): string | undefined {
  const binding = env[HYPERDRIVE_BINDING] as Partial<HyperdriveBinding> | undefined;
  if (
    binding &&
    typeof binding === 'object' &&
    typeof binding.connectionString === 'string' &&
    binding.connectionString
  )
    return binding.connectionString;
  const url = env.DATABASE_URL;
  return typeof url === 'string' && url ? url : undefined;
}

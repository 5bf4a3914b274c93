import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from '../../db/port.ts';

/**
 * A database handle that lives as long as an isolate while the connections live for one request.
 * On Cloudflare Workers (and Supabase Edge Functions) a socket belongs to the request that opened
 * it: another request may not use it ("Cannot perform I/O on behalf of a different request"). The
 * services, bots and caches built over `db` are kept between requests; each call they make goes to
 * the connection given to `run` by the request it is made in (AsyncLocalStorage: `node:async_hooks`
 * with `nodejs_compat` on Workers, built into Deno). A call made outside any `run` fails: it has no
 * connection to go to, rather than borrowing one.
 */
export interface RequestRoutedDatabase {
  /** What the services are built over: every call is sent over the current request's connection. */
  readonly db: Database;
  /** Runs `fn` with `connection` as the database of every call made within it (and of what it awaits). */
  run<T>(connection: Database, fn: () => Promise<T>): Promise<T>;
}

export class NoRequestDatabaseError extends Error {
  override name = 'NoRequestDatabaseError';
}

export function createRequestRoutedDatabase(
  kind: Database['kind'] = 'postgres',
): RequestRoutedDatabase {
  const current = new AsyncLocalStorage<Database>();
  const connection = (): Database => {
    const db = current.getStore();
    if (!db)
      throw new NoRequestDatabaseError(
        'a database call outside a request: on this platform a connection belongs to one request, and none is current',
      );
    return db;
  };
  const db: Database = {
    kind,
    get location() {
      return current.getStore()?.location ?? '(a connection per request)';
    },
    query: async (text, params) => connection().query(text, params),
    exec: async (script) => connection().exec(script),
    transaction: async (fn, options) => connection().transaction(fn, options),
    // Each request closes its own connection; the routed handle has nothing of its own to close.
    close: () => Promise.resolve(),
    target: () => connection(),
  };
  return { db, run: (target, fn) => current.run(target, fn) };
}

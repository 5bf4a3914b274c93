import postgres from 'postgres';
import type { ArrayTypeCache } from './postgres-array-types.ts';

/** The pool was closed (the process is stopping): the same code postgres.js gives an ended pool, so callers can retry elsewhere. */
export const databaseClosed = () =>
  Object.assign(new Error('the database is closed'), { code: 'CONNECTION_ENDED' });

/**
 * The connections of the postgres.js adapter: `size` postgres.js clients of one connection each,
 * every unit of work (one statement, or one transaction) holding a client for itself, in arrival
 * order. Why not postgres.js's own pool: its `sql.reserve()` (our transactions) loses the request
 *  - on a connection it opens for the request when types are not fetched (porsager/postgres#751,
 *    #1219): every transaction on a Worker hung;
 *  - when the request waits for a busy connection and that connection closes and reconnects for it;
 * and after a connection closed under a transaction, the transaction's next statements went to
 * the same connection object reconnected for whoever waited (in autocommit, or into another
 * caller's transaction). Here a unit never waits inside postgres.js: a held client is idle when
 * the unit starts, and a reservation is only asked for once its connection is open (`reservable`),
 * so it is handed over at once. A unit whose connection closes fails at once (`lost`) and its
 * client is thrown away, so nothing it queued can run later.
 */
export interface Session {
  readonly sql: postgres.Sql;
  /** Settles as `work` does, or rejects as soon as this session's connection closes during the unit. */
  guard<T>(work: PromiseLike<T>): Promise<T>;
  /** Whether the connection closed during the current unit. */
  readonly lost: boolean;
  /**
   * Whether `sql.reserve()` is handed this client's open connection at once (an earlier unit opened
   * it). Asked for while the connection is not open, a reservation waits inside postgres.js: it is
   * lost on a connection opened without the type fetch (porsager/postgres#751, #1219), and when
   * the pool is closed meanwhile, postgres.js reopens the connection for it, left open for good.
   */
  readonly reservable: boolean;
  /** Whether the pool was closed: the client's connection ends as soon as it is idle. */
  readonly closing: boolean;
  /** Do not reuse this client after the unit (its state inside postgres.js is unknown). */
  discard(): void;
}

export interface SessionPool {
  use<T>(unit: (session: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Closed connections fail like postgres.js's own: code CONNECTION_CLOSED (retried later by the webhook). */
export class ConnectionLostError extends Error {
  readonly code = 'CONNECTION_CLOSED';
  override name = 'ConnectionLostError';
}

interface Client {
  sql: postgres.Sql;
  /** Fetched the array types itself: they are learnt from it after its first unit. */
  learning: boolean;
  /** `Session.reservable` */
  reservable: boolean;
  retireAt: number;
  /** Set while a unit holds the client: called when its connection closes. */
  onClose?: () => void;
}

/** An error after which the connection is gone or going (FATAL, SQLSTATE class 08, postgres.js's CONNECTION_*, socket errors). */
function endsConnection(error: unknown): boolean {
  const e = (error ?? {}) as { code?: unknown; severity?: unknown; errno?: unknown };
  if (e.severity === 'FATAL' || e.severity === 'PANIC' || typeof e.errno === 'number') return true;
  return typeof e.code === 'string' && (e.code.startsWith('CONNECT') || e.code.startsWith('08'));
}

/** Each client is replaced after 30 to 60 minutes (postgres.js's max_lifetime, done between units). */
const lifetimeMs = () => (30 + Math.random() * 30) * 60_000;

export function createSessionPool(
  url: string,
  size: number,
  options: postgres.Options<Record<string, postgres.PostgresType>>,
  /** Array types handed between clients; without it, each client fetches them when it opens. */
  arrayTypes?: ArrayTypeCache,
): SessionPool {
  const all = new Set<Client>();
  const idle: Client[] = [];
  const waiting: { resolve: (client: Client) => void; reject: (error: Error) => void }[] = [];
  let ending = false;

  function open(): Client {
    const client = { retireAt: Date.now() + lifetimeMs() } as Client;
    const connect = (fetchTypes: boolean) =>
      postgres(url, {
        ...options,
        max: 1,
        // Set here, so that neither the URL (?fetch_types=false) nor PG* variables can change them:
        // arrays parse the same on every runtime (types fetched, or installed from what another
        // client fetched); postgres.js never closes a connection on its own (it would between two
        // statements of a transaction): the lifetime is applied above, between units.
        fetch_types: fetchTypes,
        idle_timeout: 0,
        max_lifetime: null,
        onclose: () => {
          // Closed while idle too (the server restarted, a pooler dropped it): the next unit's
          // reservation would find no open connection.
          client.reservable = false;
          client.onClose?.();
        },
      });
    const opened = arrayTypes
      ? arrayTypes.open(url, connect)
      : { sql: connect(true), learning: false };
    client.sql = opened.sql;
    client.learning = opened.learning;
    client.reservable = false;
    all.add(client);
    return client;
  }

  function retire(client: Client, timeoutSeconds: number): void {
    all.delete(client);
    void client.sql.end({ timeout: timeoutSeconds }).catch(() => {});
  }

  function acquire(): Promise<Client> {
    if (ending) return Promise.reject(databaseClosed());
    for (let client = idle.pop(); client; client = idle.pop()) {
      if (Date.now() < client.retireAt) return Promise.resolve(client);
      retire(client, 5);
    }
    if (all.size < size) return Promise.resolve(open());
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  }

  function release(client: Client, reusable: boolean): void {
    if (!reusable || ending || Date.now() >= client.retireAt) {
      retire(client, reusable ? 5 : 0);
      if (waiting.length && !ending) waiting.shift()!.resolve(open());
      return;
    }
    const next = waiting.shift();
    if (next) next.resolve(client);
    else idle.push(client);
  }

  return {
    async use(unit) {
      const client = await acquire();
      let lost = false;
      let discarded = false;
      // Made on the first guard only: a statement outside a transaction needs none.
      let loss: Promise<never> | undefined;
      let signalLoss: ((error: Error) => void) | undefined;
      const lossError = () =>
        new ConnectionLostError('the database connection closed during the unit of work');
      client.onClose = () => {
        lost = true;
        signalLoss?.(lossError());
      };
      const session: Session = {
        sql: client.sql,
        guard(work) {
          if (lost) return Promise.reject(lossError());
          if (!loss) {
            loss = new Promise<never>((_, reject) => (signalLoss = reject));
            loss.catch(() => {});
          }
          return Promise.race([work, loss]);
        },
        get lost() {
          return lost;
        },
        get reservable() {
          return client.reservable;
        },
        get closing() {
          return ending;
        },
        discard: () => void (discarded = true),
      };
      try {
        const result = await unit(session);
        if (client.learning) {
          client.learning = false;
          arrayTypes?.learnFrom(url, client.sql);
        }
        return result;
      } catch (error) {
        if (endsConnection(error)) discarded = true;
        throw error;
      } finally {
        client.onClose = undefined;
        client.reservable = !lost;
        release(client, !lost && !discarded);
      }
    },
    async close() {
      ending = true;
      for (const w of waiting.splice(0)) w.reject(databaseClosed());
      idle.length = 0;
      await Promise.all([...all].map((client) => client.sql.end({ timeout: 5 })));
      all.clear();
    },
  };
}

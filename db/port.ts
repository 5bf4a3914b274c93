/**
 * The database port: the few operations every adapter (postgres.js, PGlite) offers. Queries use
 * positional parameters ($1, $2, ...); JSON values are passed as strings and cast in SQL.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  /** One statement with positional parameters; resolves to the returned rows. */
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** A script of several statements without parameters (migrations, seeds). */
  exec(script: string): Promise<void>;
}

export type Transaction = Queryable;

export interface TransactionOptions {
  /**
   * `fn` sends all its statements at once, before it awaits any answer (none depends on another's
   * outcome): COMMIT is sent right behind them, so BEGIN, the statements and COMMIT travel
   * together and the unit costs one round trip. A statement sent later is refused, and throwing
   * after the answers came no longer rolls back: the unit is committed unless a statement failed
   * (then it is rolled back and fails, as always). An adapter may run it as a plain transaction.
   */
  pipelined?: boolean;
}

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Where the data lives, safe to log: never contains a password. */
  readonly location: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  /**
   * The database a call made now goes to, where that depends on the caller: a request-routed
   * database (`edge/runtime/request-routed.ts`) answers with the current request's connection. Work that
   * gathers several callers' requests (the booking writer's group commit) groups them by this, so
   * that no request's statement travels over another request's connection. Absent: this database.
   */
  target?(): Database;
}

/**
 * Deadlock victim and serialization failure: PostgreSQL rolled the whole transaction back, so it
 * left nothing behind and is worth running again as it was.
 */
export const CONTENTION_CODES: ReadonlySet<string> = new Set(['40P01', '40001']);

/** A PostgreSQL error as both drivers report it (SQLSTATE code plus the constraint, when known). */
export interface PgErrorInfo {
  code: string;
  message: string;
  constraint?: string;
}

export function pgErrorInfo(error: unknown): PgErrorInfo | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as {
    code?: unknown;
    message?: unknown;
    constraint?: unknown;
    constraint_name?: unknown;
  };
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  const constraint =
    typeof e.constraint === 'string'
      ? e.constraint
      : typeof e.constraint_name === 'string'
        ? e.constraint_name
        : undefined;
  return { code: e.code, message: String(e.message ?? ''), ...(constraint ? { constraint } : {}) };
}

/** Removes the password from a connection URL so it can be logged or shown. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable database url)';
  }
}

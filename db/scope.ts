import type { Database, Transaction, TransactionOptions } from './port.ts';

/** Who a tenant-scoped unit of work acts for; becomes the JWT claims the RLS policies read. */
export interface TenantScope {
  tenantId: string;
  /** Staff user id or `tg:<telegram user id>`; recorded as the claim `sub`. */
  subject?: string;
  /** The actor's role inside the tenant (owner, manager, master, client). */
  appRole?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` in a transaction as the tenant-scoped `authenticated` role with the tenant in
 * `request.jwt.claims`: row-level security limits it to that tenant's rows, exactly as under
 * PostgREST. The settings are transaction-local and vanish at commit or rollback.
 */
export function asTenant<T>(
  db: Database,
  scope: TenantScope,
  fn: (tx: Transaction) => Promise<T>,
  options?: TransactionOptions,
): Promise<T> {
  const claims = tenantClaims(scope);
  return db.transaction(
    (tx) =>
      scoped(
        tx,
        tx.query(
          "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)",
          [claims],
        ),
        fn,
      ),
    options,
  );
}

/**
 * The JWT claims (as JSON text) that scope a unit of work to a tenant. A single statement that
 * only calls functions which check the claims themselves (`app.assert_may_act_for`) may set them
 * for its own implicit transaction instead of opening one with asTenant: one round trip.
 */
export function tenantClaims(scope: TenantScope): string {
  if (!UUID.test(scope.tenantId)) throw new Error('asTenant: tenantId must be a UUID');
  return JSON.stringify({
    role: 'authenticated',
    tenant_id: scope.tenantId,
    ...(scope.subject ? { sub: scope.subject } : {}),
    ...(scope.appRole ? { app_role: scope.appRole } : {}),
  });
}

/**
 * Runs `fn` right behind the statement that sets the scope, without waiting for its answer: the
 * driver sends them together and the server runs them in order. `fn` is awaited to the end before
 * the scope's own outcome is looked at, so no statement of `fn` can outlive the transaction.
 */
async function scoped<T>(
  tx: Transaction,
  scoping: Promise<unknown>,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  scoping.catch(() => {});
  const outcome = await fn(tx).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  // A failed scope is the root cause of whatever `fn` then ran into (an aborted transaction).
  const scopeError = await scoping.then(
    () => undefined,
    (error: unknown) => error ?? new Error('scope failed'),
  );
  if (scopeError) throw scopeError;
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Runs `fn` in a transaction as the platform (`service_role`, which bypasses row-level security). */
export function asPlatform<T>(
  db: Database,
  fn: (tx: Transaction) => Promise<T>,
  options?: TransactionOptions,
): Promise<T> {
  return db.transaction(
    (tx) =>
      scoped(
        tx,
        tx.query(
          "select set_config('role', 'service_role', true), set_config('request.jwt.claims', $1, true)",
          [JSON.stringify({ role: 'service_role' })],
        ),
        fn,
      ),
    options,
  );
}

/** A unit of one statement (or several sent at once): BEGIN, scope, statements and COMMIT travel together. */
export const PIPELINED: TransactionOptions = { pipelined: true };

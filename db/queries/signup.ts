import type { Queryable } from '../port.ts';

/** Self-service sign-up: its rate limit (attempts per address and platform-wide) and its business rows. */

export interface AttemptWindow {
  /** Attempts from this address within the window, and sign-ups platform-wide. */
  fromAddress: number;
  platformSignUps: number;
  /** When the oldest counted attempt (or sign-up) leaves the window: the earliest a retry may work. */
  addressFreesAt: Date | null;
  platformFreesAt: Date | null;
}

/**
 * Records an attempt from an address unless one of the limits is reached already; either way
 * returns what was counted. Serialized platform-wide by a transaction-level advisory lock, so two
 * instances never both let the fifth and sixth attempt through. Rows older than a day are removed.
 */
export async function recordSignupAttempt(
  q: Queryable,
  p: { ipHash: string; windowSeconds: number; perAddress: number; platformSignUps: number },
): Promise<{ recorded: string | null; window: AttemptWindow }> {
  await q.query("select pg_advisory_xact_lock(hashtext('slotbot.signup_attempts'))");
  await q.query("delete from public.signup_attempts where at < now() - interval '1 day'");
  const [row] = await q.query<{
    from_address: number;
    platform_sign_ups: number;
    address_frees_at: Date | null;
    platform_frees_at: Date | null;
  }>(
    `select
       count(*) filter (where ip_hash = decode($1, 'hex'))::int as from_address,
       count(*) filter (where succeeded)::int as platform_sign_ups,
       min(at) filter (where ip_hash = decode($1, 'hex')) + make_interval(secs => $2) as address_frees_at,
       min(at) filter (where succeeded) + make_interval(secs => $2) as platform_frees_at
     from public.signup_attempts where at > now() - make_interval(secs => $2)`,
    [p.ipHash, p.windowSeconds],
  );
  const window: AttemptWindow = {
    fromAddress: row!.from_address,
    platformSignUps: row!.platform_sign_ups,
    addressFreesAt: row!.address_frees_at ? new Date(row!.address_frees_at) : null,
    platformFreesAt: row!.platform_frees_at ? new Date(row!.platform_frees_at) : null,
  };
  if (window.fromAddress >= p.perAddress || window.platformSignUps >= p.platformSignUps)
    return { recorded: null, window };
  const [inserted] = await q.query<{ id: string }>(
    "insert into public.signup_attempts (ip_hash) values (decode($1, 'hex')) returning id::text",
    [p.ipHash],
  );
  return { recorded: inserted!.id, window };
}

/** The attempt made a business: it counts towards the platform-wide limit. */
export async function markSignupSucceeded(q: Queryable, attemptId: string): Promise<void> {
  await q.query('update public.signup_attempts set succeeded = true where id = $1::bigint', [
    attemptId,
  ]);
}

/** A new business from the sign-up form; undefined when the slug is taken (pick another). */
export async function insertSignupTenant(
  q: Queryable,
  p: { slug: string; name: string; status: 'active' | 'pending'; language: string },
): Promise<string | undefined> {
  const [row] = await q.query<{ id: string }>(
    `insert into public.tenants (slug, name, status, default_language) values ($1, $2, $3, $4)
     on conflict (slug) do nothing returning id`,
    [p.slug, p.name, p.status, p.language],
  );
  return row?.id;
}

/** Whether a business has anyone on its staff yet (an owner who claimed it, or anyone else). */
export async function tenantHasStaff(q: Queryable, tenantId: string): Promise<boolean> {
  const rows = await q.query('select 1 from public.staff_users where tenant_id = $1 limit 1', [
    tenantId,
  ]);
  return rows.length > 0;
}

/** A business nobody claimed yet, signed up again with its bot: the name as typed now, old codes gone. */
export async function renewUnclaimedTenant(
  q: Queryable,
  p: { tenantId: string; name: string; language: string },
): Promise<{ name: string; slug: string; status: string }> {
  await q.query('delete from public.tenant_claims where tenant_id = $1 and claimed_at is null', [
    p.tenantId,
  ]);
  const [row] = await q.query<{ name: string; slug: string; status: string }>(
    'update public.tenants set name = $2, default_language = $3 where id = $1 returning name, slug, status',
    [p.tenantId, p.name, p.language],
  );
  return row!;
}

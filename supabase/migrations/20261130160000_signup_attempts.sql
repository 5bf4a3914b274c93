-- Self-service sign-up is public, so it is rate-limited per client address and platform-wide.
-- The attempts live in the database (not in one process's memory) so that the limit holds across
-- instances and Workers. The address is kept as a keyed SHA-256 only, and only for a day.
create table public.signup_attempts (
  id bigint generated always as identity primary key,
  ip_hash bytea not null check (length(ip_hash) = 32),
  at timestamptz not null default now(),
  -- Set once the attempt created (or re-issued) a business: the platform-wide limit counts these.
  succeeded boolean not null default false
);
create index signup_attempts_ip_idx on public.signup_attempts (ip_hash, at);
create index signup_attempts_at_idx on public.signup_attempts (at);
alter table public.signup_attempts enable row level security;
revoke all on public.signup_attempts from anon, authenticated;
grant all on public.signup_attempts to service_role;

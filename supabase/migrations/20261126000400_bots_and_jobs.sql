-- Baseline 4 of 5, bots and jobs: the embedded scheduler's jobs, the once-only effects of job
-- handlers, processed Telegram updates with their leases, bot sessions and owner notifications.

-- notify_owners: the throttled flush of owner notifications (a burst becomes one summary).
-- client_notice: a client is told in the bot of a change the business made to their booking (a
-- visit cancelled by staff), in their language; a job so that a slow or failing Telegram does not
-- hold up the change, and the once-by-key effect keeps a repeated delivery to one message.
-- A job a platform admin gives up on is `discarded` (kept, with its last error, never run again).
create table public.jobs (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid references public.tenants (id) on delete cascade,
  kind text not null check (kind in ('reminder_send', 'hold_expire', 'payment_reconcile', 'digest_admin', 'notify_owners', 'client_notice')),
  -- Idempotency key: scheduling the same key twice is one job.
  key text not null unique check (length(key) between 1 and 200),
  payload jsonb not null default '{}'::jsonb check (jsonb_typeof(payload) = 'object'),
  run_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'running', 'succeeded', 'dead', 'discarded')),
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 8 check (max_attempts > 0),
  locked_until timestamptz,
  locked_by text,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  correlation_id text constraint jobs_correlation_id_format check (correlation_id ~ '^[A-Za-z0-9._:-]{1,100}$'),
  constraint jobs_running_is_locked check (status <> 'running' or locked_until is not null)
);
create index jobs_due_idx on public.jobs (run_at) where status in ('pending', 'running');
create index jobs_tenant_idx on public.jobs (tenant_id);
create index jobs_locked_idx on public.jobs (locked_until) where status = 'running';
-- Jobs in trouble (dead, or failed at least once and not done), newest first, all or per business
-- (the platform console).
create index jobs_trouble_idx on public.jobs (updated_at desc, id desc)
  where status = 'dead' or (status in ('pending', 'running') and attempts > 0);
create index jobs_tenant_trouble_idx on public.jobs (tenant_id, updated_at desc, id desc)
  where status = 'dead' or (status in ('pending', 'running') and attempts > 0);
create trigger jobs_touch before update on public.jobs for each row execute function app.touch_updated_at();
select app.apply_tenant_rls('public.jobs');

-- An effect a job (or an update handler) has caused, by key: a second delivery finds it and does
-- nothing. Written in the same transaction as the effect, under an advisory lock on the key.
create table public.job_effects (
  key text primary key check (length(key) between 1 and 200),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  detail jsonb not null default '{}'::jsonb check (jsonb_typeof(detail) = 'object'),
  created_at timestamptz not null default now()
);
create index job_effects_tenant_idx on public.job_effects (tenant_id);
select app.apply_tenant_rls('public.job_effects');

-- One row per Telegram update a bot has processed: Telegram re-sends, we act once. An update is
-- claimed before it is handled and marked done after, so a transient failure can give it back.
-- The claim is leased to the delivery handling it: a random claim token and a lease that the
-- handler renews while it works. A redelivery finds the lease either alive (the first handler is
-- still at it: answer non-2xx, Telegram tries again) or run out (that handler is gone: take the
-- update over under a new token). Only the token's holder can finish or give back the claim, so a
-- handler that lost its lease cannot mark another's work done. `claims` counts the takeovers: an
-- update that kills every handler is given up (`abandoned`) instead of forever.
create table public.telegram_updates (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  bot_id uuid not null,
  update_id bigint not null,
  received_at timestamptz not null default now(),
  state text not null default 'processing' check (state in ('processing', 'done', 'abandoned')),
  claim_token uuid,
  lease_until timestamptz,
  claims integer not null default 1 check (claims >= 1),
  primary key (bot_id, update_id),
  foreign key (tenant_id, bot_id) references public.tenant_bots (tenant_id, id) on delete cascade,
  constraint telegram_updates_processing_is_leased check (state <> 'processing' or (claim_token is not null and lease_until is not null))
);
create index telegram_updates_received_idx on public.telegram_updates (received_at);
-- The latest update a business's bots received (the platform console); it also serves the
-- tenant_id lookups of RLS.
create index telegram_updates_tenant_received_idx on public.telegram_updates (tenant_id, received_at);
select app.apply_tenant_rls('public.telegram_updates');

-- Keyed by bot and chat: one person talking to two tenants' bots has two sessions.
create table public.bot_sessions (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  bot_id uuid not null,
  chat_id bigint not null,
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  version integer not null default 0 check (version >= 0),
  updated_at timestamptz not null default now(),
  primary key (bot_id, chat_id),
  foreign key (tenant_id, bot_id) references public.tenant_bots (tenant_id, id) on delete cascade
);
create index bot_sessions_tenant_idx on public.bot_sessions (tenant_id);
select app.apply_tenant_rls('public.bot_sessions');

-- The claims may act for the tenant (app.assert_may_act_for) and the bot is that tenant's. The
-- functions below are security invoker: called as a tenant's role, row-level security holds them
-- to its rows anyway; called by the app's own role in one statement scoped by the claims (no
-- transaction, no role switch: db/queries/chat-updates.ts), these checks are what holds them.
create function app.assert_bot_of(p_tenant_id uuid, p_bot_id uuid) returns void
language plpgsql stable security invoker set search_path = ''
as $$
begin
  perform app.assert_may_act_for(p_tenant_id);
  perform 1 from public.tenant_bots b where b.id = p_bot_id and b.tenant_id = p_tenant_id;
  if not found then
    raise exception 'bot % is not a bot of tenant %', p_bot_id, p_tenant_id using errcode = '42501';
  end if;
end
$$;

-- Acting in a Telegram user's private chat with a tenant's bot: the bot is the tenant's, the
-- claims are the tenant's and that user's (`sub` tg:<user id>, unless the platform's), and the chat
-- is the user's (a private chat's id is its user's id).
create function app.assert_private_chat(p_tenant_id uuid, p_bot_id uuid, p_chat_id bigint, p_user_id bigint) returns void
language plpgsql stable security invoker set search_path = ''
as $$
declare
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
begin
  perform app.assert_bot_of(p_tenant_id, p_bot_id);
  if p_chat_id is distinct from p_user_id
     or (claims ->> 'role' is distinct from 'service_role' and claims ->> 'sub' is distinct from 'tg:' || p_user_id) then
    raise exception 'not allowed to act in chat % as Telegram user %', p_chat_id, p_user_id using errcode = '42501';
  end if;
end
$$;

-- Marks a claimed update handled (or `abandoned`); false when the claim is no longer the delivery
-- holding `p_token`'s, so a handler that lost its lease cannot finish another's work.
create function app.finish_update(p_tenant_id uuid, p_bot_id uuid, p_update_id bigint, p_token uuid, p_state text default 'done')
returns boolean
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  perform app.assert_may_act_for(p_tenant_id);
  update public.telegram_updates u set state = p_state, lease_until = null
   where u.bot_id = p_bot_id and u.update_id = p_update_id and u.tenant_id = p_tenant_id
     and u.claim_token = p_token and u.state = 'processing';
  return found;
end
$$;
revoke all on function app.finish_update(uuid, uuid, bigint, uuid, text) from public, anon;
grant execute on function app.finish_update(uuid, uuid, bigint, uuid, text) to authenticated, service_role;

-- Claims an update for the delivery holding `p_token`, leased for `p_lease_seconds`: a new update,
-- or one whose earlier handler let its lease run out (it died) and is taken over. A simultaneous
-- delivery waits on the row and then finds it leased (or done). Outcomes: `claimed` (with the
-- number of claims), `processing` (another delivery holds a live lease: `wait` seconds left),
-- `done`, `abandoned`, or `given_up`: claimed more than `p_max_claims` times, so marked abandoned
-- here, in the same statement, never handled again.
create function app.claim_update(
  p_tenant_id uuid, p_bot_id uuid, p_update_id bigint, p_token uuid, p_lease_seconds double precision, p_max_claims integer
) returns table (outcome text, claims integer, wait double precision)
language plpgsql volatile security invoker set search_path = ''
as $$
#variable_conflict use_column
begin
  perform app.assert_bot_of(p_tenant_id, p_bot_id);
  with claimed as (
    insert into public.telegram_updates as u (tenant_id, bot_id, update_id, claim_token, lease_until)
    values (p_tenant_id, p_bot_id, p_update_id, p_token, now() + make_interval(secs => p_lease_seconds))
    on conflict (bot_id, update_id) do update
      set claim_token = excluded.claim_token, lease_until = excluded.lease_until, claims = u.claims + 1, received_at = now()
      where u.state = 'processing' and u.lease_until <= now()
    returning u.claims
  )
  select 'claimed', c.claims, null::float8 from claimed c
  union all
  select u.state, u.claims, extract(epoch from u.lease_until - now())::float8
    from public.telegram_updates u
   where u.bot_id = p_bot_id and u.update_id = p_update_id and not exists (select 1 from claimed)
  into outcome, claims, wait;
  if not found then
    -- A delivery racing this one inserted the row after this statement began: it holds it.
    outcome := 'processing';
    wait := p_lease_seconds;
  elsif outcome = 'claimed' and claims > p_max_claims then
    perform app.finish_update(p_tenant_id, p_bot_id, p_update_id, p_token, 'abandoned');
    outcome := 'given_up';
  end if;
  return next;
end
$$;
revoke all on function app.claim_update(uuid, uuid, bigint, uuid, double precision, integer) from public, anon;
grant execute on function app.claim_update(uuid, uuid, bigint, uuid, double precision, integer) to authenticated, service_role;

-- The first half of a navigation update (a message or button press in a user's private chat), in
-- one statement: the update's claim (app.claim_update; skipped when `p_token` is null: the caller
-- claimed it already), then, only if claimed, the client (written when new or renamed: their name
-- as Telegram has it; the language only for a new client), the chat's session (version 0 and no data when there is
-- none), whether the user is one of the business's masters and the stamp of its catalog, which
-- moves whenever anything the bot lists (db/queries/catalog.ts: locations, services, masters)
-- could change: each location's catalog version (bumped by its own fields, its services, masters
-- and skills) and the set of its locations.
create function app.open_chat_update(
  p_tenant_id uuid, p_bot_id uuid, p_chat_id bigint, p_user_id bigint,
  p_update_id bigint, p_token uuid, p_lease_seconds double precision, p_max_claims integer,
  p_first_name text, p_last_name text, p_username text, p_language text
) returns table (
  outcome text, claims integer, wait double precision, client_id uuid, client_language text,
  session_data jsonb, session_version integer, master_id uuid, master_timezone text, catalog_stamp text
)
language plpgsql volatile security invoker set search_path = ''
as $$
#variable_conflict use_column
declare
  renamed boolean;
begin
  perform app.assert_private_chat(p_tenant_id, p_bot_id, p_chat_id, p_user_id);
  -- Nothing written here needs its own flush to disk: until the update is answered 200, a claim
  -- lost in a crash only means Telegram's redelivery claims it again, and whatever commits next
  -- for this update (the save with its done mark, a booking) flushes the log up to this commit.
  -- So this commit does not wait for the flush (other sessions see it at once either way).
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  if p_token is null then
    outcome := 'claimed';
  else
    select c.outcome, c.claims, c.wait into outcome, claims, wait
      from app.claim_update(p_tenant_id, p_bot_id, p_update_id, p_token, p_lease_seconds, p_max_claims) c;
    if outcome <> 'claimed' then
      return next;
      return;
    end if;
  end if;
  -- The client is written only when new or renamed on Telegram: most updates come from a known
  -- client under the same name, and rewriting the row each time would move its updated_at and
  -- cost a new row version (its search text, its indexes, the log) per button press.
  select c.id, c.language,
         (c.first_name, c.last_name, c.username) is distinct from (p_first_name, p_last_name, p_username)
    into client_id, client_language, renamed
    from public.clients c where c.tenant_id = p_tenant_id and c.telegram_user_id = p_user_id;
  if not found or renamed then
    insert into public.clients as c (tenant_id, telegram_user_id, first_name, last_name, username, language)
    values (p_tenant_id, p_user_id, p_first_name, p_last_name, p_username, p_language)
    on conflict (tenant_id, telegram_user_id) do update
      set first_name = excluded.first_name, last_name = excluded.last_name, username = excluded.username
    returning c.id, c.language into client_id, client_language;
  end if;
  select s.data, s.version into session_data, session_version
    from public.bot_sessions s where s.bot_id = p_bot_id and s.chat_id = p_chat_id;
  if not found then
    session_data := '{}'::jsonb;
    session_version := 0;
  end if;
  select m.id, l.timezone into master_id, master_timezone
    from public.masters m join public.locations l on l.id = m.location_id
   where m.tenant_id = p_tenant_id and m.telegram_user_id = p_user_id and m.active;
  select coalesce(string_agg(l.id::text || '.' || l.catalog_version, ',' order by l.id), '') into catalog_stamp
    from public.locations l where l.tenant_id = p_tenant_id;
  return next;
end
$$;
revoke all on function app.open_chat_update(uuid, uuid, bigint, bigint, bigint, uuid, double precision, integer, text, text, text, text) from public, anon;
grant execute on function app.open_chat_update(uuid, uuid, bigint, bigint, bigint, uuid, double precision, integer, text, text, text, text) to authenticated, service_role;

-- The second half, in one statement: the chat's session saved with the update's "done" mark, only
-- while the delivery holding `p_token` still holds the claim (`lost`: nothing saved) and only if
-- nobody saved the session since it was read at `p_version` (`conflict`: nothing saved, the update
-- not marked done). The claim's row is locked first, so no takeover can come between the save and
-- the mark.
create function app.save_chat_update(
  p_tenant_id uuid, p_bot_id uuid, p_chat_id bigint, p_user_id bigint,
  p_data jsonb, p_version integer, p_update_id bigint, p_token uuid
) returns text
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  perform app.assert_private_chat(p_tenant_id, p_bot_id, p_chat_id, p_user_id);
  perform 1 from public.telegram_updates u
   where u.bot_id = p_bot_id and u.update_id = p_update_id and u.claim_token = p_token and u.state = 'processing'
     for update;
  if not found then
    return 'lost';
  end if;
  if p_version = 0 then
    insert into public.bot_sessions (tenant_id, bot_id, chat_id, data, version)
    values (p_tenant_id, p_bot_id, p_chat_id, p_data, 1)
    on conflict (bot_id, chat_id) do nothing;
  else
    update public.bot_sessions s set data = p_data, version = s.version + 1, updated_at = now()
     where s.bot_id = p_bot_id and s.chat_id = p_chat_id and s.version = p_version;
  end if;
  if not found then
    return 'conflict';
  end if;
  if not app.finish_update(p_tenant_id, p_bot_id, p_update_id, p_token) then
    raise exception 'the claim on update % changed while locked', p_update_id;
  end if;
  return 'saved';
end
$$;
revoke all on function app.save_chat_update(uuid, uuid, bigint, bigint, jsonb, integer, bigint, uuid) from public, anon;
grant execute on function app.save_chat_update(uuid, uuid, bigint, bigint, jsonb, integer, bigint, uuid) to authenticated, service_role;

-- Events owners and managers hear about; a flush job sends the unsent ones as one message. A
-- notice that must reach the owners once per fact (a refund to make by hand for a payment, a
-- charge that matched no invoice) carries a key: recording it again, as a redelivered update or
-- job does after a crash, adds nothing.
create table public.owner_notifications (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  kind text not null check (kind in ('booking_created', 'booking_cancelled', 'payment_failed', 'no_show', 'refund_needed', 'payment_mismatch', 'payment_unmatched')),
  booking_id uuid,
  detail jsonb not null default '{}'::jsonb check (jsonb_typeof(detail) = 'object'),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  dedupe_key text check (dedupe_key is null or length(dedupe_key) between 1 and 200),
  foreign key (tenant_id, booking_id) references public.bookings (tenant_id, id) on delete cascade
);
create index owner_notifications_unsent_idx on public.owner_notifications (tenant_id, created_at) where sent_at is null;
create index owner_notifications_booking_idx on public.owner_notifications (booking_id);
create unique index owner_notifications_dedupe_key on public.owner_notifications (tenant_id, dedupe_key) where dedupe_key is not null;
select app.apply_tenant_rls('public.owner_notifications');

import { z } from 'zod';
import type { Queryable } from '../port.ts';

/** Tenant bots, processed updates and chat sessions. */
export const webhookBotSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  telegram_bot_id: z.coerce.number(),
  username: z.string(),
  token_ciphertext: z.string(),
  webhook_secret_ciphertext: z.string(),
  bot_info: z.record(z.string(), z.unknown()),
  status: z.enum(['active', 'disabled']),
  tenant_status: z.enum(['pending', 'active', 'suspended']),
  tenant_name: z.string(),
  default_language: z.string(),
});
export type WebhookBotRow = z.infer<typeof webhookBotSchema>;

export async function findBot(q: Queryable, botId: string): Promise<WebhookBotRow | undefined> {
  const [row] = await q.query(
    `select b.id, b.tenant_id, b.telegram_bot_id, b.username, b.token_ciphertext, b.webhook_secret_ciphertext, b.bot_info, b.status,
            t.status as tenant_status, t.name as tenant_name, t.default_language
     from public.tenant_bots b join public.tenants t on t.id = b.tenant_id where b.id = $1`,
    [botId],
  );
  return row ? webhookBotSchema.parse(row) : undefined;
}

export async function insertBot(
  q: Queryable,
  p: {
    tenantId: string;
    telegramBotId: number;
    username: string;
    tokenCiphertext: string;
    secretCiphertext: string;
    botInfo: unknown;
    id: string;
  },
): Promise<void> {
  await q.query(
    `insert into public.tenant_bots (id, tenant_id, telegram_bot_id, username, token_ciphertext, webhook_secret_ciphertext, bot_info)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      p.id,
      p.tenantId,
      p.telegramBotId,
      p.username,
      p.tokenCiphertext,
      p.secretCiphertext,
      JSON.stringify(p.botInfo),
    ],
  );
}

export interface UpdateKey {
  tenantId: string;
  botId: string;
  updateId: number;
}

/**
 * What a delivery of an update found: `claimed` (this delivery handles it, under `token`), `done`
 * (handled already: its effect is committed), `busy` (another delivery holds a live lease: try
 * again after `retryAfterSeconds`) or `abandoned` (given up after too many takeovers).
 */
export type ClaimOutcome =
  | { kind: 'claimed'; claims: number }
  | { kind: 'done' }
  | { kind: 'busy'; retryAfterSeconds: number }
  | { kind: 'abandoned' };

/**
 * Claims an update for the delivery holding `token`, leased for `leaseSeconds`: a new update, or
 * one whose earlier handler let its lease run out (it died) and is taken over. One statement: a
 * simultaneous delivery waits on the row and then finds it leased (or done).
 */
export async function claimUpdate(
  q: Queryable,
  p: UpdateKey & { token: string; leaseSeconds: number },
): Promise<ClaimOutcome> {
  const rows = await q.query<{ outcome: string; claims: number; wait: number | null }>(
    `with claimed as (
       insert into public.telegram_updates as u (tenant_id, bot_id, update_id, claim_token, lease_until)
       values ($1, $2, $3, $4, now() + make_interval(secs => $5))
       on conflict (bot_id, update_id) do update
         set claim_token = excluded.claim_token, lease_until = excluded.lease_until, claims = u.claims + 1, received_at = now()
         where u.state = 'processing' and u.lease_until <= now()
       returning u.claims
     )
     select 'claimed' as outcome, claims, null::float8 as wait from claimed
     union all
     select u.state, u.claims, extract(epoch from u.lease_until - now())::float8
       from public.telegram_updates u
      where u.bot_id = $2 and u.update_id = $3 and not exists (select 1 from claimed)`,
    [p.tenantId, p.botId, p.updateId, p.token, p.leaseSeconds],
  );
  const [row] = rows;
  // No row at all: a delivery racing this one inserted it after this statement began; it holds it.
  if (!row) return { kind: 'busy', retryAfterSeconds: p.leaseSeconds };
  if (row.outcome === 'claimed') return { kind: 'claimed', claims: row.claims };
  if (row.outcome === 'processing')
    return { kind: 'busy', retryAfterSeconds: Math.max(1, Math.ceil(row.wait ?? p.leaseSeconds)) };
  return row.outcome === 'abandoned' ? { kind: 'abandoned' } : { kind: 'done' };
}

/** Extends the lease of a claim still held under `token`; false when it was lost (taken over). */
export async function renewUpdateLease(
  q: Queryable,
  p: { botId: string; updateId: number; token: string; leaseSeconds: number },
): Promise<boolean> {
  const rows = await q.query(
    `update public.telegram_updates set lease_until = now() + make_interval(secs => $4)
      where bot_id = $1 and update_id = $2 and claim_token = $3 and state = 'processing' returning 1`,
    [p.botId, p.updateId, p.token, p.leaseSeconds],
  );
  return rows.length === 1;
}

/**
 * Marks a claimed update handled (or `abandoned`); false when the claim is no longer this
 * delivery's, so a handler that lost its lease cannot finish another's work.
 */
export async function finishUpdate(
  q: Queryable,
  p: { botId: string; updateId: number; token: string; state?: 'done' | 'abandoned' },
): Promise<boolean> {
  const rows = await q.query(
    `update public.telegram_updates set state = $4, lease_until = null
      where bot_id = $1 and update_id = $2 and claim_token = $3 and state = 'processing' returning 1`,
    [p.botId, p.updateId, p.token, p.state ?? 'done'],
  );
  return rows.length === 1;
}

/** Gives a claimed update back, so Telegram's next delivery is handled at once. */
export async function releaseUpdate(
  q: Queryable,
  p: { botId: string; updateId: number; token: string },
): Promise<void> {
  await q.query(
    "delete from public.telegram_updates where bot_id = $1 and update_id = $2 and claim_token = $3 and state = 'processing'",
    [p.botId, p.updateId, p.token],
  );
}

export interface SessionRow {
  data: Record<string, unknown>;
  version: number;
}

export async function loadSession(
  q: Queryable,
  botId: string,
  chatId: number,
): Promise<SessionRow> {
  const [row] = await q.query<{ data: Record<string, unknown>; version: number }>(
    'select data, version from public.bot_sessions where bot_id = $1 and chat_id = $2',
    [botId, chatId],
  );
  return row ? { data: row.data, version: row.version } : { data: {}, version: 0 };
}

/**
 * Saves a session if nobody saved it since it was loaded (version check); false on a conflict.
 */
export async function saveSession(
  q: Queryable,
  p: { tenantId: string; botId: string; chatId: number; data: unknown; version: number },
): Promise<boolean> {
  const rows =
    p.version === 0
      ? await q.query(
          `insert into public.bot_sessions (tenant_id, bot_id, chat_id, data, version) values ($1, $2, $3, $4::jsonb, 1)
           on conflict (bot_id, chat_id) do nothing returning 1`,
          [p.tenantId, p.botId, p.chatId, JSON.stringify(p.data)],
        )
      : await q.query(
          `update public.bot_sessions set data = $3::jsonb, version = version + 1, updated_at = now()
           where bot_id = $1 and chat_id = $2 and version = $4 returning 1`,
          [p.botId, p.chatId, JSON.stringify(p.data), p.version],
        );
  return rows.length === 1;
}

export async function upsertClient(
  q: Queryable,
  p: {
    tenantId: string;
    telegramUserId: number;
    firstName?: string;
    lastName?: string;
    username?: string;
    language: string;
  },
): Promise<{ id: string; language: string }> {
  const [row] = await q.query<{ id: string; language: string }>(
    `insert into public.clients (tenant_id, telegram_user_id, first_name, last_name, username, language)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (tenant_id, telegram_user_id) do update set first_name = excluded.first_name, last_name = excluded.last_name, username = excluded.username
     returning id, language`,
    [
      p.tenantId,
      p.telegramUserId,
      p.firstName ?? null,
      p.lastName ?? null,
      p.username ?? null,
      p.language,
    ],
  );
  return row!;
}

export async function setClientLanguage(
  q: Queryable,
  clientId: string,
  language: string,
): Promise<void> {
  await q.query('update public.clients set language = $2 where id = $1', [clientId, language]);
}

/** The tenant bot with this Telegram bot id, row-locked until the transaction ends (registration). */
export async function lockBotByTelegramId(
  q: Queryable,
  telegramBotId: number,
): Promise<{ id: string; tenant_id: string } | undefined> {
  const [row] = await q.query<{ id: string; tenant_id: string }>(
    'select id, tenant_id from public.tenant_bots where telegram_bot_id = $1 for update',
    [telegramBotId],
  );
  return row;
}

/** A registration run again: the token (BotFather may have issued a new one), secret and bot info, active. */
export async function updateBotRegistration(
  q: Queryable,
  p: {
    id: string;
    tenantId: string;
    username: string;
    tokenCiphertext: string;
    secretCiphertext: string;
    botInfo: unknown;
  },
): Promise<void> {
  await q.query(
    `update public.tenant_bots set username = $3, token_ciphertext = $4, webhook_secret_ciphertext = $5, bot_info = $6::jsonb, status = 'active'
     where id = $1 and tenant_id = $2`,
    [
      p.id,
      p.tenantId,
      p.username,
      p.tokenCiphertext,
      p.secretCiphertext,
      JSON.stringify(p.botInfo),
    ],
  );
}

/** The bots Telegram delivers to: active bots of active or suspended tenants (a suspended one says so). */
export async function listServedBots(
  q: Queryable,
): Promise<{ id: string; tenant_id: string; username: string }[]> {
  return q.query<{ id: string; tenant_id: string; username: string }>(
    `select b.id, b.tenant_id, b.username from public.tenant_bots b join public.tenants t on t.id = b.tenant_id
     where b.status = 'active' and t.status in ('pending', 'active', 'suspended') order by b.created_at, b.id`,
  );
}

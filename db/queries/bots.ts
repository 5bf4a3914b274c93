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
 * again after `retryAfterSeconds`) or `abandoned` (given up after too many takeovers; `gaveUp`:
 * by this delivery's claim, which was one too many).
 */
export type ClaimOutcome =
  | { kind: 'claimed'; claims: number }
  | { kind: 'done' }
  | { kind: 'busy'; retryAfterSeconds: number }
  | { kind: 'abandoned'; gaveUp: boolean };

/** What `app.claim_update` answered (its `outcome`, `claims` and `wait` columns). */
export type ClaimRow = {
  outcome: string;
  claims: number | null;
  wait: number | null;
};

/** The claim outcome of an `app.claim_update` row. */
export function claimOutcome(row: ClaimRow, leaseSeconds: number): ClaimOutcome {
  switch (row.outcome) {
    case 'claimed':
      return { kind: 'claimed', claims: row.claims! };
    case 'processing':
      return { kind: 'busy', retryAfterSeconds: Math.max(1, Math.ceil(row.wait ?? leaseSeconds)) };
    case 'done':
      return { kind: 'done' };
    case 'abandoned':
    case 'given_up':
      return { kind: 'abandoned', gaveUp: row.outcome === 'given_up' };
    default:
      throw new Error(`app.claim_update answered an unknown outcome: ${row.outcome}`);
  }
}

/**
 * Claims an update for the delivery holding `token`, leased for `leaseSeconds` (`app.claim_update`):
 * a new update, or one whose earlier handler let its lease run out (it died) and is taken over.
 * Claimed more than `maxClaims` times, it is marked abandoned in the same statement.
 */
export async function claimUpdate(
  q: Queryable,
  p: UpdateKey & { token: string; leaseSeconds: number; maxClaims: number },
): Promise<ClaimOutcome> {
  const [row] = await q.query<ClaimRow>(
    'select outcome, claims, wait from app.claim_update($1, $2, $3, $4, $5, $6)',
    [p.tenantId, p.botId, p.updateId, p.token, p.leaseSeconds, p.maxClaims],
  );
  return claimOutcome(row!, p.leaseSeconds);
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
 * Marks a claimed update handled (or `abandoned`: `app.finish_update`); false when the claim is no
 * longer this delivery's, so a handler that lost its lease cannot finish another's work.
 */
export async function finishUpdate(
  q: Queryable,
  p: UpdateKey & { token: string; state?: 'done' | 'abandoned' },
): Promise<boolean> {
  const [row] = await q.query<{ finished: boolean }>(
    'select app.finish_update($1, $2, $3, $4, $5) as finished',
    [p.tenantId, p.botId, p.updateId, p.token, p.state ?? 'done'],
  );
  return row?.finished === true;
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

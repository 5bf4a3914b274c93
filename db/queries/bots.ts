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
  tenant_status: z.enum(['active', 'suspended']),
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
  p: { tenantId: string; telegramBotId: number; username: string; tokenCiphertext: string; secretCiphertext: string; botInfo: unknown; id: string },
): Promise<void> {
  await q.query(
    `insert into public.tenant_bots (id, tenant_id, telegram_bot_id, username, token_ciphertext, webhook_secret_ciphertext, bot_info)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [p.id, p.tenantId, p.telegramBotId, p.username, p.tokenCiphertext, p.secretCiphertext, JSON.stringify(p.botInfo)],
  );
}

/**
 * Claims an update for processing: true when this delivery should be handled. A duplicate of a
 * handled or in-flight update is refused; one stuck "processing" for over two minutes (its worker
 * died) may be taken over.
 */
export async function claimUpdate(q: Queryable, p: { tenantId: string; botId: string; updateId: number }): Promise<boolean> {
  const rows = await q.query(
    `insert into public.telegram_updates (tenant_id, bot_id, update_id) values ($1, $2, $3)
     on conflict (bot_id, update_id) do update set received_at = now()
       where public.telegram_updates.state = 'processing' and public.telegram_updates.received_at < now() - interval '2 minutes'
     returning 1`,
    [p.tenantId, p.botId, p.updateId],
  );
  return rows.length === 1;
}

export async function finishUpdate(q: Queryable, p: { botId: string; updateId: number }): Promise<void> {
  await q.query("update public.telegram_updates set state = 'done' where bot_id = $1 and update_id = $2", [p.botId, p.updateId]);
}

/** Gives a claimed update back, so Telegram's next delivery is handled. */
export async function releaseUpdate(q: Queryable, p: { botId: string; updateId: number }): Promise<void> {
  await q.query("delete from public.telegram_updates where bot_id = $1 and update_id = $2 and state = 'processing'", [p.botId, p.updateId]);
}

export interface SessionRow {
  data: Record<string, unknown>;
  version: number;
}

export async function loadSession(q: Queryable, botId: string, chatId: number): Promise<SessionRow> {
  const [row] = await q.query<{ data: Record<string, unknown>; version: number }>('select data, version from public.bot_sessions where bot_id = $1 and chat_id = $2', [botId, chatId]);
  return row ? { data: row.data, version: row.version } : { data: {}, version: 0 };
}

/**
 * Saves a session if nobody saved it since it was loaded (version check); false on a conflict.
 */
export async function saveSession(q: Queryable, p: { tenantId: string; botId: string; chatId: number; data: unknown; version: number }): Promise<boolean> {
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

export async function upsertClient(q: Queryable, p: { tenantId: string; telegramUserId: number; firstName?: string; lastName?: string; username?: string; language: string }): Promise<{ id: string; language: string }> {
  const [row] = await q.query<{ id: string; language: string }>(
    `insert into public.clients (tenant_id, telegram_user_id, first_name, last_name, username, language)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (tenant_id, telegram_user_id) do update set first_name = excluded.first_name, last_name = excluded.last_name, username = excluded.username
     returning id, language`,
    [p.tenantId, p.telegramUserId, p.firstName ?? null, p.lastName ?? null, p.username ?? null, p.language],
  );
  return row!;
}

export async function setClientLanguage(q: Queryable, clientId: string, language: string): Promise<void> {
  await q.query('update public.clients set language = $2 where id = $1', [clientId, language]);
}

/** The tenant bot with this Telegram bot id, row-locked until the transaction ends (registration). */
export async function lockBotByTelegramId(q: Queryable, telegramBotId: number): Promise<{ id: string; tenant_id: string } | undefined> {
  const [row] = await q.query<{ id: string; tenant_id: string }>('select id, tenant_id from public.tenant_bots where telegram_bot_id = $1 for update', [telegramBotId]);
  return row;
}

/** A registration run again: the token (BotFather may have issued a new one), secret and bot info, active. */
export async function updateBotRegistration(
  q: Queryable,
  p: { id: string; tenantId: string; username: string; tokenCiphertext: string; secretCiphertext: string; botInfo: unknown },
): Promise<void> {
  await q.query(
    `update public.tenant_bots set username = $3, token_ciphertext = $4, webhook_secret_ciphertext = $5, bot_info = $6::jsonb, status = 'active'
     where id = $1 and tenant_id = $2`,
    [p.id, p.tenantId, p.username, p.tokenCiphertext, p.secretCiphertext, JSON.stringify(p.botInfo)],
  );
}

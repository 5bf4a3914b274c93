import { z } from 'zod';
import type { Queryable } from '../port.ts';

/** A business's own view of its bots (no secrets: whether card payments are on, not the token). */
const botSchema = z.object({
  id: z.string(),
  username: z.string(),
  telegram_bot_id: z.coerce.number(),
  status: z.enum(['active', 'disabled']),
  card_payments: z.boolean(),
  created_at: z.coerce.date(),
});
export type TenantBot = z.infer<typeof botSchema>;

export async function listTenantBots(q: Queryable, tenantId: string): Promise<TenantBot[]> {
  const rows = await q.query(
    `select id, username, telegram_bot_id, status, payment_token_ciphertext is not null as card_payments, created_at
     from public.tenant_bots where tenant_id = $1 order by created_at, id limit 20`,
    [tenantId],
  );
  return rows.map((r) => botSchema.parse(r));
}

/** One of the business's bots, locked for a change; undefined for another business's id. */
export async function lockTenantBot(
  q: Queryable,
  p: { tenantId: string; botId: string },
): Promise<TenantBot | undefined> {
  const [row] = await q.query(
    `select id, username, telegram_bot_id, status, payment_token_ciphertext is not null as card_payments, created_at
     from public.tenant_bots where tenant_id = $1 and id = $2 for update`,
    [p.tenantId, p.botId],
  );
  return row ? botSchema.parse(row) : undefined;
}

/** Stores (or, with null, removes) the encrypted payment provider token of a business's bot. */
export async function setBotPaymentCiphertext(
  q: Queryable,
  p: { tenantId: string; botId: string; ciphertext: string | null },
): Promise<void> {
  await q.query(
    'update public.tenant_bots set payment_token_ciphertext = $3 where tenant_id = $1 and id = $2',
    [p.tenantId, p.botId, p.ciphertext],
  );
}

/**
 * Whether the business's bot takes card payments: its active bot (the one bookings pay through,
 * tenants/bots/payment-providers.ts) has a payment provider token.
 */
export async function cardPaymentsOn(q: Queryable, tenantId: string): Promise<boolean> {
  const [row] = await q.query<{ card: boolean }>(
    "select payment_token_ciphertext is not null as card from public.tenant_bots where tenant_id = $1 and status = 'active' order by created_at limit 1",
    [tenantId],
  );
  return row?.card ?? false;
}

import type { Queryable } from '../db/port.ts';
import { secretContext, tokenContext } from '../tenants/bots/registry.ts';
import type { SecretBox } from '../tenants/security/secret-box.ts';

/**
 * Businesses `tenant-0001` ... `tenant-<count>`. `mixed`: a twentieth pending, a thirty-third
 * suspended and one in fifty in maintenance, as a platform has them; otherwise all active.
 */
export async function insertTenants(
  tx: Queryable,
  count: number,
  options: { mixed: boolean },
): Promise<void> {
  await tx.query(
    `insert into tenants (slug, name, status, maintenance)
     select 'tenant-' || lpad(i::text, w, '0'), 'Tenant ' || lpad(i::text, w, '0'),
            case when not $2 then 'active' when i % 20 = 0 then 'pending' when i % 33 = 0 then 'suspended' else 'active' end,
            $2 and i % 50 = 0
     from generate_series(1, $1) i, greatest(4, length($1::text)) w`,
    [count, options.mixed],
  );
}

/** A bot row for each generated business, with ciphertexts that decrypt to nothing (admin pages only). */
export async function insertPlaceholderBots(tx: Queryable): Promise<void> {
  await tx.query(
    `insert into tenant_bots (tenant_id, telegram_bot_id, username, token_ciphertext, webhook_secret_ciphertext)
     select id, 5000000 + row_number() over (order by slug), replace(slug, '-', '_') || '_bot', 'v1.AAAA', 'v1.BBBB' from tenants where slug like 'tenant-%'`,
  );
}

/** A generated business's working bot: what Telegram (the stand-in) and the webhook need. */
export interface GeneratedBot {
  botId: string;
  tenantId: string;
  token: string;
  username: string;
  secret: string;
}

/**
 * A working bot for each generated business, stored as onboarding stores one (token and webhook
 * secret encrypted with `secrets` for that bot's row, the bot info Telegram's getMe gives), but
 * written in bulk rather than through getMe and setWebhook one by one.
 */
export async function insertWorkingBots(
  tx: Queryable,
  secrets: SecretBox,
): Promise<GeneratedBot[]> {
  const tenants = await tx.query<{ id: string; slug: string }>(
    "select id, slug from tenants where slug like 'tenant-%' order by slug",
  );
  const bots = await Promise.all(
    tenants.map(async ({ id, slug }, i) => {
      const botId = crypto.randomUUID();
      const telegramId = 6_000_000 + i;
      const bot: GeneratedBot = {
        botId,
        tenantId: id,
        token: `${telegramId}:AAE${String(i).padStart(32, 'z')}`,
        username: `${slug.replace('-', '_')}_bot`,
        secret: `secret_${String(i).padStart(25, '0')}`,
      };
      return {
        bot,
        telegramId,
        token: await secrets.encrypt(bot.token, tokenContext(botId)),
        secret: await secrets.encrypt(bot.secret, secretContext(botId)),
      };
    }),
  );
  await tx.query(
    `insert into tenant_bots (id, tenant_id, telegram_bot_id, username, token_ciphertext, webhook_secret_ciphertext, bot_info)
     select b.id, b.tenant_id, b.telegram_id, b.username, b.token, b.secret,
            jsonb_build_object('id', b.telegram_id, 'is_bot', true, 'first_name', b.username, 'username', b.username,
                               'can_join_groups', true, 'can_read_all_group_messages', false, 'supports_inline_queries', false)
     from unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::text[])
          as b(id, tenant_id, telegram_id, username, token, secret)`,
    [
      bots.map((b) => b.bot.botId),
      bots.map((b) => b.bot.tenantId),
      bots.map((b) => b.telegramId),
      bots.map((b) => b.bot.username),
      bots.map((b) => b.token),
      bots.map((b) => b.secret),
    ],
  );
  return bots.map((b) => b.bot);
}

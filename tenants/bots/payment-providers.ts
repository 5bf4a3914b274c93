import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { activeBotOfTenant } from '../../db/queries/notices.ts';
import { botPaymentToken } from '../../db/queries/payments.ts';
import type { ProviderResolver } from '../payments/payment-service.ts';
import {
  telegramCardProvider,
  telegramStarsProvider,
  venueProvider,
} from '../payments/telegram-provider.ts';
import type { SecretBox } from '../security/secret-box.ts';
import type { BotRegistry } from './registry.ts';

export const paymentTokenContext = (botId: string) => `tenant_bots:${botId}:payment_token`;

/** A tenant's payment providers through its active bot: Stars always, cards with a provider token, the venue. */
export function botPaymentProviders(deps: {
  db: Database;
  registry: Pick<BotRegistry, 'get'>;
  secrets: SecretBox;
}): ProviderResolver {
  return {
    async forTenant(tenantId) {
      const { botId, ciphertext } = await asPlatform(deps.db, async (tx) => {
        const id = await activeBotOfTenant(tx, tenantId);
        return { botId: id, ciphertext: id ? await botPaymentToken(tx, id) : undefined };
      });
      const registered = botId ? await deps.registry.get(botId) : undefined;
      if (!registered) return undefined;
      const token = ciphertext
        ? await deps.secrets.decrypt(ciphertext, paymentTokenContext(registered.row.id))
        : undefined;
      const api = registered.bot.api;
      return {
        hasProviderToken: token !== undefined,
        get(kind) {
          if (kind === 'telegram_stars') return telegramStarsProvider(api);
          if (kind === 'telegram') return token ? telegramCardProvider(api, token) : undefined;
          return venueProvider();
        },
      };
    },
  };
}

import type { AdminDeps } from '../admin-ui/request.ts';
import type { Database } from '../db/port.ts';
import { createPlatformConsole } from '../tenants/admin/console.ts';
import type { OnboardingDeps } from '../tenants/bots/onboarding.ts';
import type { Logger } from '../tenants/observability/logger.ts';
import type { Services } from '../tenants/services.ts';
import { createStaffService } from '../tenants/admin/staff.ts';
import { createBotSettings } from '../tenants/admin/bot-settings.ts';

/** The admin web's dependencies from a runtime's services: the same wiring on Node, Deno and Workers. */
export function adminDepsFor(p: {
  db: Database;
  logger: Logger;
  services: Services;
  onboarding: OnboardingDeps;
  now: () => number;
  botConnected?: () => void;
}): AdminDeps {
  const { services } = p;
  const forgetTenant = (tenantId: string) => services.registry.forgetTenant(tenantId);
  return {
    db: p.db,
    auth: services.adminAuth,
    claims: services.claims,
    staff: createStaffService({ db: p.db, claims: services.claims }),
    botSettings: createBotSettings({
      db: p.db,
      onboarding: p.onboarding,
      forgetTenant,
      botConnected: p.botConnected ?? (() => {}),
    }),
    onboarding: p.onboarding,
    publicUrl: p.onboarding.publicUrl,
    now: p.now,
    logger: p.logger,
    forgetTenant,
    booking: services.booking,
    console: createPlatformConsole({
      db: p.db,
      now: p.now,
      claims: services.claims,
      onboarding: p.onboarding,
      forgetTenant,
    }),
    async webhookInfo(botId, timeoutMs) {
      const entry = await services.registry.get(botId);
      if (!entry) return undefined;
      // grammY types its signal with the abort-controller package's class; the runtime's is the same thing.
      const info = await entry.bot.api.getWebhookInfo(
        AbortSignal.timeout(timeoutMs) as unknown as Parameters<
          typeof entry.bot.api.getWebhookInfo
        >[0],
      );
      return {
        url: info.url ?? '',
        pendingUpdateCount: info.pending_update_count,
        ...(info.last_error_date ? { lastErrorDate: new Date(info.last_error_date * 1000) } : {}),
        ...(info.last_error_message ? { lastErrorMessage: info.last_error_message } : {}),
      };
    },
    botConnected: p.botConnected ?? (() => {}),
    async bot(botId) {
      const entry = await services.registry.get(botId);
      return entry
        ? { tenantId: entry.row.tenant_id, token: entry.bot.token, username: entry.row.username }
        : undefined;
    },
  };
}

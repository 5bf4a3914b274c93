import type { AdminDeps } from '../admin-ui/request.ts';
import type { Database } from '../db/port.ts';
import type { OnboardingDeps } from '../tenants/bots/onboarding.ts';
import type { Logger } from '../tenants/observability/logger.ts';
import type { Services } from '../tenants/services.ts';

/** The admin web's dependencies from a runtime's services: the same wiring on Node, Deno and Workers. */
export function adminDepsFor(p: { db: Database; logger: Logger; services: Services; onboarding: OnboardingDeps; now: () => number; botConnected?: () => void }): AdminDeps {
  const { services } = p;
  return {
    db: p.db,
    auth: services.adminAuth,
    claims: services.claims,
    onboarding: p.onboarding,
    publicUrl: p.onboarding.publicUrl,
    now: p.now,
    logger: p.logger,
    forgetTenant: (tenantId) => services.registry.forgetTenant(tenantId),
    botConnected: p.botConnected ?? (() => {}),
    async bot(botId) {
      const entry = await services.registry.get(botId);
      return entry ? { tenantId: entry.row.tenant_id, token: entry.bot.token, username: entry.row.username } : undefined;
    },
  };
}

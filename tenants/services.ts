import type { Database } from '../db/port.ts';
import { createAdminAuth, type AdminAuthOptions } from './admin/auth.ts';
import { createClaims } from './admin/claims.ts';
import { createBookingService } from './booking/booking-service.ts';
import { createMessenger } from './bots/messenger.ts';
import { botPaymentProviders } from './bots/payment-providers.ts';
import { createBotRegistry, type BotRegistry } from './bots/registry.ts';
import { createBookingJobs } from './jobs/booking-jobs.ts';
import { digestAdminHandler } from './jobs/handlers/digest-admin.ts';
import { holdExpireHandler } from './jobs/handlers/hold-expire.ts';
import { notifyOwnersHandler } from './jobs/handlers/notify-owners.ts';
import { paymentReconcileHandler } from './jobs/handlers/payment-reconcile.ts';
import { reminderSendHandler } from './jobs/handlers/reminder-send.ts';
import { clientNoticeHandler } from './jobs/handlers/client-notice.ts';
import { createJobDispatcher, type Scheduler } from './jobs/types.ts';
import { createOwnerNotifier } from './notify/owner-notifier.ts';
import type { Logger } from './observability/logger.ts';
import { createPaymentService } from './payments/payment-service.ts';
import type { SecretBox } from './security/secret-box.ts';
import type { OutgoingLimits } from './bots/rate-limit.ts';

export interface ServiceDeps {
  db: Database;
  logger: Logger;
  secrets: SecretBox;
  scheduler: Scheduler;
  /** Telegram Bot API base URL. */
  apiRoot: string;
  /** Epoch ms: the only clock the services see. */
  now: () => number;
  /** Owner notices within this window become one summary. */
  notifyWindowMs?: number;
  /** Outgoing message limits per bot (default: Telegram's, about 30 a second and 1 per chat). */
  outgoingLimits?: OutgoingLimits;
  /** Where the admin web is: the bots' sign-in links point there. */
  publicUrl?: string;
  /** How many built bots to keep (default DEFAULT_BOT_CACHE_SIZE). */
  botCacheSize?: number;
  adminAuth?: AdminAuthOptions;
}

/**
 * Everything a tenant's business runs on, wired once per runtime: bookings with their effects
 * (jobs, owner notices), the bots, payments, and the job handlers behind the dispatcher.
 */
export function createServices(deps: ServiceDeps) {
  const { db, logger, now, scheduler } = deps;
  const notifier = createOwnerNotifier({
    db,
    scheduler,
    now,
    ...(deps.notifyWindowMs ? { windowMs: deps.notifyWindowMs } : {}),
  });
  const booking = createBookingService({
    db,
    logger,
    now,
    effects: createBookingJobs({ scheduler, notifier, now, logger }),
  });
  // The registry needs payments and the payment providers need the registry's bots.
  const bots = { get: (botId: string) => registry.get(botId) };
  const payments = createPaymentService({
    db,
    booking,
    providers: botPaymentProviders({ db, registry: bots, secrets: deps.secrets }),
    notifier,
    logger,
    now,
  });
  const adminAuth = createAdminAuth({
    db,
    now,
    ...(deps.adminAuth ? { options: deps.adminAuth } : {}),
  });
  const claims = createClaims({ db, now });
  const registry: BotRegistry = createBotRegistry({
    db,
    secrets: deps.secrets,
    booking,
    payments,
    apiRoot: deps.apiRoot,
    now,
    ...(deps.outgoingLimits ? { outgoingLimits: deps.outgoingLimits } : {}),
    ...(deps.botCacheSize ? { capacity: deps.botCacheSize } : {}),
    ...(deps.publicUrl ? { staff: { auth: adminAuth, claims, publicUrl: deps.publicUrl } } : {}),
  });
  const messenger = createMessenger({ db, registry: bots });
  const dispatcher = createJobDispatcher({
    reminder_send: reminderSendHandler({ db, messenger, now }),
    hold_expire: holdExpireHandler({ db, booking, messenger, scheduler, now, payments }),
    payment_reconcile: paymentReconcileHandler({ db, payments, messenger }),
    digest_admin: digestAdminHandler({ db, messenger, scheduler }),
    notify_owners: notifyOwnersHandler({ db, messenger, now }),
    client_notice: clientNoticeHandler({ db, messenger }),
  });
  return {
    booking,
    registry,
    payments,
    messenger,
    notifier,
    dispatcher,
    scheduler,
    adminAuth,
    claims,
  };
}

export type Services = ReturnType<typeof createServices>;

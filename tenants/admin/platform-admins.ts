import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import {
  insertAudit,
  platformAdminByTelegram,
  upsertPlatformAdmin,
  type StaffRow,
} from '../../db/queries/admin.ts';

/**
 * Makes a Telegram user a platform admin (the first one comes from `npm run admin:bootstrap` or
 * PLATFORM_ADMIN_TELEGRAM_ID): they sign in by sending /admin to any business's bot. Audited
 * when it changes anything.
 */
export async function bootstrapPlatformAdmin(
  db: Database,
  p: { telegramUserId: number; displayName?: string; language?: string },
): Promise<StaffRow> {
  return asPlatform(db, async (tx) => {
    // Every start with PLATFORM_ADMIN_TELEGRAM_ID comes here: only a change is recorded.
    const existing = await platformAdminByTelegram(tx, p.telegramUserId);
    if (existing) return existing;
    const staff = await upsertPlatformAdmin(tx, {
      telegramUserId: p.telegramUserId,
      displayName: p.displayName ?? `Telegram ${p.telegramUserId}`,
      language: p.language ?? 'en',
    });
    await insertAudit(tx, {
      tenantId: null,
      actorStaffId: null,
      actorRole: 'system',
      action: 'platform_admin.bootstrap',
      targetKind: 'staff',
      targetId: staff.id,
      after: { telegram_user_id: p.telegramUserId },
    });
    return staff;
  });
}

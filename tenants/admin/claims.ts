import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import {
  bindMaster,
  consumeClaim,
  insertAudit,
  insertClaim,
  markClaimedBy,
  upsertTenantStaff,
  type ClaimRole,
  type StaffRow,
} from '../../db/queries/admin.ts';
import { randomSecret, sha256Hex } from '../security/tokens.ts';

/** How a claim code travels: `t.me/<bot>?start=claim_<code>` (Telegram allows 64 of A-Za-z0-9_-). */
export const CLAIM_PREFIX = 'claim_';
const CLAIM_CODE = /^[A-Za-z0-9_-]{20,58}$/;

/** A claim lasts a week by default: an invitation is read when the person gets to it. */
const CLAIM_DAYS = 7;

/**
 * Claim codes: the business's first owner (or an invited manager) is whoever presses Start in the
 * business's bot with the code first. The token proved the bot; the tap proves the person.
 */
export function createClaims(deps: { db: Database; now: () => number }) {
  return {
    /** A new one-time code for `tenantId`, as one statement of `tx`'s transaction when given. */
    async create(
      p: {
        tenantId: string;
        role: ClaimRole;
        masterId?: string;
        createdBy: string | null;
        days?: number;
      },
      tx?: Parameters<typeof insertClaim>[0],
    ): Promise<string> {
      const code = randomSecret(32);
      const write = async (q: Parameters<typeof insertClaim>[0]) =>
        insertClaim(q, {
          codeHash: await sha256Hex(code),
          tenantId: p.tenantId,
          role: p.role,
          ...(p.masterId ? { masterId: p.masterId } : {}),
          createdBy: p.createdBy,
          expiresAt: new Date(deps.now() + (p.days ?? CLAIM_DAYS) * 86_400_000),
        });
      if (tx) await write(tx);
      else await asPlatform(deps.db, write);
      return code;
    },

    /**
     * Redeems a code sent to the business's bot by a Telegram user: once, in time, for that business
     * only. The user joins its staff in the code's role (audited); undefined when the code does not work.
     */
    async redeem(p: {
      tenantId: string;
      code: string;
      telegramUserId: number;
      displayName: string;
      language: string;
    }): Promise<StaffRow | undefined> {
      if (!CLAIM_CODE.test(p.code)) return undefined;
      const codeHash = await sha256Hex(p.code);
      return asPlatform(deps.db, async (tx) => {
        const claim = await consumeClaim(tx, { codeHash, tenantId: p.tenantId });
        if (!claim) return undefined;
        const staff = await upsertTenantStaff(tx, {
          tenantId: p.tenantId,
          telegramUserId: p.telegramUserId,
          role: claim.role,
          displayName: p.displayName,
          language: p.language,
        });
        await markClaimedBy(tx, { codeHash, staffUserId: staff.id });
        if (claim.master_id)
          await bindMaster(tx, {
            tenantId: p.tenantId,
            masterId: claim.master_id,
            staffUserId: staff.id,
            telegramUserId: p.telegramUserId,
          });
        await insertAudit(tx, {
          tenantId: p.tenantId,
          actorStaffId: staff.id,
          actorRole: staff.role,
          action: 'staff.claim',
          targetKind: 'staff',
          targetId: staff.id,
          after: { role: staff.role },
        });
        return staff;
      });
    },
  };
}

export type Claims = ReturnType<typeof createClaims>;

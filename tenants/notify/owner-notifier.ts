import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import type { Scheduler } from '../jobs/types.ts';

export type OwnerNoticeKind =
  | 'booking_created'
  | 'booking_cancelled'
  | 'payment_failed'
  | 'no_show'
  | 'refund_needed'
  | 'payment_mismatch'
  | 'payment_unmatched';

export interface OwnerNotice {
  tenantId: string;
  kind: OwnerNoticeKind;
  bookingId?: string;
  detail?: Record<string, unknown>;
  /** Once per fact: a notice recorded again with the same key (a redelivery after a crash) adds nothing. */
  dedupeKey?: string;
}

export interface OwnerNotifier {
  record(notice: OwnerNotice): Promise<void>;
}

export const notifyOwnersKey = (tenantId: string, bucket: number) =>
  `notify_owners:${tenantId}:${bucket}`;

/**
 * Owner notices, throttled: each notice is stored, and the first one of a window schedules one
 * flush at the window's end, which sends everything unsent as one summary. A burst of bookings
 * becomes one message per window instead of one per booking.
 */
export function createOwnerNotifier(deps: {
  db: Database;
  scheduler: Scheduler;
  now: () => number;
  windowMs?: number;
}): OwnerNotifier {
  const windowMs = deps.windowMs ?? 60_000;
  return {
    async record(notice) {
      const inserted = await asPlatform(deps.db, (tx) =>
        tx.query(
          `insert into public.owner_notifications (tenant_id, kind, booking_id, detail, dedupe_key) values ($1, $2, $3, $4::jsonb, $5)
           on conflict (tenant_id, dedupe_key) where dedupe_key is not null do nothing returning id`,
          [
            notice.tenantId,
            notice.kind,
            notice.bookingId ?? null,
            JSON.stringify(notice.detail ?? {}),
            notice.dedupeKey ?? null,
          ],
        ),
      );
      if (inserted.length === 0) return;
      const bucket = Math.floor(deps.now() / windowMs);
      await deps.scheduler.schedule({
        kind: 'notify_owners',
        key: notifyOwnersKey(notice.tenantId, bucket),
        runAt: (bucket + 1) * windowMs,
        payload: { tenantId: notice.tenantId },
        tenantId: notice.tenantId,
      });
    },
  };
}

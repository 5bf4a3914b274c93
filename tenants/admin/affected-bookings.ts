import type { BookingService } from '../booking/booking-service.ts';
import type { StaffRole } from '../../db/queries/admin.ts';

/**
 * A change that touches booked visits (a service or master no longer bookable, shorter hours, time
 * off over visits) is saved only once staff decided what happens to them: keep them as booked, or
 * cancel them, each client told in the bot in their language (the booking effects schedule that
 * notice for every cancellation by staff).
 */
export type AffectedDecision = 'keep' | 'cancel';

export function parseDecision(value: string | undefined): AffectedDecision | undefined {
  return value === 'keep' || value === 'cancel' ? value : undefined;
}

/**
 * A fingerprint of the visits staff were shown: when the decision comes back, a different set
 * (a visit booked or cancelled meanwhile) means they are asked again instead of deciding blind.
 */
export async function visitsFingerprint(ids: readonly string[]): Promise<string> {
  const bytes = new TextEncoder().encode([...ids].sort().join(','));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A message to the clients: trimmed, at most 500 characters (what the status history keeps). */
export function parseClientMessage(
  value: string | undefined,
): { ok: true; value: string | undefined } | { ok: false } {
  const text = (value ?? '').replace(/\r\n/g, '\n').trim();
  if (text.length > 500) return { ok: false };
  return { ok: true, value: text || undefined };
}

export interface CancelledVisits {
  cancelled: string[];
  /** Visits that had already ended or changed meanwhile: nothing was done to them. */
  unchanged: string[];
}

/** Cancels each visit as the staff member (fees do not apply to cancellations by the business). */
export async function cancelVisits(
  booking: Pick<BookingService, 'cancel'>,
  p: {
    tenantId: string;
    staffId: string;
    role: StaffRole;
    correlationId: string;
    bookingIds: readonly string[];
    message?: string | undefined;
  },
): Promise<CancelledVisits> {
  const result: CancelledVisits = { cancelled: [], unchanged: [] };
  for (const id of p.bookingIds) {
    const outcome = await booking.cancel(
      p.tenantId,
      id,
      { kind: p.role, id: p.staffId, correlationId: p.correlationId },
      p.message,
    );
    (outcome.kind === 'cancelled' ? result.cancelled : result.unchanged).push(id);
  }
  return result;
}

export type AffectedStep =
  /** Nothing booked is touched: save. */
  | { kind: 'none' }
  /** Show the visits and ask; `changed`: the list differs from the one staff decided on. */
  | { kind: 'ask'; changed: boolean; messageTooLong: boolean }
  | { kind: 'decided'; decision: AffectedDecision; message: string | undefined };

/** Where a submitted change stands with the visits it touches (`decision`, `shown` and `client_message` are the page's fields). */
export async function affectedStep(
  values: Record<string, string | undefined>,
  visitIds: readonly string[],
): Promise<AffectedStep> {
  if (visitIds.length === 0) return { kind: 'none' };
  const decision = parseDecision(values.decision);
  if (!decision) return { kind: 'ask', changed: false, messageTooLong: false };
  if (values.shown !== (await visitsFingerprint(visitIds)))
    return { kind: 'ask', changed: true, messageTooLong: false };
  const message = parseClientMessage(values.client_message);
  if (!message.ok) return { kind: 'ask', changed: false, messageTooLong: true };
  return { kind: 'decided', decision, message: decision === 'cancel' ? message.value : undefined };
}

import { z } from 'zod';
import type { Database } from '../../../db/port.ts';
import type { Messenger } from '../../bots/messenger.ts';
import type { PaymentService } from '../../payments/payment-service.ts';
import type { JobHandler } from '../types.ts';
import { done, parsePayload } from './common.ts';
import { tellPaymentOutcome } from './payment-notice.ts';

/**
 * Asks the provider about a payment nobody reported. A success found late confirms the booking if
 * its time is free, else refunds; the client is told either way, once.
 */
export function paymentReconcileHandler(deps: {
  db: Database;
  payments: PaymentService;
  messenger: Messenger;
}): JobHandler {
  return async (delivery) => {
    const parsed = parsePayload(z.object({ paymentId: z.uuid() }), delivery.payload);
    if (!parsed.ok) return parsed.result;
    const result = await deps.payments.reconcile(parsed.value.paymentId, delivery.correlationId);
    if (result.retryAfterMs !== undefined)
      return { status: 'retry', reason: result.outcome, afterMs: result.retryAfterMs + 1_000 };
    if (result.settled) await tellPaymentOutcome(deps, parsed.value.paymentId, result.settled);
    return done(result.outcome);
  };
}

import { z } from 'zod';
import type { JobResult } from '../types.ts';

export const done = (outcome: string): JobResult => ({ status: 'done', outcome });

export const bookingPayload = z.object({ bookingId: z.uuid() });

/** A payload no retry can fix ends the job with the reason logged (a dead job would only repeat it). */
export function parsePayload<T>(
  schema: z.ZodType<T>,
  payload: unknown,
): { ok: true; value: T } | { ok: false; result: JobResult } {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    result: done(
      `invalid payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'} ${i.message}`).join('; ')}`,
    ),
  };
}

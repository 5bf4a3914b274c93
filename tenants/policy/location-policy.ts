import { z } from 'zod';

/**
 * A location's policy set, stored as JSON on `locations.policy`. All durations are integers in the
 * unit their name says. The database re-checks the fields it relies on (see
 * `app.is_valid_location_policy`); this schema is the full contract.
 *
 * Cancellation and reschedule windows, measured back from the visit's start:
 * - more than `freeUntilHours` ahead: free;
 * - between `freeUntilHours` and `lockHours`: allowed with `fee` (if any);
 * - less than `lockHours` ahead: not allowed through the bot (the client is told to call).
 */
const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const feeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), percent: int(1, 100) }),
  z.object({ kind: z.literal('fixed'), amountMinor: int(0, 100_000_000) }),
]);

const windowSchema = z
  .object({
    freeUntilHours: int(0, 720),
    lockHours: int(0, 720),
    fee: feeSchema.nullable(),
  })
  .refine((w) => w.lockHours <= w.freeUntilHours, {
    message: 'lockHours must not exceed freeUntilHours',
    path: ['lockHours'],
  });

export const locationPolicySchema = z.object({
  /** No start sooner than now + lead time. */
  leadTimeMinutes: int(0, 43_200),
  /** No start later than this many days ahead (local calendar days, today = day 0). */
  horizonDays: int(1, 365),
  /** Start times lie on this grid in local time. */
  slotStepMinutes: int(5, 240),
  /** Local time after which no more same-day bookings are taken ("HH:MM"), or null. */
  sameDayCutoff: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour clock)')
    .nullable(),
  bufferBeforeMinutes: int(0, 240),
  bufferAfterMinutes: int(0, 240),
  /** How long an unpaid hold keeps the slot. */
  holdMinutes: int(1, 1440),
  cancellation: windowSchema,
  reschedule: windowSchema,
  deposit: z
    .object({
      /**
       * none: nobody pays ahead. always: a deposit of `percent` % from everyone. no_show_flagged:
       * nothing, except that in both of the last two modes a client with at least
       * `noShowThreshold` no-shows prepays in full.
       */
      mode: z.enum(['none', 'always', 'no_show_flagged']),
      percent: int(1, 100),
      noShowThreshold: int(1, 100),
    }),
  reminders: z.object({
    leadMinutes: z
      .array(int(1, 43_200))
      .max(5)
      .refine((a) => new Set(a).size === a.length, 'reminder lead times must be distinct'),
    /** A booking made after a reminder's time has passed: send it at once, or skip it. */
    whenLate: z.enum(['send_now', 'skip']),
  }),
});

export type LocationPolicy = z.infer<typeof locationPolicySchema>;
export type Fee = z.infer<typeof feeSchema>;

export const DEFAULT_LOCATION_POLICY: LocationPolicy = {
  leadTimeMinutes: 60,
  horizonDays: 60,
  slotStepMinutes: 15,
  sameDayCutoff: null,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  holdMinutes: 15,
  cancellation: { freeUntilHours: 24, lockHours: 2, fee: { kind: 'percent', percent: 50 } },
  reschedule: { freeUntilHours: 12, lockHours: 2, fee: null },
  deposit: { mode: 'no_show_flagged', percent: 30, noShowThreshold: 2 },
  reminders: { leadMinutes: [1440, 180], whenLate: 'send_now' },
};

export type PolicyParseResult = { ok: true; policy: LocationPolicy } | { ok: false; problems: string[] };

/** Validates untrusted policy JSON; problems name the field path and what it expects. */
export function parseLocationPolicy(input: unknown): PolicyParseResult {
  const result = locationPolicySchema.safeParse(input);
  if (result.success) return { ok: true, policy: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'policy'}: ${i.message}`),
  };
}

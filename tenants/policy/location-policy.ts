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
const int = ([min, max]: readonly [number, number]) => z.number().int().min(min).max(max);

/**
 * The bounds of every number in a policy, inclusive: the schema below and the admin's location
 * form (tenants/admin/location-input.ts) both read them here. The database re-checks the ones it
 * relies on (app.is_valid_location_policy).
 */
export const POLICY_LIMITS = {
  leadTimeMinutes: [0, 43_200],
  horizonDays: [1, 365],
  slotStepMinutes: [5, 240],
  bufferMinutes: [0, 240],
  holdMinutes: [1, 1440],
  windowHours: [0, 720],
  feePercent: [1, 100],
  feeAmountMinor: [0, 100_000_000],
  depositPercent: [1, 100],
  noShowThreshold: [1, 100],
  reminderMinutes: [1, 43_200],
  reminderCount: 5,
} as const;
const L = POLICY_LIMITS;

export const feeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), percent: int(L.feePercent) }),
  z.object({ kind: z.literal('fixed'), amountMinor: int(L.feeAmountMinor) }),
]);

const windowSchema = z
  .object({
    freeUntilHours: int(L.windowHours),
    lockHours: int(L.windowHours),
    fee: feeSchema.nullable(),
  })
  .refine((w) => w.lockHours <= w.freeUntilHours, {
    message: 'lockHours must not exceed freeUntilHours',
    path: ['lockHours'],
  });

export const locationPolicySchema = z.object({
  /** No start sooner than now + lead time. */
  leadTimeMinutes: int(L.leadTimeMinutes),
  /** No start later than this many days ahead (local calendar days, today = day 0). */
  horizonDays: int(L.horizonDays),
  /** Start times lie on this grid in local time. */
  slotStepMinutes: int(L.slotStepMinutes),
  /** Local time after which no more same-day bookings are taken ("HH:MM"), or null. */
  sameDayCutoff: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour clock)')
    .nullable(),
  bufferBeforeMinutes: int(L.bufferMinutes),
  bufferAfterMinutes: int(L.bufferMinutes),
  /** How long an unpaid hold keeps the slot. */
  holdMinutes: int(L.holdMinutes),
  cancellation: windowSchema,
  reschedule: windowSchema,
  deposit: z.object({
    /**
     * none: nobody pays ahead. always: a deposit of `percent` % from everyone. no_show_flagged:
     * nothing, except that in both of the last two modes a client with at least
     * `noShowThreshold` no-shows prepays in full.
     */
    mode: z.enum(['none', 'always', 'no_show_flagged']),
    percent: int(L.depositPercent),
    noShowThreshold: int(L.noShowThreshold),
  }),
  reminders: z.object({
    leadMinutes: z
      .array(int(L.reminderMinutes))
      .max(L.reminderCount)
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

export type PolicyParseResult =
  { ok: true; policy: LocationPolicy } | { ok: false; problems: string[] };

/** Validates untrusted policy JSON; problems name the field path and what it expects. */
export function parseLocationPolicy(input: unknown): PolicyParseResult {
  const result = locationPolicySchema.safeParse(input);
  if (result.success) return { ok: true, policy: result.data };
  return {
    ok: false,
    problems: result.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : 'policy'}: ${i.message}`,
    ),
  };
}

import type { LocationPolicy } from '../policy/location-policy.ts';

export interface PlannedReminder {
  leadMinutes: number;
  /** Epoch ms (UTC instant): start − lead, or now for a late one the policy sends at once. */
  runAt: number;
}

const MINUTE = 60_000;

/**
 * When to remind a client of a visit at `startAt`: start − lead for every lead time of the policy,
 * as UTC instants, so a DST switch between now and the visit changes the local clock reading of
 * the reminder, never its distance from the visit. Leads whose time has already passed follow
 * `whenLate`: `skip` drops them, `send_now` sends one reminder now (the nearest-to-the-visit one;
 * several stale reminders at once would only repeat each other). Nothing for a visit already begun.
 */
export function planReminders(
  policy: Pick<LocationPolicy, 'reminders'>,
  startAt: number,
  now: number,
): PlannedReminder[] {
  if (startAt <= now) return [];
  const leads = [...policy.reminders.leadMinutes].sort((a, b) => b - a);
  const future = leads
    .filter((lead) => startAt - lead * MINUTE > now)
    .map((lead) => ({ leadMinutes: lead, runAt: startAt - lead * MINUTE }));
  const late = leads.filter((lead) => startAt - lead * MINUTE <= now);
  if (late.length === 0 || policy.reminders.whenLate === 'skip') return future;
  return [...future, { leadMinutes: Math.min(...late), runAt: now }];
}

import { DateTime } from 'luxon';

/** The stretches of a master's own schedule, in the master's location's days. */
export const SCHEDULE_RANGES = ['today', 'tomorrow', 'week'] as const;
export type ScheduleRange = (typeof SCHEDULE_RANGES)[number];

export const isScheduleRange = (value: unknown): value is ScheduleRange =>
  SCHEDULE_RANGES.includes(value as ScheduleRange);

/** From the start of today (or tomorrow) in `zone`, for one day (or seven). */
export function scheduleWindow(
  range: ScheduleRange,
  nowMs: number,
  zone: string,
): { from: Date; to: Date } {
  const today = DateTime.fromMillis(nowMs, { zone }).startOf('day');
  const from = range === 'tomorrow' ? today.plus({ days: 1 }) : today;
  const to = range === 'week' ? today.plus({ days: 7 }) : from.plus({ days: 1 });
  return { from: from.toJSDate(), to: to.toJSDate() };
}

/**
 * Checks weekly windows (working hours, breaks) as an owner enters them, before they reach the
 * database, with messages that say how to fix them. Times are "HH:MM"; "24:00" ends a day.
 */
export interface WindowInput {
  weekday: number;
  start: string;
  end: string;
}

export interface ParsedWindow {
  weekday: number;
  start: number;
  end: number;
}

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function parseTime(text: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : undefined;
}

export type WindowValidation =
  { ok: true; windows: ParsedWindow[] } | { ok: false; problems: string[] };

export function validateWeeklyWindows(
  inputs: readonly WindowInput[],
  what = 'Working hours',
): WindowValidation {
  const problems: string[] = [];
  const windows: ParsedWindow[] = [];
  for (const input of inputs) {
    const day = WEEKDAYS[input.weekday];
    if (!Number.isInteger(input.weekday) || !day) {
      problems.push(`${what}: weekday must be 1 (Monday) to 7 (Sunday), got ${input.weekday}`);
      continue;
    }
    const start = parseTime(input.start);
    const end = parseTime(input.end);
    if (start === undefined || start === 1440)
      problems.push(
        `${what} on ${day}: start "${input.start}" must be a time HH:MM from 00:00 to 23:59`,
      );
    if (end === undefined || end === 0)
      problems.push(
        `${what} on ${day}: end "${input.end}" must be a time HH:MM from 00:01 to 24:00`,
      );
    if (start === undefined || end === undefined || start === 1440 || end === 0) continue;
    if (end < start) {
      const next = WEEKDAYS[(input.weekday % 7) + 1];
      problems.push(
        `${what} on ${day} ${input.start}–${input.end} cross midnight, which is not supported: split them into ${day} ${input.start}–24:00 and ${next} 00:00–${input.end}`,
      );
      continue;
    }
    if (end === start) {
      problems.push(
        `${what} on ${day}: ${input.start}–${input.end} is empty; the end must be after the start`,
      );
      continue;
    }
    windows.push({ weekday: input.weekday, start, end });
  }
  const sorted = [...windows].sort((a, b) => a.weekday - b.weekday || a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.weekday === b.weekday && b.start < a.end)
      problems.push(
        `${what} on ${WEEKDAYS[a.weekday]} overlap: merge them into one window or move one`,
      );
  }
  return problems.length ? { ok: false, problems } : { ok: true, windows: sorted };
}

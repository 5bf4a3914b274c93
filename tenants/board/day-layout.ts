import { wallToInstant, type LocalDay } from '../availability/local-days.ts';
import type { TimeOff, WeeklyWindow } from '../availability/types.ts';

/**
 * One location's day as the board draws it: a column per master with their working time, breaks,
 * time off and visits, on one time axis. Positions are minutes of real time since the local day
 * began, so a 23- or 25-hour day (DST) is drawn as long as it is, and the axis labels say what the
 * local clock showed: on a fall-back day 02:00 appears twice, on a spring-forward day not at all.
 * Pure: the day's shape comes from the availability engine's local days.
 */
export interface CalendarMaster {
  id: string;
  name: string;
  hours: readonly WeeklyWindow[];
  breaks: readonly WeeklyWindow[];
  timeOff: readonly TimeOff[];
}

export interface CalendarVisit {
  id: string;
  masterId: string;
  /** Epoch ms. */
  start: number;
  end: number;
  status: string;
  label: string;
  /** The client's name, the short label where there is little room. */
  client: string;
}

/** [from, to) in minutes since the local day began. */
export interface Span {
  from: number;
  to: number;
}

export interface DayColumn {
  masterId: string;
  name: string;
  working: Span[];
  breaks: Span[];
  timeOff: Span[];
  visits: (Span & {
    id: string;
    status: string;
    label: string;
    client: string;
    start: number;
    end: number;
  })[];
}

export interface DayLayout {
  /** The part of the day drawn, minutes since the local day began. */
  view: Span;
  /** Length of the local day in minutes (1380, 1440 or 1500). */
  length: number;
  /** Each full local hour in view: where it is and what the clock showed (minutes since local midnight). */
  hours: { at: number; wall: number }[];
  columns: DayColumn[];
}

const MS = 60_000;
const clip = (span: Span, length: number): Span | undefined => {
  const from = Math.max(0, span.from);
  const to = Math.min(length, span.to);
  return to > from ? { from, to } : undefined;
};

/** Weekly windows of this day's weekday as spans of the day (wall times made instants by the engine's rule). */
function weeklySpans(day: LocalDay, windows: readonly WeeklyWindow[]): Span[] {
  return windows
    .filter((w) => w.weekday === day.weekday)
    .map((w) => ({
      from: wallToInstant(day, w.start) - day.start,
      to: wallToInstant(day, w.end) - day.start,
    }))
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.from - b.from);
}

function timeOffSpans(day: LocalDay, timeOff: readonly TimeOff[]): Span[] {
  const length = day.end - day.start;
  const spans: Span[] = [];
  for (const t of timeOff) {
    const span =
      t.kind === 'days'
        ? t.firstDay <= day.date && day.date <= t.lastDay
          ? { from: 0, to: length }
          : undefined
        : clip(
            { from: Math.floor(t.start / MS) - day.start, to: Math.ceil(t.end / MS) - day.start },
            length,
          );
    if (span) spans.push(span);
  }
  return spans.sort((a, b) => a.from - b.from);
}

/** The local hours of the day: each piece of constant offset contributes the full wall hours it shows. */
function hourMarks(day: LocalDay): { at: number; wall: number }[] {
  const marks: { at: number; wall: number }[] = [];
  for (const p of day.pieces) {
    for (let wall = Math.ceil(p.wallStart / 60) * 60; wall < p.wallEnd; wall += 60)
      marks.push({ at: p.start + (wall - p.wallStart) - day.start, wall });
  }
  return marks;
}

/**
 * Lays out the day. The view runs from the earliest working time or visit to the latest, widened to
 * whole hours (08:00–20:00 local when nothing is scheduled).
 */
export function layoutDay(
  day: LocalDay,
  masters: readonly CalendarMaster[],
  visits: readonly CalendarVisit[],
): DayLayout {
  const length = day.end - day.start;
  const columns: DayColumn[] = masters.map((m) => ({
    masterId: m.id,
    name: m.name,
    working: weeklySpans(day, m.hours),
    breaks: weeklySpans(day, m.breaks),
    timeOff: timeOffSpans(day, m.timeOff),
    visits: visits
      .filter((v) => v.masterId === m.id)
      .flatMap((v) => {
        const span = clip(
          { from: Math.floor(v.start / MS) - day.start, to: Math.ceil(v.end / MS) - day.start },
          length,
        );
        return span
          ? [
              {
                ...span,
                id: v.id,
                status: v.status,
                label: v.label,
                client: v.client,
                start: v.start,
                end: v.end,
              },
            ]
          : [];
      })
      .sort((a, b) => a.from - b.from),
  }));
  const edges = columns.flatMap((c) => [...c.working, ...c.visits]);
  const hours = hourMarks(day);
  const defaultView = {
    from: wallToInstant(day, 8 * 60) - day.start,
    to: wallToInstant(day, 20 * 60) - day.start,
  };
  const raw = edges.length
    ? { from: Math.min(...edges.map((s) => s.from)), to: Math.max(...edges.map((s) => s.to)) }
    : defaultView;
  // Widen to the hour marks around it (the day's own start and end when there is none).
  const from = Math.max(0, ...hours.map((h) => h.at).filter((at) => at <= raw.from));
  const to = Math.min(length, ...hours.map((h) => h.at).filter((at) => at >= raw.to));
  const view = { from: Math.min(from, raw.from), to: Math.max(to, raw.to) };
  return {
    view,
    length,
    hours: hours.filter((h) => h.at >= view.from && h.at <= view.to),
    columns,
  };
}

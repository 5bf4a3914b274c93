import {
  assertTimezone,
  buildLocalDay,
  dayNumber,
  isoDateOf,
  type LocalDay,
} from './local-days.ts';

/**
 * Local days of one zone, built once and reused (a day's shape never changes). The booking service
 * keeps one per location; the engine builds a throw-away one when none is given.
 */
export class ZoneCalendar {
  private readonly days = new Map<number, LocalDay>();

  constructor(
    readonly timezone: string,
    private readonly capacity = 800,
  ) {
    assertTimezone(timezone);
  }

  day(dayNo: number): LocalDay {
    let day = this.days.get(dayNo);
    if (!day) {
      if (this.days.size >= this.capacity) this.days.delete(this.days.keys().next().value!);
      day = buildLocalDay(this.timezone, isoDateOf(dayNo));
      this.days.set(dayNo, day);
    }
    return day;
  }

  /** The local days from..to inclusive, as day numbers (days since 1970-01-01). */
  range(fromDayNo: number, toDayNo: number): LocalDay[] {
    const out: LocalDay[] = [];
    for (let n = fromDayNo; n <= toDayNo; n++) out.push(this.day(n));
    return out;
  }

  /**
   * The local day an instant (epoch minutes) falls on, with its day number. Consecutive days tile
   * real time (each ends where the next begins), so the search walks from the UTC date, which is
   * at most a day away.
   */
  dayAt(epochMinute: number): { dayNo: number; day: LocalDay } {
    let dayNo = Math.floor(epochMinute / 1440);
    let day = this.day(dayNo);
    while (epochMinute < day.start) day = this.day(--dayNo);
    while (epochMinute >= day.end) day = this.day(++dayNo);
    return { dayNo, day };
  }

  dayOf(isoDate: string): LocalDay {
    return this.day(dayNumber(isoDate));
  }
}

/**
 * Inputs and outputs of the availability engine. Instants are epoch milliseconds (UTC); wall-clock
 * times are minutes since local midnight in the location's zone (0..1440).
 */

/** A weekly window in local wall-clock time; ISO weekday (1 = Monday). `end` may be 1440 (24:00). */
export interface WeeklyWindow {
  weekday: number;
  start: number;
  end: number;
}

export type TimeOff =
  /** Whole local days, first..last inclusive (ISO dates). */
  | { kind: 'days'; firstDay: string; lastDay: string }
  /** An exact range of instants. */
  | { kind: 'range'; start: number; end: number };

/** An interval a master is already taken: a blocking booking's stored span (buffers included). */
export interface BusyInterval {
  start: number;
  end: number;
}

export interface MasterSchedule {
  id: string;
  /** Speed factor in hundredths: 100 = the service's own duration, 80 = 20 % faster. */
  speedPercent: number;
  /** Skills: service id -> the master's own duration for it in minutes, or null for the service's. */
  skills: ReadonlyMap<string, number | null>;
  hours: readonly WeeklyWindow[];
  breaks: readonly WeeklyWindow[];
  timeOff: readonly TimeOff[];
  /** Blocking bookings (held, pending payment, confirmed), any order. */
  busy: readonly BusyInterval[];
}

export interface RequestedService {
  id: string;
  durationMin: number;
}

/** The part of a location policy the search uses. */
export interface AvailabilityPolicy {
  leadTimeMinutes: number;
  horizonDays: number;
  slotStepMinutes: number;
  /** "HH:MM": once the local clock passes it, today takes no more bookings. */
  sameDayCutoff: string | null;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

export interface SlotSearch {
  now: number;
  timezone: string;
  policy: AvailabilityPolicy;
  services: readonly RequestedService[];
  /** Candidate masters: one for a chosen master, all of the location's for "any master". */
  masters: readonly MasterSchedule[];
  /** Optional narrowing to local dates (inclusive ISO dates), e.g. the week the bot shows. */
  fromDate?: string;
  toDate?: string;
}

/** One master and one instant: whether that start is offered (what a booking checks). */
export interface StartCheck {
  now: number;
  timezone: string;
  policy: AvailabilityPolicy;
  services: readonly RequestedService[];
  master: MasterSchedule;
  /** The start asked for, epoch ms. */
  start: number;
}

export interface Slot {
  /** Start instant, epoch ms. */
  start: number;
  /** Masters who can take it, in the order the masters were given. */
  masterIds: string[];
}

export interface SlotSearchResult {
  slots: Slot[];
  /** Masters whose skills cover every requested service, in the given order. */
  qualifiedMasterIds: string[];
  /** Booking length per qualified master, minutes (composite, speed-scaled, rounded up to the step). */
  durations: Record<string, number>;
  /** Busy minutes per qualified master per local date, for the fair choice among masters. */
  load: Record<string, Record<string, number>>;
}

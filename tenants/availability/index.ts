export { findSlots, offersStart, type SearchOptions } from './engine.ts';
export { ZoneCalendar } from './calendar.ts';
export { chooseMaster, nearestAlternatives, type Alternative } from './choice.ts';
export { bookingMinutes, speedPercentOf } from './duration.ts';
export {
  validateWeeklyWindows,
  type WindowInput,
  type ParsedWindow,
  type WindowValidation,
} from './schedule-validation.ts';
export { UnknownTimezoneError, localClock } from './local-days.ts';
export type * from './types.ts';

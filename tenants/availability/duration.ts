import type { MasterSchedule, RequestedService } from './types.ts';

/**
 * A master's booking length for a set of services, in minutes: each service's duration (the
 * master's override where set, otherwise the service's own), summed, scaled by the master's speed
 * factor, then rounded UP to a whole number of slot steps, so every booking ends on the grid.
 * Integer arithmetic throughout: the speed factor is in hundredths.
 *
 * Returns undefined when the master lacks any of the skills.
 */
export function bookingMinutes(
  master: MasterSchedule,
  services: readonly RequestedService[],
  stepMinutes: number,
): number | undefined {
  let sum = 0;
  for (const service of services) {
    if (!master.skills.has(service.id)) return undefined;
    sum += master.skills.get(service.id) ?? service.durationMin;
  }
  const unit = 100 * stepMinutes;
  return Math.ceil((sum * master.speedPercent) / unit) * stepMinutes;
}

/** The speed factor as stored (numeric 0.25..4.00) in hundredths, exact. */
export function speedPercentOf(factor: number | string): number {
  return Math.round(Number(factor) * 100);
}

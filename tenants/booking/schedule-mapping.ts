import type { BookingSnapshot } from '../../db/queries/booking-snapshot.ts';
import { speedPercentOf } from '../availability/duration.ts';
import type { MasterSchedule, RequestedService, TimeOff } from '../availability/types.ts';

/** Turns snapshot rows into the availability engine's inputs. Inactive masters are left out. */
export function mastersFromSnapshot(snapshot: BookingSnapshot): MasterSchedule[] {
  return snapshot.masters
    .filter((m) => m.active)
    .map((m) => ({
      id: m.id,
      speedPercent: speedPercentOf(m.speed_factor),
      skills: new Map(m.skills.map((k) => [k.service_id, k.override])),
      hours: m.hours,
      breaks: m.breaks,
      timeOff: m.time_off.map((t): TimeOff =>
        t.all_day
          ? { kind: 'days', firstDay: t.first_day!, lastDay: t.last_day! }
          : { kind: 'range', start: Date.parse(t.starts_at!), end: Date.parse(t.ends_at!) },
      ),
      busy: m.busy.map(([start, end]) => ({ start, end })),
    }));
}

export function requestedServices(
  snapshot: BookingSnapshot,
  serviceIds: readonly string[],
): RequestedService[] {
  return serviceIds.map((id) => {
    const s = snapshot.services.find((x) => x.id === id)!;
    return { id: s.id, durationMin: s.duration_min };
  });
}

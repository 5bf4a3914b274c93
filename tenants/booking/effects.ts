import type { LocationPolicy } from '../policy/location-policy.ts';
import type { BookingView } from './results.ts';
import type { ActorKind, BookingEvent, BookingState } from './state-machine.ts';

/** A change the booking service has committed; what follows from it (jobs, notices) is an effect. */
export type BookingChange =
  | {
      kind: 'held';
      tenantId: string;
      booking: BookingView;
      actor: ActorKind;
      correlationId?: string;
    }
  | {
      kind: 'status';
      tenantId: string;
      booking: BookingView;
      from: BookingState;
      event: BookingEvent;
      actor: ActorKind;
      policy: LocationPolicy;
      correlationId?: string;
      /** What the actor gave as the reason (staff: written for the client). */ reason?: string;
    }
  | {
      kind: 'rescheduled';
      tenantId: string;
      booking: BookingView;
      previousId: string;
      /** Epoch ms the visit was at before. */ previousStart: number;
      actor: ActorKind;
      policy: LocationPolicy;
      correlationId?: string;
    };

/**
 * Side effects of booking changes (scheduling reminders and hold expiry, telling owners), run after
 * the change committed. A failing effect is logged, never undoes the booking: the jobs it would
 * have scheduled are covered by sweeps and by the state checks every job makes when it fires.
 */
export interface BookingEffects {
  changed(change: BookingChange): Promise<void>;
}

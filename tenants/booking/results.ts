import type { Alternative } from '../availability/choice.ts';
import type { Money } from '../money/money.ts';
import type { PaymentRequirement } from './policies.ts';
import type { BookingState } from './state-machine.ts';

/** A booking as the services hand it out: instants in epoch ms, money as a value. */
export interface BookingView {
  id: string;
  status: BookingState;
  locationId: string;
  masterId: string;
  clientId: string;
  start: number;
  end: number;
  holdExpiresAt: number | null;
  total: Money;
  rescheduledFromId: string | null;
}

export type PolicyRule =
  | 'lead_time'
  | 'horizon'
  | 'same_day_cutoff'
  | 'outside_schedule'
  | 'locked'
  | 'started'
  | 'not_started'
  | 'not_active'
  | 'payment_required';

/** Why a request was refused, and what the person can do instead. */
export type Refusal =
  | { kind: 'slot_taken'; alternatives: Alternative[] }
  | { kind: 'policy_blocked'; rule: PolicyRule; message: string; alternatives?: Alternative[] }
  | {
      kind: 'service_unavailable';
      serviceIds: string[];
      alternatives: { id: string; name: string }[];
    }
  | { kind: 'master_unavailable'; masterId: string; alternatives: Alternative[] }
  | { kind: 'location_unavailable' }
  | {
      kind: 'tenant_unavailable';
      reason: 'maintenance' | 'suspended';
      until?: string | null;
      message?: string | null;
    }
  | { kind: 'not_found' }
  | { kind: 'conflict'; status: BookingState; message: string };

export type BookResult =
  | { kind: 'booked'; booking: BookingView; replayed: boolean; payment: PaymentRequirement }
  | Refusal;
export type CancelResult = { kind: 'cancelled'; booking: BookingView; fee: Money } | Refusal;
export type RescheduleResult =
  { kind: 'rescheduled'; booking: BookingView; previousId: string; fee: Money } | Refusal;
export type TransitionOutcome = { kind: 'changed'; booking: BookingView } | Refusal;

export class BookingError extends Error {
  override name = 'BookingError';
}

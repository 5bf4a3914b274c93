import type { ActorKind } from './state-machine.ts';

/**
 * Whose booking it is, as far as acting on it goes: a client acts only on their own bookings, a
 * master only on their own visits; staff and the system on any of the tenant's. Pure; the booking
 * service asks it before every read or change it makes on a client's or master's behalf.
 */
export function ownsBooking(
  actor: { kind: ActorKind; id?: string; clientId?: string },
  booking: { clientId: string; masterId: string },
): boolean {
  switch (actor.kind) {
    case 'client':
      return actor.clientId !== undefined && actor.clientId === booking.clientId;
    case 'master':
      return actor.id === booking.masterId;
    default:
      return true;
  }
}

import { z } from 'zod';
import type { Queryable } from '../port.ts';

/** What a calendar file of one visit shows. */
export const calendarBookingSchema = z.object({
  id: z.string(),
  status: z.enum([
    'held',
    'pending_payment',
    'confirmed',
    'completed',
    'no_show',
    'cancelled',
    'expired',
  ]),
  start_at: z.coerce.date(),
  end_at: z.coerce.date(),
  total_minor: z.coerce.number(),
  currency: z.string(),
  timezone: z.string(),
  location_name: z.string(),
  location_address: z.string().nullable(),
  master_name: z.string(),
  services: z.string(),
});
export type CalendarBooking = z.infer<typeof calendarBookingSchema>;

/** One of the client's own bookings, with the names a calendar entry needs; undefined when not theirs. */
export async function calendarBookingForClient(
  q: Queryable,
  bookingId: string,
  clientId: string,
  lang: string,
): Promise<CalendarBooking | undefined> {
  const [row] = await q.query(
    `select b.id, b.status, b.start_at, b.end_at, b.total_minor, b.currency, l.timezone, app.local_name(l.name, l.names, $3) as location_name,
            l.address as location_address, app.local_name(m.display_name, m.names, $3) as master_name,
            coalesce((select string_agg(app.local_name(i.service_name, s.names, $3), ', ' order by i.position)
                        from public.booking_items i left join public.services s on s.id = i.service_id where i.booking_id = b.id), '') as services
     from public.bookings b
     join public.masters m on m.id = b.master_id
     join public.locations l on l.id = b.location_id
     where b.id = $1 and b.client_id = $2`,
    [bookingId, clientId, lang],
  );
  return row ? calendarBookingSchema.parse(row) : undefined;
}

-- Reverts 20261126020000_booking_core.
drop function if exists public.expire_holds(timestamptz);
drop function if exists public.reschedule_booking(uuid, uuid, uuid, timestamptz, text, text);
drop function if exists public.book_slot(uuid, uuid, uuid, uuid, uuid[], timestamptz, text, text, text, text);
drop function if exists app.insert_booking(uuid, uuid, uuid, uuid, uuid[], timestamptz, text, text, uuid, boolean);
drop function if exists app.assert_may_act_for(uuid);
drop function if exists app.lock_master_days(uuid, tstzrange, text);
drop trigger if exists bookings_record_status on public.bookings;
drop trigger if exists bookings_guard_status on public.bookings;
drop function if exists app.bookings_record_status();
drop function if exists app.bookings_guard_status();
drop function if exists app.set_actor(text, text, text);
drop table if exists app.booking_transitions;

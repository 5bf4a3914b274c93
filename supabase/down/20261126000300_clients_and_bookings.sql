-- Reverts 20261126000300_clients_and_bookings (the tables' triggers, checks and indexes go with them:
-- the clients' source rules and the phone index among them).
drop function public.confirm_late_payment(uuid, uuid);
drop function public.expire_holds(timestamptz);
drop function public.reschedule_booking(uuid, uuid, uuid, timestamptz, text, text, text);
drop function public.book_slots(uuid, jsonb);
drop type app.slot_plan;
drop function public.book_slot(uuid, uuid, uuid, uuid, uuid[], timestamptz, text, text, text, text, bigint, text);
drop function app.insert_booking(uuid, uuid, uuid, uuid, uuid[], timestamptz, text, text, uuid, text, bigint);
drop function app.may_override(text);
drop function app.check_booking(uuid, uuid, uuid, uuid[], timestamptz, bigint, timestamptz, boolean, boolean);
drop function app.booking_refusal(text, text, text);
drop type app.booking_check;
drop function app.wall_instant(date, time, text);
drop function app.assert_may_act_for(uuid);
drop function app.lock_master_days(uuid, tstzrange, text);
drop table public.payments;
drop table public.booking_status_history;
drop table public.booking_items;
drop table public.bookings;
drop table public.clients;
drop function app.track_booking_payments();
drop function app.clients_matching(text);
drop function app.refuse_booking_when_closed();
drop function app.bookings_record_created();
drop function app.bookings_record_status();
drop function app.bookings_guard_status();
drop function app.set_actor(text, text, text);
drop table app.booking_transitions;
drop function app.is_blocking(app.booking_status);
drop domain app.booking_status, app.actor_kind, app.currency_code, app.minor_amount, app.idempotency_key,
  app.client_comment, app.actor_ref, app.change_reason, app.item_position, app.visit_minutes;

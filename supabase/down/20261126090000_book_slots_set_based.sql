-- Back to one app.insert_booking call per request of a batch and row triggers for new bookings.
create or replace function public.book_slots(p_tenant_id uuid, p_requests jsonb)
returns table (
  ordinal integer,
  booking public.bookings,
  replayed boolean,
  error_code text,
  error_message text,
  error_detail text
)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  r record;
begin
  perform app.assert_may_act_for(p_tenant_id);
  if jsonb_typeof(p_requests) is distinct from 'array' or jsonb_array_length(p_requests) not between 1 and 32 then
    raise exception 'between 1 and 32 requests are required' using errcode = '22023';
  end if;
  -- In the order of the advisory locks they take (master, then time), so that two batches never
  -- wait for each other in a cycle.
  for r in
    select e.ord::integer as ord, e.req
    from jsonb_array_elements(p_requests) with ordinality as e (req, ord)
    order by pg_catalog.hashtext('slotbot.master:' || (e.req ->> 'master_id')), (e.req ->> 'start_at')::timestamptz, e.ord
  loop
    ordinal := r.ord;
    booking := null;
    replayed := false;
    error_code := null;
    error_message := null;
    error_detail := null;
    begin
      perform pg_catalog.set_config('slotbot.actor_kind', coalesce(r.req ->> 'actor_kind', 'system'), true);
      perform pg_catalog.set_config('slotbot.actor_id', coalesce(r.req ->> 'actor_id', ''), true);
      perform pg_catalog.set_config('slotbot.reason', 'booked', true);
      booking := app.insert_booking(
        p_tenant_id, (r.req ->> 'location_id')::uuid, (r.req ->> 'master_id')::uuid, (r.req ->> 'client_id')::uuid,
        array(select jsonb_array_elements_text(r.req -> 'service_ids')::uuid), (r.req ->> 'start_at')::timestamptz,
        r.req ->> 'idempotency_key', r.req ->> 'comment', null, true, (r.req ->> 'catalog_version')::bigint);
      replayed := pg_catalog.current_setting('slotbot.replayed', true) = 'true';
    exception when others then
      get stacked diagnostics error_code = returned_sqlstate, error_message = message_text, error_detail = pg_exception_detail;
    end;
    return next;
  end loop;
end
$$;

drop type app.slot_plan;

drop trigger bookings_record_created on public.bookings;
drop function app.bookings_record_created();
drop trigger bookings_guard_status on public.bookings;
drop trigger bookings_record_status on public.bookings;
create trigger bookings_guard_status before insert or update of status on public.bookings
  for each row execute function app.bookings_guard_status();
create trigger bookings_record_status after insert or update of status on public.bookings
  for each row execute function app.bookings_record_status();

alter table public.bookings
  drop column booked_by_kind,
  drop column booked_by_id;

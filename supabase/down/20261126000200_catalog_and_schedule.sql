-- Reverts 20261126000200_catalog_and_schedule (the tables' triggers go with them).
drop table public.time_off;
drop table public.breaks;
drop table public.working_hours;
drop table public.master_skills;
drop table public.masters;
drop table public.services;
drop table public.locations;
drop function app.locations_bump_own_catalog();
drop function app.bump_location_catalog();
drop function app.local_name(text, jsonb, text);
drop function app.is_name_map(jsonb, integer);
drop function app.is_valid_location_policy(jsonb);
drop function app.jsonb_int_between(jsonb, text, integer, integer);

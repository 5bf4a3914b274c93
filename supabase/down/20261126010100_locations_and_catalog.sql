-- Reverts 20261126010100_locations_and_catalog.
drop table if exists public.time_off;
drop table if exists public.breaks;
drop table if exists public.working_hours;
drop table if exists public.master_skills;
drop table if exists public.masters;
drop table if exists public.services;
drop table if exists public.locations;
drop function if exists app.is_valid_location_policy(jsonb);
drop function if exists app.jsonb_int_between(jsonb, text, integer, integer);

-- Reverts 20261126010200_clients_and_bookings.
drop table if exists public.payments;
drop table if exists public.booking_status_history;
drop table if exists public.booking_items;
drop table if exists public.bookings;
drop table if exists public.clients;

-- Reverts 20261130160000_signup_attempts.
drop table public.signup_attempts;

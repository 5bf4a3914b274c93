drop function public.book_slots(uuid, jsonb);

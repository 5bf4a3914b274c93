import { z } from 'zod';
import type { Update } from 'grammy/types';

/**
 * The shape of a Telegram update as far as the bots read it, checked before anything acts on it.
 * Telegram itself never sends anything else; a body that does not fit was forged or mangled and
 * is refused with the fields named, rather than failing deep in a handler or an insert. Fields the
 * bots do not read pass through unchecked, so new Bot API fields do not break anything.
 */

/** Telegram ids fit in 52 bits; anything beyond a safe integer cannot be one. */
const MAX_ID = Number.MAX_SAFE_INTEGER;
const userId = z.number().int().positive().max(MAX_ID);
const chatId = z
  .number()
  .int()
  .min(-MAX_ID)
  .max(MAX_ID)
  .refine((id) => id !== 0, 'a chat id is never 0');

/**
 * Telegram caps names at 64 characters; 200 leaves room and still refuses absurd ones. An empty
 * name is let through (stored as none): display fields must never lock a real chat out.
 */
const name = z
  .string()
  .max(200)
  .refine((s) => !s.includes('\u0000'), 'contains a NUL character');

/** A display-only field that does not look right is dropped rather than refusing the update. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const user = z.looseObject({
  id: userId,
  is_bot: z.boolean(),
  first_name: name,
  last_name: name.optional(),
  username: lenient(z.string().regex(/^[A-Za-z0-9_]{1,64}$/)),
  language_code: lenient(
    z
      .string()
      .regex(/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{1,8})*$/)
      .max(35),
  ),
});

const chat = z.looseObject({
  id: chatId,
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
});

const entity = z.looseObject({
  type: z.string().min(1).max(64),
  offset: z.number().int().min(0).max(100_000),
  length: z.number().int().min(0).max(100_000),
});

const currency = z.string().regex(/^[A-Z]{3}$/, 'is not an ISO 4217 currency code');
const amount = z.number().int().positive().max(MAX_ID);
const payload = z
  .string()
  .min(1)
  .max(128)
  .refine((s) => !s.includes('\u0000'), 'contains a NUL character');

const successfulPayment = z.looseObject({
  currency,
  total_amount: amount,
  invoice_payload: payload,
  telegram_payment_charge_id: z.string().min(1).max(256),
  provider_payment_charge_id: z.string().max(256),
});

const message = z.looseObject({
  message_id: z.number().int().min(0).max(MAX_ID),
  date: z.number().int().min(0).max(MAX_ID),
  chat,
  from: user.optional(),
  text: z.string().max(100_000).optional(),
  entities: z.array(entity).max(1000).optional(),
  successful_payment: successfulPayment.optional(),
});

/** Callback data is at most 64 bytes (the Bot API's limit). */
const callbackData = z
  .string()
  .refine((s) => new TextEncoder().encode(s).length <= 64, 'is longer than 64 bytes');

const callbackQuery = z.looseObject({
  id: z.string().min(1).max(256),
  from: user,
  message: message.optional(),
  chat_instance: z.string().max(256).optional(),
  data: callbackData.optional(),
});

const preCheckoutQuery = z.looseObject({
  id: z.string().min(1).max(256),
  from: user,
  currency,
  total_amount: amount,
  invoice_payload: payload,
});

const update = z.looseObject({
  update_id: z.number().int().min(0).max(MAX_ID),
  message: message.optional(),
  edited_message: message.optional(),
  callback_query: callbackQuery.optional(),
  pre_checkout_query: preCheckoutQuery.optional(),
});

export type UpdateCheck = { ok: true; update: Update } | { ok: false; problems: string[] };

/** Telegram sends exactly one kind of content per update (a message, a button press, ...). */
function kindsOf(body: unknown): string[] {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? Object.keys(body).filter((k) => k !== 'update_id')
    : [];
}

/** Checks a parsed JSON body; the problems name each offending field (`message.from.id: ...`). */
export function checkUpdate(body: unknown): UpdateCheck {
  const parsed = update.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues
        .slice(0, 10)
        .map((i) => `${i.path.length ? i.path.join('.') : 'update'}: ${i.message}`),
    };
  }
  const kinds = kindsOf(body);
  if (kinds.length !== 1)
    return {
      ok: false,
      problems: [
        `update: carries ${kinds.length} kinds of content${kinds.length ? ` (${kinds.slice(0, 5).join(', ')})` : ''}; Telegram sends exactly one`,
      ],
    };
  const u = parsed.data as unknown as Update;
  // In a private chat the chat is the person: an update whose sender is someone else is forged.
  const m = u.message ?? u.edited_message;
  if (m?.chat.type === 'private' && m.from && m.from.id !== m.chat.id)
    return {
      ok: false,
      problems: ['message.from.id: differs from the private chat it was sent in'],
    };
  const pressed = u.callback_query?.message;
  if (pressed && pressed.chat.type === 'private' && pressed.chat.id !== u.callback_query!.from.id) {
    return {
      ok: false,
      problems: ['callback_query.from.id: differs from the private chat of its message'],
    };
  }
  return { ok: true, update: u };
}

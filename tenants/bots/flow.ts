import { Composer, GrammyError, InputFile, type Context } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import {
  callbackData,
  emptySession,
  ENTRY_BOOK,
  isCurrent,
  navigate,
  parseCallback,
  top,
  type FlowSession,
  type OutgoingFile,
} from './navigation.ts';
import { VIEWS } from './views/index.ts';
import { startBooking } from './views/menu.ts';
import type { FlowEnv, Screen } from './views/types.ts';
import { paymentOutcomeText } from './views/payment-outcome.ts';

/** What the session middleware hands the flow for one update. */
export interface FlowState {
  env: FlowEnv;
  session: FlowSession;
  /** The chat's screen now shows this update's render: its session must be saved with it. */
  shown: boolean;
}
export type FlowContext = Context & { flow: FlowState };

function keyboard(env: FlowEnv, session: FlowSession, screen: Screen): InlineKeyboardButton[][] {
  const footer = [
    ...(session.stack.length > 1
      ? [{ text: env.t('common.back'), callback_data: callbackData(session.seq, 'back') }]
      : []),
    // Everywhere but the language screen itself and the menu, which has its own labelled button.
    ...(top(session).view !== 'language' && top(session).view !== 'menu'
      ? [{ text: '🌐', callback_data: callbackData(session.seq, 'lang') }]
      : []),
  ];
  return [
    ...screen.buttons.map((row) =>
      row.map((b) => ({ text: b.text, callback_data: callbackData(session.seq, b.action) })),
    ),
    ...(footer.length ? [footer] : []),
  ];
}

/** Renders the view on top of the stack; a new `seq` makes every older button recognisably stale. */
async function renderTop(
  state: FlowState,
): Promise<{ text: string; reply_markup: { inline_keyboard: InlineKeyboardButton[][] } }> {
  state.session.seq += 1;
  const entry = top(state.session);
  entry.at ??= state.session.seq;
  const screen = await VIEWS[entry.view].render(state.env, entry.payload);
  return {
    text: screen.text,
    reply_markup: { inline_keyboard: keyboard(state.env, state.session, screen) },
  };
}

async function show(ctx: FlowContext, edit: boolean): Promise<void> {
  const { text, reply_markup } = await renderTop(ctx.flow);
  if (edit && ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(text, { reply_markup });
    } catch (error) {
      // Pressing the same button twice leaves the message as it was: nothing to change.
      if (!String((error as Error).message).includes('message is not modified')) throw error;
    }
  } else {
    await ctx.reply(text, { reply_markup });
  }
  ctx.flow.shown = true;
}

/**
 * The kind of update that may be folded into one already waiting in the chat's line because it
 * would do the same: a plain message (it only shows where the chat stands) or the very same command.
 * Button presses, payments and everything else are each handled.
 */
export function coalesceKind(ctx: Context): string | undefined {
  const message = ctx.message;
  if (!message || message.successful_payment || ctx.callbackQuery) return undefined;
  const text = message.text ?? '';
  return text.startsWith('/') ? `command:${text}` : 'message';
}

/**
 * Answers the button press. Best effort: a redelivered update (after a lost session race) finds
 * its query answered already, and Telegram refuses a second answer; that is no reason to fail.
 */
async function answer(ctx: FlowContext, other: { text?: string }): Promise<void> {
  try {
    await ctx.answerCallbackQuery(other);
  } catch (error) {
    if (!(
      error instanceof GrammyError &&
      error.error_code === 400 &&
      /query/i.test(error.description)
    ))
      throw error;
  }
}

/** The shared features of every tenant bot: the booking flow with its navigation. */
export function flowComposer(): Composer<FlowContext> {
  const composer = new Composer<FlowContext>();

  composer.command('start', async (ctx) => {
    const lang = ctx.flow.session.lang;
    ctx.flow.session = { ...emptySession(), seq: ctx.flow.session.seq, ...(lang ? { lang } : {}) };
    await show(ctx, false);
  });

  // "Book again" under a notice: the flow from its start, as a new message below the notice.
  composer.callbackQuery(ENTRY_BOOK, async (ctx) => {
    const lang = ctx.flow.session.lang;
    ctx.flow.session = { ...emptySession(), seq: ctx.flow.session.seq, ...(lang ? { lang } : {}) };
    navigate(ctx.flow.session, await startBooking(ctx.flow.env));
    await show(ctx, false);
    await ctx.answerCallbackQuery();
  });

  composer.on('callback_query:data', async (ctx) => {
    const state = ctx.flow;
    const parsed = parseCallback(ctx.callbackQuery.data);
    if (!parsed || !isCurrent(state.session, parsed.seq)) {
      // A button of an older screen: show the current one instead of acting on stale choices.
      await show(ctx, true);
      await answer(ctx, { text: state.env.t('common.outdated') });
      return;
    }
    state.env.seq = parsed.seq;
    let notice: string | undefined;
    let file: OutgoingFile | undefined;
    if (parsed.action === 'back') navigate(state.session, { kind: 'pop' });
    else if (parsed.action === 'lang')
      navigate(state.session, { kind: 'push', view: 'language', payload: {} });
    else {
      const entry = top(state.session);
      const nav = await VIEWS[entry.view].act(state.env, entry.payload, parsed.action);
      if (nav.kind === 'stay') ({ notice, file } = nav);
      navigate(state.session, nav);
    }
    await show(ctx, true);
    await answer(ctx, notice ? { text: notice } : {});
    // A file goes out as a message of its own below the screen, which stays where it was (and
    // keeps its Back); bytes, not a path: Workers have no file system.
    if (file)
      await ctx.replyWithDocument(
        new InputFile(file.bytes, file.name),
        file.caption ? { caption: file.caption } : {},
      );
  });

  composer.on('message:successful_payment', async (ctx) => {
    const env = ctx.flow.env;
    const paid = ctx.message.successful_payment;
    if (!env.payments) return;
    const outcome = await env.payments.paymentSucceeded({
      tenantId: env.tenantId,
      telegramUserId: env.telegramUserId,
      chatId: ctx.chat.id,
      invoicePayload: paid.invoice_payload,
      currency: paid.currency,
      totalAmount: paid.total_amount,
      telegramChargeId: paid.telegram_payment_charge_id,
      providerChargeId: paid.provider_payment_charge_id,
      ...(env.correlationId ? { correlationId: env.correlationId } : {}),
    });
    const text = await paymentOutcomeText(
      { lang: env.lang, bookingNotice: env.reads.bookingNotice },
      outcome,
    );
    if (text) await ctx.reply(text);
  });

  // Anything else (text, stickers): show where the chat stands.
  composer.on('message', (ctx) => show(ctx, false));
  return composer;
}

import { Composer, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import type { AdminAuth } from '../admin/auth.ts';
import { CLAIM_PREFIX, type Claims } from '../admin/claims.ts';
import { pickLanguage, translate } from '../i18n/catalog.ts';

/** What the staff of a business send their bot besides the booking flow. */
export type StaffCommand = { kind: 'admin' } | { kind: 'claim'; code: string };

/** `/admin` (sign-in link) or `/start claim_<code>` (becoming staff) in a private chat. */
export function staffCommandOf(update: Update): StaffCommand | undefined {
  const message = update.message;
  if (message?.chat.type !== 'private' || !message.from || typeof message.text !== 'string')
    return undefined;
  const [command = '', argument = ''] = message.text.trim().split(/\s+/, 2);
  const name = command.split('@')[0];
  if (name === '/admin') return { kind: 'admin' };
  if (name === '/start' && argument.startsWith(CLAIM_PREFIX))
    return { kind: 'claim', code: argument.slice(CLAIM_PREFIX.length) };
  return undefined;
}

export interface StaffCommandDeps {
  auth: AdminAuth;
  claims: Claims;
  /** Where the admin web is (links in the messages). */
  publicUrl: string;
}

/**
 * The staff's way into the admin web from their business's bot: `/admin` answers with a one-time
 * sign-in link (and, where the platform is on HTTPS, a Mini App button and menu button for that
 * chat only), and a claim link's Start makes its presser the owner (or manager) and signs them in.
 * Clients who send `/admin` are told it is for staff; nothing about the business leaks.
 */
export function staffComposer(
  deps: StaffCommandDeps,
  bot: { tenantId: string; botId: string; defaultLanguage: string },
): Composer<Context> {
  const composer = new Composer<Context>();
  const base = deps.publicUrl.replace(/\/+$/, '');
  const https = base.startsWith('https://');

  async function sendLink(
    ctx: Context,
    lang: string,
    textKey: 'admin.link' | 'admin.claimed',
  ): Promise<void> {
    const from = ctx.from!;
    const secret = await deps.auth.issueLoginLink({
      tenantId: bot.tenantId,
      telegramUserId: from.id,
    });
    if (!secret) {
      await ctx.reply(translate(lang, 'admin.notStaff'));
      return;
    }
    const url = `${base}/admin/login/${secret}`;
    const miniApp = `${base}/admin/app?bot=${bot.botId}`;
    // Telegram takes URL and Mini App buttons for public HTTPS addresses only; on a laptop the link
    // is in the text.
    await ctx.reply(translate(lang, textKey, { url, minutes: 10 }), {
      link_preview_options: { is_disabled: true },
      ...(https
        ? {
            reply_markup: {
              inline_keyboard: [
                [{ text: translate(lang, 'admin.openButton'), url }],
                [{ text: translate(lang, 'admin.miniAppButton'), web_app: { url: miniApp } }],
              ],
            },
          }
        : {}),
    });
    if (https) {
      await ctx.api
        .setChatMenuButton({
          chat_id: ctx.chat!.id,
          menu_button: {
            type: 'web_app',
            text: translate(lang, 'admin.menuButton'),
            web_app: { url: miniApp },
          },
        })
        .catch(() => {});
    }
  }

  composer.use(async (ctx, next) => {
    const command = staffCommandOf(ctx.update);
    if (!command) return next();
    const from = ctx.from!;
    const lang = pickLanguage(from.language_code, bot.defaultLanguage);
    if (command.kind === 'admin') return sendLink(ctx, lang, 'admin.link');
    const staff = await deps.claims.redeem({
      tenantId: bot.tenantId,
      code: command.code,
      telegramUserId: from.id,
      displayName:
        [from.first_name, from.last_name].filter(Boolean).join(' ').slice(0, 100) ||
        `Telegram ${from.id}`,
      language: lang,
    });
    if (!staff) {
      await ctx.reply(translate(lang, 'admin.claimInvalid'));
      return;
    }
    await sendLink(ctx, lang, 'admin.claimed');
  });
  return composer;
}

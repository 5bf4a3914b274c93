/** @jsxImportSource hono/jsx */
import type { TenantBot } from '../../db/queries/tenant-bots.ts';
import { WrongBotError } from '../../tenants/admin/bot-settings.ts';
import type { StaffActor } from '../../tenants/admin/staff.ts';
import {
  BadTokenError,
  BotConnectedElsewhereError,
  MalformedTokenError,
  TelegramUnreachableError,
  WebhookRefusedError,
} from '../../tenants/bots/onboarding.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import { TextField } from '../form-fields.tsx';
import { BOT_MESSAGES, type BotMessages } from '../i18n/bot-messages.ts';
import { page, redirect, type AdminRequest, type AdminRoute } from '../request.ts';
import { webhookHealth, WebhookFacts, type WebhookAnswer } from '../webhook-health.tsx';

const DONE = ['rotated', 'connected', 'payments_on', 'payments_off'] as const;
const actorOf = (r: AdminRequest): StaffActor => ({
  tenantId: r.identity!.tenantId!,
  staffId: r.identity!.staffId,
  role: r.identity!.role,
});

/** A refused form: which one (the bot's id, or `connect`), the field and what to say. */
interface Refusal {
  form: string;
  field: 'token' | 'payment_token';
  message: string;
  status: number;
}

function BotCard(props: {
  r: AdminRequest;
  m: BotMessages;
  bot: TenantBot;
  info: WebhookAnswer | undefined;
  polling: boolean;
  refusal?: Refusal | undefined;
}) {
  const { r, m, bot, refusal } = props;
  const mine = refusal?.form === bot.id ? refusal : undefined;
  return (
    <li class="card">
      <p>
        <strong>@{bot.username}</strong>
      </p>
      <p class="muted">{bot.card_payments ? m.cardOn : m.cardOff}</p>
      <h2 class="small">{m.webhook}</h2>
      {props.polling ? <p>{m.polling}</p> : <WebhookFacts r={r} info={props.info} />}
      <PostForm r={r} action={`/admin/bot/${bot.id}/token`}>
        <fieldset>
          <legend>{m.rotate.legend}</legend>
          <TextField
            id={`token-${bot.id}`}
            name="token"
            label={m.rotate.label}
            hint={m.rotate.hint}
            error={mine?.field === 'token' ? mine.message : undefined}
            autocomplete="off"
            verbatim
            required
          />
          <button type="submit">{m.rotate.button}</button>
        </fieldset>
      </PostForm>
      <PostForm r={r} action={`/admin/bot/${bot.id}/payments`}>
        <fieldset>
          <legend>{m.payments.legend}</legend>
          <TextField
            id={`payment-${bot.id}`}
            name="payment_token"
            label={m.payments.label}
            hint={m.payments.hint}
            error={mine?.field === 'payment_token' ? mine.message : undefined}
            autocomplete="off"
            verbatim
            required
          />
          <button type="submit">{m.payments.button}</button>
        </fieldset>
      </PostForm>
      {bot.card_payments ? (
        <PostForm r={r} action={`/admin/bot/${bot.id}/payments/off`}>
          <button type="submit" class="danger">
            {m.payments.off}
          </button>
        </PostForm>
      ) : null}
    </li>
  );
}

async function botPage(r: AdminRequest, refusal?: Refusal): Promise<Response> {
  const m = BOT_MESSAGES[r.lang];
  const bots = await r.deps.botSettings.bots(actorOf(r));
  const polling = r.deps.onboarding.mode === 'polling';
  const health = polling
    ? new Map<string, WebhookAnswer>()
    : await webhookHealth(
        r,
        bots.map((b) => b.id),
      );
  const done = DONE.find((d) => d === r.query('done'));
  return page(
    r,
    <AdminLayout r={r} title={m.title}>
      <h1>{m.heading}</h1>
      <p class="lead">{m.lead}</p>
      {done && !refusal ? (
        <p class="notice ok" role="status">
          {m.done[done]}
        </p>
      ) : null}
      {refusal ? (
        <p class="notice bad" role="alert">
          {refusal.message}
        </p>
      ) : null}
      {bots.length === 0 ? (
        <>
          <p>{m.none}</p>
          <PostForm r={r} action="/admin/bot/connect">
            <fieldset>
              <legend>{m.connect.legend}</legend>
              <TextField
                name="token"
                label={m.connect.label}
                hint={m.connect.hint}
                error={refusal?.form === 'connect' ? refusal.message : undefined}
                autocomplete="off"
                verbatim
                required
              />
              <button type="submit" class="primary">
                {m.connect.button}
              </button>
            </fieldset>
          </PostForm>
        </>
      ) : (
        <ul class="cards">
          {bots.map((bot) => (
            <BotCard
              r={r}
              m={m}
              bot={bot}
              info={health.get(bot.id)}
              polling={polling}
              refusal={refusal}
            />
          ))}
        </ul>
      )}
    </AdminLayout>,
    { status: refusal?.status ?? 200 },
  );
}

/** What went wrong with a token, in the owner's words, and the status that says it. */
function tokenRefusal(
  m: BotMessages,
  error: unknown,
  form: string,
  field: Refusal['field'],
): Refusal | undefined {
  const say = (message: string, status: number): Refusal => ({ form, field, message, status });
  if (error instanceof MalformedTokenError)
    return say(field === 'payment_token' ? m.errors.paymentMalformed : m.errors.malformed, 422);
  if (error instanceof WrongBotError) return say(m.errors.wrongBot(error.expected), 422);
  if (error instanceof BadTokenError) return say(m.errors.badToken, 422);
  if (error instanceof BotConnectedElsewhereError) return say(m.errors.elsewhere, 409);
  if (error instanceof TelegramUnreachableError) return say(m.errors.unreachable, 503);
  if (error instanceof WebhookRefusedError) return say(m.errors.webhook, 502);
  return undefined;
}

async function attempt(
  r: AdminRequest,
  form: string,
  field: Refusal['field'],
  done: (typeof DONE)[number],
  run: () => Promise<boolean>,
): Promise<Response> {
  const m = BOT_MESSAGES[r.lang];
  try {
    if (!(await run())) return botPage(r, { form, field, message: m.errors.notFound, status: 404 });
  } catch (error) {
    const refusal = tokenRefusal(m, error, form, field);
    if (!refusal) throw error;
    r.logger.info({
      event: 'bot_settings_refused',
      reason: error instanceof Error ? error.name : 'unknown',
    });
    return botPage(r, refusal);
  }
  return redirect(`/admin/bot?done=${done}`);
}

export const BOT_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/bot', access: ['owner'], handle: (r) => botPage(r) },
  {
    method: 'POST',
    path: '/bot/connect',
    access: ['owner'],
    async handle(r) {
      const m = BOT_MESSAGES[r.lang];
      if ((await r.deps.botSettings.bots(actorOf(r))).length > 0)
        return botPage(r, {
          form: 'connect',
          field: 'token',
          message: m.errors.already,
          status: 409,
        });
      const token = (await r.form()).token ?? '';
      return attempt(
        r,
        'connect',
        'token',
        'connected',
        async () => !!(await r.deps.botSettings.connect(actorOf(r), token)),
      );
    },
  },
  {
    method: 'POST',
    path: '/bot/:id/token',
    access: ['owner'],
    async handle(r) {
      const token = (await r.form()).token ?? '';
      return attempt(
        r,
        r.param('id'),
        'token',
        'rotated',
        async () => !!(await r.deps.botSettings.rotateToken(actorOf(r), r.param('id'), token)),
      );
    },
  },
  {
    method: 'POST',
    path: '/bot/:id/payments',
    access: ['owner'],
    async handle(r) {
      const token = (await r.form()).payment_token ?? '';
      return attempt(r, r.param('id'), 'payment_token', 'payments_on', () =>
        r.deps.botSettings.setPayments(actorOf(r), r.param('id'), token),
      );
    },
  },
  {
    method: 'POST',
    path: '/bot/:id/payments/off',
    access: ['owner'],
    handle: (r) =>
      attempt(r, r.param('id'), 'payment_token', 'payments_off', () =>
        r.deps.botSettings.setPayments(actorOf(r), r.param('id'), null),
      ),
  },
];

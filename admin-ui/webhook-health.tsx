/** @jsxImportSource hono/jsx */
import { formatMoment } from './format.ts';
import { CONSOLE_MESSAGES } from './i18n/console-messages.ts';
import type { AdminRequest, WebhookHealth } from './request.ts';

/** How long a page waits for Telegram's getWebhookInfo before it renders without it. */
const TELEGRAM_TIMEOUT_MS = 3000;

export type WebhookAnswer = WebhookHealth | 'failed';

/** Each bot's webhook as Telegram reports it; 'failed' where Telegram could not be asked in time. */
export async function webhookHealth(
  r: AdminRequest,
  botIds: readonly string[],
): Promise<Map<string, WebhookAnswer>> {
  const answers = await Promise.all(
    botIds.map(async (id): Promise<[string, WebhookAnswer]> => {
      try {
        return [id, (await r.deps.webhookInfo(id, TELEGRAM_TIMEOUT_MS)) ?? 'failed'];
      } catch (error) {
        r.logger.warn({ event: 'webhook_info_failed', bot_id: id, err: error });
        return [id, 'failed'];
      }
    }),
  );
  return new Map(answers);
}

/** The address, waiting updates and last delivery error; or that Telegram could not be asked. */
export function WebhookFacts(props: { r: AdminRequest; info: WebhookAnswer | undefined }) {
  const { r, info } = props;
  const d = CONSOLE_MESSAGES[r.lang].detail;
  if (info === undefined || info === 'failed') return <p class="notice bad">{d.couldNotAsk}</p>;
  return (
    <dl class="pairs">
      <dt>{d.webhookUrl}</dt>
      <dd>{info.url ? <code>{info.url}</code> : d.noWebhook}</dd>
      <dt>{d.pending}</dt>
      <dd>{info.pendingUpdateCount}</dd>
      <dt>{d.lastError}</dt>
      <dd>
        {info.lastErrorMessage
          ? `${info.lastErrorDate ? formatMoment(info.lastErrorDate, r.lang) : '—'}: ${info.lastErrorMessage}`
          : d.noError}
      </dd>
    </dl>
  );
}

import { describe, expect, it } from 'vitest';
import { createLogger, jsonLineWriter, REDACTED } from '../../tenants/observability/logger.ts';

function capture(level: Parameters<typeof createLogger>[0]['level'] = 'trace') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level,
    writer: jsonLineWriter(
      (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
      () => new Date('2026-01-02T03:04:05Z'),
    ),
  });
  return { logger, lines };
}

describe('logger port', () => {
  it('writes one JSON object per line with level, time, fields and message', () => {
    const { logger, lines } = capture();
    logger
      .child({ correlation_id: 'c-1', tenant_id: 't-1' })
      .info({ event: 'booking_created', booking_id: 'b-1', latency_ms: 3 }, 'done');
    expect(lines).toEqual([
      {
        level: 'info',
        time: '2026-01-02T03:04:05.000Z',
        correlation_id: 'c-1',
        tenant_id: 't-1',
        event: 'booking_created',
        booking_id: 'b-1',
        latency_ms: 3,
        msg: 'done',
      },
    ]);
  });

  it('drops records below the level', () => {
    const { logger, lines } = capture('warn');
    logger.info({ event: 'x' });
    logger.debug({ event: 'x' });
    logger.warn({ event: 'y' });
    expect(lines.map((l) => l.event)).toEqual(['y']);
    const silent = capture('silent');
    silent.logger.fatal({ event: 'z' });
    expect(silent.lines).toEqual([]);
  });

  it('never writes secrets or personal data', () => {
    const { logger, lines } = capture();
    const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    logger.child({ bot_token: token }).error(
      {
        event: 'telegram_failed',
        url: `https://api.telegram.org/bot${token}/sendMessage`,
        err: new Error(`request to /bot${token}/getMe failed`),
        headers: { authorization: 'Bearer abc', 'x-telegram-bot-api-secret-token': 'wh-secret' },
        database: 'postgres://app:hunter2@db:5432/x',
        client: {
          first_name: 'Ada',
          phone: '+491701234567',
          notes: 'allergic to latex',
          language: 'de',
        },
        encryption_key: 'k',
      },
      `token ${token} leaked?`,
    );
    const text = JSON.stringify(lines);
    for (const secret of [
      token,
      'Bearer abc',
      'wh-secret',
      'hunter2',
      'Ada',
      '+491701234567',
      'latex',
    ])
      expect(text).not.toContain(secret);
    const [line] = lines as [
      { bot_token: string; client: { language: string }; err: unknown; database: string },
    ];
    expect(line.bot_token).toBe(REDACTED);
    expect(line.client.language).toBe('de');
    expect(line.err).toMatchObject({
      type: 'Error',
      message: `request to /bot${REDACTED}/getMe failed`,
    });
    expect(line.database).toBe(`postgres://app:${REDACTED}@db:5432/x`);
  });

  it("keeps an error's class name, message, code, cause and stack, scrubbed", async () => {
    const { GrammyError } = await import('grammy');
    const { PostgresError } = await import('postgres');
    class SlotTaken extends Error {}
    const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    const { logger, lines } = capture();
    const grammy = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
      'sendMessage',
      {},
    );
    // postgres.js builds its errors from the server's fields (its typings say a string).
    const postgres = Object.assign(
      new (PostgresError as unknown as new (fields: { message: string }) => Error)({
        message: 'duplicate key value violates unique constraint "x"',
      }),
      { code: '23505' },
    );
    const custom = new SlotTaken(`taken, see /bot${token}/x`, {
      cause: new TypeError('fetch failed'),
    });
    for (const err of [new TypeError('x is not a function'), grammy, postgres, custom])
      logger.error({ event: 'failed', err });
    const errs = lines.map((l) => l.err as Record<string, unknown>);
    expect(errs.map((e) => e.type)).toEqual([
      'TypeError',
      'GrammyError',
      'PostgresError',
      'SlotTaken',
    ]);
    expect(errs[1]).toMatchObject({
      message: "Call to 'sendMessage' failed! (403: Forbidden: bot was blocked by the user)",
    });
    expect(errs[2]).toMatchObject({
      code: '23505',
      message: 'duplicate key value violates unique constraint "x"',
    });
    expect(errs[3]).toMatchObject({
      message: `taken, see /bot${REDACTED}/x`,
      cause: { type: 'TypeError', message: 'fetch failed' },
    });
    for (const e of errs) expect(String(e.stack)).toContain(String(e.message).slice(0, 12));
    expect(JSON.stringify(lines)).not.toContain(token);
  });
});

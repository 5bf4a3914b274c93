import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../edge/runtime/pino-logger.ts';
import { createLogger, jsonLineWriter } from '../../tenants/observability/logger.ts';

describe('pino adapter', () => {
  it('emits the same fields as the console writer, scrubbed the same way', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const pinoLines = createPinoLogger('info', { destination: sink });
    const consoleLines: string[] = [];
    const jsonLogger = createLogger({
      level: 'info',
      writer: jsonLineWriter((l) => consoleLines.push(l)),
    });
    for (const logger of [pinoLines, jsonLogger]) {
      logger
        .child({ correlation_id: 'c-9' })
        .warn({ event: 'payment_failed', booking_id: 'b-1', provider_token: 'SECRET' }, 'declined');
      logger.debug({ event: 'hidden' });
    }
    await new Promise((r) => setImmediate(r));
    const fromPino = chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const fromConsole = consoleLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(fromPino).toHaveLength(1);
    const strip = ({ time, ...rest }: Record<string, unknown>) => {
      expect(new Date(String(time)).toISOString()).toBe(time);
      return rest;
    };
    expect(strip(fromPino[0]!)).toEqual(strip(fromConsole[0]!));
    expect(strip(fromPino[0]!)).toEqual({
      level: 'warn',
      correlation_id: 'c-9',
      event: 'payment_failed',
      booking_id: 'b-1',
      provider_token: '[redacted]',
      msg: 'declined',
    });
  });

  it('logs errors with their class name, message and stack, exactly as the console writer does', async () => {
    const { GrammyError } = await import('grammy');
    const { PostgresError } = await import('postgres');
    class SlotTaken extends Error {}
    const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const consoleLines: string[] = [];
    const loggers = [
      createPinoLogger('info', { destination: sink }),
      createLogger({ level: 'info', writer: jsonLineWriter((l) => consoleLines.push(l)) }),
    ];
    const errors = [
      new TypeError('x is not a function'),
      new GrammyError(
        "Call to 'getMe' failed!",
        { ok: false, error_code: 401, description: 'Unauthorized' },
        'getMe',
        {},
      ),
      // postgres.js builds its errors from the server's fields (its typings say a string).
      Object.assign(
        new (PostgresError as unknown as new (fields: { message: string }) => Error)({
          message: 'deadlock detected',
        }),
        { code: '40P01' },
      ),
      new SlotTaken(`taken, see /bot${token}/x`, { cause: new TypeError('fetch failed') }),
    ];
    for (const logger of loggers) for (const err of errors) logger.error({ event: 'failed', err });
    await new Promise((r) => setImmediate(r));
    const errsOf = (lines: string[]) =>
      lines.map((l) => (JSON.parse(l) as { err: Record<string, unknown> }).err);
    const fromPino = errsOf(chunks.join('').trim().split('\n'));
    expect(fromPino.map((e) => e.type)).toEqual([
      'TypeError',
      'GrammyError',
      'PostgresError',
      'SlotTaken',
    ]);
    expect(fromPino).toEqual(errsOf(consoleLines));
    expect(fromPino[2]).toMatchObject({ code: '40P01', message: 'deadlock detected' });
    expect(fromPino[3]).toMatchObject({
      message: 'taken, see /bot[redacted]/x',
      cause: { type: 'TypeError', message: 'fetch failed' },
    });
    for (const e of fromPino) expect(typeof e.stack).toBe('string');
    expect(chunks.join('')).not.toContain(token);
  });
});

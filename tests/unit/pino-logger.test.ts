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
    const pinoLines = createPinoLogger('info', sink);
    const consoleLines: string[] = [];
    const jsonLogger = createLogger({ level: 'info', writer: jsonLineWriter((l) => consoleLines.push(l)) });
    for (const logger of [pinoLines, jsonLogger]) {
      logger.child({ correlation_id: 'c-9' }).warn({ event: 'payment_failed', booking_id: 'b-1', provider_token: 'SECRET' }, 'declined');
      logger.debug({ event: 'hidden' });
    }
    await new Promise((r) => setImmediate(r));
    const fromPino = chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const fromConsole = consoleLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(fromPino).toHaveLength(1);
    const strip = ({ time, ...rest }: Record<string, unknown>) => {
      expect(new Date(String(time)).toISOString()).toBe(time);
      return rest;
    };
    expect(strip(fromPino[0]!)).toEqual(strip(fromConsole[0]!));
    expect(strip(fromPino[0]!)).toEqual({ level: 'warn', correlation_id: 'c-9', event: 'payment_failed', booking_id: 'b-1', provider_token: '[redacted]', msg: 'declined' });
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../edge/config.ts';
import {
  chooseLogFormat,
  createPinoLogger,
  type LogFormat,
} from '../../edge/runtime/pino-logger.ts';

const KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)));

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('log format: pretty on a terminal, JSON lines otherwise', () => {
  it.each([
    [undefined, true, 'pretty'],
    [undefined, false, 'json'],
    ['json', true, 'json'],
    ['json', false, 'json'],
    ['pretty', false, 'pretty'],
    ['pretty', true, 'pretty'],
  ] as [LogFormat | undefined, boolean, LogFormat][])(
    'LOG_FORMAT=%s, stdout a terminal: %s -> %s',
    (requested, tty, expected) => {
      expect(chooseLogFormat(requested, tty)).toBe(expected);
    },
  );

  it('reads LOG_FORMAT (json or pretty, any case; unset or blank: decided by the terminal)', () => {
    expect(loadConfig({ ENCRYPTION_KEY: KEY }).logFormat).toBeUndefined();
    expect(loadConfig({ ENCRYPTION_KEY: KEY, LOG_FORMAT: ' ' }).logFormat).toBeUndefined();
    expect(loadConfig({ ENCRYPTION_KEY: KEY, LOG_FORMAT: 'JSON' }).logFormat).toBe('json');
    expect(loadConfig({ ENCRYPTION_KEY: KEY, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    let error: unknown;
    try {
      loadConfig({ ENCRYPTION_KEY: KEY, LOG_FORMAT: 'xml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'LOG_FORMAT is invalid: expected `json` or `pretty` (unset: pretty on a terminal, JSON lines otherwise)',
    ]);
  });

  it('pretty: a line with a message is that message and its level in words, on one line', async () => {
    const out = sink();
    const logger = createPinoLogger('info', {
      format: 'pretty',
      destination: out.stream,
      colorize: false,
    });
    logger.info(
      { event: 'server_listening', port: 8787, database: 'pglite' },
      'Slotbot listening on http://localhost:8787 (database: embedded PGlite at .data/pglite)',
    );
    await flush();
    const lines = out.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: Slotbot listening on http:\/\/localhost:8787 \(database: embedded PGlite at \.data\/pglite\)$/,
    );
  });

  it('pretty: a line without a message shows its event and fields on one line, scrubbed, below the level filtered out', async () => {
    const out = sink();
    const logger = createPinoLogger('info', {
      format: 'pretty',
      destination: out.stream,
      colorize: false,
    });
    logger.child({ correlation_id: 'c-9' }).warn({
      event: 'payment_failed',
      booking_id: 'b-1',
      provider_token: 'SECRET',
      service_ids: ['s1', 's2'],
      state: 'held on',
    });
    logger.debug({ event: 'hidden' });
    await flush();
    const lines = out.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[[\d:.]+\] WARN: payment_failed correlation_id=c-9 booking_id=b-1 provider_token=\[redacted\] service_ids=\["s1","s2"\] state="held on"$/,
    );
    expect(out.text()).not.toContain('SECRET');
  });

  it('pretty: an error shows its class, message and stack under the line', async () => {
    const out = sink();
    const logger = createPinoLogger('info', {
      format: 'pretty',
      destination: out.stream,
      colorize: false,
    });
    logger.error({ event: 'http_unhandled_error', err: new TypeError('x is not a function') });
    await flush();
    const [first, second, ...rest] = out.text().split('\n');
    expect(first).toMatch(/^\[[\d:.]+\] ERROR: http_unhandled_error$/);
    expect(second).toBe('    TypeError: x is not a function');
    expect(rest.join('\n')).toMatch(/^\s+at /m);
  });

  it('json: one JSON object per line with the fields of DESIGN.md', async () => {
    const out = sink();
    const logger = createPinoLogger('info', { format: 'json', destination: out.stream });
    logger.child({ correlation_id: 'c-1' }).info({
      event: 'booking_confirmed',
      tenant_id: 't-1',
      user_id: 42,
      role: 'client',
      booking_id: 'b-1',
      master_id: 'm-1',
      service_ids: ['s-1'],
      state: 'confirmed',
      flow: 'book',
      latency_ms: 3.5,
    });
    await flush();
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    const { time, ...record } = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(new Date(String(time)).toISOString()).toBe(time);
    expect(record).toEqual({
      level: 'info',
      correlation_id: 'c-1',
      event: 'booking_confirmed',
      tenant_id: 't-1',
      user_id: 42,
      role: 'client',
      booking_id: 'b-1',
      master_id: 'm-1',
      service_ids: ['s-1'],
      state: 'confirmed',
      flow: 'book',
      latency_ms: 3.5,
    });
  });
});

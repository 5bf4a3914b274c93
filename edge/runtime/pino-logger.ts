import { createRequire } from 'node:module';
import pino from 'pino';
import type PinoPretty from 'pino-pretty';
import { createLogger, type Logger } from '../../tenants/observability/logger.ts';
import type { LogFormat, LogLevelName } from '../config.ts';
import { humanLogLine } from './human-log-line.ts';

export type { LogFormat };

// Loaded only when a person is watching: it costs about a quarter of a second per process start,
// which every JSON start (servers, CLIs, the tests' many processes) would otherwise pay.
const loadPretty = () => createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;

/** LOG_FORMAT wins; unset, a person at a terminal gets readable lines and anything else JSON. */
export function chooseLogFormat(
  requested: LogFormat | undefined,
  stdoutIsTerminal: boolean,
): LogFormat {
  return requested ?? (stdoutIsTerminal ? 'pretty' : 'json');
}

export interface PinoLoggerOptions {
  format?: LogFormat;
  /** Where lines go; stdout by default. */
  destination?: pino.DestinationStream;
  /** Pretty only: ANSI colours (for a terminal). */
  colorize?: boolean;
}

/**
 * The Node logger behind the shared port (which scrubs first): JSON lines with the fields of
 * DESIGN.md, or, for a person at a terminal, pino-pretty's lines (one per record, see humanLogLine).
 */
export function createPinoLogger(level: LogLevelName, options: PinoLoggerOptions = {}): Logger {
  const format = options.format ?? 'json';
  const base = pino(
    {
      level: level === 'silent' ? 'silent' : level,
      base: undefined,
      // Pretty lines keep pino's numeric levels and epoch times, which pino-pretty turns into words.
      ...(format === 'json'
        ? {
            timestamp: pino.stdTimeFunctions.isoTime,
            formatters: { level: (label: string) => ({ level: label }) },
          }
        : {}),
      // The port has already turned errors into plain scrubbed objects; pino's own error
      // serializer would take those for errors again and name every one "Object".
      serializers: { err: (value: unknown) => value },
    },
    format === 'json'
      ? options.destination
      : loadPretty()({
          destination: options.destination ?? 1,
          sync: true,
          colorize: options.colorize ?? false,
          translateTime: 'SYS:HH:MM:ss.l',
          hideObject: true,
          messageFormat: (log, messageKey, _levelLabel, { colors }) =>
            humanLogLine(log, messageKey, colors),
        }),
  );
  return createLogger({
    level,
    writer: (lvl, record, message) =>
      message === undefined ? base[lvl](record) : base[lvl](record, message),
  });
}

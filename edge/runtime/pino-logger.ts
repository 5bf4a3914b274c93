import pino from 'pino';
import { createLogger, type Logger } from '../../tenants/observability/logger.ts';
import type { LogLevelName } from '../config.ts';

/** The Node logger: pino writing JSON lines to stdout, behind the shared port (which scrubs first). */
export function createPinoLogger(level: LogLevelName, destination?: pino.DestinationStream): Logger {
  const base = pino(
    {
      level: level === 'silent' ? 'silent' : level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // The port has already turned errors into plain scrubbed objects; pino's own error
      // serializer would take those for errors again and name every one "Object".
      serializers: { err: (value: unknown) => value },
    },
    destination,
  );
  return createLogger({
    level,
    writer: (lvl, record, message) => (message === undefined ? base[lvl](record) : base[lvl](record, message)),
  });
}

/**
 * The logging port. pino stands behind it on Node; on Workers and Deno a JSON console writer emits
 * the same fields. Secrets and personal data are scrubbed here, before any writer sees them.
 */
export interface LogFields {
  event?: string;
  tenant_id?: string;
  user_id?: string | number;
  role?: string;
  booking_id?: string;
  master_id?: string;
  service_ids?: readonly string[];
  state?: string;
  flow?: string;
  correlation_id?: string;
  latency_ms?: number;
  err?: unknown;
  [field: string]: unknown;
}

export const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type Level = keyof typeof LEVELS;

export interface Logger {
  child(fields: LogFields): Logger;
  trace(fields: LogFields, message?: string): void;
  debug(fields: LogFields, message?: string): void;
  info(fields: LogFields, message?: string): void;
  warn(fields: LogFields, message?: string): void;
  error(fields: LogFields, message?: string): void;
  fatal(fields: LogFields, message?: string): void;
}

const SECRET_KEY =
  /(token|secret|password|passwd|authorization|cookie|signing_?key|encryption_?key|api_?key|phone|email|first_name|last_name|notes)/i;
/** A Telegram bot token (`123456:AA...`) anywhere inside a string, e.g. in a Bot API URL. */
const BOT_TOKEN = /\d{5,}:[A-Za-z0-9_-]{30,}/g;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s]+:)[^@\s]+@/gi;
export const REDACTED = '[redacted]';

function scrubString(value: string): string {
  // Both shapes contain a colon; most logged strings (ids, paths, events) have none.
  if (!value.includes(':')) return value;
  return value.replace(BOT_TOKEN, REDACTED).replace(URL_PASSWORD, `$1${REDACTED}@`);
}

/**
 * The error's class: a subclass that never sets `name` (`class SlotTaken extends Error {}`) still
 * says `Error` there, so the constructor's name wins; `name` is kept too when it says more.
 */
function errorClass(error: Error): string {
  const ctor = (error as { constructor?: unknown }).constructor;
  const className = typeof ctor === 'function' ? ctor.name : '';
  return className && className !== 'Error' ? className : error.name || 'Error';
}

function serializeError(error: Error, depth: number): Record<string, unknown> {
  const type = errorClass(error);
  return {
    type,
    ...(error.name && error.name !== type && error.name !== 'Error' ? { name: error.name } : {}),
    message: scrubString(error.message),
    ...(error.stack ? { stack: scrubString(error.stack) } : {}),
    ...((error as { code?: unknown }).code !== undefined
      ? { code: (error as { code?: unknown }).code }
      : {}),
    ...(error.cause !== undefined && depth < 3
      ? { cause: scrubValue(error.cause, depth + 1) }
      : {}),
  };
}

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value instanceof Error) return serializeError(value, depth);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 5) return '[depth limit]';
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : scrubValue(v, depth + 1);
  }
  return out;
}

/** Removes secrets and personal data from log fields: by field name and by token-shaped values. */
export function scrubFields(fields: LogFields): Record<string, unknown> {
  return scrubValue(fields) as Record<string, unknown>;
}

export type LineWriter = (
  level: Level,
  record: Record<string, unknown>,
  message: string | undefined,
) => void;

/** Builds a Logger over any writer: scrubbing, level filtering and child fields live here. */
export function createLogger(options: {
  level: Level | 'silent';
  writer: LineWriter;
  base?: LogFields;
}): Logger {
  const threshold = options.level === 'silent' ? Infinity : LEVELS[options.level];
  const make = (base: Record<string, unknown>): Logger => {
    const emit = (level: Level) => (fields: LogFields, message?: string) => {
      if (LEVELS[level] < threshold) return;
      options.writer(
        level,
        { ...base, ...scrubFields(fields) },
        message === undefined ? undefined : scrubString(message),
      );
    };
    return {
      child: (fields) => make({ ...base, ...scrubFields(fields) }),
      trace: emit('trace'),
      debug: emit('debug'),
      info: emit('info'),
      warn: emit('warn'),
      error: emit('error'),
      fatal: emit('fatal'),
    };
  };
  return make(scrubFields(options.base ?? {}));
}

/** One JSON object per line, as pino writes them: for Workers and Deno (console) and tests. */
export function jsonLineWriter(
  write: (line: string) => void,
  now: () => Date = () => new Date(),
): LineWriter {
  return (level, record, message) => {
    write(
      JSON.stringify({
        level,
        time: now().toISOString(),
        ...record,
        ...(message === undefined ? {} : { msg: message }),
      }),
    );
  };
}

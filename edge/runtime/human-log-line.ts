/** The few colours used; pino-pretty hands its colorette instance (no-ops when colours are off). */
export interface LineColors {
  gray(text: string): string;
  red(text: string): string;
}

/** Keys pino-pretty prints itself (level, time) or that this line places on its own. */
const OWN_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'event', 'err']);
const PLAIN_VALUE = /^[\w.:/@+\-[\]]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

function value(v: unknown): string {
  if (typeof v === 'string') return PLAIN_VALUE.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v) ?? String(v);
}

interface LoggedError {
  type?: unknown;
  message?: unknown;
  code?: unknown;
  stack?: unknown;
  cause?: unknown;
}

function errorLines(err: LoggedError, colors: LineColors, depth = 0): string[] {
  const indent = '    '.repeat(depth + 1);
  const head = `${depth ? 'caused by ' : ''}${String(err.type ?? 'Error')}: ${String(err.message ?? '')}${err.code !== undefined ? ` (${String(err.code)})` : ''}`;
  const stack = typeof err.stack === 'string' ? err.stack.split('\n') : [];
  const firstFrame = stack.findIndex((line) => /^\s+at /.test(line));
  const frames =
    firstFrame < 0
      ? []
      : stack.slice(firstFrame).map((line) => colors.gray(`${indent}    ${line.trim()}`));
  const cause =
    err.cause && typeof err.cause === 'object' && depth < 3
      ? errorLines(err.cause as LoggedError, colors, depth + 1)
      : [];
  return [colors.red(`${indent}${head}`), ...frames, ...cause];
}

/**
 * One human line per record, for pino-pretty's `messageFormat` (the record is already scrubbed by
 * the logger port). A record with a message is that message: the message is the summary of its
 * fields (`Slotbot listening on ...`), which JSON lines keep for machines. A record without one is
 * its event followed by its fields as key=value. An error adds its class, message and stack below.
 */
export function humanLogLine(
  log: Record<string, unknown>,
  messageKey: string,
  colors: LineColors,
): string {
  const err = log.err && typeof log.err === 'object' ? (log.err as LoggedError) : undefined;
  // pino fills a missing message with the error's message, which the error lines below show anyway.
  const message = err && log[messageKey] === err.message ? undefined : log[messageKey];
  let line: string;
  if (typeof message === 'string') {
    line = message.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  } else {
    const fields = Object.entries(log)
      .filter(([key, v]) => key !== messageKey && !OWN_KEYS.has(key) && v !== undefined)
      .map(([key, v]) => `${key}=${value(v)}`);
    line = [
      typeof log.event === 'string' ? value(log.event) : '',
      fields.length ? colors.gray(fields.join(' ')) : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
  if (err) line += `\n${errorLines(err, colors).join('\n')}`;
  return line;
}

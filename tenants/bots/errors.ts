import { GrammyError, HttpError } from 'grammy';

/** Failures worth a retry from Telegram (database unreachable, a lost session race): answer non-2xx. */
export class TransientError extends Error {
  override name = 'TransientError';
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '40001',
  '40P01',
  '57014',
  '55P03',
]);

/**
 * Whether a retry may succeed: the database or Telegram unreachable (or this process stopping),
 * Telegram's own server errors and rate limits after their retries, a statement cancelled or a
 * lock not had in time, a lost session race.
 */
export function isTransient(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof TransientError || e instanceof HttpError) return true;
    if (e instanceof GrammyError) return e.error_code === 429 || e.error_code >= 500;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || code.startsWith('08')))
      return true;
    e = (e as { error?: unknown; cause?: unknown }).error ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/** This delivery's claim on an update was taken over (its lease ran out): its work is not committed. */
export class ClaimLostError extends TransientError {
  override name = 'ClaimLostError';
}

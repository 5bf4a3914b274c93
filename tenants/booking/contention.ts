import { CONTENTION_CODES, pgErrorInfo } from '../../db/port.ts';

export const isContention = (error: unknown): boolean =>
  CONTENTION_CODES.has(pgErrorInfo(error)?.code ?? '');

/**
 * Runs a booking write again when the database chose it as the victim of contention (up to
 * `attempts` runs in all): concurrent writers of one master's day can deadlock on each other's
 * locks, and the loser's request is as valid as it was.
 */
export async function retryOnContention<T>(write: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isContention(error)) throw error;
    }
  }
}

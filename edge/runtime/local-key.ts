import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../config.ts';

/**
 * The embedded default needs no setup: without DATABASE_URL and ENCRYPTION_KEY, a random key is
 * made once and kept beside the embedded database (`<DATA_DIR>/encryption.key`, mode 0600), so
 * secrets stored by one start decrypt on the next. With DATABASE_URL the key must come from the
 * environment.
 */
export function withEmbeddedEncryptionKey(env: Env): Env {
  if (env.DATABASE_URL?.trim() || env.ENCRYPTION_KEY?.trim()) return env;
  const dataDir = env.DATA_DIR?.trim() || './.data';
  const file = join(dataDir, 'encryption.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  }
  return { ...env, ENCRYPTION_KEY: readFileSync(file, 'utf8').trim() };
}

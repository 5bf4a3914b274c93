import { POOL_MODES, type PoolMode } from '../postgres.ts';

/**
 * DATABASE_POOL_MODE for the Node command-line tools (migrate, seed), which read the environment
 * without the app's configuration: the same values as the server (`edge/config.ts`).
 */
export function poolModeFromEnv(value = process.env.DATABASE_POOL_MODE): PoolMode {
  const mode = value?.trim().toLowerCase() || 'session';
  if ((POOL_MODES as readonly string[]).includes(mode)) return mode as PoolMode;
  throw new Error(
    `DATABASE_POOL_MODE is invalid: expected ${POOL_MODES.map((m) => `\`${m}\``).join(' or ')}; got "${value}"`,
  );
}

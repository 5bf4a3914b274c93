import { z } from 'zod';
import { DEFAULT_BOT_CACHE_SIZE } from '../tenants/bots/registry.ts';
import { DEFAULT_UPDATE_LEASE_SECONDS } from '../tenants/bots/webhook.ts';
import { BOT_TOKEN } from '../tenants/bots/secrets.ts';
import { POOL_MODES, type PoolMode } from '../db/postgres.ts';

/**
 * Start-up configuration, validated once. Every problem becomes one line naming the variable and
 * what it expects; start-up stops on any of them.
 */
export interface AppConfig {
  /** Absent: the embedded PGlite database under `dataDir`. */
  databaseUrl?: string;
  /**
   * DATABASE_POOL_MODE: `transaction` behind a transaction-mode pooler (PgBouncer, Supavisor on
   * Supabase's port 6543): no named prepared statements. Default `session`.
   */
  databasePoolMode: PoolMode;
  dataDir: string;
  publicUrl: string;
  /** PUBLIC_URL was unset: `publicUrl` is `http://localhost:$PORT` (the embedded default). */
  publicUrlIsDefault: boolean;
  port: number;
  /** 32 bytes for AES-256-GCM. */
  encryptionKey: Uint8Array;
  telegramApiRoot: string;
  scheduler:
    | { kind: 'local' }
    | {
        kind: 'qstash';
        token: string;
        currentSigningKey: string;
        nextSigningKey: string;
        url?: string;
      };
  logLevel: LogLevelName;
  /** LOG_FORMAT; absent: pretty lines on a terminal, JSON lines otherwise (Node). */
  logFormat?: LogFormat;
  /** How long a delivery's claim on a Telegram update lasts unless its handler renews it. */
  updateLeaseSeconds: number;
  /** How many built tenant bots a process (an isolate on Workers) keeps. */
  botCacheSize: number;
  /**
   * How Telegram's updates arrive: `webhook` (Telegram posts them to PUBLIC_URL) or `polling`
   * (this process fetches them with getUpdates; one process only, not on Workers).
   */
  telegramMode: TelegramMode;
  /** A bot to connect at start (BOT_TOKEN, for the tenant BOT_TENANT), as `bot:register` would. */
  connectBot?: { token: string; tenant: string };
  /** PLATFORM_ADMIN_TELEGRAM_ID: this Telegram user is made a platform admin at start. */
  platformAdminTelegramId?: number;
}

export const TELEGRAM_MODES = ['webhook', 'polling'] as const;
export type TelegramMode = (typeof TELEGRAM_MODES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const KEY_HINT = '32 random bytes in base64, e.g. from `openssl rand -base64 32`';

function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = z.preprocess(blankToUndefined, z.string().trim().optional());

function urlWith(protocols: string[], example: string) {
  const expected = `a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL such as ${example}`;
  return z.preprocess(
    blankToUndefined,
    z
      .string({ error: `expected ${expected}` })
      .trim()
      .refine((v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, `expected ${expected}`)
      .optional(),
  );
}

const schema = z
  .object({
    DATABASE_URL: urlWith(
      ['postgres:', 'postgresql:'],
      'postgres://user:password@host:5432/db (leave unset for the embedded database)',
    ),
    DATABASE_POOL_MODE: z.preprocess(
      (v) => (typeof blankToUndefined(v) === 'string' ? String(v).trim().toLowerCase() : undefined),
      z
        .enum(POOL_MODES, {
          error:
            "expected `session` (a direct connection or a session-mode pooler such as Supabase's port 5432) or `transaction` (a transaction-mode pooler: PgBouncer with pool_mode = transaction, Supavisor on Supabase's port 6543)",
        })
        .optional(),
    ),
    DATA_DIR: optionalText,
    PUBLIC_URL: urlWith(['https:', 'http:'], 'https://bots.example.com'),
    PORT: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\d+$/, 'expected a TCP port number between 1 and 65535')
        .transform(Number)
        .refine((n) => n >= 1 && n <= 65535, 'expected a TCP port number between 1 and 65535')
        .optional(),
    ),
    ENCRYPTION_KEY: z.preprocess(blankToUndefined, z.string().trim().optional()),
    TELEGRAM_API_ROOT: urlWith(['https:', 'http:'], 'https://api.telegram.org'),
    SCHEDULER: z.preprocess(
      blankToUndefined,
      z
        .enum(['local', 'qstash'], { error: 'expected `local` (embedded job runner) or `qstash`' })
        .optional(),
    ),
    QSTASH_TOKEN: optionalText,
    QSTASH_CURRENT_SIGNING_KEY: optionalText,
    QSTASH_NEXT_SIGNING_KEY: optionalText,
    QSTASH_URL: urlWith(['https:', 'http:'], 'https://qstash.upstash.io'),
    UPDATE_LEASE_SECONDS: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\d+$/, 'expected whole seconds between 2 and 600')
        .transform(Number)
        .refine((n) => n >= 2 && n <= 600, 'expected whole seconds between 2 and 600')
        .optional(),
    ),
    BOT_CACHE_SIZE: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\d+$/, 'expected a whole number of bots between 10 and 100000')
        .transform(Number)
        .refine(
          (n) => n >= 10 && n <= 100_000,
          'expected a whole number of bots between 10 and 100000',
        )
        .optional(),
    ),
    TELEGRAM_MODE: z.preprocess(
      (v) => (typeof blankToUndefined(v) === 'string' ? String(v).trim().toLowerCase() : undefined),
      z
        .enum(TELEGRAM_MODES, {
          error:
            'expected `webhook` (Telegram posts to PUBLIC_URL, https) or `polling` (this process fetches the updates; one process only)',
        })
        .optional(),
    ),
    // The message never echoes the value: it is a secret.
    BOT_TOKEN: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .refine(
          (v) => BOT_TOKEN.test(v),
          'expected the token @BotFather gave (digits, a colon, then 30+ letters, digits, _ or -)',
        )
        .optional(),
    ),
    BOT_TENANT: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .regex(
          /^[a-z0-9][a-z0-9-]{1,62}$/,
          'expected a tenant slug (lowercase letters, digits and -), e.g. demo',
        )
        .optional(),
    ),
    PLATFORM_ADMIN_TELEGRAM_ID: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .regex(
          /^[1-9]\d{0,15}$/,
          'expected a Telegram user id (digits; @userinfobot tells you yours)',
        )
        .transform(Number)
        .optional(),
    ),
    LOG_LEVEL: z.preprocess(
      (v) => (typeof blankToUndefined(v) === 'string' ? String(v).trim().toLowerCase() : undefined),
      z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).optional(),
    ),
    LOG_FORMAT: z.preprocess(
      (v) => (typeof blankToUndefined(v) === 'string' ? String(v).trim().toLowerCase() : undefined),
      z
        .enum(LOG_FORMATS, {
          error: 'expected `json` or `pretty` (unset: pretty on a terminal, JSON lines otherwise)',
        })
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    const missing = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message: `is required: ${message}` });
    if (env.ENCRYPTION_KEY === undefined)
      missing('ENCRYPTION_KEY', `${KEY_HINT}; it encrypts bot tokens at rest`);
    else if (decodeBase64(env.ENCRYPTION_KEY)?.length !== 32) {
      const got = decodeBase64(env.ENCRYPTION_KEY);
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEY'],
        message: `expected ${KEY_HINT}; got ${got ? `${got.length} bytes` : 'text that is not base64'}`,
      });
    }
    // Nothing calls a polling server that runs its own jobs: it needs no public address.
    const calledFromOutside = env.TELEGRAM_MODE !== 'polling' || env.SCHEDULER === 'qstash';
    if (env.DATABASE_URL && !env.PUBLIC_URL && calledFromOutside) {
      missing(
        'PUBLIC_URL',
        'the https URL where Telegram and QStash reach this app (needed when DATABASE_URL is set, unless TELEGRAM_MODE=polling with SCHEDULER=local)',
      );
    }
    if (env.SCHEDULER === 'qstash') {
      if (!env.QSTASH_TOKEN) missing('QSTASH_TOKEN', 'the QStash API token (SCHEDULER=qstash)');
      if (!env.QSTASH_CURRENT_SIGNING_KEY)
        missing('QSTASH_CURRENT_SIGNING_KEY', 'the current QStash signing key (SCHEDULER=qstash)');
      if (!env.QSTASH_NEXT_SIGNING_KEY)
        missing('QSTASH_NEXT_SIGNING_KEY', 'the next QStash signing key (SCHEDULER=qstash)');
    }
  });

/** Parses the environment into a typed config; throws `ConfigError` with one line per problem. */
export function loadConfig(env: Env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'configuration');
      const message = issue.message.startsWith('is required')
        ? issue.message
        : `is invalid: ${issue.message}`;
      return `${name} ${message}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  const e = parsed.data;
  const port = e.PORT ?? 8787;
  return {
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    databasePoolMode: e.DATABASE_POOL_MODE ?? 'session',
    dataDir: e.DATA_DIR ?? './.data',
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    publicUrlIsDefault: e.PUBLIC_URL === undefined,
    port,
    encryptionKey: decodeBase64(e.ENCRYPTION_KEY!)!,
    telegramApiRoot: (e.TELEGRAM_API_ROOT ?? 'https://api.telegram.org').replace(/\/+$/, ''),
    scheduler:
      e.SCHEDULER === 'qstash'
        ? {
            kind: 'qstash',
            token: e.QSTASH_TOKEN!,
            currentSigningKey: e.QSTASH_CURRENT_SIGNING_KEY!,
            nextSigningKey: e.QSTASH_NEXT_SIGNING_KEY!,
            ...(e.QSTASH_URL ? { url: e.QSTASH_URL } : {}),
          }
        : { kind: 'local' },
    logLevel: e.LOG_LEVEL ?? 'info',
    ...(e.LOG_FORMAT ? { logFormat: e.LOG_FORMAT } : {}),
    updateLeaseSeconds: e.UPDATE_LEASE_SECONDS ?? DEFAULT_UPDATE_LEASE_SECONDS,
    botCacheSize: e.BOT_CACHE_SIZE ?? DEFAULT_BOT_CACHE_SIZE,
    ...(e.PLATFORM_ADMIN_TELEGRAM_ID
      ? { platformAdminTelegramId: e.PLATFORM_ADMIN_TELEGRAM_ID }
      : {}),
    telegramMode: e.TELEGRAM_MODE ?? 'webhook',
    ...(e.BOT_TOKEN ? { connectBot: { token: e.BOT_TOKEN, tenant: e.BOT_TENANT ?? 'demo' } } : {}),
  };
}

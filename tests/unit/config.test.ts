import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type Env } from '../../edge/config.ts';

const KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)));

function problems(env: Env): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives the embedded defaults when only the key is set', () => {
    const config = loadConfig({ ENCRYPTION_KEY: KEY });
    expect(config).toMatchObject({
      dataDir: './.data',
      port: 8787,
      publicUrl: 'http://localhost:8787',
      publicUrlIsDefault: true,
      telegramApiRoot: 'https://api.telegram.org',
      scheduler: { kind: 'local' },
      logLevel: 'info',
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.encryptionKey).toHaveLength(32);
  });

  it('reads a full production configuration', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://app:pw@db.example.com:5432/slotbot',
      PUBLIC_URL: 'https://bots.example.com/',
      ENCRYPTION_KEY: KEY,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      SCHEDULER: 'qstash',
      QSTASH_TOKEN: 'tok',
      QSTASH_CURRENT_SIGNING_KEY: 'sig_current',
      QSTASH_NEXT_SIGNING_KEY: 'sig_next',
      LOG_LEVEL: 'DEBUG',
      PORT: '9000',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://app:pw@db.example.com:5432/slotbot',
      publicUrl: 'https://bots.example.com',
      publicUrlIsDefault: false,
      telegramApiRoot: 'http://127.0.0.1:8081',
      scheduler: {
        kind: 'qstash',
        token: 'tok',
        currentSigningKey: 'sig_current',
        nextSigningKey: 'sig_next',
      },
      logLevel: 'debug',
      port: 9000,
    });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ ENCRYPTION_KEY: KEY, DATABASE_URL: '  ', PORT: '' }).port).toBe(8787);
  });

  it('accepts url-safe base64 keys', () => {
    const urlSafe = KEY.replace(/\+/g, '-').replace(/\//g, '_');
    expect(loadConfig({ ENCRYPTION_KEY: urlSafe }).encryptionKey).toHaveLength(32);
  });

  it.each([
    [{}, ['ENCRYPTION_KEY is required']],
    [
      { ENCRYPTION_KEY: 'not base64 at all!' },
      [
        'ENCRYPTION_KEY is invalid: expected 32 random bytes in base64, e.g. from `openssl rand -base64 32`; got text that is not base64',
      ],
    ],
    [
      { ENCRYPTION_KEY: btoa('x'.repeat(16)) },
      [
        'ENCRYPTION_KEY is invalid: expected 32 random bytes in base64, e.g. from `openssl rand -base64 32`; got 16 bytes',
      ],
    ],
    [
      { ENCRYPTION_KEY: KEY, DATABASE_URL: 'http://db' },
      ['DATABASE_URL is invalid', 'PUBLIC_URL is required'],
    ],
    [{ ENCRYPTION_KEY: KEY, DATABASE_URL: 'postgres://db/x' }, ['PUBLIC_URL is required']],
    [{ ENCRYPTION_KEY: KEY, PUBLIC_URL: 'ftp://x' }, ['PUBLIC_URL is invalid']],
    [
      { ENCRYPTION_KEY: KEY, PORT: '70000' },
      ['PORT is invalid: expected a TCP port number between 1 and 65535'],
    ],
    [{ ENCRYPTION_KEY: KEY, PORT: '-1' }, ['PORT is invalid']],
    [{ ENCRYPTION_KEY: KEY, TELEGRAM_API_ROOT: 'telegram' }, ['TELEGRAM_API_ROOT is invalid']],
    [{ ENCRYPTION_KEY: KEY, SCHEDULER: 'QStash' }, ['SCHEDULER is invalid']],
    [
      { ENCRYPTION_KEY: KEY, SCHEDULER: 'qstash', QSTASH_TOKEN: 't' },
      ['QSTASH_CURRENT_SIGNING_KEY is required', 'QSTASH_NEXT_SIGNING_KEY is required'],
    ],
    [{ ENCRYPTION_KEY: KEY, QSTASH_URL: 'nope' }, ['QSTASH_URL is invalid']],
    [{ ENCRYPTION_KEY: KEY, LOG_LEVEL: 'verbose' }, ['LOG_LEVEL is invalid']],
    [
      { ENCRYPTION_KEY: KEY, TELEGRAM_MODE: 'poll' },
      [
        'TELEGRAM_MODE is invalid: expected `webhook` (Telegram posts to PUBLIC_URL, https) or `polling` (this process fetches the updates; one process only)',
      ],
    ],
    [
      {
        ENCRYPTION_KEY: KEY,
        TELEGRAM_MODE: 'polling',
        SCHEDULER: 'qstash',
        QSTASH_TOKEN: 't',
        QSTASH_CURRENT_SIGNING_KEY: 'c',
        QSTASH_NEXT_SIGNING_KEY: 'n',
        DATABASE_URL: 'postgres://db/x',
      },
      ['PUBLIC_URL is required'],
    ],
    [
      { ENCRYPTION_KEY: KEY, BOT_TOKEN: '12345' },
      ['BOT_TOKEN is invalid: expected the token @BotFather gave'],
    ],
    [
      { ENCRYPTION_KEY: KEY, BOT_TENANT: 'Demo Studio' },
      ['BOT_TENANT is invalid: expected a tenant slug'],
    ],
    [
      { ENCRYPTION_KEY: KEY, DATABASE_POOL_MODE: 'pgbouncer' },
      [
        "DATABASE_POOL_MODE is invalid: expected `session` (a direct connection or a session-mode pooler such as Supabase's port 5432) or `transaction` (a transaction-mode pooler",
      ],
    ],
    [{ ENCRYPTION_KEY: KEY, DATABASE_POOL_MODE: 'statement' }, ['DATABASE_POOL_MODE is invalid']],
  ] as [Env, string[]][])('reports %j as %j', (env, expected) => {
    const found = problems(env);
    expect(found).toHaveLength(expected.length);
    expected.forEach((prefix, i) => expect(found[i]).toContain(prefix));
  });

  it('never echoes a secret value in its messages', () => {
    const secret = 'c2VjcmV0LXZhbHVlLXRoYXQtaXMtdG9vLXNob3J0';
    expect(problems({ ENCRYPTION_KEY: secret }).join('\n')).not.toContain(secret);
    const token = '123456:short-but-secret';
    expect(problems({ ENCRYPTION_KEY: KEY, BOT_TOKEN: token }).join('\n')).not.toContain(token);
  });

  it('takes the pool mode: session by default, transaction for a transaction-mode pooler', () => {
    expect(loadConfig({ ENCRYPTION_KEY: KEY }).databasePoolMode).toBe('session');
    expect(loadConfig({ ENCRYPTION_KEY: KEY, DATABASE_POOL_MODE: '' }).databasePoolMode).toBe(
      'session',
    );
    expect(
      loadConfig({ ENCRYPTION_KEY: KEY, DATABASE_POOL_MODE: ' Transaction ' }).databasePoolMode,
    ).toBe('transaction');
    expect(
      loadConfig({ ENCRYPTION_KEY: KEY, DATABASE_POOL_MODE: 'session' }).databasePoolMode,
    ).toBe('session');
  });

  it('takes how many built bots to keep: 500 by default, 10 to 100,000', () => {
    expect(loadConfig({ ENCRYPTION_KEY: KEY }).botCacheSize).toBe(2000);
    expect(loadConfig({ ENCRYPTION_KEY: KEY, BOT_CACHE_SIZE: '2500' }).botCacheSize).toBe(2500);
    expect(loadConfig({ ENCRYPTION_KEY: KEY, BOT_CACHE_SIZE: ' ' }).botCacheSize).toBe(2000);
    for (const bad of ['5', '1e4', 'many', '200000'])
      expect(problems({ ENCRYPTION_KEY: KEY, BOT_CACHE_SIZE: bad }).join('\n')).toMatch(
        /BOT_CACHE_SIZE/,
      );
  });

  it('takes the Telegram mode: webhook by default, polling on request', () => {
    expect(loadConfig({ ENCRYPTION_KEY: KEY }).telegramMode).toBe('webhook');
    expect(loadConfig({ ENCRYPTION_KEY: KEY, TELEGRAM_MODE: ' Polling ' }).telegramMode).toBe(
      'polling',
    );
    expect(loadConfig({ ENCRYPTION_KEY: KEY, TELEGRAM_MODE: 'webhook' }).telegramMode).toBe(
      'webhook',
    );
  });

  it('needs no PUBLIC_URL with DATABASE_URL when polling with the embedded scheduler (nothing calls this app)', () => {
    expect(
      problems({ ENCRYPTION_KEY: KEY, DATABASE_URL: 'postgres://db/x', TELEGRAM_MODE: 'polling' }),
    ).toEqual([]);
  });

  it('reads a bot to connect at start: BOT_TOKEN, for the tenant BOT_TENANT (demo by default)', () => {
    const token = `123456789:AAE${'x'.repeat(32)}`;
    expect(loadConfig({ ENCRYPTION_KEY: KEY }).connectBot).toBeUndefined();
    expect(loadConfig({ ENCRYPTION_KEY: KEY, BOT_TOKEN: ` ${token} ` }).connectBot).toEqual({
      token,
      tenant: 'demo',
    });
    expect(
      loadConfig({ ENCRYPTION_KEY: KEY, BOT_TOKEN: token, BOT_TENANT: 'studio-9' }).connectBot,
    ).toEqual({ token, tenant: 'studio-9' });
  });
});

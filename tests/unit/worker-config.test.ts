import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../edge/runtime/worker.ts';

const KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(4)));
const ctx = { waitUntil: () => {} };

describe('the Worker entry', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    [
      'TELEGRAM_MODE=polling',
      { TELEGRAM_MODE: 'polling' },
      'Configuration error: TELEGRAM_MODE=polling cannot run on Workers: it only answers requests and cannot hold a long poll; use TELEGRAM_MODE=webhook (the default) here, or run the Node server (`TELEGRAM_MODE=polling npm start`)',
    ],
    [
      'BOT_TOKEN',
      { BOT_TOKEN: `123456789:AAE${'x'.repeat(32)}` },
      'Configuration error: BOT_TOKEN is read by the Node and Deno servers at start; on Workers connect a bot with `npm run bot:register`',
    ],
  ])(
    'refuses %s with a configuration error, before touching the database',
    async (_name, extra, expected) => {
      const errors: string[] = [];
      vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
      const env = {
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        PUBLIC_URL: 'https://bots.example.com',
        ENCRYPTION_KEY: KEY,
        ...extra,
      };
      const res = await worker.fetch(new Request('https://bots.example.com/healthz'), env, ctx);
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ title: 'Service misconfigured' });
      expect(errors).toEqual([expected]);
    },
  );

  it('refuses a cron tick with a configuration error, without a database', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    const env = { PUBLIC_URL: 'https://bots.example.com', ENCRYPTION_KEY: KEY };
    await expect(
      worker.scheduled({ cron: '* * * * *', scheduledTime: Date.UTC(2026, 0, 1) }, env, ctx),
    ).rejects.toThrow('the configuration is unusable');
    expect(errors).toEqual([
      'Configuration error: DATABASE_URL (or, on Workers, a Hyperdrive binding named HYPERDRIVE) is required on Workers: the embedded database runs on Node only',
    ]);
  });
});

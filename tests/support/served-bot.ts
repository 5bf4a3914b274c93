import type { Database } from '../../db/port.ts';
import { registerBot } from '../../tenants/bots/onboarding.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { createBookingWorld, type BookingWorld } from './booking-world.ts';
import { migratedPostgres } from './pg.ts';
import { freePort } from './process.ts';
import { TelegramStub } from './telegram-stub.ts';

/**
 * A booking world on a fresh PostgreSQL database with a tenant bot registered against the Telegram
 * stand-in, for a server process (`startServer(served.serverEnv())`) on a port chosen here.
 */
export interface ServedBot {
  db: Database;
  world: BookingWorld;
  stub: TelegramStub;
  token: string;
  botId: string;
  port: number;
  /** The webhook secret Telegram (the stand-in) was given. */
  secret(): string;
  /** What the server process needs to serve this bot, plus `extra`. */
  serverEnv(extra?: Record<string, string>): Record<string, string>;
  cleanup(): Promise<void>;
}

export async function servedBot(
  label: string,
  opts: { masters?: number } = {},
): Promise<ServedBot> {
  const { db, url, cleanup } = await migratedPostgres(label);
  const world = await createBookingWorld(db, { masters: opts.masters ?? 1, clients: 0 });
  const stub = new TelegramStub();
  await stub.start();
  const token = `${7_600_000 + Math.floor(Math.random() * 100_000)}:AAE${'s'.repeat(32)}`;
  stub.addBot(token, `${label}_bot`);
  const port = await freePort();
  const key = crypto.getRandomValues(new Uint8Array(32));
  const publicUrl = `http://127.0.0.1:${port}`;
  const { botId } = await registerBot(
    { db, secrets: await createSecretBox(key), apiRoot: stub.apiRoot, publicUrl },
    { tenantId: world.tenantId, token },
  );
  return {
    db,
    world,
    stub,
    token,
    botId,
    port,
    secret: () => stub.webhooks.get(token)!.secret,
    serverEnv: (extra = {}) => ({
      DATABASE_URL: url,
      PUBLIC_URL: publicUrl,
      PORT: String(port),
      ENCRYPTION_KEY: Buffer.from(key).toString('base64'),
      TELEGRAM_API_ROOT: stub.apiRoot,
      LOG_LEVEL: 'info',
      ...extra,
    }),
    async cleanup() {
      await stub.stop();
      await cleanup();
    },
  };
}

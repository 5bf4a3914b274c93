import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/port.ts';
import { registerBot } from '../../tenants/bots/onboarding.ts';
import { digestKey } from '../../tenants/jobs/handlers/digest-admin.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { createBookingWorld, type BookingWorld } from '../support/booking-world.ts';
import { migratedPostgres } from '../support/pg.ts';
import { freePort, startServer, type Running } from '../support/process.ts';
import { QstashStub } from '../support/qstash-stub.ts';
import { TelegramStub } from '../support/telegram-stub.ts';

/**
 * QStash is not a start-up dependency: with it unreachable or refusing the token, the server still
 * listens and serves Telegram; seeding the digests retries in the background, /healthz says the
 * scheduler is degraded, and once QStash answers the digests are seeded.
 */
const KEY = Buffer.alloc(32, 5).toString('base64');
const BOT_TOKEN = `6${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}:AAE${'s'.repeat(32)}`;

interface Health {
  status: string;
  database: { ok: boolean };
  scheduler: { kind: string; ok: boolean; error?: string; pending?: string[] };
}

describe('SCHEDULER=qstash with QStash down at start', () => {
  let db: Database;
  let url = '';
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  const telegram = new TelegramStub();
  const running: Running[] = [];

  beforeAll(async () => {
    ({ db, url, cleanup } = await migratedPostgres('start_qstash'));
    w = await createBookingWorld(db, { masters: 1, clients: 1 });
    await telegram.start();
    telegram.addBot(BOT_TOKEN, 'studio_start_bot');
    await registerBot(
      {
        db,
        secrets: await createSecretBox(Buffer.from(KEY, 'base64')),
        apiRoot: telegram.apiRoot,
        publicUrl: 'https://bots.example.test',
      },
      { tenantId: w.tenantId, token: BOT_TOKEN },
    );
  });
  afterAll(async () => {
    for (const r of running) await r.stop();
    await telegram.stop();
    await cleanup();
  });

  async function start(
    qstashUrl: string,
    token: string,
  ): Promise<{ server: Running; port: number }> {
    const port = await freePort();
    const server = await startServer({
      DATABASE_URL: url,
      PUBLIC_URL: 'https://bots.example.test',
      ENCRYPTION_KEY: KEY,
      PORT: String(port),
      TELEGRAM_API_ROOT: telegram.apiRoot,
      SCHEDULER: 'qstash',
      QSTASH_URL: qstashUrl,
      QSTASH_TOKEN: token,
      QSTASH_CURRENT_SIGNING_KEY: 'sig_current_test_key_0123456789',
      QSTASH_NEXT_SIGNING_KEY: 'sig_next_test_key_9876543210',
    });
    running.push(server);
    return { server, port };
  }

  async function healthUntil(
    port: number,
    done: (h: Health, status: number) => boolean,
    what: string,
    server: Running,
  ): Promise<{ health: Health; status: number }> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      const health = (await res.json()) as Health;
      if (done(health, res.status)) return { health, status: res.status };
      if (Date.now() > deadline)
        throw new Error(`${what}: last /healthz ${JSON.stringify(health)}\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('unreachable: serves webhooks, reports the scheduler degraded, and seeds the digests once QStash is back', async () => {
    const qstashPort = await freePort();
    const { server, port } = await start(`http://127.0.0.1:${qstashPort}`, 'qstash_test_token');

    const degraded = await healthUntil(
      port,
      (h) => h.scheduler?.ok === false,
      'scheduler never reported degraded',
      server,
    );
    // Degraded, not down: a load balancer keeps sending Telegram's webhooks here.
    expect(degraded.status).toBe(200);
    expect(degraded.health).toMatchObject({
      status: 'degraded',
      database: { ok: true },
      scheduler: { kind: 'qstash', ok: false, pending: ['digest_seeding'] },
    });
    expect(degraded.health.scheduler.error).toMatch(/^QStash unreachable/);

    // Telegram's updates are handled meanwhile.
    const hook = telegram.webhooks.get(BOT_TOKEN)!;
    const update = {
      update_id: 1,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 4242, type: 'private' },
        from: { id: 4242, is_bot: false, first_name: 'A', language_code: 'en' },
        text: '/start',
      },
    };
    const answered = await fetch(`http://127.0.0.1:${port}${new URL(hook.url).pathname}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': hook.secret,
      },
      body: JSON.stringify(update),
    });
    expect(answered.status).toBe(200);
    expect(telegram.messages(BOT_TOKEN, 4242).length).toBeGreaterThan(0);

    const qstash = new QstashStub();
    await qstash.start(qstashPort);
    try {
      const recovered = await healthUntil(
        port,
        (h) => h.scheduler?.ok === true,
        'never recovered',
        server,
      );
      expect(recovered).toMatchObject({
        status: 200,
        health: { status: 'ok', scheduler: { kind: 'qstash', ok: true } },
      });
      expect(recovered.health.scheduler.pending ?? []).toEqual([]);
      const seeded = qstash.publishes.filter(
        (p) => p.status === 201 && JSON.parse(p.body).key.startsWith(digestKey(w.tenantId, '')),
      );
      expect(seeded).toHaveLength(1);
      expect(server.child.exitCode).toBeNull();
      const lines = server
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(
        lines.filter((l) => l.event === 'startup_task_retry' && l.task === 'digest_seeding').length,
      ).toBeGreaterThan(0);
      expect(
        lines.find((l) => l.event === 'startup_task_done' && l.task === 'digest_seeding'),
      ).toMatchObject({ attempts: expect.any(Number) });
      expect(server.output()).not.toMatch(/unhandled/i);
    } finally {
      await qstash.stop();
    }
  });

  it('a refused token: listens, and /healthz names the token as the problem', async () => {
    const qstash = new QstashStub({ token: 'the_right_token' });
    await qstash.start();
    try {
      const { server, port } = await start(qstash.url, 'a_revoked_token');
      const { health, status } = await healthUntil(
        port,
        (h) => h.scheduler?.ok === false,
        'scheduler never reported degraded',
        server,
      );
      expect(status).toBe(200);
      expect(health).toMatchObject({
        status: 'degraded',
        scheduler: { kind: 'qstash', ok: false },
      });
      expect(health.scheduler.error).toMatch(/QStash refused the token \(401\).*QSTASH_TOKEN/);
      expect(qstash.publishes.every((p) => p.status === 401)).toBe(true);
    } finally {
      await qstash.stop();
    }
  });
});

import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPDATE_BYTES } from '../../tenants/bots/webhook.ts';
import { MAX_JOB_BODY_BYTES } from '../../edge/jobs-route.ts';
import { freePort, startServer, type Running } from '../support/process.ts';
import { servedBot, type ServedBot } from '../support/served-bot.ts';

const MiB = 1024 * 1024;

/**
 * Sends `size` bytes to `path` in 1 MiB chunks, chunked (no Content-Length) unless `declare`; stops
 * sending as soon as the server answers. Resolves to the status and how much was sent by then.
 */
function send(
  port: number,
  path: string,
  size: number,
  opts: { declare?: boolean; headers?: Record<string, string> } = {},
): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(opts.declare ? { 'content-length': String(size) } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        answered = true;
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, sent }));
        req.destroy();
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(MiB, 0x20);
    const pump = () => {
      while (!answered && sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('request bodies are capped and read only after the sender is known', () => {
  let served: ServedBot;
  let server: Running;
  let port: number;
  let botId: string;

  beforeAll(async () => {
    served = await servedBot('body_limits');
    ({ port, botId } = served);
    server = await startServer(
      served.serverEnv({
        // The QStash callback route is mounted with SCHEDULER=qstash (QStash itself need not answer).
        SCHEDULER: 'qstash',
        QSTASH_URL: `http://127.0.0.1:${await freePort()}`,
        QSTASH_TOKEN: 'token',
        QSTASH_CURRENT_SIGNING_KEY: 'sig_current',
        QSTASH_NEXT_SIGNING_KEY: 'sig_next',
      }),
    );
  });
  afterAll(async () => {
    await server.stop();
    await served.cleanup();
  });

  const secret = () => served.secret();

  it('answers huge bodies by their headers or their first bytes, with memory flat', async () => {
    // Warm up the paths once, then measure.
    await send(port, `/tg/${botId}`, 2 * MiB, {
      headers: { 'x-telegram-bot-api-secret-token': secret() },
    });
    const before = server.rssBytes();
    const big = 96 * MiB;
    const results = await Promise.all([
      // Unknown bot, no secret: 404 before a byte is read.
      send(port, `/tg/${crypto.randomUUID()}`, big),
      // The real bot, no secret: 401 before a byte is read.
      send(port, `/tg/${botId}`, big),
      // The real bot and its secret, declared too large: 413 without reading.
      send(port, `/tg/${botId}`, big, {
        declare: true,
        headers: { 'x-telegram-bot-api-secret-token': secret() },
      }),
      // ... and chunked, without a length: 413 once the cap is passed.
      send(port, `/tg/${botId}`, big, { headers: { 'x-telegram-bot-api-secret-token': secret() } }),
      send(port, `/tg/${botId}`, big, { headers: { 'x-telegram-bot-api-secret-token': secret() } }),
      // A job callback without a signature: 401 before reading; with any signature, capped.
      send(port, '/jobs/hold_expire', big),
      send(port, '/jobs/hold_expire', big, { headers: { 'upstash-signature': 'forged' } }),
    ]);
    expect(results.map((r) => r.status)).toEqual([404, 401, 413, 413, 413, 401, 413]);
    // The server stopped them long before they were sent in full.
    for (const r of results) expect(r.sent).toBeLessThan(big);
    const grown = server.rssBytes() - before;
    expect(grown).toBeLessThan(48 * MiB);
  });

  it('the caps are documented sizes: an update of just under 256 KiB is read, one over is refused with a problem', async () => {
    const filler = 'x'.repeat(MAX_UPDATE_BYTES - 200);
    const res = await fetch(`http://127.0.0.1:${port}/tg/${botId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret() },
      body: JSON.stringify({ update_id: 1, filler }),
    });
    expect(res.status).toBe(200);
    const over = await fetch(`http://127.0.0.1:${port}/tg/${botId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret() },
      body: JSON.stringify({ update_id: 2, filler: filler + 'x'.repeat(400) }),
    });
    expect(over.status).toBe(413);
    expect(over.headers.get('content-type')).toContain('application/problem+json');
    expect(await over.json()).toMatchObject({
      status: 413,
      title: `an update is at most ${MAX_UPDATE_BYTES} bytes`,
    });
    const job = await fetch(`http://127.0.0.1:${port}/jobs/hold_expire`, {
      method: 'POST',
      headers: { 'upstash-signature': 'x' },
      body: 'y'.repeat(MAX_JOB_BODY_BYTES + 1),
    });
    expect(job.status).toBe(413);
  });
});

import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../edge/app.ts';
import type { Database } from '../../db/port.ts';
import { createLogger, jsonLineWriter } from '../../tenants/observability/logger.ts';
import { createQstashScheduler, deduplicationId } from '../../tenants/jobs/qstash-scheduler.ts';
import { qstashSignatureVerifier } from '../../tenants/jobs/qstash-signature.ts';
import type { JobDelivery, JobDispatcher, JobResult, Scheduler } from '../../tenants/jobs/types.ts';
import { QstashStub } from '../support/qstash-stub.ts';

/**
 * The QStash path end to end: the real Client publishes through the QStash stand-in, the stand-in
 * delivers signed callbacks over HTTP to the real Hono app, whose real Receiver checks them before a
 * recording dispatcher sees anything. PUBLIC_URL is a name the app is not served under (as behind a
 * proxy): the signature names PUBLIC_URL, the request arrives at 127.0.0.1.
 */
const PUBLIC_URL = 'https://slotbot.example.test';
const TENANT = '6f1c1a52-7d1e-4a57-9b43-2f3a1c0d9e11';

/** The /jobs route needs no database; anything touching it is a bug in the test. */
const noDatabase = {
  kind: 'postgres',
  location: 'none',
  query: () => Promise.reject(new Error('no database in this test')),
  exec: () => Promise.reject(new Error('no database in this test')),
  transaction: () => Promise.reject(new Error('no database in this test')),
  close: () => Promise.resolve(),
} as unknown as Database;

/** Records every delivery; answers per key what the test asks for (done by default). */
function recordingDispatcher() {
  const received: JobDelivery[] = [];
  const answers = new Map<string, (JobResult | Error)[]>();
  const dispatcher: JobDispatcher = {
    async dispatch(delivery) {
      received.push(delivery);
      const next = answers.get(delivery.key)?.shift();
      if (next instanceof Error) throw next;
      return next ?? { status: 'done', outcome: 'recorded' };
    },
  };
  return { dispatcher, received, answers };
}

describe('QStash scheduler and POST /jobs/:kind', () => {
  let server: ServerType;
  let appUrl = '';
  const stub = new QstashStub({ route: (destination) => destination.replace(PUBLIC_URL, appUrl) });
  const logs: Record<string, unknown>[] = [];
  const rec = recordingDispatcher();
  let scheduler: Scheduler;

  beforeAll(async () => {
    await stub.start();
    const logger = createLogger({
      level: 'info',
      writer: jsonLineWriter((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
    });
    const app = createApp({
      db: noDatabase,
      logger,
      jobs: {
        dispatcher: rec.dispatcher,
        verifySignature: qstashSignatureVerifier({
          currentSigningKey: stub.currentSigningKey,
          nextSigningKey: stub.nextSigningKey,
        }),
        publicUrl: PUBLIC_URL,
      },
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    scheduler = createQstashScheduler({
      token: stub.token,
      baseUrl: stub.url,
      publicUrl: PUBLIC_URL,
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await stub.stop();
  });
  beforeEach(() => {
    rec.received.length = 0;
    rec.answers.clear();
  });

  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const validBody = (key: string) =>
    JSON.stringify({
      key,
      payload: { bookingId: 'b-1' },
      tenantId: TENANT,
      correlationId: 'corr-signature-test',
    });

  it('publishes through the real Client: target URL, not-before, deduplication id, retries, JSON body', async () => {
    const runAt = Date.now() + 2 * 3600_000 + 250;
    await scheduler.schedule({
      kind: 'hold_expire',
      runAt,
      key: 'hold_expire:booking-1',
      payload: { bookingId: 'booking-1' },
      tenantId: TENANT,
      correlationId: 'corr-publish-0001',
    });

    const publish = stub.publishes.at(-1)!;
    expect(publish).toMatchObject({
      status: 201,
      destination: `${PUBLIC_URL}/jobs/hold_expire`,
      notBefore: Math.ceil(runAt / 1000),
      deduplicationId: await deduplicationId('hold_expire:booking-1'),
      retries: 3,
    });
    expect(publish.deduplicationId).not.toContain(':');
    expect(publish.headers.authorization).toBe(`Bearer ${stub.token}`);
    expect(publish.headers['content-type']).toBe('application/json');
    expect(JSON.parse(publish.body)).toEqual({
      key: 'hold_expire:booking-1',
      payload: { bookingId: 'booking-1' },
      tenantId: TENANT,
      correlationId: 'corr-publish-0001',
    });
  });

  it('the same key scheduled twice is one message (QStash answers deduplicated)', async () => {
    const job = {
      kind: 'reminder_send' as const,
      runAt: Date.now() + 86_400_000,
      key: 'reminder_send:booking-2:24h',
      payload: { bookingId: 'booking-2' },
    };
    const before = stub.messages.length;
    await scheduler.schedule(job);
    await scheduler.schedule(job);
    expect(stub.messages.length).toBe(before + 1);
    expect(stub.publishes.slice(-2).map((p) => [p.status, p.deduplicated ?? false])).toEqual([
      [201, false],
      [202, true],
    ]);
  });

  it('a job due now has no not-before; a future one is delivered only once its time has come, and once', async () => {
    const runAt = Date.now() + 3600_000;
    await scheduler.schedule({
      kind: 'payment_reconcile',
      runAt,
      key: 'payment_reconcile:pay-3',
      payload: { paymentId: 'pay-3' },
      tenantId: TENANT,
      correlationId: 'corr-future-0003',
    });
    await scheduler.schedule({
      kind: 'digest_admin',
      runAt: Date.now() - 60_000,
      key: 'digest_admin:tenant-x:2026-11-26',
      payload: { day: '2026-11-26' },
    });
    expect(stub.publishes.at(-1)!.notBefore).toBeUndefined();
    expect(stub.publishes.at(-1)!.headers['upstash-not-before']).toBeUndefined();

    // Everything due now (this test's past-due job; the earlier tests' jobs are hours away).
    const now = await stub.deliverDue(nowSeconds());
    expect(now.map((d) => [d.destination, d.status])).toEqual([
      [`${PUBLIC_URL}/jobs/digest_admin`, 200],
    ]);
    expect(rec.received.map((d) => d.key)).toEqual(['digest_admin:tenant-x:2026-11-26']);

    const later = await stub.deliverDue(Math.ceil(runAt / 1000));
    expect(later.map((d) => [d.destination, d.status])).toEqual([
      [`${PUBLIC_URL}/jobs/payment_reconcile`, 200],
    ]);
    expect(rec.received.at(-1)).toEqual({
      kind: 'payment_reconcile',
      key: 'payment_reconcile:pay-3',
      payload: { paymentId: 'pay-3' },
      tenantId: TENANT,
      attempt: 1,
      correlationId: 'corr-future-0003',
    });
    expect(JSON.parse(later[0]!.responseBody)).toEqual({ status: 'done', outcome: 'recorded' });
    // The job's correlation id follows the request's own log line and answer.
    expect(later[0]!.responseHeaders['x-correlation-id']).toBe('corr-future-0003');
    expect(
      logs.find((l) => l.event === 'http_request' && l.correlation_id === 'corr-future-0003'),
    ).toMatchObject({ status: 200, path: '/jobs/payment_reconcile' });

    // Ten days on: the earlier tests' jobs fall due; what was delivered is not delivered again.
    const rest = await stub.deliverDue(Math.ceil(runAt / 1000) + 10 * 86_400);
    expect(rest.map((d) => d.destination).sort()).toEqual([
      `${PUBLIC_URL}/jobs/hold_expire`,
      `${PUBLIC_URL}/jobs/reminder_send`,
    ]);
    expect(rec.received.filter((d) => d.key === 'payment_reconcile:pay-3')).toHaveLength(1);
    expect(await stub.deliverDue(Math.ceil(runAt / 1000) + 20 * 86_400)).toEqual([]);
  });

  it('a wrong token is refused by QStash and the schedule call fails', async () => {
    const wrong = createQstashScheduler({
      token: 'not-the-token',
      baseUrl: stub.url,
      publicUrl: PUBLIC_URL,
    });
    const before = stub.messages.length;
    await expect(
      wrong.schedule({ kind: 'hold_expire', runAt: Date.now(), key: 'hold_expire:x', payload: {} }),
    ).rejects.toThrow(/Unauthorized/);
    expect(stub.messages.length).toBe(before);
  });

  describe('signature checks', () => {
    const destination = `${PUBLIC_URL}/jobs/hold_expire`;
    // Options are built lazily: the app's own address is known only once it listens.
    const refusals: [string, () => Parameters<QstashStub['send']>[2]][] = [
      ['missing', () => ({ unsigned: true })],
      ['forged (wrong key)', () => ({ key: 'forged' })],
      ['expired', () => ({ expired: true })],
      ['tampered body', () => ({ tamper: (body: string) => body.replace('b-1', 'b-2') })],
      [
        'signed for the host the request arrived at, not PUBLIC_URL',
        () => ({ signedUrl: `${appUrl}/jobs/hold_expire` }),
      ],
      ['signed for another kind', () => ({ signedUrl: `${PUBLIC_URL}/jobs/reminder_send` })],
      ['not a JWT', () => ({ rawSignature: 'not-a-jwt' })],
    ];

    it.each(refusals)('%s: 401 problem, the dispatcher is not called', async (_name, options) => {
      const res = await stub.send(destination, validBody('hold_expire:sig'), options());
      expect(res.status).toBe(401);
      expect(res.responseHeaders['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.responseBody)).toMatchObject({
        status: 401,
        title: 'Invalid signature',
      });
      expect(rec.received).toEqual([]);
    });

    it('a message signed with the NEXT key (key rotation) is accepted', async () => {
      const res = await stub.send(destination, validBody('hold_expire:rotated'), { key: 'next' });
      expect(res.status).toBe(200);
      expect(rec.received.map((d) => [d.key, d.correlationId])).toEqual([
        ['hold_expire:rotated', 'corr-signature-test'],
      ]);
    });
  });

  it('unknown kind: 404 problem, nothing dispatched', async () => {
    const res = await stub.send(
      `${PUBLIC_URL}/jobs/teeth_whitening`,
      validBody('teeth_whitening:1'),
    );
    expect(res.status).toBe(404);
    expect(res.responseHeaders['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.responseBody)).toMatchObject({ status: 404, title: 'Unknown job kind' });
    expect(rec.received).toEqual([]);
  });

  it('a body that is not JSON, or of the wrong shape: 400 problem naming the problem, nothing dispatched', async () => {
    const notJson = await stub.send(
      `${PUBLIC_URL}/jobs/hold_expire`,
      '{"key": "hold_expire:1", payload',
    );
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.responseBody)).toMatchObject({
      status: 400,
      title: 'Invalid job body',
      detail: 'The body is not valid JSON.',
    });

    const wrongShape = await stub.send(
      `${PUBLIC_URL}/jobs/hold_expire`,
      JSON.stringify({ key: 42, tenantId: TENANT }),
    );
    expect(wrongShape.status).toBe(400);
    const problem = JSON.parse(wrongShape.responseBody) as { detail: string; problems: string[] };
    expect(problem.detail).toMatch(/key: /);
    expect(problem.detail).toMatch(/payload: /);
    expect(wrongShape.responseHeaders['content-type']).toMatch(/^application\/problem\+json/);
    expect(rec.received).toEqual([]);
  });

  it('a handler asking for a retry answers 5xx; QStash redelivers with the attempt counted; done ends it', async () => {
    const key = 'hold_expire:retry-me';
    rec.answers.set(key, [
      { status: 'retry', reason: 'payment provider busy', afterMs: 30_000 },
      new Error('handler bug'),
      { status: 'done', outcome: 'released' },
    ]);
    await scheduler.schedule({
      kind: 'hold_expire',
      runAt: Date.now(),
      key,
      payload: { bookingId: 'r' },
      tenantId: TENANT,
      correlationId: 'corr-retry-000009',
    });
    const message = stub.messages.find(
      (m) => m.deduplicationId === stub.publishes.at(-1)!.deduplicationId,
    )!;

    const first = await stub.deliver(message);
    expect(first.status).toBe(503);
    expect(first.responseHeaders['retry-after']).toBe('30');
    expect(JSON.parse(first.responseBody)).toMatchObject({
      status: 503,
      detail: 'payment provider busy',
      correlation_id: 'corr-retry-000009',
    });

    const second = await stub.deliver(message);
    expect(second.status).toBe(500);
    expect(JSON.parse(second.responseBody)).toMatchObject({
      status: 500,
      correlation_id: 'corr-retry-000009',
    });
    expect(logs.find((l) => l.event === 'job_failed')).toMatchObject({
      level: 'error',
      correlation_id: 'corr-retry-000009',
      job_key: key,
      tenant_id: TENANT,
      attempt: 2,
    });

    const third = await stub.deliver(message);
    expect(third.status).toBe(200);
    expect(message.state).toBe('delivered');
    expect(rec.received.map((d) => [d.key, d.attempt])).toEqual([
      [key, 1],
      [key, 2],
      [key, 3],
    ]);
  });
});

import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for QStash: accepts the publish requests the real `@upstash/qstash` Client sends
 * (`POST /v2/publish/<destination URL>` with a Bearer token and `Upstash-*` headers), records them,
 * deduplicates on `Upstash-Deduplication-Id`, and delivers the stored messages to their destination
 * signed the way QStash signs (`Upstash-Signature`: an HS256 JWT over the URL and the body's hash).
 * Time is explicit: `deliverDue(nowSeconds)` delivers what is due at that moment.
 *
 * The signing here is written against the Receiver's checks (jose `jwtVerify` with issuer
 * "Upstash", then `sub` === url and `body` === base64url(SHA-256(raw body)), padding ignored), not
 * with the library, so the tests prove the real Receiver accepts an independently made token.
 */
export interface PublishRecord {
  /** The destination URL taken from the path, as QStash reads it. */
  destination: string;
  /** Unix seconds from `Upstash-Not-Before`; absent means deliver at once. */
  notBefore?: number;
  deduplicationId?: string;
  retries?: number;
  body: string;
  /** Lower-case header names, as received. */
  headers: Record<string, string>;
  /** What the stub answered. */
  status: number;
  messageId?: string;
  deduplicated?: boolean;
}

export interface StubMessage {
  messageId: string;
  destination: string;
  notBefore?: number;
  deduplicationId?: string;
  /** Redeliveries allowed after the first (QStash's `Upstash-Retries`). */
  retries: number;
  body: string;
  contentType: string;
  /** Headers to forward (`Upstash-Forward-*`, prefix stripped). */
  forward: Record<string, string>;
  /** Deliveries so far. */
  attempts: number;
  state: 'pending' | 'delivered' | 'dead';
}

export interface SignOptions {
  /** Which key signs: QStash's current one (default), the next one (after rotation), or a wrong one (forgery). */
  key?: 'current' | 'next' | 'forged';
  /** Sign a token that expired ten minutes ago. */
  expired?: boolean;
  /** Sign for another URL than the destination. */
  signedUrl?: string;
  /** Change the body after signing. */
  tamper?: (body: string) => string;
  /** Send no Upstash-Signature header at all. */
  unsigned?: boolean;
  /** Send this Upstash-Signature value instead of a signed token. */
  rawSignature?: string;
  /** Signing time in unix seconds; the stub's clock when absent. */
  nowSeconds?: number;
}

export interface DeliveryRecord {
  messageId?: string;
  /** The URL the message was published to (the signature's subject unless `signedUrl`). */
  destination: string;
  /** Where the request actually went (after `route`). */
  target: string;
  attempt: number;
  status: number;
  responseBody: string;
  responseHeaders: Record<string, string>;
}

export interface QstashStubOptions {
  token?: string;
  currentSigningKey?: string;
  nextSigningKey?: string;
  /**
   * Maps a destination URL to where the request is sent, like a reverse proxy in front of the app:
   * the signature still names the destination. Identity when absent.
   */
  route?: (destination: string) => string;
  /** Unix seconds; `Date.now()` when absent. */
  clock?: () => number;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** An `Upstash-Signature` value: HS256 JWT with the claims QStash puts in it. */
export function signQstashJwt(input: {
  key: string;
  url: string;
  body: string;
  iat: number;
  exp?: number;
}): string {
  const header = { alg: 'HS256', typ: 'JWT' };
  const claims = {
    iss: 'Upstash',
    sub: input.url,
    exp: input.exp ?? input.iat + 300,
    nbf: input.iat,
    iat: input.iat,
    jti: `jwt_${randomUUID().replace(/-/g, '')}`,
    body: base64url(createHash('sha256').update(input.body, 'utf8').digest()),
  };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createHmac('sha256', Buffer.from(input.key, 'utf8')).update(unsigned).digest();
  return `${unsigned}.${base64url(signature)}`;
}

export class QstashStub {
  readonly token: string;
  readonly currentSigningKey: string;
  readonly nextSigningKey: string;
  readonly publishes: PublishRecord[] = [];
  readonly messages: StubMessage[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  /** Base URL for the Client's `baseUrl`. */
  url = '';
  private server?: Server;
  private nextId = 1;

  constructor(private readonly options: QstashStubOptions = {}) {
    this.token = options.token ?? 'qstash_test_token';
    this.currentSigningKey = options.currentSigningKey ?? 'sig_current_test_key_0123456789';
    this.nextSigningKey = options.nextSigningKey ?? 'sig_next_test_key_9876543210';
  }

  /** Listens on `port` (a free one when absent: pass the old one to come back where a client expects it). */
  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const { status, payload } = this.handle(req, body);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private now(): number {
    return this.options.clock?.() ?? Math.floor(Date.now() / 1000);
  }

  private handle(req: IncomingMessage, body: string): { status: number; payload: unknown } {
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const path = req.url ?? '';
    const prefix = '/v2/publish/';
    if (req.method !== 'POST' || !path.startsWith(prefix))
      return { status: 404, payload: { error: `not found: ${req.method} ${path}` } };

    const destination = path.slice(prefix.length);
    const record: PublishRecord = { destination, body, headers, status: 0 };
    const refuse = (status: number, error: string) => {
      record.status = status;
      this.publishes.push(record);
      return { status, payload: { error } };
    };
    if (headers.authorization !== `Bearer ${this.token}`) return refuse(401, 'Unauthorized');
    if (!/^https?:\/\//.test(destination))
      return refuse(400, `invalid destination url: ${destination}`);

    const notBefore = headers['upstash-not-before'];
    if (notBefore !== undefined) {
      if (!/^\d+$/.test(notBefore))
        return refuse(400, 'Upstash-Not-Before must be a unix timestamp in seconds');
      record.notBefore = Number(notBefore);
    }
    const retries = headers['upstash-retries'];
    if (retries !== undefined) {
      if (!/^\d+$/.test(retries)) return refuse(400, 'Upstash-Retries must be a whole number');
      record.retries = Number(retries);
    }
    const dedup = headers['upstash-deduplication-id'];
    if (dedup !== undefined) {
      // What QStash answers for a colon; the stub refuses everything outside the set known to pass.
      if (dedup.includes(':')) return refuse(400, "DeduplicationId cannot contain ':'");
      if (!/^[A-Za-z0-9_.-]+$/.test(dedup))
        return refuse(400, 'DeduplicationId contains characters the stand-in does not accept');
      record.deduplicationId = dedup;
      const existing = this.messages.find((m) => m.deduplicationId === dedup);
      if (existing) {
        Object.assign(record, { status: 202, messageId: existing.messageId, deduplicated: true });
        this.publishes.push(record);
        return {
          status: 202,
          payload: { messageId: existing.messageId, url: destination, deduplicated: true },
        };
      }
    }

    const forward: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (name.startsWith('upstash-forward-'))
        forward[name.slice('upstash-forward-'.length)] = value;
    }
    const message: StubMessage = {
      messageId: `msg_stub_${this.nextId++}`,
      destination,
      ...(record.notBefore !== undefined ? { notBefore: record.notBefore } : {}),
      ...(dedup !== undefined ? { deduplicationId: dedup } : {}),
      retries: record.retries ?? 3,
      body,
      contentType: headers['content-type'] ?? 'text/plain',
      forward,
      attempts: 0,
      state: 'pending',
    };
    this.messages.push(message);
    Object.assign(record, { status: 201, messageId: message.messageId });
    this.publishes.push(record);
    return { status: 201, payload: { messageId: message.messageId, url: destination } };
  }

  signature(
    url: string,
    body: string,
    options: Pick<SignOptions, 'key' | 'expired' | 'nowSeconds'> = {},
  ): string {
    const key =
      options.key === 'next'
        ? this.nextSigningKey
        : options.key === 'forged'
          ? 'sig_not_the_real_key_at_all'
          : this.currentSigningKey;
    const now = options.nowSeconds ?? this.now();
    return options.expired
      ? signQstashJwt({ key, url, body, iat: now - 600, exp: now - 300 })
      : signQstashJwt({ key, url, body, iat: now });
  }

  /** Sends one signed request to `destination` as QStash would; any body, any options. */
  async send(
    destination: string,
    body: string,
    options: SignOptions & {
      contentType?: string;
      retried?: number;
      messageId?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<DeliveryRecord> {
    const headers: Record<string, string> = {
      'content-type': options.contentType ?? 'application/json',
      'user-agent': 'Upstash-QStash',
      'upstash-retried': String(options.retried ?? 0),
      ...(options.messageId ? { 'upstash-message-id': options.messageId } : {}),
      ...options.headers,
    };
    if (options.rawSignature !== undefined) headers['upstash-signature'] = options.rawSignature;
    else if (!options.unsigned)
      headers['upstash-signature'] = this.signature(
        options.signedUrl ?? destination,
        body,
        options,
      );
    const sent = options.tamper ? options.tamper(body) : body;
    const target = this.options.route?.(destination) ?? destination;
    const res = await fetch(target, { method: 'POST', headers, body: sent });
    const record: DeliveryRecord = {
      ...(options.messageId ? { messageId: options.messageId } : {}),
      destination,
      target,
      attempt: (options.retried ?? 0) + 1,
      status: res.status,
      responseBody: await res.text(),
      responseHeaders: Object.fromEntries(res.headers.entries()),
    };
    this.deliveries.push(record);
    return record;
  }

  /** Delivers one stored message once; a non-2xx answer leaves it pending until its retries run out. */
  async deliver(message: StubMessage, options: SignOptions = {}): Promise<DeliveryRecord> {
    const record = await this.send(message.destination, message.body, {
      ...options,
      contentType: message.contentType,
      retried: message.attempts,
      messageId: message.messageId,
      headers: message.forward,
    });
    message.attempts += 1;
    if (record.status >= 200 && record.status < 300) message.state = 'delivered';
    else if (message.attempts > message.retries) message.state = 'dead';
    return record;
  }

  /** Delivers every pending message whose not-before has passed at `nowSeconds` (one attempt each). */
  async deliverDue(
    nowSeconds: number = this.now(),
    options: SignOptions = {},
  ): Promise<DeliveryRecord[]> {
    const due = this.messages.filter(
      (m) => m.state === 'pending' && (m.notBefore === undefined || m.notBefore <= nowSeconds),
    );
    const out: DeliveryRecord[] = [];
    for (const message of due) out.push(await this.deliver(message, options));
    return out;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

import type { Transformer } from 'grammy';

/**
 * Outgoing rate limits of a bot, as Telegram asks: about 30 messages a second overall and about
 * one a second per chat (short bursts allowed), and a 429 answer retried after its `retry_after`.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now();
  }

  /** Milliseconds to wait before the next send; takes the token when it is 0. */
  take(): number {
    const t = this.now();
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((t - this.updatedAt) / 1000) * this.perSecond,
    );
    this.updatedAt = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}

/** How many messages a bot may send: per chat and overall, each a burst and a steady rate. */
export interface OutgoingLimits {
  perChat?: { burst: number; perSecond: number };
  overall?: { burst: number; perSecond: number };
}

export interface RateLimitOptions extends OutgoingLimits {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  maxRetries?: number;
}

const SENDING = /^(send|copyMessage|forwardMessage)/;

export function rateLimiter(options: RateLimitOptions = {}): Transformer {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const perChat = options.perChat ?? { burst: 3, perSecond: 1 };
  const overall = new TokenBucket(
    options.overall?.burst ?? 30,
    options.overall?.perSecond ?? 30,
    now,
  );
  const chats = new Map<string, TokenBucket>();
  const maxRetries = options.maxRetries ?? 3;

  async function wait(bucket: TokenBucket): Promise<void> {
    for (let ms = bucket.take(); ms > 0; ms = bucket.take()) await sleep(ms);
  }

  return async (prev, method, payload, signal) => {
    if (SENDING.test(method)) {
      const chat = String((payload as { chat_id?: unknown }).chat_id ?? '');
      let bucket = chats.get(chat);
      if (!bucket) {
        if (chats.size > 10_000) chats.clear();
        bucket = new TokenBucket(perChat.burst, perChat.perSecond, now);
        chats.set(chat, bucket);
      }
      await wait(bucket);
      await wait(overall);
    }
    for (let attempt = 0; ; attempt++) {
      const result = await prev(method, payload, signal);
      const retryAfter =
        !result.ok && result.error_code === 429 ? result.parameters?.retry_after : undefined;
      if (retryAfter === undefined || attempt >= maxRetries) return result;
      await sleep(retryAfter * 1000);
    }
  };
}

import { describe, expect, it } from 'vitest';
import { rateLimiter, TokenBucket } from '../../tenants/bots/rate-limit.ts';

describe('outgoing rate limits', () => {
  it('lets a burst through, then spaces sends at the rate', () => {
    let t = 0;
    const bucket = new TokenBucket(3, 1, () => t);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(1000);
    t = 1000;
    expect(bucket.take()).toBe(0);
    t = 1500;
    expect(bucket.take()).toBe(500);
  });

  it('waits per chat and overall, and retries a 429 after retry_after', async () => {
    let t = 0;
    const slept: number[] = [];
    const limiter = rateLimiter({
      now: () => t,
      sleep: async (ms) => void (slept.push(ms), (t += ms)),
      perChat: { burst: 1, perSecond: 1 },
      overall: { burst: 100, perSecond: 100 },
    });
    const answers = [
      {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests',
        parameters: { retry_after: 3 },
      },
      { ok: true, result: true },
    ];
    let calls = 0;
    const prev = (async () => answers[Math.min(calls++, 1)]) as never;
    const first = await limiter(prev, 'sendMessage', { chat_id: 1, text: 'a' } as never);
    expect(first).toEqual({ ok: true, result: true });
    expect(slept).toEqual([3000]);
    await limiter(prev, 'sendMessage', { chat_id: 1, text: 'b' } as never);
    expect(slept).toEqual([3000]); // three seconds passed in the retry: the chat's token is back
    await limiter(prev, 'sendMessage', { chat_id: 1, text: 'c' } as never);
    expect(slept).toEqual([3000, 1000]);
    await limiter(prev, 'sendMessage', { chat_id: 2, text: 'd' } as never);
    expect(slept).toEqual([3000, 1000]);
    await limiter(prev, 'answerCallbackQuery', { callback_query_id: 'x' } as never);
    expect(slept).toEqual([3000, 1000]);
  });
});

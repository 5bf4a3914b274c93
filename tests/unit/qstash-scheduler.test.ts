import { describe, expect, it } from 'vitest';
import {
  createQstashScheduler,
  deduplicationId,
  jobCallbackUrl,
  notBeforeSeconds,
} from '../../tenants/jobs/qstash-scheduler.ts';

describe('QStash scheduler mapping', () => {
  const now = Date.UTC(2026, 10, 26, 9, 0, 0);

  it('not-before is unix seconds rounded up, so a job never fires before runAt', () => {
    expect(notBeforeSeconds(now + 60_000, now)).toBe(now / 1000 + 60);
    expect(notBeforeSeconds(now + 60_001, now)).toBe(now / 1000 + 61);
    expect(notBeforeSeconds(now + 1, now)).toBe(now / 1000 + 1);
  });

  it('a job due now or in the past gets no not-before (QStash delivers at once)', () => {
    expect(notBeforeSeconds(now, now)).toBeUndefined();
    expect(notBeforeSeconds(now - 3_600_000, now)).toBeUndefined();
  });

  it('refuses a runAt that is not a number of milliseconds', () => {
    expect(() => notBeforeSeconds(Number.NaN, now)).toThrow(RangeError);
  });

  it('the deduplication id is deterministic, readable, and uses only [A-Za-z0-9_-] (QStash refuses ":")', async () => {
    const id = await deduplicationId('hold_expire:3f1e0c8a-1b2c-4d5e-8f90-a1b2c3d4e5f6');
    expect(id).toBe(await deduplicationId('hold_expire:3f1e0c8a-1b2c-4d5e-8f90-a1b2c3d4e5f6'));
    expect(id).toMatch(/^hold_expire_3f1e0c8a-1b2c-4d5e-8f90-a1b2c3d4e5f6-[0-9a-f]{32}$/);
  });

  it('keys that read the same once cleaned still get different ids', async () => {
    const ids = await Promise.all(
      ['a:b', 'a_b', 'a/b', 'a b', 'a:b:', 'а:b' /* Cyrillic а */].map(deduplicationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('stays short for long and non-ASCII keys', async () => {
    const long = await deduplicationId(`reminder_send:${'x'.repeat(186)}`);
    expect(long.length).toBeLessThanOrEqual(97);
    expect(long).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await deduplicationId('дайджест:2026-11-26')).toMatch(/^_{9}2026-11-26-[0-9a-f]{32}$/);
  });

  it('refuses an empty key', async () => {
    await expect(deduplicationId('')).rejects.toThrow(RangeError);
  });

  it('callback URL is PUBLIC_URL + /jobs/<kind>, whatever trailing slashes PUBLIC_URL has', () => {
    expect(jobCallbackUrl('https://bots.example.com/', 'hold_expire')).toBe(
      'https://bots.example.com/jobs/hold_expire',
    );
    expect(jobCallbackUrl('https://example.com/slotbot', 'digest_admin')).toBe(
      'https://example.com/slotbot/jobs/digest_admin',
    );
  });

  it('refuses a key longer than the port allows before publishing anything', async () => {
    // Port 9 (discard) would fail the publish with a network error, not with this message.
    const scheduler = createQstashScheduler({
      token: 't',
      baseUrl: 'http://127.0.0.1:9',
      publicUrl: 'https://bots.example.com',
      publishRetry: false,
    });
    await expect(
      scheduler.schedule({ kind: 'hold_expire', runAt: now, key: 'k'.repeat(201), payload: {} }),
    ).rejects.toThrow(/at most 200 characters/);
  });
});

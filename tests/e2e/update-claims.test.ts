import { describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import { claimUpdate, finishUpdate } from '../../db/queries/bots.ts';
import { MAX_CLAIMS } from '../../tenants/bots/update-run.ts';
import { dayLabel } from '../support/booking-world.ts';
import type { ChatUser } from '../support/bot-harness.ts';
import { useBotWorld } from '../support/bot-world.ts';

/** Short, so that a lease can run out within a test. */
const LEASE_SECONDS = 3;

describe('update claims: nothing answered 200 unless handled, nothing handled twice', () => {
  const t = useBotWorld('update_claims', {
    world: { masters: 2, clients: 1 },
    harness: { leaseSeconds: LEASE_SECONDS },
  });

  /** A claim on `updateId` as a delivery that then died would have left it. */
  const leftBehind = (updateId: number, lease: string, claims = 1) =>
    asPlatform(t.db, (tx) =>
      tx.query(
        `insert into telegram_updates (tenant_id, bot_id, update_id, claim_token, lease_until, claims) values ($1, $2, $3, gen_random_uuid(), now() + $4::interval, $5)`,
        [t.w.tenantId, t.h.botId, updateId, lease, claims],
      ),
    );
  const claimRow = async (updateId: number) =>
    (
      await asPlatform(t.db, (tx) =>
        tx.query<{ state: string; claims: number }>(
          'select state, claims from telegram_updates where bot_id = $1 and update_id = $2',
          [t.h.botId, updateId],
        ),
      )
    )[0];

  it('a redelivery that finds a live claim is answered 503 with Retry-After, and nothing is done', async () => {
    const u = t.h.user(7201);
    const update = u.messageUpdate('/start') as { update_id: number };
    await leftBehind(update.update_id, '45 seconds');
    const res = await t.h.post(JSON.stringify(update));
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(40);
    expect(u.messages()).toHaveLength(0);
    expect(await claimRow(update.update_id)).toMatchObject({ state: 'processing', claims: 1 });
  });

  it('a claim whose lease ran out (its handler died) is taken over and the update handled once', async () => {
    const u = t.h.user(7202);
    const update = u.messageUpdate('/start') as { update_id: number };
    await leftBehind(update.update_id, '-1 second');
    expect(await u.deliver(update)).toBe(200);
    expect(u.screen().text).toContain('Welcome to');
    expect(await claimRow(update.update_id)).toMatchObject({ state: 'done', claims: 2 });
    // Delivered once more: done already, answered 200 with nothing sent.
    expect(await u.deliver(update)).toBe(200);
    expect(u.messages()).toHaveLength(1);
  });

  it(`an update taken over more than ${MAX_CLAIMS} times is given up, not retried for a day`, async () => {
    const u = t.h.user(7203);
    const update = u.messageUpdate('/start') as { update_id: number };
    await leftBehind(update.update_id, '-1 second', MAX_CLAIMS);
    expect(await u.deliver(update)).toBe(200);
    expect(u.messages()).toHaveLength(0);
    expect(await claimRow(update.update_id)).toMatchObject({ state: 'abandoned' });
    expect(t.h.logs.some((l) => l.event === 'update_abandoned' && l.level === 'error')).toBe(true);
  });

  it('a claim is finished only by the delivery holding it: a handler that lost its lease cannot mark it done', async () => {
    const key = { tenantId: t.w.tenantId, botId: t.h.botId, updateId: 990_001 };
    const first = crypto.randomUUID();
    const second = crypto.randomUUID();
    expect(
      await asPlatform(t.db, (tx) =>
        claimUpdate(tx, { ...key, token: first, leaseSeconds: 30, maxClaims: MAX_CLAIMS }),
      ),
    ).toEqual({ kind: 'claimed', claims: 1 });
    expect(
      await asPlatform(t.db, (tx) =>
        claimUpdate(tx, { ...key, token: second, leaseSeconds: 30, maxClaims: MAX_CLAIMS }),
      ),
    ).toMatchObject({ kind: 'busy' });
    await asPlatform(t.db, (tx) =>
      tx.query(
        "update telegram_updates set lease_until = now() - interval '1 second' where update_id = $1",
        [key.updateId],
      ),
    );
    expect(
      await asPlatform(t.db, (tx) =>
        claimUpdate(tx, { ...key, token: second, leaseSeconds: 30, maxClaims: MAX_CLAIMS }),
      ),
    ).toEqual({ kind: 'claimed', claims: 2 });
    expect(await asPlatform(t.db, (tx) => finishUpdate(tx, { ...key, token: first }))).toBe(false);
    expect(await claimRow(key.updateId)).toMatchObject({ state: 'processing' });
    expect(await asPlatform(t.db, (tx) => finishUpdate(tx, { ...key, token: second }))).toBe(true);
    expect(
      await asPlatform(t.db, (tx) =>
        claimUpdate(tx, { ...key, token: first, leaseSeconds: 30, maxClaims: MAX_CLAIMS }),
      ),
    ).toEqual({ kind: 'done' });
  });

  async function toSummary(u: ChatUser): Promise<void> {
    await u.send('/start');
    await u.press('Book');
    await u.press(/^cut/);
    await u.press('Continue');
    await u.press('Master 2');
    await u.press(dayLabel(2));
    await u.press('Later');
    await u.press('11:00 AM');
    expect(u.screen().text).toContain('Please check your booking');
  }

  it('booked, then Telegram failed before "Booked!" was shown: 503, and the redelivery shows it once', async () => {
    const u = t.h.user(7204);
    await toSummary(u);
    const confirm = u.pressUpdate('Confirm');
    t.h.stub.failNext('editMessageText', { status: 502, description: 'Bad Gateway' });
    expect(await u.deliver(confirm)).toBe(503);
    const bookings = () =>
      asPlatform(t.db, (tx) =>
        tx.query<{ id: string; status: string }>(
          'select b.id, b.status from bookings b join clients c on c.id = b.client_id where c.telegram_user_id = $1',
          [u.id],
        ),
      );
    expect(await bookings()).toHaveLength(1);
    expect(u.screen().text).toContain('Please check your booking');

    expect(await u.deliver(confirm)).toBe(200);
    const [booking] = await bookings();
    expect(booking!.status).toBe('confirmed');
    expect(await bookings()).toHaveLength(1);
    expect(u.screen().text).toContain('Booked!');
    expect(u.messages().filter((m) => m.text.includes('Booked!'))).toHaveLength(1);
    const history = await asPlatform(t.db, (tx) =>
      tx.query<{ to_status: string }>(
        'select to_status from booking_status_history where booking_id = $1 order by occurred_at',
        [booking!.id],
      ),
    );
    expect(history.map((r) => r.to_status)).toEqual(['held', 'confirmed']);
    // Telegram delivering it yet again changes nothing.
    expect(await u.deliver(confirm)).toBe(200);
    expect(u.messages().filter((m) => m.text.includes('Booked!'))).toHaveLength(1);
  });

  it('a delivery whose lease was taken over stops talking to the chat; the one that took it over answers', async () => {
    const u = t.h.user(7205);
    await u.send('/start');
    const press = u.pressUpdate('Book') as { update_id: number; callback_query: { id: string } };
    // Telegram is slow to confirm the edit, and meanwhile the lease is lost (as when renewals stall).
    t.h.stub.delayNext('editMessageText', 2_500);
    const first = u.deliver(press);
    await new Promise((r) => setTimeout(r, 400));
    await asPlatform(t.db, (tx) =>
      tx.query(
        "update telegram_updates set lease_until = now() - interval '1 second' where bot_id = $1 and update_id = $2",
        [t.h.botId, press.update_id],
      ),
    );
    // Telegram's redelivery reaches another instance, which takes the update over.
    const other = await t.h.startInstance();
    expect(await t.h.deliver(press, undefined, other)).toBe(200);
    const firstStatus = await first;
    expect(firstStatus).toBe(503);
    expect(firstStatus).toBe(503);
    const answers = t.h.stub
      .callsOf('answerCallbackQuery')
      .filter((c) => c.params.callback_query_id === press.callback_query.id);
    expect(answers).toHaveLength(1);
    expect(t.h.logs.some((l) => l.event === 'update_lease_lost')).toBe(true);
    expect(await claimRow(press.update_id)).toMatchObject({ state: 'done', claims: 2 });
  });
});

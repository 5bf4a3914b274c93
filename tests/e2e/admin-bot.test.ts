import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld, type BookingWorld } from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { AdminClient, csrfOf, linkIn } from '../support/admin-client.ts';

/**
 * The bot settings page against the real app, PostgreSQL and the Telegram stand-in: a new token
 * for the same bot (the bot goes on answering with it), card payments on and off (the token
 * stored encrypted), and every refusal (another bot's token, malformed or unknown tokens, another
 * role, another business) leaving the bot's row as it was.
 */
describe('admin bot settings', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  const OWNER = 9_300_001;
  const MANAGER = 9_300_002;
  const BOT_NUMBER = 7_400_000 + Math.floor(Math.random() * 100_000);

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_bot'));
    w = await createBookingWorld(db, { masters: 1, clients: 0 });
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', $2), ($1, 'manager', 'Mark', $3)",
        [w.tenantId, OWNER, MANAGER],
      ),
    );
    h = new BotHarness(db);
    await h.start(w.tenantId, `${BOT_NUMBER}:AAE${'a'.repeat(32)}`);
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  const signedIn = (telegramId: number): Promise<AdminClient> => h.signIn(telegramId);
  const botRow = async () =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{
          token_ciphertext: string;
          payment_token_ciphertext: string | null;
          webhook_secret_ciphertext: string;
        }>(
          'select token_ciphertext, payment_token_ciphertext, webhook_secret_ciphertext from tenant_bots where id = $1',
          [h.botId],
        ),
      )
    )[0]!;

  it('shows the bot, its webhook as Telegram reports it, and no card payments yet', async () => {
    const page = await (await signedIn(OWNER)).get('/admin/bot');
    expect(page.status).toBe(200);
    expect(page.html).toContain('@studio_test_bot');
    expect(page.html).toContain(`/tg/${h.botId}`);
    expect(page.html).toContain('no card payments');
  });

  it('refuses another bot’s, a malformed and an unknown token, changing nothing', async () => {
    const owner = await signedIn(OWNER);
    const before = await botRow();
    const other = `${BOT_NUMBER + 1}:AAE${'o'.repeat(32)}`;
    h.stub.addBot(other, 'other_bot');
    const wrong = await owner.submit('/admin/bot', `/admin/bot/${h.botId}/token`, { token: other });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('That token is of another bot, not @studio_test_bot');
    expect(
      (await owner.submit('/admin/bot', `/admin/bot/${h.botId}/token`, { token: 'nonsense' }))
        .status,
    ).toBe(422);
    const unknown = await owner.submit('/admin/bot', `/admin/bot/${h.botId}/token`, {
      token: `${BOT_NUMBER}:AAE${'z'.repeat(32)}`,
    });
    expect(unknown.status).toBe(422);
    expect(unknown.html).toContain('Telegram does not know this token');
    expect(await botRow()).toEqual(before);
  });

  it('a new token of the same bot replaces the old one: the bot answers with it, through a new webhook secret', async () => {
    const owner = await signedIn(OWNER);
    const before = await botRow();
    const fresh = `${BOT_NUMBER}:AAE${'n'.repeat(32)}`;
    h.stub.addBot(fresh, 'studio_test_bot');
    const done = await owner.submit('/admin/bot', `/admin/bot/${h.botId}/token`, { token: fresh });
    expect(done.status).toBe(303);
    const after = await botRow();
    expect(after.token_ciphertext).not.toBe(before.token_ciphertext);
    expect(after.webhook_secret_ciphertext).not.toBe(before.webhook_secret_ciphertext);
    expect(after.token_ciphertext).not.toContain('nnnn');
    h.useBot(h.botId, fresh);
    const client = h.user(9_300_100);
    expect(await client.send('/start')).toBe(200);
    expect(h.stub.last(fresh, 9_300_100).text).toContain('Welcome to');
    expect((await owner.get('/admin/audit')).html).toContain('Replaced the bot’s token');
  });

  it('card payments: a provider token turns them on (stored encrypted), off removes it; a malformed one is refused', async () => {
    const owner = await signedIn(OWNER);
    const bad = await owner.submit('/admin/bot', `/admin/bot/${h.botId}/payments`, {
      payment_token: 'card-please',
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('That is not a payment provider token');
    expect((await botRow()).payment_token_ciphertext).toBeNull();
    expect(
      (
        await owner.submit('/admin/bot', `/admin/bot/${h.botId}/payments`, {
          payment_token: '284685063:TEST:abcdEFGH1234',
        })
      ).status,
    ).toBe(303);
    const on = (await botRow()).payment_token_ciphertext;
    expect(on).not.toBeNull();
    expect(on).not.toContain('abcdEFGH1234');
    expect((await owner.get('/admin/bot')).html).toContain('card payments on');
    expect((await owner.submit('/admin/bot', `/admin/bot/${h.botId}/payments/off`)).status).toBe(
      303,
    );
    expect((await botRow()).payment_token_ciphertext).toBeNull();
  });

  it('a manager cannot open or change it; another business’s owner gets 404 and changes nothing', async () => {
    const manager = await signedIn(MANAGER);
    expect((await manager.get('/admin/bot')).status).toBe(403);
    const page = await manager.get('/admin/staff');
    expect(
      (
        await manager.post(`/admin/bot/${h.botId}/payments`, {
          _csrf: csrfOf(page.html),
          payment_token: '284685063:TEST:abcdEFGH1234',
        })
      ).status,
    ).toBe(403);

    const other = await createBookingWorld(db, { masters: 1, clients: 0 });
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Oscar', 9300900)",
        [other.tenantId],
      ),
    );
    const otherHarness = new BotHarness(db);
    await otherHarness.start(other.tenantId);
    try {
      const u = otherHarness.user(9_300_900);
      await u.send('/admin');
      const oscar = new AdminClient(otherHarness.baseUrl);
      await oscar.signInWithLink(linkIn(u.lastMessage().text));
      const before = await botRow();
      const form = await oscar.get('/admin/bot');
      expect(form.html).not.toContain(h.botId);
      expect(
        (
          await oscar.post(`/admin/bot/${h.botId}/payments`, {
            _csrf: csrfOf(form.html),
            payment_token: '284685063:TEST:abcdEFGH1234',
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await oscar.post(`/admin/bot/${h.botId}/token`, {
            _csrf: csrfOf(form.html),
            token: `${BOT_NUMBER}:AAE${'n'.repeat(32)}`,
          })
        ).status,
      ).toBe(404);
      expect(await botRow()).toEqual(before);
    } finally {
      await otherHarness.stop();
    }
  });
});

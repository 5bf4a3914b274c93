import { describe, expect, it } from 'vitest';
import { claimUpdate } from '../../db/queries/bots.ts';
import { asPlatform } from '../../db/scope.ts';
import { createPollingRunner } from '../../tenants/bots/polling.ts';
import { createUpdateDelivery } from '../../tenants/bots/update-delivery.ts';
import { MAX_CLAIMS } from '../../tenants/bots/update-run.ts';
import { createLogger } from '../../tenants/observability/logger.ts';
import { bookVisitFor, localStart } from '../support/booking-world.ts';
import { useBotWorld } from '../support/bot-world.ts';
import { ChatUser, pollingEndpoint } from '../support/chat-user.ts';

/**
 * A button press is answered in the webhook's own 200 response (a webhook reply: Telegram makes the
 * answerCallbackQuery call it names), never with a 503 or for a delivery that did not handle the
 * update; exactly once when a handler fails; and with a call of its own when the bot polls.
 */
describe('button presses answered in the webhook response', () => {
  const t = useBotWorld('webhook_reply', { world: { masters: 2, clients: 1 } });

  /** Posts an update as Telegram does and returns the raw answer (nothing is made at the stand-in). */
  const post = async (update: Record<string, unknown>) => {
    const res = await t.h.post(JSON.stringify(update));
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  const idOf = (press: Record<string, unknown>) => (press.callback_query as { id: string }).id;
  const answersTo = (id: string) =>
    t.h.stub.callsOf('answerCallbackQuery').filter((c) => c.params.callback_query_id === id);

  it('a press gets 200 with its answerCallbackQuery in the body, and the chat shows the new screen', async () => {
    const u = t.h.user(7301);
    await u.send('/start');
    const press = u.pressUpdate('Book');
    const answer = await post(press);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({
      method: 'answerCallbackQuery',
      callback_query_id: idOf(press),
    });
    expect(u.screen().text).toContain('Choose one or more services');
    // Not answered by a call of its own: Telegram makes the call the response names.
    expect(answersTo(idOf(press))).toEqual([]);
    t.h.stub.applyWebhookReply(t.h.token, answer.body);
    expect(answersTo(idOf(press))).toHaveLength(1);
  });

  it('a toast goes with the answer: a button of a screen since left is "out of date"', async () => {
    const u = t.h.user(7302);
    await u.send('/start');
    await u.press('Book');
    const services = u.lastMessage();
    const stale = u.pressUpdate(/^cut/, services);
    await u.press(/^style/);
    await u.press('Continue');
    const answer = await post(stale);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      method: 'answerCallbackQuery',
      callback_query_id: idOf(stale),
      text: 'That menu is out of date; here is the current one.',
    });
  });

  it('a duplicate delivery of a press already done gets 200 with no reply', async () => {
    const u = t.h.user(7303);
    await u.send('/start');
    const press = u.pressUpdate('Book');
    expect((await post(press)).body).not.toBe('');
    const again = await post(press);
    expect(again).toMatchObject({ status: 200, body: '' });
  });

  it('a press another delivery is handling gets 503 with a problem, not a reply', async () => {
    const u = t.h.user(7304);
    await u.send('/start');
    const press = u.pressUpdate('Book');
    await asPlatform(t.db, (tx) =>
      claimUpdate(tx, {
        tenantId: t.w.tenantId,
        botId: t.h.botId,
        updateId: press.update_id as number,
        token: crypto.randomUUID(),
        leaseSeconds: 60,
        maxClaims: MAX_CLAIMS,
      }),
    );
    const answer = await post(press);
    expect(answer.status).toBe(503);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).not.toHaveProperty('method');
    expect(u.screen().text).toContain('Welcome to');
  });

  /**
   * A press whose handler failed: 200 with its answer in the body, the apology in the chat, and the
   * press answered exactly once (the delivery does not answer it again on its own; Telegram would
   * refuse a second answer).
   */
  async function expectApologyAnsweredOnce(u: ChatUser, press: Record<string, unknown>) {
    const answer = await post(press);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      method: 'answerCallbackQuery',
      callback_query_id: idOf(press),
    });
    t.h.stub.applyWebhookReply(t.h.token, answer.body);
    expect(u.lastMessage().text).toBe(
      'Sorry, something went wrong on our side. Please try again in a moment.',
    );
    expect(answersTo(idOf(press))).toHaveLength(1);
  }

  it('a handler failing before the answer: the apology is sent and the press answered once, in the response', async () => {
    const u = t.h.user(7305);
    await u.send('/start');
    const press = u.pressUpdate('Book');
    t.h.stub.failNext('editMessageText', {
      status: 400,
      description: "Bad Request: message can't be edited",
    });
    await expectApologyAnsweredOnce(u, press);
  });

  /** A client with a confirmed visit, on that visit's screen (which has "Add to calendar"). */
  async function onVisitScreen(userId: number): Promise<ChatUser> {
    const u = t.h.user(userId);
    await u.send('/start');
    await bookVisitFor(t.db, t.w, userId, {
      start: localStart(4, `${14 + (userId % 3)}:00`),
      master: 1,
    });
    await u.press('My bookings');
    await u.press(/cut/);
    return u;
  }

  it('a handler failing after the answer (a file not sent): the captured answer goes out, once', async () => {
    const u = await onVisitScreen(7306);
    const press = u.pressUpdate('Add to calendar');
    t.h.stub.failNext('sendDocument', { status: 400, description: 'Bad Request: file is too big' });
    await expectApologyAnsweredOnce(u, press);
  });

  it('a press answered during handling whose effect does not commit gets 503 without the answer; the redelivery carries it', async () => {
    const u = await onVisitScreen(7308);
    const press = u.pressUpdate('Add to calendar');
    // The answer is captured before the file goes out; the chat's session changes meanwhile, so
    // the save (with the "done" mark) does not commit.
    const held = t.h.stub.holdNext('sendDocument');
    const first = post(press);
    const deadline = Date.now() + 10_000;
    while (!t.h.stub.callsOf('sendDocument').some((c) => Number(c.params.chat_id) === 7308)) {
      if (Date.now() > deadline) throw new Error('the file was never sent');
      await new Promise((r) => setTimeout(r, 10));
    }
    await asPlatform(t.db, (tx) =>
      tx.query('update bot_sessions set version = version + 1 where bot_id = $1 and chat_id = $2', [
        t.h.botId,
        7308,
      ]),
    );
    held.release();
    const answer = await first;
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).not.toHaveProperty('method');
    const again = await post(press);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({
      method: 'answerCallbackQuery',
      callback_query_id: idOf(press),
    });
  });

  it('polling has no response to carry it: the press is answered with a call of its own', async () => {
    const runner = createPollingRunner({
      db: t.db,
      registry: t.h.services.registry,
      deliver: createUpdateDelivery({ db: t.db }),
      apiRoot: t.h.stub.apiRoot,
      logger: createLogger({ level: 'silent', writer: () => {} }),
    });
    runner.start();
    try {
      const u = new ChatUser(pollingEndpoint(t.h.stub, t.h.token, 20_000), 7307, 'en', 'Pol');
      expect(await u.send('/start')).toBe(200);
      const press = u.pressUpdate('Book');
      expect(await u.deliver(press)).toBe(200);
      expect(u.screen().text).toContain('Choose one or more services');
      expect(answersTo(idOf(press))).toHaveLength(1);
    } finally {
      await runner.stop();
    }
  });
});

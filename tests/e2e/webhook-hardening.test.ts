import { describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import { createEmbeddedScheduler } from '../../tenants/jobs/embedded-runner.ts';
import { createLogger } from '../../tenants/observability/logger.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { createServices } from '../../tenants/services.ts';
import { bookVisitFor, dayLabel, localStart } from '../support/booking-world.ts';
import type { ChatUser } from '../support/bot-harness.ts';
import { useBotWorld } from '../support/bot-world.ts';

describe('webhook hardening: malformed and forged updates, floods, failed sends', () => {
  const t = useBotWorld('webhook_hardening', { world: { masters: 2, clients: 1 } });

  const clientCount = async () =>
    (
      await asPlatform(t.db, (tx) =>
        tx.query<{ n: number }>('select count(*)::int as n from clients where tenant_id = $1', [
          t.w.tenantId,
        ]),
      )
    )[0]!.n;
  const problemOf = async (res: Response) => ({
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as { title: string; problems?: string[] },
  });

  it('malformed updates with a valid secret are refused with 400 and the fields named, never a 5xx, and create no client', async () => {
    const before = await clientCount();
    const bodies = [
      { update_id: 5, message: {} },
      { update_id: 6, message: true },
      { update_id: 8, callback_query: { id: 'x', message: {} } },
      { update_id: 9 + 0.5 },
      'not an object',
      [1, 2, 3],
    ];
    for (const body of bodies) {
      const res = await problemOf(await t.h.post(JSON.stringify(body)));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.type).toContain('application/problem+json');
    }
    const message = (await problemOf(await t.h.post(JSON.stringify(bodies[0])))).body;
    expect(message.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^message\.chat: /),
        expect.stringMatching(/^message\.message_id: /),
      ]),
    );
    expect(await clientCount()).toBe(before);
  });

  it('absurd but well-shaped values are refused by validation, not by a failed insert', async () => {
    const before = await clientCount();
    const u = t.h.user(7100);
    const base = u.messageUpdate('/start') as {
      update_id: number;
      message: Record<string, unknown>;
    };
    const withFrom = (from: Record<string, unknown>, chatId = from.id) => ({
      ...base,
      message: {
        ...base.message,
        from: { ...(base.message.from as object), ...from },
        chat: { id: chatId, type: 'private', first_name: 'x' },
      },
    });
    const cases: [unknown, RegExp][] = [
      [withFrom({ id: 0 }), /message\.from\.id/],
      [withFrom({ id: -5 }), /message\.from\.id/],
      [withFrom({ id: 12.5 }), /message\.from\.id/],
      [withFrom({ id: 2 ** 53 }), /message\.from\.id/],
      [withFrom({ first_name: 'x'.repeat(201) }), /message\.from\.first_name/],
      [withFrom({ first_name: 'Ann\u0000' }), /message\.from\.first_name: contains a NUL/],
      [{ ...base, update_id: -1 }, /update_id/],
    ];
    for (const [body, problem] of cases) {
      const res = await problemOf(await t.h.post(JSON.stringify(body)));
      expect(res.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(res.body.problems!.join('\n')).toMatch(problem);
    }
    expect(await clientCount()).toBe(before);
  });

  it('display fields that look odd are dropped, not a reason to refuse a real update', async () => {
    const u = t.h.user(7106);
    const update = u.messageUpdate('/start') as { message: { from: Record<string, unknown> } };
    update.message.from = {
      ...update.message.from,
      username: 'has space',
      language_code: 'classic-zh-cn-x',
      last_name: '',
    };
    expect(await u.deliver(update)).toBe(200);
    expect(u.screen().text).toContain('Welcome to');
    const [client] = await asPlatform(t.db, (tx) =>
      tx.query<{ username: string | null; last_name: string | null }>(
        'select username, last_name from clients where telegram_user_id = 7106',
      ),
    );
    expect(client).toEqual({ username: null, last_name: null });
  });

  it('an update carrying two kinds of content is refused; other kinds in a private chat touch no session or client', async () => {
    const ann = t.h.user(7107);
    const bob = t.h.user(7108);
    await bob.send('/start');
    const both = {
      ...(ann.messageUpdate('hi') as object),
      callback_query: (bob.pressUpdate('Book') as { callback_query: unknown }).callback_query,
    };
    const res = await problemOf(await t.h.post(JSON.stringify(both)));
    expect(res.status).toBe(400);
    expect(res.body.problems!.join()).toContain(
      'carries 2 kinds of content (message, callback_query)',
    );
    // A member update in a private chat, from an id no Telegram user has: answered, nothing stored.
    const member = {
      update_id: 880_001,
      my_chat_member: {
        chat: { id: 2 ** 60, type: 'private' },
        from: { id: 2 ** 60, is_bot: false, first_name: 'x' },
        date: 1,
        old_chat_member: {},
        new_chat_member: {},
      },
    };
    expect((await t.h.post(JSON.stringify(member))).status).toBe(200);
    const [row] = await asPlatform(t.db, (tx) =>
      tx.query<{ n: number }>(
        'select count(*)::int as n from clients where telegram_user_id > 9007199254740991 or telegram_user_id = 7107',
      ),
    );
    expect(row!.n).toBe(0);
  });

  it('a forged day far in the future on the days screen is "out of date", not an error', async () => {
    const u = t.h.user(7101);
    await u.send('/start');
    await u.press('Book');
    await u.press(/^cut/);
    await u.press('Continue');
    await u.press('Master 1');
    const days = u.lastMessage();
    const press = u.pressUpdate(dayLabel(1), days) as { callback_query: { data: string } };
    press.callback_query.data = press.callback_query.data.replace(
      /d:\d{4}-\d{2}-\d{2}/,
      'd:9999-12-31',
    );
    expect(await u.deliver(press)).toBe(200);
    expect(t.h.stub.callsOf('answerCallbackQuery').at(-1)!.params).toMatchObject({
      text: 'That menu is out of date; here is the current one.',
    });
    expect(u.screen().text).toContain('Choose a day');
    // The real buttons still work.
    await u.press(dayLabel(1));
    expect(u.screen().buttons.flat().length).toBeGreaterThan(0);
  });

  it("an update from one person in another's private chat is refused and changes nothing there", async () => {
    const ann = t.h.user(7102);
    const bob = t.h.user(7103);
    await bob.send('/start');
    const { bookingId } = await bookVisitFor(t.db, t.w, 7103, {
      start: localStart(3, '11:00'),
      confirm: true,
    });
    // Bob opens his visit and gets to the cancel button.
    await bob.press('My bookings');
    await bob.press(/cut/);
    const visit = bob.lastMessage();
    // Ann's "press" on Bob's screen, in Bob's chat.
    const forged = bob.pressUpdate('Yes, cancel', visit) as {
      callback_query: { from: { id: number } };
    };
    forged.callback_query.from = { ...forged.callback_query.from, id: ann.id };
    const res = await problemOf(await t.h.post(JSON.stringify(forged)));
    expect(res.status).toBe(400);
    expect(res.body.problems!.join()).toContain('callback_query.from.id');
    // A message "from" Ann in Bob's chat likewise.
    const message = bob.messageUpdate('hello') as { message: { from: { id: number } } };
    message.message.from.id = ann.id;
    expect((await t.h.post(JSON.stringify(message))).status).toBe(400);
    const [row] = await asPlatform(t.db, (tx) =>
      tx.query<{ status: string }>('select status from bookings where id = $1', [bookingId]),
    );
    expect(row!.status).toBe('confirmed');
    const history = await asPlatform(t.db, (tx) =>
      tx.query<{ actor_id: string | null }>(
        'select actor_id from booking_status_history where booking_id = $1',
        [bookingId],
      ),
    );
    expect(history.map((r) => r.actor_id)).not.toContain(`tg:${ann.id}`);
  });

  it('a chat flooding the bot with 40 messages gets its screen twice (the first, and one for the rest); every request is answered 200', async () => {
    const u = t.h.user(7104);
    await u.send('/start');
    const before = t.h.stub.callsOf('sendMessage').filter((c) => c.params.chat_id === u.id).length;
    // Telegram stalls on the first reply, so the whole flood arrives while it is being answered.
    const stalled = t.h.stub.holdNext('sendMessage');
    let answered = 0;
    const flood = Array.from({ length: 40 }, (_, i) =>
      u.send(`spam ${i}`).then((status) => (answered++, status)),
    );
    // The first is being answered and one waits behind it: the other 38 are answered at once.
    while (answered < 38) await new Promise((r) => setTimeout(r, 20));
    stalled.release();
    const statuses = await Promise.all(flood);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const replies =
      t.h.stub.callsOf('sendMessage').filter((c) => c.params.chat_id === u.id).length - before;
    expect(replies).toBe(2);
    expect(t.h.logs.filter((l) => l.event === 'update_coalesced').length).toBeGreaterThanOrEqual(
      38,
    );
  });

  it('concurrent first updates of a bot share one build of it (one chat line, one set of limits)', async () => {
    const services = createServices({
      db: t.db,
      logger: createLogger({ level: 'silent', writer: () => {} }),
      secrets: await createSecretBox(new Uint8Array(32).fill(5)),
      scheduler: createEmbeddedScheduler(t.db),
      apiRoot: t.h.stub.apiRoot,
      now: () => Date.now(),
    });
    const built = await Promise.all(
      Array.from({ length: 12 }, () => services.registry.get(t.h.botId)),
    );
    expect(new Set(built.map((b) => b!.bot)).size).toBe(1);
  });

  it('a file that fails to send after the screen changed: the user is told, and the screen keeps working', async () => {
    const u: ChatUser = t.h.user(7105);
    await u.send('/start');
    await bookVisitFor(t.db, t.w, 7105, {
      start: localStart(4, '15:00'),
      master: 1,
      confirm: true,
    });
    await u.press('My bookings');
    await u.press(/cut/);
    const visit = u.lastMessage();
    t.h.stub.failNext('sendDocument', { status: 400, description: 'Bad Request: file is too big' });
    expect(await u.press('Add to calendar', visit)).toBe(200);
    expect(u.lastMessage().text).toBe(
      'Sorry, something went wrong on our side. Please try again in a moment.',
    );
    // The next tap on the visit's screen is taken as a tap, not as an outdated menu.
    const answersBefore = t.h.stub.callsOf('answerCallbackQuery').length;
    expect(await u.press('Back', visit)).toBe(200);
    const answer = t.h.stub.callsOf('answerCallbackQuery').slice(answersBefore).at(-1)!;
    expect(answer.params.text).toBeUndefined();
    expect(visit.text).toContain('Your upcoming visits');
    // Telegram failing for a moment (502) after the screen changed: the update is done all the
    // same (a redelivery would find that screen's button outdated): an apology, 200.
    await u.press(/cut/, visit);
    t.h.stub.failNext('sendDocument', { status: 502, description: 'Bad Gateway' });
    expect(await u.press('Add to calendar', visit)).toBe(200);
    expect(u.lastMessage().text).toBe(
      'Sorry, something went wrong on our side. Please try again in a moment.',
    );
    // And the file goes out on the next try.
    expect(await u.press('Add to calendar', visit)).toBe(200);
    expect(t.h.stub.filesOf(t.h.token, u.id)).toHaveLength(1);
  });
});

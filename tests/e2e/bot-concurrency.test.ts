import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import type { FlowSession } from '../../tenants/bots/navigation.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld, type BookingWorld } from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';

/**
 * A database whose session saves can be held back until `expected` chat sessions were loaded: two
 * app instances then both work from the same session version, and one of them must lose.
 */
function gatedDatabase(real: Database) {
  const gate = { armed: false, expected: 2, loads: 0, waiters: [] as (() => void)[] };
  const open = () => {
    for (const w of gate.waiters.splice(0)) w();
  };
  const wrap = <Q extends Pick<Database, 'query' | 'exec'>>(q: Q) => ({
    query: async (text: string, params?: readonly unknown[]) => {
      if (gate.armed && /app\.save_chat_update\(/.test(text) && gate.loads < gate.expected) {
        // Never forever: a test that gets the interleaving wrong fails on its assertions instead.
        await new Promise<void>((resolve) => {
          gate.waiters.push(resolve);
          setTimeout(resolve, 5_000);
        });
      }
      const rows = await q.query(text, params);
      if (gate.armed && /app\.open_chat_update\(/.test(text)) {
        gate.loads += 1;
        if (gate.loads >= gate.expected) open();
      }
      return rows;
    },
    exec: (script: string) => q.exec(script),
  });
  const db = {
    kind: real.kind,
    location: real.location,
    ...wrap(real),
    transaction: (fn: Parameters<Database['transaction']>[0]) =>
      real.transaction((tx) => fn({ ...tx, ...wrap(tx) } as typeof tx)),
    close: () => real.close(),
  } as Database;
  return {
    db,
    arm(expected = 2) {
      Object.assign(gate, { armed: true, expected, loads: 0 });
    },
    disarm() {
      gate.armed = false;
      open();
    },
  };
}

describe('tenant bot: concurrent updates of one chat lose no session writes', () => {
  let real: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let gate: ReturnType<typeof gatedDatabase>;
  let second: string;

  beforeAll(async () => {
    ({ db: real, cleanup } = await migratedPostgres('bot_concurrency'));
    w = await createBookingWorld(real, { masters: 2, clients: 1 });
    gate = gatedDatabase(real);
    h = new BotHarness(gate.db);
    await h.start(w.tenantId);
    // A second app instance over the same database: no shared chat mutex, no shared bot cache.
    second = await h.startInstance(gate.db);
  });
  afterAll(async () => {
    await h.stop();
    await cleanup();
  });

  async function session(chatId: number): Promise<FlowSession & { version: number }> {
    const [row] = await asPlatform(real, (tx) =>
      tx.query<{ data: FlowSession; version: number }>(
        'select data, version from bot_sessions where bot_id = $1 and chat_id = $2',
        [h.botId, chatId],
      ),
    );
    return { ...row!.data, version: row!.version };
  }
  const selected = async (chatId: number) => {
    const s = await session(chatId);
    const top = s.stack[s.stack.length - 1]!;
    expect(top.view).toBe('services');
    return [...((top.payload.selected as string[]) ?? [])].sort();
  };

  it('three toggles tapped at once on one message (one instance): all three are kept', async () => {
    const ann = h.user(901);
    await ann.send('/start');
    await ann.press('Book');
    const screen = ann.lastMessage();
    const taps = [/^cut/, /^style/, /^long/].map((label) => ann.pressUpdate(label, screen));
    expect(await Promise.all(taps.map((t) => h.deliver(t)))).toEqual([200, 200, 200]);
    expect(await selected(901)).toEqual([w.services.cut, w.services.style, w.services.long].sort());
    expect(ann.screen().text).toContain('3 services');
    expect(
      ann
        .screen()
        .buttons.flat()
        .filter((b) => b.startsWith('✅')),
    ).toHaveLength(3);
    // No tap was turned away as outdated.
    const ids = new Set(taps.map((t) => (t.callback_query as { id: string }).id));
    const answers = h.stub
      .callsOf('answerCallbackQuery')
      .filter((c) => ids.has(String(c.params.callback_query_id)));
    expect(answers.map((c) => c.params.text)).toEqual([undefined, undefined, undefined]);
  });

  it('a language switch racing a text message (one instance): the language is switched and the message answered', async () => {
    const bo = h.user(902);
    await bo.send('/start');
    await bo.press('Book');
    await bo.press(/^cut/);
    await bo.press('🌐');
    const sentBefore = h.stub
      .callsOf('sendMessage')
      .filter((c) => Number(c.params.chat_id) === 902).length;
    const switchTo = bo.pressUpdate('Русский');
    const hello = bo.messageUpdate('hello');
    expect(await Promise.all([h.deliver(hello), h.deliver(switchTo)])).toEqual([200, 200]);
    const s = await session(902);
    expect(s.lang).toBe('ru');
    expect(s.stack.map((e) => e.view)).toEqual(['menu', 'services']);
    expect(await selected(902)).toEqual([w.services.cut]);
    expect(
      h.stub.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === 902).length,
    ).toBe(sentBefore + 1);
    const [client] = await asPlatform(real, (tx) =>
      tx.query<{ language: string }>('select language from clients where telegram_user_id = 902'),
    );
    expect(client!.language).toBe('ru');
    await bo.send('?');
    expect(bo.screen().text).toContain('Выберите одну или несколько услуг.');
    expect(bo.screen().text).toContain('1 услуга');
  });

  it('two app instances, same chat, same moment: one loses the version race, answers 503, and the redelivery keeps both effects', async () => {
    const cy = h.user(903);
    await cy.send('/start');
    await cy.press('Book');
    const screen = cy.lastMessage();
    const before = await session(903);
    const toA = cy.pressUpdate(/^cut/, screen);
    const toB = cy.pressUpdate(/^colour/, screen);
    gate.arm(2);
    let statuses: number[];
    try {
      statuses = await Promise.all([h.deliver(toA), h.deliver(toB, undefined, second)]);
    } finally {
      gate.disarm();
    }
    expect([...statuses].sort()).toEqual([200, 503]);
    // Only the winner's write is in: one save, one toggle.
    const mid = await session(903);
    expect(mid.version).toBe(before.version + 1);
    expect((await selected(903)).length).toBe(1);
    expect(h.logs.some((l) => l.event === 'update_retry_later')).toBe(true);

    // Telegram redelivers the refused update (to either instance): now both toggles are in.
    const [lostUpdate, lostTo] = statuses[0] === 503 ? [toA, h.baseUrl] : [toB, second];
    expect(await h.deliver(lostUpdate, undefined, lostTo)).toBe(200);
    expect(await selected(903)).toEqual([w.services.cut, w.services.colour].sort());
    expect((await session(903)).version).toBe(before.version + 2);
    expect(cy.screen().text).toContain('2 services');
    // The redelivered query had been answered on the first try; that is no failure and no apology.
    expect(h.logs.some((l) => l.event === 'update_failed')).toBe(false);
    expect(h.stub.messages(h.token, 903).some((m) => m.text.includes('something went wrong'))).toBe(
      false,
    );
  });

  it('a language tap on one instance and a toggle on the other, from the same screen: the winner stays, the redelivered tap is applied if its screen is still on top, else called outdated', async () => {
    const dee = h.user(904);
    await dee.send('/start');
    await dee.press('Book');
    const screen = dee.lastMessage();
    // A toggle and a tap on 🌐 of the same services screen, each to its own instance.
    const toggle = dee.pressUpdate(/^style/, screen);
    const language = dee.pressUpdate('🌐', screen);
    gate.arm(2);
    let statuses: number[];
    try {
      statuses = await Promise.all([h.deliver(toggle), h.deliver(language, undefined, second)]);
    } finally {
      gate.disarm();
    }
    expect([...statuses].sort()).toEqual([200, 503]);
    const lost = statuses[0] === 503 ? toggle : language;
    expect(await h.deliver(lost)).toBe(200);
    const s = await session(904);
    if (lost === toggle) {
      // The language screen came first: the toggle of the screen it covers is outdated by design.
      expect(s.stack.map((e) => e.view)).toEqual(['menu', 'services', 'language']);
      expect(
        h.stub
          .callsOf('answerCallbackQuery')
          .some(
            (c) =>
              c.params.callback_query_id === (toggle.callback_query as { id: string }).id &&
              c.params.text,
          ),
      ).toBe(true);
    } else {
      expect(s.stack.map((e) => e.view)).toEqual(['menu', 'services', 'language']);
      expect((s.stack[1]!.payload.selected as string[]) ?? []).toEqual([w.services.style]);
    }
    await dee.press('Русский');
    expect(dee.screen().text).toContain('Выберите одну или несколько услуг.');
  });

  it('a button of a screen since left is still turned away as outdated', async () => {
    const eve = h.user(905);
    await eve.send('/start');
    await eve.press('Book');
    const services = eve.lastMessage();
    const stale = eve.pressUpdate(/^cut/, services);
    await eve.press(/^style/);
    await eve.press('Continue');
    expect(await h.deliver(stale)).toBe(200);
    expect(h.stub.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe(
      'That menu is out of date; here is the current one.',
    );
    const s = await session(905);
    expect(s.stack.map((e) => e.view)).toEqual(['menu', 'services', 'masters']);
    expect(s.stack[1]!.payload.selected).toEqual([w.services.style]);
  });
});

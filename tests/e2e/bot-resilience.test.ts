import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld, type BookingWorld } from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';

/** A database whose queries can be made to fail, the way an outage or a bug would. */
function faultyDatabase(real: Database) {
  const state = { down: false, failOn: undefined as RegExp | undefined };
  const check = (text: string) => {
    if (state.down)
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        code: 'ECONNREFUSED',
      });
    if (state.failOn?.test(text)) {
      state.failOn = undefined;
      throw Object.assign(new Error('a bug in a query'), { code: '42703' });
    }
  };
  const wrap = (q: Pick<Database, 'query' | 'exec'>) => ({
    query: (text: string, params?: readonly unknown[]) => (check(text), q.query(text, params)),
    exec: (script: string) => (check(script), q.exec(script)),
  });
  const db: Database = {
    kind: real.kind,
    location: real.location,
    ...wrap(real),
    transaction: (fn) => {
      if (state.down)
        return Promise.reject(
          Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        );
      return real.transaction((tx) => fn(wrap(tx) as typeof tx));
    },
    close: () => real.close(),
  } as Database;
  return { db, state };
}

describe('tenant bot: failures and maintenance', () => {
  let real: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let faults: ReturnType<typeof faultyDatabase>['state'];

  beforeAll(async () => {
    ({ db: real, cleanup } = await migratedPostgres('bot_faults'));
    w = await createBookingWorld(real, { masters: 1, clients: 1 });
    const faulty = faultyDatabase(real);
    faults = faulty.state;
    h = new BotHarness(faulty.db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h.stop();
    await cleanup();
  });

  it('answers 503 while the database is unreachable, and handles the redelivered update afterwards', async () => {
    const u = h.user(601);
    const update = u.messageUpdate('/start');
    faults.down = true;
    expect(await h.deliver(update)).toBe(503);
    faults.down = false;
    expect(await h.deliver(update)).toBe(200);
    expect(u.screen().text).toContain('Welcome to');
  });

  it('a bug in a handler is logged with the correlation id, the user gets an apology, the webhook answers 200', async () => {
    const u = h.user(602, 'ru');
    await u.send('/start');
    faults.failOn = /from public\.locations where tenant_id = \$1 and active/; // the menu's list of locations
    expect(await u.press('Записаться')).toBe(200);
    expect(u.lastMessage().text).toBe(
      'Извините, у нас что-то пошло не так. Попробуйте ещё раз через минуту.',
    );
    const failure = h.logs.find((l) => l.event === 'update_failed');
    expect(failure).toMatchObject({ level: 'error', tenant_id: w.tenantId, flow: 'bot' });
    expect(typeof failure!.correlation_id).toBe('string');
    expect(JSON.stringify(h.logs)).not.toContain(h.token);
  });

  it('maintenance refuses new bookings with the reason and when to come back; the menu still works', async () => {
    await asPlatform(real, (tx) =>
      tx.query(
        "update tenants set maintenance = true, maintenance_message = 'We are renovating.', maintenance_until = '2030-05-01T10:00:00Z' where id = $1",
        [w.tenantId],
      ),
    );
    try {
      const u = h.user(603);
      await u.send('/start');
      await u.press('Book');
      expect(u.screen().text).toContain('New bookings are paused for maintenance until');
      expect(u.screen().text).toContain('We are renovating.');
      await u.press('Back');
      expect(u.screen().text).toContain('Welcome to');
    } finally {
      await asPlatform(real, (tx) =>
        tx.query('update tenants set maintenance = false where id = $1', [w.tenantId]),
      );
    }
  });

  it('a suspended tenant bot answers with a short notice and does nothing else', async () => {
    await asPlatform(real, (tx) =>
      tx.query("update tenants set status = 'suspended' where id = $1", [w.tenantId]),
    );
    try {
      // The registry caches bots for a few minutes; a fresh harness reads the new state.
      const fresh = new BotHarness(real);
      await fresh.start(w.tenantId);
      try {
        const u = fresh.user(604);
        expect(await u.send('/start')).toBe(200);
        expect(u.lastMessage().text).toBe('This bot is not taking requests at the moment.');
        const [row] = await asPlatform(real, (tx) =>
          tx.query<{ n: number }>(
            'select count(*)::int as n from clients where telegram_user_id = 604',
          ),
        );
        expect(row!.n).toBe(0);
        // A button under an earlier screen: the notice again, and the button's spinner stops
        // (the press is answered in the webhook's response, as Telegram makes it).
        const press = u.pressUpdate('Book', {
          ...u.lastMessage(),
          reply_markup: { inline_keyboard: [[{ text: 'Book', callback_data: '1|book' }]] },
        });
        expect(await fresh.deliver(press)).toBe(200);
        expect(u.lastMessage().text).toBe('This bot is not taking requests at the moment.');
        const query = (press.callback_query as { id: string }).id;
        expect(
          fresh.stub
            .callsOf('answerCallbackQuery')
            .filter((call) => call.params.callback_query_id === query),
        ).toHaveLength(1);
      } finally {
        await fresh.stop();
      }
    } finally {
      await asPlatform(real, (tx) =>
        tx.query("update tenants set status = 'active' where id = $1", [w.tenantId]),
      );
    }
  });
});

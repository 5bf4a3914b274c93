import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import { useBotWorld } from '../support/bot-world.ts';

/**
 * Fuzzes the webhook with a valid secret: arbitrary JSON, Telegram-shaped updates with one value
 * replaced by something absurd, and well-formed updates whose texts and button data are random (so
 * they reach deep into the flow). Whatever arrives, the answer is never a 5xx and nothing invalid
 * is stored. Fixed seed: a failure is reproducible.
 */
const BODIES = Number(process.env.WEBHOOK_FUZZ_BODIES ?? 10_000);
const SEED = 20261130;
const USERS = [7301, 7302, 7303, 7304];

const absurd = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1.5,
    2 ** 53,
    -(2 ** 53),
    Number.MAX_VALUE,
    '',
    '\u0000',
    'x'.repeat(300),
    null,
    true,
    [],
    {},
    '9999-12-31',
    'ыы',
    '🙂'.repeat(40),
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

const action = fc.oneof(
  fc.constantFrom(
    'back',
    'lang',
    'ok',
    'ics',
    'again',
    'next',
    'm:any',
    'w:+1',
    'w:-1',
    'p:+1',
    'p:-1',
    'cancel',
    'move',
    'anyMaster',
    'book',
    'mine',
    'loc',
    'l:en',
    'l:ru',
  ),
  fc
    .tuple(
      fc.constantFrom('sv:', 'm:', 'bk:', 'd:', 't:', 'alt:', 'l:', 'loc:', 'w:', 'p:'),
      fc.string({ maxLength: 40 }),
    )
    .map(([p, s]) => p + s),
  fc.constantFrom(
    'd:9999-12-31',
    'd:0000-00-00',
    't:99999999999',
    't:-5',
    'alt:1:99',
    'alt:0:0',
    'bk:00000000-0000-0000-0000-000000000000',
  ),
  fc.string({ maxLength: 60 }),
);

function message(user: number, text: string, updateId: number) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1_780_000_000,
      chat: { id: user, type: 'private', first_name: 'Fuzz' },
      from: { id: user, is_bot: false, first_name: 'Fuzz', language_code: 'en' },
      text,
    },
  };
}

function press(user: number, data: string, updateId: number) {
  return {
    update_id: updateId,
    callback_query: {
      id: `q${updateId}`,
      from: { id: user, is_bot: false, first_name: 'Fuzz', language_code: 'ru' },
      chat_instance: 'ci',
      data,
      message: {
        message_id: 1000 + (updateId % 50),
        date: 1_780_000_000,
        chat: { id: user, type: 'private', first_name: 'Fuzz' },
        text: 'screen',
      },
    },
  };
}

/** Replaces the value at a random path of `value` with `replacement`. */
function mutate(value: unknown, pathSeed: number, replacement: unknown): unknown {
  if (typeof value !== 'object' || value === null) return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[pathSeed % keys.length]!;
  const next = Math.floor(pathSeed / keys.length);
  const copy = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  (copy as Record<string, unknown>)[key] =
    next > 0 && pathSeed % 3 !== 0
      ? mutate((value as Record<string, unknown>)[key], next, replacement)
      : replacement;
  return copy;
}

describe('webhook fuzz', () => {
  // The fuzz is about what arrives, not Telegram's outgoing limits: a fuzzer's four chats would
  // otherwise be answered at one message a second each.
  const unlimited = { burst: 1_000_000, perSecond: 1_000_000 };
  const t = useBotWorld('webhook_fuzz', {
    world: { masters: 2, clients: 1 },
    harness: { outgoingLimits: { perChat: unlimited, overall: unlimited } },
  });

  it(`${BODIES} fuzzed bodies: no 5xx, no invalid rows`, { timeout: 600_000 }, async () => {
    let updateId = 1_000_000;
    const body = fc.oneof(
      { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
      {
        weight: 5,
        arbitrary: fc
          .tuple(
            fc.constantFrom(...USERS),
            fc.boolean(),
            fc.string({ maxLength: 20 }),
            fc.nat(),
            absurd,
          )
          .map(([user, isPress, text, pathSeed, replacement]) =>
            JSON.stringify(
              mutate(
                isPress ? press(user, text, updateId++) : message(user, text, updateId++),
                pathSeed,
                replacement,
              ),
            ),
          ),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.constantFrom(...USERS),
            fc.nat({ max: 40 }),
            action,
            fc.constantFrom('/start', 'hi', '/start x', '', 'Book'),
          )
          .map(([user, seq, act, text]) =>
            JSON.stringify(
              seq % 5 === 0
                ? message(user, text, updateId++)
                : press(user, `${seq}|${act}`, updateId++),
            ),
          ),
      },
    );
    const bodies = fc.sample(body, { numRuns: BODIES, seed: SEED });
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    // A few at a time, as Telegram and a fuzzer would send them.
    for (let i = 0; i < bodies.length; i += 8) {
      await Promise.all(
        bodies.slice(i, i + 8).map(async (b) => {
          const res = await t.h.post(b);
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) serverErrors.push(`${res.status}: ${b.slice(0, 300)}`);
        }),
      );
    }
    console.info(
      `webhook fuzz: ${bodies.length} bodies, answers ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(serverErrors).toEqual([]);
    expect([...statuses.keys()].every((s) => s === 200 || s === 400)).toBe(true);
    // Both kinds of answer were exercised.
    expect(statuses.get(200)).toBeGreaterThan(BODIES / 10);
    expect(statuses.get(400)).toBeGreaterThan(BODIES / 10);

    const clients = await asPlatform(t.db, (tx) =>
      tx.query<{
        telegram_user_id: string;
        first_name: string | null;
        last_name: string | null;
        username: string | null;
      }>(
        'select telegram_user_id::text, first_name, last_name, username from clients where tenant_id = $1 and telegram_user_id is not null',
        [t.w.tenantId],
      ),
    );
    const invalid = clients.filter((c) => {
      const id = Number(c.telegram_user_id);
      const names = [c.first_name, c.last_name].filter((n): n is string => n !== null);
      return (
        !Number.isSafeInteger(id) ||
        id <= 0 ||
        names.some((n) => n.length === 0 || n.length > 200 || n.includes('\u0000')) ||
        (c.username !== null && !/^[A-Za-z0-9_]{1,64}$/.test(c.username))
      );
    });
    expect(invalid).toEqual([]);
    // Only the fuzzer's users (plus the world's own client) ever became clients.
    expect(
      clients
        .map((c) => Number(c.telegram_user_id))
        .filter((id) => !USERS.includes(id) && id !== 100_000),
    ).toEqual([]);
    const updates = await asPlatform(t.db, (tx) =>
      tx.query<{ n: number }>(
        "select count(*)::int as n from telegram_updates where bot_id = $1 and state = 'processing'",
        [t.h.botId],
      ),
    );
    expect(updates[0]!.n).toBe(0);
  });
});

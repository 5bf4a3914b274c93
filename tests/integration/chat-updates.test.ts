import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../db/postgres.ts';
import type { Database } from '../../db/port.ts';
import { asPlatform, tenantClaims } from '../../db/scope.ts';
import { openChatUpdate, saveChatUpdate, type ChatKey } from '../../db/queries/chat-updates.ts';
import { MAX_CLAIMS } from '../../tenants/bots/update-run.ts';
import { createTenantWorld, type TenantWorld } from '../support/fixtures.ts';
import { migratedPglite, migratedPostgres } from '../support/pg.ts';

/**
 * A navigation update's two statements (app.open_chat_update, app.save_chat_update), each scoped by
 * claims alone in its own implicit transaction: what they refuse, and what they leave behind.
 */
for (const engine of ['postgres', 'pglite'] as const) {
  describe(`a chat update's two statements on ${engine}`, { timeout: 120_000 }, () => {
    let db: Database;
    let url: string | undefined;
    let cleanup: () => Promise<void>;
    let a: TenantWorld;
    let b: TenantWorld;
    let nextUser = 5_000;
    let nextUpdate = 70_000;

    beforeAll(async () => {
      if (engine === 'postgres') ({ db, url, cleanup } = await migratedPostgres('chat_updates'));
      else {
        db = await migratedPglite();
        cleanup = () => db.close();
      }
      a = await createTenantWorld(db, 'chata');
      b = await createTenantWorld(db, 'chatb');
    });
    afterAll(() => cleanup());

    const chatOf = (w: TenantWorld, userId = ++nextUser): ChatKey => ({
      tenantId: w.tenantId,
      botId: w.botId,
      chatId: userId,
      userId,
    });
    const claimsOf = (chat: ChatKey) =>
      tenantClaims({ tenantId: chat.tenantId, subject: `tg:${chat.userId}`, appRole: 'client' });
    const claim = (token: string = crypto.randomUUID()) => ({
      token,
      leaseSeconds: 30,
      maxClaims: MAX_CLAIMS,
    });
    const open = (chat: ChatKey, updateId: number, token?: string, claims = claimsOf(chat)) =>
      openChatUpdate(db, claims, {
        ...chat,
        updateId,
        ...(token ? { claim: claim(token) } : {}),
        firstName: 'Dana',
        language: 'ru',
      });
    const save = (chat: ChatKey, updateId: number, token: string, version: number, data: object) =>
      saveChatUpdate(db, claimsOf(chat), { ...chat, updateId, token, version, data });
    const platform = <T extends Record<string, unknown>>(text: string, params: unknown[]) =>
      asPlatform(db, (tx) => tx.query<T>(text, params));
    const update = (w: TenantWorld, updateId: number) =>
      platform<{ state: string; claims: number }>(
        'select state, claims from telegram_updates where bot_id = $1 and update_id = $2',
        [w.botId, updateId],
      ).then((rows) => rows[0]);
    const session = (chat: ChatKey) =>
      platform<{ data: Record<string, unknown>; version: number }>(
        'select data, version from bot_sessions where bot_id = $1 and chat_id = $2',
        [chat.botId, chat.chatId],
      ).then((rows) => rows[0]);
    const clientsOf = (chat: ChatKey) =>
      platform<{ language: string; first_name: string }>(
        'select language, first_name from clients where tenant_id = $1 and telegram_user_id = $2',
        [chat.tenantId, chat.userId],
      );

    it('acts only for the tenant, bot and Telegram user its claims name, and the claims end with the statement', async () => {
      const chat = chatOf(a);
      const refused = { code: '42501' };
      // Another tenant's claims; this tenant's claims with another tenant's bot; another user's claims.
      await expect(
        open(chat, ++nextUpdate, crypto.randomUUID(), claimsOf(chatOf(b))),
      ).rejects.toMatchObject(refused);
      const token = crypto.randomUUID();
      await expect(open({ ...chat, botId: b.botId }, ++nextUpdate, token)).rejects.toMatchObject(
        refused,
      );
      await expect(
        open(chat, ++nextUpdate, token, claimsOf(chatOf(a, chat.userId + 1))),
      ).rejects.toMatchObject(refused);
      // A chat that is not the user's own private chat.
      await expect(
        open({ ...chat, chatId: chat.userId + 1 }, ++nextUpdate, token),
      ).rejects.toMatchObject(refused);
      await expect(
        saveChatUpdate(db, claimsOf(chatOf(b)), {
          ...chat,
          updateId: nextUpdate,
          token,
          version: 0,
          data: {},
        }),
      ).rejects.toMatchObject(refused);
      expect(await clientsOf(chat)).toEqual([]);
      const updates = await platform(
        'select 1 from telegram_updates where bot_id = any($1::uuid[]) and update_id > 70000',
        [[a.botId, b.botId]],
      );
      expect(updates).toEqual([]);

      if (url) {
        const one = openPostgres(url, { max: 1 });
        try {
          expect(
            (
              await openChatUpdate(one, claimsOf(chat), {
                ...chat,
                updateId: ++nextUpdate,
                claim: claim(),
                language: 'en',
              })
            ).claim,
          ).toEqual({
            kind: 'claimed',
            claims: 1,
          });
          // Neither the claims nor the claim's unflushed commit outlive the statement: the
          // connection's next work commits durably again.
          const [left] = await one.query<{ claims: string | null; sync: string }>(
            "select nullif(current_setting('request.jwt.claims', true), '') as claims, current_setting('synchronous_commit') as sync",
          );
          expect(left).toEqual({ claims: null, sync: 'on' });
        } finally {
          await one.close();
        }
      }
    });

    it('claims the update and reads what it is handled with; a second delivery finds it busy, then done', async () => {
      const chat = chatOf(a);
      await platform('update masters set telegram_user_id = $2 where id = $1', [
        a.masterId,
        chat.userId,
      ]);
      const updateId = ++nextUpdate;
      const token = crypto.randomUUID();
      const opened = await open(chat, updateId, token);
      expect(opened.claim).toEqual({ kind: 'claimed', claims: 1 });
      const [client] = await platform<{ id: string }>(
        'select id from clients where tenant_id = $1 and telegram_user_id = $2',
        [a.tenantId, chat.userId],
      );
      expect(opened.read).toEqual({
        client: { id: client!.id, language: 'ru' },
        session: { data: {}, version: 0 },
        master: { id: a.masterId, timezone: 'Europe/Berlin' },
        catalogStamp: expect.stringContaining(a.locationId) as string,
      });

      // A duplicate while this delivery holds it: busy, and nothing read for it.
      const busy = await open(chat, updateId, crypto.randomUUID());
      expect(busy.claim).toMatchObject({ kind: 'busy' });
      expect(busy.read).toBeUndefined();

      expect(await save(chat, updateId, token, 0, { seq: 1 })).toBe('saved');
      expect(await update(a, updateId)).toMatchObject({ state: 'done' });
      expect(await session(chat)).toEqual({ data: { seq: 1 }, version: 1 });
      const again = await open(chat, updateId, crypto.randomUUID());
      expect(again).toEqual({ claim: { kind: 'done' } });

      // The next update reads the saved session; the client keeps the language it has.
      const next = await openChatUpdate(db, claimsOf(chat), {
        ...chat,
        updateId: ++nextUpdate,
        claim: claim(),
        firstName: 'Dana B.',
        language: 'en',
      });
      expect(next.read).toMatchObject({
        client: { id: client!.id, language: 'ru' },
        session: { data: { seq: 1 }, version: 1 },
      });
      expect(await clientsOf(chat)).toEqual([{ language: 'ru', first_name: 'Dana B.' }]);
    });

    it('a known client under the same name is not written again; a new name is', async () => {
      const chat = chatOf(a);
      const named = (firstName: string, username?: string) =>
        openChatUpdate(db, claimsOf(chat), {
          ...chat,
          updateId: ++nextUpdate,
          claim: claim(),
          firstName,
          ...(username ? { username } : {}),
          language: 'en',
        });
      const row = async () =>
        (
          await platform<{
            id: string;
            first_name: string;
            username: string | null;
            updated_at: Date;
          }>(
            'select id, first_name, username, updated_at from clients where tenant_id = $1 and telegram_user_id = $2',
            [chat.tenantId, chat.userId],
          )
        )[0]!;
      const first = await named('Eve', 'eve');
      const created = await row();
      // Backdated, so that a rewrite in the same instant would still show.
      await platform(`update clients set updated_at = now() - interval '1 day' where id = $1`, [
        created.id,
      ]);
      const before = await row();
      const same = await named('Eve', 'eve');
      expect(same.read?.client).toEqual(first.read?.client);
      expect(await row()).toEqual(before);

      const renamed = await named('Eve K.');
      expect(renamed.read?.client).toEqual(first.read?.client);
      const after = await row();
      expect(after).toMatchObject({ id: created.id, first_name: 'Eve K.', username: null });
      expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
    });

    it('a claim held already (by the webhook) is not claimed again: the reads come back alone', async () => {
      const chat = chatOf(a);
      const opened = await open(chat, ++nextUpdate);
      expect(opened.claim).toBeUndefined();
      expect(opened.read).toMatchObject({ session: { version: 0 } });
      expect(await update(a, nextUpdate)).toBeUndefined();
    });

    it('a session changed meanwhile is not overwritten and the update is not marked done', async () => {
      const chat = chatOf(a);
      const first = crypto.randomUUID();
      const updateId = ++nextUpdate;
      await open(chat, updateId, first);
      // Another update of the chat saved first (the session now exists at version 1).
      const other = crypto.randomUUID();
      await open(chat, ++nextUpdate, other);
      expect(await save(chat, nextUpdate, other, 0, { by: 'other' })).toBe('saved');

      expect(await save(chat, updateId, first, 0, { by: 'first' })).toBe('conflict');
      expect(await session(chat)).toEqual({ data: { by: 'other' }, version: 1 });
      expect(await update(a, updateId)).toMatchObject({ state: 'processing' });

      // Read again at version 1 it saves, and the update is done.
      expect(await save(chat, updateId, first, 1, { by: 'first' })).toBe('saved');
      expect(await session(chat)).toEqual({ data: { by: 'first' }, version: 2 });
      expect(await update(a, updateId)).toMatchObject({ state: 'done' });
    });

    it('a delivery whose claim was taken over saves nothing and cannot mark the update done', async () => {
      const chat = chatOf(a);
      const updateId = ++nextUpdate;
      const first = crypto.randomUUID();
      await open(chat, updateId, first);
      await platform(
        "update telegram_updates set lease_until = now() - interval '1 second' where bot_id = $1 and update_id = $2",
        [a.botId, updateId],
      );
      const second = crypto.randomUUID();
      expect((await open(chat, updateId, second)).claim).toEqual({ kind: 'claimed', claims: 2 });

      expect(await save(chat, updateId, first, 0, { by: 'first' })).toBe('lost');
      expect(await session(chat)).toBeUndefined();
      expect(await update(a, updateId)).toMatchObject({ state: 'processing', claims: 2 });
      expect(await save(chat, updateId, second, 0, { by: 'second' })).toBe('saved');
      expect(await session(chat)).toEqual({ data: { by: 'second' }, version: 1 });
    });

    it(`an update claimed more than ${MAX_CLAIMS} times is given up in the same statement, and nothing else is written`, async () => {
      const chat = chatOf(a);
      const updateId = ++nextUpdate;
      await platform(
        `insert into telegram_updates (tenant_id, bot_id, update_id, claim_token, lease_until, claims)
         values ($1, $2, $3, gen_random_uuid(), now() - interval '1 second', $4)`,
        [a.tenantId, a.botId, updateId, MAX_CLAIMS],
      );
      const opened = await open(chat, updateId, crypto.randomUUID());
      expect(opened).toEqual({ claim: { kind: 'abandoned', gaveUp: true } });
      expect(await update(a, updateId)).toMatchObject({ state: 'abandoned' });
      expect(await clientsOf(chat)).toEqual([]);
      // Found abandoned by a later delivery: reported, not given up by it.
      expect(await open(chat, updateId, crypto.randomUUID())).toEqual({
        claim: { kind: 'abandoned', gaveUp: false },
      });
    });
  });
}

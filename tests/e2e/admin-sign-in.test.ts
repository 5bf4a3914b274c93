import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { ADMIN_ROUTES } from '../../admin-ui/routes/index.ts';
import { signInitData } from '../../tenants/admin/mini-app.ts';
import { bootstrapPlatformAdmin } from '../../tenants/admin/platform-admins.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld, type BookingWorld } from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { AdminClient, csrfOf, linkIn } from '../support/admin-client.ts';

/**
 * Sign-in to the admin web with Telegram identity, against the real app, PostgreSQL and the
 * Telegram stand-in: one-time links from the business's bot, the Mini App's signed launch data,
 * sessions, and the refusals (no session, wrong role, forged or reused proofs, cross-site forms).
 */
describe('admin sign-in', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  const OWNER = 9_100_001;
  const MASTER = 9_100_002;
  const CLIENT = 9_100_003;
  const ADMIN = 9_100_004;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_sign_in'));
    w = await createBookingWorld(db, { masters: 1, clients: 0 });
    await asPlatform(db, (tx) =>
      tx.query(
        `insert into staff_users (tenant_id, role, display_name, telegram_user_id, language) values
           ($1, 'owner', 'Olga <Owner>', $2, 'en'), ($1, 'master', 'Max', $3, 'ru')`,
        [w.tenantId, OWNER, MASTER],
      ),
    );
    await bootstrapPlatformAdmin(db, { telegramUserId: ADMIN, displayName: 'Pat' });
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  async function linkFor(telegramId: number, language = 'en'): Promise<string> {
    const u = h.user(telegramId, language);
    expect(await u.send('/admin')).toBe(200);
    return linkIn(u.lastMessage().text);
  }

  async function signedIn(telegramId: number): Promise<AdminClient> {
    const browser = new AdminClient(h.baseUrl);
    const done = await browser.signInWithLink(await linkFor(telegramId));
    expect(done.status).toBe(303);
    return browser;
  }

  const liveSessions = async (telegramId: number) =>
    Number(
      (
        await asPlatform(db, (tx) =>
          tx.query<{ n: string }>(
            'select count(*) as n from admin_sessions a join staff_users s on s.id = a.staff_user_id where s.telegram_user_id = $1 and a.revoked_at is null',
            [telegramId],
          ),
        )
      )[0]!.n,
    );

  it('/admin in the bot sends a one-time link; opening it asks first, the button signs in, the name is escaped', async () => {
    const link = await linkFor(OWNER);
    const browser = new AdminClient(h.baseUrl);
    // Opening (and any link preview) only asks: the link still works afterwards.
    const ask = await browser.get(new URL(link).pathname);
    expect(ask.status).toBe(200);
    expect(ask.html).toContain('Sign in with this link?');
    await new AdminClient(h.baseUrl).get(new URL(link).pathname);
    const done = await browser.post(new URL(link).pathname, { _csrf: csrfOf(ask.html) });
    expect(done.status).toBe(303);
    expect(done.response.headers.get('location')).toBe('/admin');
    const cookie = done.response.headers
      .getSetCookie()
      .find((c) => c.startsWith('slotbot_admin='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const home = await browser.get('/admin');
    expect(home.status).toBe(200);
    expect(home.html).toContain('Olga &lt;Owner&gt;');
    expect(home.html).not.toContain('Olga <Owner>');
    expect(home.response.headers.get('content-security-policy')).toMatch(
      /frame-ancestors https:\/\/web\.telegram\.org/,
    );
    expect(home.response.headers.get('content-security-policy')).not.toMatch(/script-src/);

    // Used once: a second browser with the same link is refused and told what to do.
    const again = await new AdminClient(h.baseUrl).signInWithLink(link);
    expect(again.status).toBe(400);
    expect(again.html).toContain('Send /admin to your business’s bot again');
  });

  it('a client who sends /admin is told it is for staff, and gets no link', async () => {
    const u = h.user(CLIENT);
    await u.send('/admin');
    expect(u.lastMessage().text).toContain('for the staff of this business');
    expect(u.lastMessage().text).not.toMatch(/\/admin\/login\//);
  });

  it('an expired link, a made-up link and a link of a member who left are refused', async () => {
    const expired = await linkFor(OWNER);
    await asPlatform(db, (tx) =>
      tx.query(
        "update admin_login_links set expires_at = created_at + interval '1 millisecond' where used_at is null",
      ),
    );
    expect((await new AdminClient(h.baseUrl).signInWithLink(expired)).status).toBe(400);
    expect(
      (
        await new AdminClient(h.baseUrl).signInWithLink(
          `${h.baseUrl}/admin/login/${'A'.repeat(43)}`,
        )
      ).status,
    ).toBe(400);
    const left = await linkFor(MASTER);
    await asPlatform(db, (tx) =>
      tx.query('update staff_users set active = false where telegram_user_id = $1', [MASTER]),
    );
    try {
      expect((await new AdminClient(h.baseUrl).signInWithLink(left)).status).toBe(400);
    } finally {
      await asPlatform(db, (tx) =>
        tx.query('update staff_users set active = true where telegram_user_id = $1', [MASTER]),
      );
    }
  });

  it('the Mini App signs in with launch data signed by this bot, fresh, of a staff member; forgeries are refused', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    const launch = (userId: number, authDate = nowS) => ({
      auth_date: String(authDate),
      query_id: 'AAH',
      user: JSON.stringify({ id: userId, first_name: 'Olga', language_code: 'en' }),
    });
    const post = async (initData: string, bot = h.botId, origin: string | null = h.baseUrl) => {
      const browser = new AdminClient(h.baseUrl);
      const pageHtml = (await browser.get(`/admin/app?bot=${bot}`)).html;
      expect(pageHtml).toContain('src="/assets/mini-app.js"');
      const r = await browser.post(
        '/admin/app/session',
        { init_data: initData, bot, _csrf: csrfOf(pageHtml) },
        { origin },
      );
      const json = r.response.headers.get('content-type')?.includes('json')
        ? (JSON.parse(r.html) as { ok?: boolean; reason?: string })
        : {};
      return { status: r.status, json, browser };
    };
    const good = await post(await signInitData(launch(OWNER), h.token));
    expect(good.status).toBe(200);
    expect(good.json.ok).toBe(true);
    expect((await good.browser.get('/admin')).status).toBe(200);

    const valid = await signInitData(launch(OWNER), h.token);
    const tampered = valid.replace(
      encodeURIComponent(String(OWNER)),
      encodeURIComponent(String(OWNER + 1)),
    );
    expect((await post(tampered)).json.reason).toBe('bad_hash');
    expect(
      (await post(await signInitData(launch(OWNER), '123456:AAE' + 'y'.repeat(32)))).json.reason,
    ).toBe('bad_hash');
    expect(
      (await post(await signInitData(launch(OWNER, nowS - 2 * 3600), h.token))).json.reason,
    ).toBe('stale');
    const stranger = await post(await signInitData(launch(CLIENT), h.token));
    expect(stranger.status).toBe(403);
    expect(stranger.json.reason).toBe('not_staff');
    // From another site, even with genuine data: refused before anything is checked.
    expect((await post(valid, h.botId, 'https://evil.example')).status).toBe(403);
    expect((await post(valid, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('every route but the public ones refuses a visitor without a session (401), GET and POST alike', async () => {
    const visitor = new AdminClient(h.baseUrl);
    const guarded = ADMIN_ROUTES.filter((r) => r.access !== 'public');
    expect(guarded.length).toBeGreaterThan(3);
    for (const route of guarded) {
      const path = `/admin${route.path}`.replace(
        /:[a-z]+/g,
        '00000000-0000-4000-8000-000000000000',
      );
      const r =
        route.method === 'GET' ? await visitor.get(path) : await visitor.post(path, { _csrf: 'x' });
      expect({ path, method: route.method, status: r.status }).toEqual({
        path,
        method: route.method,
        status: 401,
      });
      expect(r.html).toContain('Send /admin to your business’s bot');
    }
  });

  it('a master cannot open owner or platform pages (403); an owner cannot open the platform console', async () => {
    const master = await signedIn(MASTER);
    const owner = await signedIn(OWNER);
    for (const route of ADMIN_ROUTES) {
      if (
        route.method !== 'GET' ||
        route.access === 'public' ||
        route.access === 'signed_in' ||
        route.path.includes(':')
      )
        continue;
      const path = `/admin${route.path}`;
      expect({ path, status: (await master.get(path)).status }).toEqual({
        path,
        status: route.access.includes('master') ? 200 : 403,
      });
      expect({ path, status: (await owner.get(path)).status }).toEqual({
        path,
        status: route.access.includes('owner') ? 200 : 403,
      });
    }
    // The master's pages speak the master's language (ru).
    expect((await master.get('/admin')).html).toContain('Здравствуйте, Max');
  });

  it('a cross-site form, or one without the token, changes nothing', async () => {
    const owner = await signedIn(OWNER);
    const before = await liveSessions(OWNER);
    const page = await owner.get('/admin/sessions');
    expect((await owner.post('/admin/signout', {}, { origin: null })).status).toBe(403);
    expect(
      (
        await owner.post(
          '/admin/signout',
          { _csrf: csrfOf(page.html) },
          { origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403);
    expect((await owner.post('/admin/signout', { _csrf: 'forged' })).status).toBe(403);
    // Another person's token (a valid one of their own session) does not fit this session.
    const other = await signedIn(OWNER);
    const othersToken = csrfOf((await other.get('/admin/sessions')).html);
    expect((await owner.post('/admin/signout', { _csrf: othersToken })).status).toBe(403);
    expect(await liveSessions(OWNER)).toBe(before + 1);
    expect((await owner.get('/admin')).status).toBe(200);
  });

  it('sessions are listed, another device is signed out, another person’s session cannot be', async () => {
    const phone = await signedIn(OWNER);
    const laptop = await signedIn(OWNER);
    const list = await laptop.get('/admin/sessions');
    const ids = [...list.html.matchAll(/\/admin\/sessions\/([0-9a-f-]{36})\/revoke/g)].map(
      (m) => m[1]!,
    );
    expect(ids.length).toBeGreaterThanOrEqual(1);
    const master = await signedIn(MASTER);
    const masterPage = await master.get('/admin/sessions');
    // The master tries to end the owner's sessions: "not here", nothing changes.
    const before = await liveSessions(OWNER);
    for (const id of ids)
      expect(
        (await master.post(`/admin/sessions/${id}/revoke`, { _csrf: csrfOf(masterPage.html) }))
          .status,
      ).toBe(404);
    expect(await liveSessions(OWNER)).toBe(before);
    // The owner ends every other session from the laptop; the phone is signed out, the laptop is not.
    for (const id of ids)
      expect(
        (await laptop.post(`/admin/sessions/${id}/revoke`, { _csrf: csrfOf(list.html) })).status,
      ).toBe(303);
    expect((await phone.get('/admin')).status).toBe(401);
    expect((await laptop.get('/admin')).status).toBe(200);
    // Signing out ends the session for good: a copy of the cookie does not bring it back.
    const copy = laptop.clone();
    expect((await laptop.submit('/admin/sessions', '/admin/signout')).status).toBe(303);
    expect((await copy.get('/admin')).status).toBe(401);
  });

  it('signing in again in the same browser replaces its session: the old one ends', async () => {
    const browser = await signedIn(OWNER);
    const old = browser.clone();
    expect((await browser.signInWithLink(await linkFor(OWNER))).status).toBe(303);
    expect((await browser.get('/admin')).status).toBe(200);
    expect((await old.get('/admin')).status).toBe(401);
  });

  it('a session of another business sees none of this one: its sessions cannot be ended, its audit log is not shown', async () => {
    const other = await createBookingWorld(db, { masters: 1, clients: 0 });
    const otherOwner = 9_100_090;
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Oscar', $2)",
        [other.tenantId, otherOwner],
      ),
    );
    const otherHarness = new BotHarness(db);
    await otherHarness.start(other.tenantId);
    try {
      const u = otherHarness.user(otherOwner);
      await u.send('/admin');
      const oscar = new AdminClient(otherHarness.baseUrl);
      expect((await oscar.signInWithLink(linkIn(u.lastMessage().text))).status).toBe(303);
      // This business's owner has sessions; Oscar tries to end them by id and to read its log.
      const olga = await signedIn(OWNER);
      const ids = [
        ...(await olga.get('/admin/sessions')).html.matchAll(
          /\/admin\/sessions\/([0-9a-f-]{36})\/revoke/g,
        ),
      ].map((m) => m[1]!);
      const before = await liveSessions(OWNER);
      const page = await oscar.get('/admin/sessions');
      for (const id of ids)
        expect(
          (await oscar.post(`/admin/sessions/${id}/revoke`, { _csrf: csrfOf(page.html) })).status,
        ).toBe(404);
      expect(await liveSessions(OWNER)).toBe(before);
      const audit = await oscar.get(`/admin/audit?tenant=${w.tenantId}`);
      expect(audit.status).toBe(200);
      expect(audit.html).not.toContain('Olga');
      expect(audit.html).toContain('Oscar');
    } finally {
      await otherHarness.stop();
    }
  });

  it('the owner reads their business’s audit log; a platform admin signs in through the bot and reads everyone’s', async () => {
    const owner = await signedIn(OWNER);
    const audit = await owner.get('/admin/audit');
    expect(audit.status).toBe(200);
    expect(audit.html).toContain('Signed in');
    expect(audit.html).not.toContain('Made a platform admin');
    const admin = await signedIn(ADMIN);
    const all = await admin.get('/admin/audit');
    expect(all.html).toContain('Made a platform admin');
    expect(all.html).toContain('Signed in');
  });

  it('a suspended business’s bot only says so to clients, while its staff still get their link', async () => {
    await asPlatform(db, (tx) =>
      tx.query("update tenants set status = 'suspended' where id = $1", [w.tenantId]),
    );
    h.services.registry.forgetTenant(w.tenantId);
    try {
      const client = h.user(CLIENT + 10);
      await client.send('/start');
      expect(client.lastMessage().text).toBe('This bot is not taking requests at the moment.');
      expect(
        linkIn(
          (
            await (async () => {
              const u = h.user(OWNER);
              await u.send('/admin');
              return u.lastMessage();
            })()
          ).text,
        ),
      ).toMatch(/\/admin\/login\//);
    } finally {
      await asPlatform(db, (tx) =>
        tx.query("update tenants set status = 'active' where id = $1", [w.tenantId]),
      );
      h.services.registry.forgetTenant(w.tenantId);
    }
  });

  it('a claim link makes the first presser the owner, signed in by the link it sends; the code works once', async () => {
    const code = await h.services.claims.create({
      tenantId: w.tenantId,
      role: 'owner',
      createdBy: null,
    });
    const first = h.user(9_100_050, 'ru', 'Nina');
    await first.send(`/start claim_${code}`);
    expect(first.lastMessage().text).toContain('Добро пожаловать');
    const browser = new AdminClient(h.baseUrl);
    expect((await browser.signInWithLink(linkIn(first.lastMessage().text))).status).toBe(303);
    expect((await browser.get('/admin')).html).toContain('владелец');
    const second = h.user(9_100_051);
    await second.send(`/start claim_${code}`);
    expect(second.lastMessage().text).toContain('does not work any more');
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ n: string }>(
        'select count(*) as n from staff_users where telegram_user_id = $1',
        [9_100_051],
      ),
    );
    expect(row!.n).toBe('0');
  });
});

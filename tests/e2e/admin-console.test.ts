import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { ADMIN_ROUTES } from '../../admin-ui/routes/index.ts';
import { bootstrapPlatformAdmin } from '../../tenants/admin/platform-admins.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld, ZONE, type BookingWorld } from '../support/booking-world.ts';
import { BotHarness, type ChatUser } from '../support/bot-harness.ts';
import { AdminClient, csrfOf, linkIn } from '../support/admin-client.ts';

/**
 * The platform console against the real app, PostgreSQL and the Telegram stand-in: refusals first
 * (other roles, no session, cross-site, made-up ids), then every page and action, checked in the
 * rows, the audit log and what the business's bot tells a client.
 */
describe('platform console', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let admin: AdminClient;
  let pendingId: string;
  const OWNER = 9_200_001;
  const MANAGER = 9_200_002;
  const MASTER = 9_200_003;
  const ADMIN = 9_200_004;
  const CLIENT = 9_200_005;

  const q = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    asPlatform(db, (tx) => tx.query<T>(text, params));

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_console'));
    w = await createBookingWorld(db, { masters: 1, clients: 0 });
    await q("update tenants set name = 'Zeta Studio', slug = 'zeta-studio' where id = $1", [
      w.tenantId,
    ]);
    await q(
      `insert into staff_users (tenant_id, role, display_name, telegram_user_id, language) values
         ($1, 'owner', 'Olga', $2, 'en'), ($1, 'manager', 'Mia', $3, 'en'), ($1, 'master', 'Max', $4, 'en')`,
      [w.tenantId, OWNER, MANAGER, MASTER],
    );
    // 30 more businesses to page through, and one waiting for approval.
    await q(
      "insert into tenants (slug, name) select 'acme-' || lpad(i::text, 2, '0'), 'Acme ' || lpad(i::text, 2, '0') from generate_series(1, 30) i",
    );
    pendingId = (
      await q<{ id: string }>(
        "insert into tenants (slug, name, status) values ('pending-place', 'Pending Place', 'pending') returning id",
      )
    )[0]!.id;
    await bootstrapPlatformAdmin(db, { telegramUserId: ADMIN, displayName: 'Pat' });
    h = new BotHarness(db);
    await h.start(w.tenantId);
    admin = await signedIn(ADMIN);
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  async function signedIn(telegramId: number): Promise<AdminClient> {
    const u = h.user(telegramId);
    expect(await u.send('/admin')).toBe(200);
    const browser = new AdminClient(h.baseUrl);
    expect((await browser.signInWithLink(linkIn(u.lastMessage().text))).status).toBe(303);
    return browser;
  }

  /** Everything a console action could change, to prove a refused one changed nothing. */
  const snapshot = async () =>
    JSON.stringify(
      await asPlatform(db, async (tx) => [
        await tx.query(
          'select id, status, maintenance, maintenance_message, maintenance_until from tenants order by id',
        ),
        await tx.query('select id, status, attempts, run_at from jobs order by id'),
        await tx.query('select count(*)::int as n from audit_log'),
        await tx.query('select count(*)::int as n from tenant_claims'),
        await tx.query('select key, value from platform_settings order by key'),
      ]),
    );

  const audits = (action: string, targetId: string) =>
    q<{
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      actor_role: string;
      correlation_id: string | null;
    }>(
      'select before, after, actor_role, correlation_id from audit_log where action = $1 and target_id = $2 order by id',
      [action, targetId],
    );

  async function insertJob(status: 'dead' | 'pending', lastError: string): Promise<string> {
    const [row] = await q<{ id: string }>(
      `insert into jobs (tenant_id, kind, key, payload, run_at, status, attempts, max_attempts, last_error, finished_at)
       values ($1, 'reminder_send', $2, '{}', now() + interval '1 hour', $3, $4, 8, $5, case when $3 = 'dead' then now() end) returning id`,
      [
        w.tenantId,
        `reminder_send:${crypto.randomUUID()}`,
        status,
        status === 'dead' ? 8 : 3,
        lastError,
      ],
    );
    return row!.id;
  }

  const consoleRoutes = ADMIN_ROUTES.filter((r) => r.path.startsWith('/platform'));
  const pathFor = (path: string, jobId: string) =>
    `/admin${path.replace(':id', path.startsWith('/platform/jobs') ? jobId : w.tenantId)}`;

  describe('refusals', () => {
    it('an owner, a manager and a master get 403 on every console page and form, and nothing changes', async () => {
      const jobId = await insertJob('dead', 'boom');
      expect(consoleRoutes.length).toBeGreaterThanOrEqual(14);
      for (const telegramId of [OWNER, MANAGER, MASTER]) {
        const browser = await signedIn(telegramId);
        const csrf = csrfOf((await browser.get('/admin/sessions')).html);
        const before = await snapshot();
        for (const route of consoleRoutes) {
          const path = pathFor(route.path, jobId);
          const answer =
            route.method === 'GET'
              ? await browser.get(path)
              : await browser.post(path, {
                  _csrf: csrf,
                  reason: 'x',
                  mode: 'closed',
                  name: 'X',
                  slug: 'x-y',
                  language: 'en',
                });
          expect(answer.status, `${route.method} ${path} as ${telegramId}`).toBe(403);
          expect(answer.html).not.toContain('Acme 01');
        }
        expect(await snapshot()).toBe(before);
        // The menu does not offer what the server refuses.
        expect((await browser.get('/admin')).html).not.toContain('/admin/platform/');
      }
    });

    it('without a session every console route is 401; a cross-site or token-less POST of the admin is 403; nothing changes', async () => {
      const jobId = await insertJob('dead', 'boom');
      const before = await snapshot();
      const stranger = new AdminClient(h.baseUrl);
      for (const route of consoleRoutes) {
        const path = pathFor(route.path, jobId);
        const answer =
          route.method === 'GET'
            ? await stranger.get(path)
            : await stranger.post(path, { reason: 'x' });
        expect(answer.status, `${route.method} ${path}`).toBe(401);
      }
      const csrf = csrfOf((await admin.get(`/admin/platform/tenants/${w.tenantId}`)).html);
      for (const route of consoleRoutes.filter((r) => r.method === 'POST')) {
        const path = pathFor(route.path, jobId);
        expect(
          (
            await admin.post(
              path,
              { _csrf: csrf, reason: 'x', mode: 'closed' },
              { origin: 'https://evil.example' },
            )
          ).status,
          path,
        ).toBe(403);
        expect((await admin.post(path, { reason: 'x', mode: 'closed' })).status, path).toBe(403);
        expect(
          (await admin.post(path, { _csrf: 'forged', reason: 'x', mode: 'closed' })).status,
          path,
        ).toBe(403);
      }
      expect(await snapshot()).toBe(before);
    });

    it('malformed and unknown ids are 404 pages, and change no row', async () => {
      const before = await snapshot();
      const csrf = csrfOf((await admin.get('/admin/platform/tenants')).html);
      for (const id of ['not-a-uuid', "1' or '1'='1", crypto.randomUUID()]) {
        const tenant = await admin.get(`/admin/platform/tenants/${encodeURIComponent(id)}`);
        expect(tenant.status).toBe(404);
        expect(tenant.html).toContain('There is nothing here.');
        for (const action of [
          'approve',
          'suspend',
          'resume',
          'maintenance',
          'maintenance/off',
          'invite',
          'bot',
        ]) {
          expect(
            (
              await admin.post(`/admin/platform/tenants/${encodeURIComponent(id)}/${action}`, {
                _csrf: csrf,
                reason: 'r',
                token: '1:x',
              })
            ).status,
            `${action} ${id}`,
          ).toBe(404);
        }
        for (const action of ['retry', 'discard'])
          expect(
            (
              await admin.post(`/admin/platform/jobs/${encodeURIComponent(id)}/${action}`, {
                _csrf: csrf,
              })
            ).status,
          ).toBe(404);
      }
      expect(await snapshot()).toBe(before);
    });
  });

  describe('businesses', () => {
    it('lists 25 a page by name with status, bots, bookings of 7 days and the last update; the next page has the rest; search by name, slug or bot', async () => {
      await h.user(CLIENT).send('/start');
      const first = await admin.get('/admin/platform/tenants');
      expect(first.status).toBe(200);
      const names = [
        ...first.html.matchAll(/href="\/admin\/platform\/tenants\/[0-9a-f-]{36}">([^<]+)</g),
      ].map((m) => m[1]);
      expect(names).toHaveLength(25);
      expect(names[0]).toBe('Acme 01');
      expect(names[24]).toBe('Acme 25');
      const next = /href="(\/admin\/platform\/tenants\?after=[^"]+)" rel="next"/
        .exec(first.html)![1]!
        .replaceAll('&amp;', '&');
      const second = await admin.get(next);
      const rest = [
        ...second.html.matchAll(/href="\/admin\/platform\/tenants\/[0-9a-f-]{36}">([^<]+)</g),
      ].map((m) => m[1]);
      expect(rest).toEqual([
        'Acme 26',
        'Acme 27',
        'Acme 28',
        'Acme 29',
        'Acme 30',
        'Pending Place',
        'Zeta Studio',
      ]);
      expect(second.html).not.toContain('rel="next"');
      // Zeta's row: its bot, and the update the client's /start just delivered.
      const zeta = second.html.slice(second.html.indexOf('Zeta Studio'));
      expect(zeta).toContain('@studio_test_bot');
      expect(zeta).not.toContain('never');

      const bySlug = await admin.get('/admin/platform/tenants?q=acme-1');
      expect([...bySlug.html.matchAll(/>(Acme \d\d)</g)].map((m) => m[1])).toEqual([
        'Acme 10',
        'Acme 11',
        'Acme 12',
        'Acme 13',
        'Acme 14',
        'Acme 15',
        'Acme 16',
        'Acme 17',
        'Acme 18',
        'Acme 19',
      ]);
      const byBot = await admin.get('/admin/platform/tenants?q=%40Studio_Test');
      expect(byBot.html).toContain('Zeta Studio');
      expect(byBot.html).not.toContain('Acme 01');
      const byName = await admin.get('/admin/platform/tenants?q=zeta');
      expect(byName.html).toContain('Zeta Studio');
      const pending = await admin.get('/admin/platform/tenants?status=pending');
      expect(pending.html).toContain('Pending Place');
      expect(pending.html).not.toContain('Zeta Studio');
      const nothing = await admin.get(
        `/admin/platform/tenants?q=${encodeURIComponent('<script>')}`,
      );
      expect(nothing.html).toContain('No business matches.');
      expect(nothing.html).not.toContain('<script>');
    });

    it('the detail page shows the webhook as Telegram reports it, its last error, and says so when Telegram cannot be asked', async () => {
      const page = await admin.get(`/admin/platform/tenants/${w.tenantId}`);
      expect(page.status).toBe(200);
      expect(page.html).toContain(`${h.baseUrl}/tg/${h.botId}`);
      expect(page.html).toMatch(/Updates waiting<\/dt><dd>0<\/dd>/);
      h.stub.webhookErrors.set(h.token, {
        date: Math.floor(Date.now() / 1000) - 60,
        message: 'Wrong response from the webhook: 503 <Service Unavailable>',
      });
      const withError = await admin.get(`/admin/platform/tenants/${w.tenantId}`);
      expect(withError.html).toContain(
        'Wrong response from the webhook: 503 &lt;Service Unavailable&gt;',
      );
      h.stub.webhookErrors.delete(h.token);
      h.stub.failNext('getWebhookInfo', { status: 502, description: 'Bad Gateway' }, 5);
      const unreachable = await admin.get(`/admin/platform/tenants/${w.tenantId}`);
      h.stub.stopFailing('getWebhookInfo');
      expect(unreachable.status).toBe(200);
      expect(unreachable.html).toContain('Could not ask Telegram');
      expect(unreachable.html).toContain('Zeta Studio');
      // Telegram that does not answer at all: the page gives up on it (3 s) and still shows.
      h.stub.delayNext('getWebhookInfo', 10_000);
      const hanging = await admin.get(`/admin/platform/tenants/${w.tenantId}`);
      expect(hanging.status).toBe(200);
      expect(hanging.html).toContain('Could not ask Telegram');
    });

    it('approving a pending business opens it; audited with before and after', async () => {
      const done = await admin.submit(
        `/admin/platform/tenants/${pendingId}`,
        `/admin/platform/tenants/${pendingId}/approve`,
      );
      expect(done.status).toBe(303);
      expect(done.response.headers.get('location')).toBe(
        `/admin/platform/tenants/${pendingId}?done=approve`,
      );
      expect(
        (await q<{ status: string }>('select status from tenants where id = $1', [pendingId]))[0]!
          .status,
      ).toBe('active');
      const [entry] = await audits('tenant.approve', pendingId);
      expect(entry!.before).toMatchObject({ status: 'pending' });
      expect(entry!.after).toMatchObject({ status: 'active' });
      expect(entry!.actor_role).toBe('platform_admin');
      expect((await admin.get(done.response.headers.get('location')!)).html).toContain(
        'Approved: the business is open for bookings.',
      );
      // Again: nothing to change, no second entry.
      await admin.submit(
        `/admin/platform/tenants/${pendingId}`,
        `/admin/platform/tenants/${pendingId}/approve`,
      );
      expect(await audits('tenant.approve', pendingId)).toHaveLength(1);
    });

    it('suspending needs a reason; then the bot only says it takes no requests; resuming brings the menu back', async () => {
      const empty = await admin.submit(
        `/admin/platform/tenants/${w.tenantId}`,
        `/admin/platform/tenants/${w.tenantId}/suspend`,
        { reason: '   ' },
      );
      expect(empty.status).toBe(400);
      expect(empty.html).toMatch(
        /aria-invalid="true"[^>]*aria-describedby="suspend-reason-hint suspend-reason-error"|aria-describedby="suspend-reason-hint suspend-reason-error"[^>]*aria-invalid="true"/,
      );
      expect(empty.html).toContain('Write a reason.');
      expect(
        (await q<{ status: string }>('select status from tenants where id = $1', [w.tenantId]))[0]!
          .status,
      ).toBe('active');

      expect(
        (
          await admin.submit(
            `/admin/platform/tenants/${w.tenantId}`,
            `/admin/platform/tenants/${w.tenantId}/suspend`,
            { reason: 'Unpaid invoice' },
          )
        ).status,
      ).toBe(303);
      const client = h.user(CLIENT);
      await client.send('/start');
      expect(client.lastMessage().text).toBe('This bot is not taking requests at the moment.');
      const [entry] = await audits('tenant.suspend', w.tenantId);
      expect(entry!.before).toMatchObject({ status: 'active' });
      expect(entry!.after).toMatchObject({ status: 'suspended', reason: 'Unpaid invoice' });

      expect(
        (
          await admin.submit(
            `/admin/platform/tenants/${w.tenantId}`,
            `/admin/platform/tenants/${w.tenantId}/resume`,
          )
        ).status,
      ).toBe(303);
      await client.send('/start');
      expect(client.screen().buttons.flat().join(' ')).toContain('Book');
      const [resumed] = await audits('tenant.resume', w.tenantId);
      expect(resumed!.before).toMatchObject({ status: 'suspended' });
      expect(resumed!.after).toMatchObject({ status: 'active' });
    });

    async function toSummary(u: ChatUser): Promise<void> {
      await u.send('/start');
      await u.press('Book');
      await u.press(/^cut/);
      await u.press('Continue');
      if (
        u
          .screen()
          .buttons.flat()
          .some((b) => b.includes('Master 1'))
      )
        await u.press('Master 1');
      await u.press(
        DateTime.now()
          .setZone(ZONE)
          .startOf('day')
          .plus({ days: 3 })
          .setLocale('en')
          .toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }),
      );
      await u.press(/^\d{1,2}:\d{2}/);
      expect(u.screen().buttons.flat().join(' ')).toContain('Confirm');
    }

    it('maintenance refuses a Confirm with the reason and the end (in the location’s zone) while My bookings works; ending it opens bookings', async () => {
      const client = h.user(CLIENT + 1);
      await toSummary(client);
      const bad = await admin.submit(
        `/admin/platform/tenants/${w.tenantId}`,
        `/admin/platform/tenants/${w.tenantId}/maintenance`,
        { reason: 'Pipes', until: 'tomorrow' },
      );
      expect(bad.status).toBe(400);
      expect(bad.html).toContain('Give a date and time');
      expect(bad.html).toContain('value="Pipes"');
      expect(bad.html).toContain(`Date and time in ${ZONE}`);
      const until = DateTime.now()
        .setZone(ZONE)
        .plus({ days: 1 })
        .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
      const on = await admin.submit(
        `/admin/platform/tenants/${w.tenantId}`,
        `/admin/platform/tenants/${w.tenantId}/maintenance`,
        { reason: 'Pipes are being fixed', until: until.toFormat("yyyy-LL-dd'T'HH:mm") },
      );
      expect(on.status).toBe(303);
      const [row] = await q<{ maintenance: boolean; maintenance_until: Date }>(
        'select maintenance, maintenance_until from tenants where id = $1',
        [w.tenantId],
      );
      expect(row!.maintenance).toBe(true);
      expect(new Date(row!.maintenance_until).getTime()).toBe(until.toMillis());

      await client.press('Confirm');
      expect(client.lastMessage().text).toContain('New bookings are paused for maintenance until');
      expect(client.lastMessage().text).toContain('Pipes are being fixed');
      expect(
        (
          await q<{ n: number }>('select count(*)::int as n from bookings where tenant_id = $1', [
            w.tenantId,
          ])
        )[0]!.n,
      ).toBe(0);
      await client.send('/start');
      await client.press('My bookings');
      expect(client.lastMessage().text).not.toContain('paused');
      const [entry] = await audits('tenant.maintenance_on', w.tenantId);
      expect(entry!.before).toMatchObject({ maintenance: false, maintenance_until: null });
      expect(entry!.after).toMatchObject({
        maintenance: true,
        maintenance_message: 'Pipes are being fixed',
        maintenance_until: until.toUTC().toISO({ suppressMilliseconds: true }),
      });

      expect(
        (
          await admin.submit(
            `/admin/platform/tenants/${w.tenantId}`,
            `/admin/platform/tenants/${w.tenantId}/maintenance/off`,
          )
        ).status,
      ).toBe(303);
      await toSummary(client);
      await client.press('Confirm');
      expect(client.lastMessage().text).toContain('Booked!');
      const [off] = await audits('tenant.maintenance_off', w.tenantId);
      expect(off!.before).toMatchObject({ maintenance: true });
      expect(off!.after).toMatchObject({ maintenance: false, maintenance_message: null });
    });

    it('inviting the owner shows a one-time deep link into the bot; Start with it makes the presser an owner', async () => {
      const invited = await admin.submit(
        `/admin/platform/tenants/${w.tenantId}`,
        `/admin/platform/tenants/${w.tenantId}/invite`,
      );
      expect(invited.status).toBe(200);
      expect(invited.response.headers.get('cache-control')).toBe('no-store');
      const link = /https:\/\/t\.me\/studio_test_bot\?start=(claim_[A-Za-z0-9_-]+)/.exec(
        invited.html,
      );
      expect(link).not.toBeNull();
      const newOwner = h.user(9_200_099);
      await newOwner.send(`/start ${link![1]}`);
      expect(
        (
          await q<{ role: string }>(
            'select role from staff_users where tenant_id = $1 and telegram_user_id = 9200099',
            [w.tenantId],
          )
        )[0]?.role,
      ).toBe('owner');
      expect(await audits('tenant.invite_owner', w.tenantId)).toHaveLength(1);
    });

    it('creating a business: errors next to the fields keep what was typed; then active, audited; with a token its bot is connected and the owner link shown', async () => {
      const bad = await admin.submit('/admin/platform/tenants/new', '/admin/platform/tenants', {
        name: 'New <Place>',
        slug: 'Bad Slug!',
        language: 'en',
        token: 'nope',
      });
      expect(bad.status).toBe(400);
      expect(bad.html).toContain('value="New &lt;Place&gt;"');
      expect(bad.html).toMatch(/id="slug"[^>]*aria-invalid="true"/);
      expect(bad.html).toContain('id="slug-error"');
      expect(bad.html).toContain('id="token-error"');
      expect((await q('select 1 from tenants where name = $1', ['New <Place>'])).length).toBe(0);

      const taken = await admin.submit('/admin/platform/tenants/new', '/admin/platform/tenants', {
        name: 'Again',
        slug: 'acme-01',
        language: 'en',
      });
      expect(taken.status).toBe(400);
      expect(taken.html).toContain('Another business has this slug');

      const plain = await admin.submit('/admin/platform/tenants/new', '/admin/platform/tenants', {
        name: 'New <Place>',
        slug: 'new-place',
        language: 'ru',
      });
      expect(plain.status).toBe(200);
      expect(plain.html).toContain('New &lt;Place&gt; is created and active.');
      const [created] = await q<{ id: string; status: string; default_language: string }>(
        "select id, status, default_language from tenants where slug = 'new-place'",
      );
      expect(created).toMatchObject({ status: 'active', default_language: 'ru' });
      expect((await audits('tenant.create', created!.id))[0]!.after).toMatchObject({
        slug: 'new-place',
        status: 'active',
      });

      const refused = `${8_100_000}:AAE${'r'.repeat(32)}`;
      const noBot = await admin.submit('/admin/platform/tenants/new', '/admin/platform/tenants', {
        name: 'Bot Place',
        slug: 'bot-place',
        language: 'en',
        token: refused,
      });
      expect(noBot.status).toBe(400);
      expect(noBot.html).toContain('Telegram does not know this token');
      expect((await q("select 1 from tenants where slug = 'bot-place'")).length).toBe(0);

      const token = `${8_100_001}:AAE${'t'.repeat(32)}`;
      h.stub.addBot(token, 'bot_place_bot');
      const withBot = await admin.submit('/admin/platform/tenants/new', '/admin/platform/tenants', {
        name: 'Bot Place',
        slug: 'bot-place',
        language: 'en',
        token,
      });
      expect(withBot.status).toBe(200);
      expect(withBot.html).toMatch(
        /https:\/\/t\.me\/bot_place_bot\?start=claim_[A-Za-z0-9_-]{20,}/,
      );
      const [bot] = await q<{ username: string; tenant: string }>(
        "select b.username, t.slug as tenant from tenant_bots b join tenants t on t.id = b.tenant_id where b.username = 'bot_place_bot'",
      );
      expect(bot).toEqual({ username: 'bot_place_bot', tenant: 'bot-place' });
      expect(
        (
          await q(
            "select 1 from tenant_claims c join tenants t on t.id = c.tenant_id where t.slug = 'bot-place' and c.claimed_at is null",
          )
        ).length,
      ).toBe(1);
    });

    it('the sign-up mode is saved and audited; a made-up mode is refused', async () => {
      expect(
        (
          await admin.submit('/admin/platform/tenants', '/admin/platform/settings/signup', {
            mode: 'sometimes',
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await admin.submit('/admin/platform/tenants', '/admin/platform/settings/signup', {
            mode: 'approval',
          })
        ).status,
      ).toBe(303);
      expect(
        (
          await q<{ value: unknown }>(
            "select value from platform_settings where key = 'signup_mode'",
          )
        )[0]!.value,
      ).toBe('approval');
      expect((await audits('platform.signup_mode', 'signup_mode'))[0]).toMatchObject({
        before: { signup_mode: 'open' },
        after: { signup_mode: 'approval' },
      });
      expect((await admin.get('/admin/platform/tenants')).html).toMatch(/value="approval" checked/);
    });
  });

  describe('jobs', () => {
    it('lists dead and failing jobs with their last error (escaped); retry makes one pending now with fresh attempts, discard sets it aside; both audited', async () => {
      const dead = await insertJob('dead', 'TypeError: <b>boom</b> at reminder');
      const failing = await insertJob('pending', 'Telegram 502');
      const list = await admin.get(`/admin/platform/jobs?tenant=${w.tenantId}`);
      expect(list.status).toBe(200);
      expect(list.html).toContain('TypeError: &lt;b&gt;boom&lt;/b&gt; at reminder');
      expect(list.html).toContain(`/admin/platform/jobs/${dead}/retry`);
      expect(list.html).toContain(`/admin/platform/jobs/${failing}/discard`);
      expect(list.html).toContain('Only Zeta Studio.');

      const retried = await admin.submit(
        `/admin/platform/jobs?tenant=${w.tenantId}`,
        `/admin/platform/jobs/${dead}/retry`,
        { back: `/admin/platform/jobs?tenant=${w.tenantId}` },
      );
      expect(retried.status).toBe(303);
      expect(retried.response.headers.get('location')).toBe(
        `/admin/platform/jobs?tenant=${w.tenantId}&done=retry`,
      );
      const [r] = await q<{ status: string; attempts: number; due: boolean }>(
        'select status, attempts, run_at <= now() as due from jobs where id = $1',
        [dead],
      );
      expect(r).toEqual({ status: 'pending', attempts: 0, due: true });
      const [retryAudit] = await audits('job.retry', dead);
      expect(retryAudit!.before).toMatchObject({ status: 'dead', attempts: 8 });
      expect(retryAudit!.after).toMatchObject({ status: 'pending', attempts: 0 });

      const discarded = await admin.submit(
        '/admin/platform/jobs',
        `/admin/platform/jobs/${failing}/discard`,
        { back: 'https://evil.example/' },
      );
      expect(discarded.response.headers.get('location')).toBe('/admin/platform/jobs?done=discard');
      expect(
        (await q<{ status: string }>('select status from jobs where id = $1', [failing]))[0]!
          .status,
      ).toBe('discarded');
      const [discardAudit] = await audits('job.discard', failing);
      expect(discardAudit!.before).toMatchObject({ status: 'pending', attempts: 3 });
      expect(discardAudit!.after).toMatchObject({ status: 'discarded' });
      // A discarded job is no longer listed, and discarding it again changes nothing.
      expect((await admin.get('/admin/platform/jobs')).html).not.toContain(failing);
      await admin.submit('/admin/platform/jobs', `/admin/platform/jobs/${failing}/discard`);
      expect(await audits('job.discard', failing)).toHaveLength(1);
    });

    it('the home page counts businesses by status and jobs in trouble, with links', async () => {
      const home = await admin.get('/admin');
      expect(home.html).toContain('Businesses: ');
      expect(home.html).toMatch(/\d+ dead jobs?/);
      expect(home.html).toContain('href="/admin/platform/jobs"');
      await q(
        "insert into tenants (slug, name, status) values ('waiting-one', 'Waiting One', 'pending')",
      );
      expect((await admin.get('/admin')).html).toContain('1 sign-up waits for approval');
      const ru = await admin.get('/admin?lang=ru');
      expect(ru.html).toContain('1 заявка ждёт одобрения');
    });
  });
});

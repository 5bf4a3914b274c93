import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { registerBot } from '../../tenants/bots/onboarding.ts';
import { createSecretBox } from '../../tenants/security/secret-box.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld } from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { ChatUser, webhookEndpoint } from '../support/chat-user.ts';
import { AdminClient, csrfOf, linkIn } from '../support/admin-client.ts';

/**
 * A business signs itself up (the BotFather token proves the bot), claims it by pressing Start in
 * its bot (the tap proves the person), completes the first-run checklist, and a client books:
 * against the real app, PostgreSQL and the Telegram stand-in. Plus every refusal: a bad, unknown
 * or foreign token, Telegram down, a refused webhook, closed sign-up, the rate limits, a master or
 * another business at the checklist's forms.
 */
describe('self-service sign-up and the first-run checklist', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let h: BotHarness;
  let tokens = 0;
  let addresses = 0;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_signup'));
    h = new BotHarness(db);
    await h.startWithoutBot();
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  /** A bot BotFather made: the stand-in knows its token. */
  function newBot(): { token: string; username: string } {
    tokens += 1;
    const token = `${8_100_000 + tokens}:AAE${'s'.repeat(31)}${tokens % 10}`;
    const username = `shop${tokens}_bot`;
    h.stub.addBot(token, username);
    return { token, username };
  }

  /** Each test comes from its own address, so that the per-address limit is its own. */
  const newAddress = () => `203.0.113.${++addresses}`;

  const setMode = (mode: string) =>
    asPlatform(db, (tx) =>
      tx.query(
        "update platform_settings set value = to_jsonb($1::text) where key = 'signup_mode'",
        [mode],
      ),
    );

  async function submit(
    fields: Record<string, string>,
    address = newAddress(),
    browser = new AdminClient(h.baseUrl),
  ) {
    const form = await browser.get('/admin/signup');
    return browser.post(
      '/admin/signup',
      { _csrf: csrfOf(form.html), ...fields },
      { headers: { 'x-forwarded-for': `${address}, 10.0.0.1` } },
    );
  }

  function claimOf(html: string): { username: string; code: string; link: string } {
    const match = /https:\/\/t\.me\/([A-Za-z0-9_]+)\?start=claim_([A-Za-z0-9_-]+)/.exec(html);
    if (!match) throw new Error(`no claim link on the page:\n${html.slice(0, 800)}`);
    return { username: match[1]!, code: match[2]!, link: match[0] };
  }

  const count = async () =>
    (
      await asPlatform(db, (tx) =>
        tx.query<Record<string, number>>(
          `select (select count(*)::int from tenants) as tenants, (select count(*)::int from tenant_bots) as bots, (select count(*)::int from tenant_claims) as claims,
                  (select count(*)::int from staff_users) as staff, (select count(*)::int from audit_log) as audit`,
        ),
      )
    )[0]!;

  const tenantOfBot = async (username: string) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{
          id: string;
          bot_id: string;
          name: string;
          slug: string;
          status: string;
          default_language: string;
        }>(
          'select t.id, b.id as bot_id, t.name, t.slug, t.status, t.default_language from tenants t join tenant_bots b on b.tenant_id = t.id where b.username = $1',
          [username],
        ),
      )
    )[0];

  const person = (bot: { token: string }, id: number, lang = 'en', name = `Person${id}`) =>
    new ChatUser(webhookEndpoint(h.stub, bot.token), id, lang, name);

  /** Signs up a business, claims it as `ownerId` and signs in: the owner's browser. */
  async function businessWithOwner(
    ownerId: number,
    name: string,
  ): Promise<{
    bot: { token: string; username: string };
    tenantId: string;
    browser: AdminClient;
    owner: ChatUser;
  }> {
    const bot = newBot();
    const done = await submit({ name, token: bot.token, language: 'en' });
    expect(done.status).toBe(200);
    const owner = person(bot, ownerId);
    expect(await owner.send(`/start claim_${claimOf(done.html).code}`)).toBe(200);
    const browser = new AdminClient(h.baseUrl);
    expect((await browser.signInWithLink(linkIn(owner.lastMessage().text))).status).toBe(303);
    return { bot, tenantId: (await tenantOfBot(bot.username))!.id, browser, owner };
  }

  it('the form, then a business with its bot connected and a one-time claim link; the first Start makes the owner', async () => {
    const empty = await new AdminClient(h.baseUrl).get('/admin/signup');
    expect(empty.status).toBe(200);
    expect(empty.html).toContain('Connect your business’s bot');
    expect(empty.html).toMatch(/<label for="f-token">/);
    expect(empty.html).toMatch(/href="\/admin\/signin"/);

    const bot = newBot();
    const done = await submit({
      name: '  Studio   Anna ',
      token: ` ${bot.token} `,
      language: 'ru',
    });
    expect(done.status).toBe(200);
    expect(done.response.headers.get('cache-control')).toBe('no-store');
    expect(done.html).toContain(`@${bot.username} is connected`);
    expect(done.html).not.toContain(bot.token);
    const claim = claimOf(done.html);
    expect(claim.username).toBe(bot.username);

    const tenant = (await tenantOfBot(bot.username))!;
    expect(tenant).toMatchObject({
      name: 'Studio Anna',
      slug: 'studio-anna',
      status: 'active',
      default_language: 'ru',
    });
    expect(h.stub.webhooks.get(bot.token)?.url).toBe(`${h.baseUrl}/tg/${tenant.bot_id}`);
    const [audit] = await asPlatform(db, (tx) =>
      tx.query<{ action: string; actor_role: string }>(
        'select action, actor_role from audit_log where tenant_id = $1',
        [tenant.id],
      ),
    );
    expect(audit).toEqual({ action: 'tenant.signup', actor_role: 'system' });

    // The tap proves the person: the first Start with the code makes its presser the owner.
    const owner = person(bot, 9_300_001, 'en', 'Anna');
    expect(await owner.send(`/start claim_${claim.code}`)).toBe(200);
    expect(owner.lastMessage().text).toContain('You are now on the staff of this business');
    const [staff] = await asPlatform(db, (tx) =>
      tx.query<{ role: string; display_name: string }>(
        'select role, display_name from staff_users where tenant_id = $1',
        [tenant.id],
      ),
    );
    expect(staff).toEqual({ role: 'owner', display_name: 'Anna' });

    // Used once: someone else with the same link gets nothing.
    const other = person(bot, 9_300_002);
    await other.send(`/start claim_${claim.code}`);
    expect(other.lastMessage().text).toContain('This invitation does not work any more');
    expect(
      (
        await asPlatform(db, (tx) =>
          tx.query('select 1 from staff_users where telegram_user_id = $1', [9_300_002]),
        )
      ).length,
    ).toBe(0);

    const browser = new AdminClient(h.baseUrl);
    expect((await browser.signInWithLink(linkIn(owner.lastMessage().text))).status).toBe(303);
    const home = await browser.get('/admin');
    expect(home.html).toContain('Get your bot ready for bookings');
    expect(home.html).toContain('href="/admin/setup/location"');
  });

  it('a second business with the same name gets its own slug; a Cyrillic name is transliterated', async () => {
    const a = newBot();
    const b = newBot();
    expect((await submit({ name: 'Салон Красота', token: a.token })).status).toBe(200);
    expect((await submit({ name: 'Салон Красота', token: b.token })).status).toBe(200);
    const slugA = (await tenantOfBot(a.username))!.slug;
    const slugB = (await tenantOfBot(b.username))!.slug;
    expect(slugA).toBe('salon-krasota');
    expect(slugB).toMatch(/^salon-krasota-[a-z0-9]{4}$/);
  });

  it('refusals keep the typed name, never echo the token, say what to do, and leave nothing behind', async () => {
    const foreign = newBot();
    const w = await createBookingWorld(db, { masters: 1, clients: 0 });
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', 9300100)",
        [w.tenantId],
      ),
    );
    await registerBot(
      {
        db,
        secrets: await createSecretBox(new Uint8Array(32).fill(5)),
        apiRoot: h.stub.apiRoot,
        publicUrl: h.baseUrl,
      },
      { tenantId: w.tenantId, token: foreign.token },
    );
    const before = await count();

    const cases: {
      token: string;
      status: number;
      says: string;
      setup?: () => void;
      teardown?: () => void;
    }[] = [
      { token: '', status: 400, says: 'Paste the token BotFather gave you' },
      { token: 'not-a-token', status: 400, says: 'This does not look like a bot token' },
      {
        token: `999999:AAE${'q'.repeat(32)}`,
        status: 400,
        says: 'Telegram does not know this token',
      },
      {
        token: foreign.token,
        status: 400,
        says: 'This bot is already connected to another business',
      },
      {
        token: newBot().token,
        status: 503,
        says: 'Telegram could not be reached just now',
        setup: () => h.stub.failNext('getMe', { status: 502, description: 'Bad Gateway' }),
      },
      {
        token: newBot().token,
        status: 400,
        says: 'Telegram refused to send this bot’s messages to this platform',
        setup: () => (h.stub.requireHttpsWebhook = true),
        teardown: () => (h.stub.requireHttpsWebhook = false),
      },
    ];
    for (const c of cases) {
      c.setup?.();
      try {
        const r = await submit({ name: 'Studio <b>Bold</b>', token: c.token, language: 'en' });
        expect(r.status, c.says).toBe(c.status);
        expect(r.html).toContain(c.says);
        expect(r.html).toContain('value="Studio &lt;b&gt;Bold&lt;/b&gt;"');
        expect(r.html).toMatch(/id="f-token"[^>]*value=""/);
        if (c.token) expect(r.html).not.toContain(c.token);
        expect(r.html).toMatch(/aria-invalid="true" aria-describedby="f-token-hint f-token-error"/);
      } finally {
        c.teardown?.();
      }
    }
    const missingName = await submit({ name: '   ', token: newBot().token });
    expect(missingName.status).toBe(400);
    expect(missingName.html).toContain('Enter your business’s name.');

    // In the visitor's language.
    const russian = new AdminClient(h.baseUrl);
    await russian.get('/admin/signup?lang=ru');
    const ru = await submit(
      { name: 'Салон', token: `999999:AAE${'q'.repeat(32)}` },
      newAddress(),
      russian,
    );
    expect(ru.status).toBe(400);
    expect(ru.html).toContain('Telegram не знает этот токен');

    // Forged: from another site, or without the form's token, nothing is even tried.
    const forger = new AdminClient(h.baseUrl);
    const page = await forger.get('/admin/signup');
    expect(
      (
        await forger.post(
          '/admin/signup',
          { _csrf: csrfOf(page.html), name: 'Forged', token: newBot().token },
          { origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403);
    expect(
      (await forger.post('/admin/signup', { name: 'Forged', token: newBot().token })).status,
    ).toBe(403);
    expect(await count()).toEqual(before);
  });

  it('a lost page: the same token again gives a fresh code while nobody claimed the business; the old code is dead; once claimed it is refused', async () => {
    const bot = newBot();
    const first = claimOf((await submit({ name: 'Lost Page', token: bot.token })).html);
    const tenant = (await tenantOfBot(bot.username))!;
    const again = await submit({ name: 'Lost Page Salon', token: bot.token });
    expect(again.status).toBe(200);
    const second = claimOf(again.html);
    expect(second.code).not.toBe(first.code);
    expect((await tenantOfBot(bot.username))!).toMatchObject({
      id: tenant.id,
      bot_id: tenant.bot_id,
      name: 'Lost Page Salon',
    });
    expect(
      (
        await asPlatform(db, (tx) =>
          tx.query('select 1 from tenants where name = $1', ['Lost Page Salon']),
        )
      ).length,
    ).toBe(1);

    const stale = person(bot, 9_300_201);
    await stale.send(`/start claim_${first.code}`);
    expect(stale.lastMessage().text).toContain('This invitation does not work any more');
    const owner = person(bot, 9_300_202);
    await owner.send(`/start claim_${second.code}`);
    expect(owner.lastMessage().text).toContain('You are now on the staff');

    const third = await submit({ name: 'Lost Page', token: bot.token });
    expect(third.status).toBe(400);
    expect(third.html).toContain('This bot is already connected to another business');
  });

  it('approval: the business waits as pending, its owner can claim it and prepare; bookings are refused until approved', async () => {
    await setMode('approval');
    try {
      const form = await new AdminClient(h.baseUrl).get('/admin/signup');
      expect(form.html).toContain('New businesses are checked by the people who run this platform');
      const bot = newBot();
      const done = await submit({ name: 'Waiting Room', token: bot.token });
      expect(done.status).toBe(200);
      expect(done.html).toContain('Your business waits for approval by the platform');
      const tenant = (await tenantOfBot(bot.username))!;
      expect(tenant.status).toBe('pending');
      const owner = person(bot, 9_300_301);
      await owner.send(`/start claim_${claimOf(done.html).code}`);
      expect(owner.lastMessage().text).toContain('You are now on the staff');
      // The database refuses a booking of a business that is not active, whatever writes it.
      const w = await asPlatform(db, async (tx) => {
        const loc = (
          await tx.query<{ id: string }>(
            "insert into locations (tenant_id, name, timezone, currency, policy) select $1, 'L', 'Europe/Berlin', 'EUR', policy from locations limit 1 returning id",
            [tenant.id],
          )
        )[0]!.id;
        const client = (
          await tx.query<{ id: string }>(
            "insert into clients (tenant_id, telegram_user_id, first_name) values ($1, 9300302, 'C') returning id",
            [tenant.id],
          )
        )[0]!.id;
        const master = (
          await tx.query<{ id: string }>(
            "insert into masters (tenant_id, location_id, display_name) values ($1, $2, 'M') returning id",
            [tenant.id, loc],
          )
        )[0]!.id;
        return { loc, client, master };
      });
      await expect(
        asPlatform(db, (tx) =>
          tx.query(
            "insert into bookings (tenant_id, location_id, client_id, master_id, start_at, end_at, span, status, total_minor, currency) values ($1, $2, $3, $4, now() + interval '1 day', now() + interval '1 day 1 hour', tstzrange(now() + interval '1 day', now() + interval '1 day 1 hour'), 'confirmed', 0, 'EUR')",
            [tenant.id, w.loc, w.client, w.master],
          ),
        ),
      ).rejects.toThrow(/not open for bookings/);
    } finally {
      await setMode('open');
    }
  });

  it('closed: the page says whom to ask, a POST is refused, nothing is created', async () => {
    // A form opened while sign-up was open, sent after it closed.
    const browser = new AdminClient(h.baseUrl);
    const csrf = csrfOf((await browser.get('/admin/signup')).html);
    await setMode('closed');
    try {
      const page = await new AdminClient(h.baseUrl).get('/admin/signup');
      expect(page.status).toBe(200);
      expect(page.html).toContain('Sign-up is closed');
      expect(page.html).toContain('Ask the people who run it');
      expect(page.html).not.toContain('name="token"');
      const before = await count();
      const refused = await browser.post(
        '/admin/signup',
        { _csrf: csrf, name: 'Closed Shop', token: newBot().token },
        { headers: { 'x-forwarded-for': newAddress() } },
      );
      expect(refused.status).toBe(403);
      expect(refused.html).toContain('Sign-up is closed');
      expect(await count()).toEqual(before);
    } finally {
      await setMode('open');
    }
  });

  it('rate limits: five attempts an hour per address, then 429 with when to retry; others are not held up; a platform-wide cap', async () => {
    const address = newAddress();
    for (let i = 0; i < 5; i++)
      expect(
        (await submit({ name: 'Busy', token: `999999:AAE${'q'.repeat(32)}` }, address)).status,
      ).toBe(400);
    const before = await count();
    const refused = await submit({ name: 'Busy', token: newBot().token }, address);
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Too many sign-up attempts');
    expect(refused.html).toMatch(/Try again in about \d+ min \(after \d{1,2}:\d{2}\s?[AP]M UTC\)/);
    expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await count()).toEqual(before);
    // Cloudflare's header names the address when present (before X-Forwarded-For).
    const viaCloudflare = new AdminClient(h.baseUrl);
    const cfForm = await viaCloudflare.get('/admin/signup');
    const cf = await viaCloudflare.post(
      '/admin/signup',
      { _csrf: csrfOf(cfForm.html), name: 'Busy', token: newBot().token },
      { headers: { 'cf-connecting-ip': address, 'x-forwarded-for': newAddress() } },
    );
    expect(cf.status).toBe(429);
    const ok = await submit({ name: 'Not Busy', token: newBot().token });
    expect(ok.status).toBe(200);

    // Platform-wide: 100 sign-ups in the hour pause sign-up for everyone.
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into signup_attempts (ip_hash, succeeded) select decode(md5(g::text) || md5(g::text), 'hex'), true from generate_series(1, 100) g",
      ),
    );
    try {
      const paused = await submit({ name: 'Late', token: newBot().token });
      expect(paused.status).toBe(429);
      expect(paused.html).toContain('Many businesses signed up in the last hour');
    } finally {
      await asPlatform(db, (tx) =>
        tx.query(
          "delete from signup_attempts where ip_hash in (select decode(md5(g::text) || md5(g::text), 'hex') from generate_series(1, 100) g)",
        ),
      );
    }
  });

  it('the checklist: each form refuses bad input with the typed values kept, saves good input as the tenant with an audit entry; then a client books', async () => {
    const { bot, tenantId, browser } = await businessWithOwner(9_300_401, 'Checklist Studio');

    const badLocation = await browser.submit('/admin/setup/location', '/admin/setup/location', {
      name: '',
      timezone: 'Mars/Olympus',
      currency: 'EURO',
      address: 'Main St 1',
    });
    expect(badLocation.status).toBe(400);
    expect(badLocation.html).toContain('Enter a name.');
    expect(badLocation.html).toContain('That is not a time zone we know');
    expect(badLocation.html).toContain('That is not a currency code');
    expect(badLocation.html).toContain('value="Mars/Olympus"');
    expect(badLocation.html).toContain('value="Main St 1"');
    const location = await browser.submit('/admin/setup/location', '/admin/setup/location', {
      name: 'Studio',
      timezone: 'europe/berlin',
      currency: 'eur',
      address: '',
    });
    expect(location.status).toBe(303);
    expect(location.response.headers.get('location')).toBe('/admin?done=location');
    const afterLocation = await browser.get('/admin?done=location');
    expect(afterLocation.html).toContain('The location is saved.');
    expect(afterLocation.html).toContain('Studio · Europe/Berlin · EUR');

    const badService = await browser.submit('/admin/setup/service', '/admin/setup/service', {
      name: 'Haircut',
      duration: '45 min',
      price: '25.505',
    });
    expect(badService.status).toBe(400);
    expect(badService.html).toContain('Write the minutes as a whole number');
    expect(badService.html).toContain('EUR has 2 digits after the decimal mark');
    expect(badService.html).toContain('value="Haircut"');
    expect(
      (
        await browser.submit('/admin/setup/service', '/admin/setup/service', {
          name: 'Haircut',
          duration: '45',
          price: '25,50',
        })
      ).status,
    ).toBe(303);

    const masterPage = await browser.get('/admin/setup/master');
    expect(masterPage.html).toContain('Haircut · 45 min · €25.50');
    const serviceId = /name="service_([0-9a-f-]{36})"/.exec(masterPage.html)![1]!;
    const badMaster = await browser.submit('/admin/setup/master', '/admin/setup/master', {
      name: 'Anna',
      start: '19:00',
      end: '10:00',
    });
    expect(badMaster.status).toBe(400);
    expect(badMaster.html).toContain('Choose at least one service this master does.');
    expect(badMaster.html).toContain('Choose at least one day.');
    expect(badMaster.html).toContain('value="Anna"');
    const wrongOrder = await browser.submit('/admin/setup/master', '/admin/setup/master', {
      name: 'Anna',
      [`service_${serviceId}`]: 'on',
      day_1: 'on',
      start: '19:00',
      end: '10:00',
    });
    expect(wrongOrder.html).toContain('The day must end after it starts');
    const days = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [`day_${d}`, 'on']));
    expect(
      (
        await browser.submit('/admin/setup/master', '/admin/setup/master', {
          name: 'Anna',
          [`service_${serviceId}`]: 'on',
          ...days,
          start: '00:00',
          end: '24:00',
        })
      ).status,
    ).toBe(303);

    const rows = await asPlatform(db, (tx) =>
      tx.query<Record<string, unknown>>(
        `select l.timezone, l.currency, s.duration_min, s.price_minor::int as price, m.display_name, m.telegram_user_id,
                (select count(*)::int from working_hours w where w.master_id = m.id) as hours,
                (select count(*)::int from master_skills k where k.master_id = m.id) as skills
         from locations l join services s on s.location_id = l.id join masters m on m.location_id = l.id where l.tenant_id = $1`,
        [tenantId],
      ),
    );
    expect(rows).toEqual([
      {
        timezone: 'Europe/Berlin',
        currency: 'EUR',
        duration_min: 45,
        price: 2550,
        display_name: 'Anna',
        telegram_user_id: null,
        hours: 7,
        skills: 1,
      },
    ]);
    const audit = await asPlatform(db, (tx) =>
      tx.query<{ action: string; actor_role: string }>(
        "select action, actor_role from audit_log where tenant_id = $1 and action like '%.create' order by id",
        [tenantId],
      ),
    );
    expect(audit).toEqual([
      { action: 'location.create', actor_role: 'owner' },
      { action: 'service.create', actor_role: 'owner' },
      { action: 'master.create', actor_role: 'owner' },
    ]);

    const home = await browser.get('/admin');
    expect(home.html).toContain('Your bot takes bookings: open');
    expect(home.html).toContain(`href="https://t.me/${bot.username}"`);
    expect(home.html).not.toContain('class="checklist"');

    // A client books through the bot.
    const client = person(bot, 9_300_402, 'en', 'Clara');
    expect(await client.send('/start')).toBe(200);
    await client.press('Book');
    await client.press(/^Haircut/);
    await client.press('Continue');
    await client.press('Anna');
    const tomorrow = DateTime.now().setZone('Europe/Berlin').startOf('day').plus({ days: 1 });
    await client.press(
      tomorrow.setLocale('en').toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }),
    );
    await client.press('Later');
    await client.press('10:00 AM');
    await client.press('Confirm');
    expect(client.screen().text).toContain('Booked!');
    const [booking] = await asPlatform(db, (tx) =>
      tx.query<{ status: string; total: number; start_at: Date }>(
        'select status, total_minor::int as total, start_at from bookings where tenant_id = $1',
        [tenantId],
      ),
    );
    expect(booking).toEqual({
      status: 'confirmed',
      total: 2550,
      start_at: tomorrow.set({ hour: 10 }).toJSDate(),
    });
  });

  it('who may use the checklist: nobody signed out, no master; a business only ever writes into itself', async () => {
    const a = await businessWithOwner(9_300_501, 'Tenant A');
    const b = await businessWithOwner(9_300_502, 'Tenant B');
    for (const browser of [a.browser, b.browser]) {
      await browser.submit('/admin/setup/location', '/admin/setup/location', {
        name: 'Main',
        timezone: 'Europe/Berlin',
        currency: 'EUR',
      });
      await browser.submit('/admin/setup/service', '/admin/setup/service', {
        name: 'Cut',
        duration: '30',
        price: '20',
      });
    }
    const [bService] = await asPlatform(db, (tx) =>
      tx.query<{ id: string; location_id: string }>(
        'select id, location_id from services where tenant_id = $1',
        [b.tenantId],
      ),
    );
    const snapshot = async (tenantId: string) =>
      asPlatform(db, (tx) =>
        tx.query(
          'select (select count(*)::int from locations where tenant_id = $1) as l, (select count(*)::int from services where tenant_id = $1) as s, (select count(*)::int from masters where tenant_id = $1) as m',
          [tenantId],
        ),
      );
    const bBefore = await snapshot(b.tenantId);
    const aBefore = await snapshot(a.tenantId);

    // Tenant A's owner names B's service (and B's location): it is not A's, so it is not offered.
    const forged = await a.browser.submit('/admin/setup/master', '/admin/setup/master', {
      name: 'Mole',
      [`service_${bService!.id}`]: 'on',
      day_1: 'on',
      start: '10:00',
      end: '19:00',
      location_id: bService!.location_id,
    });
    expect(forged.status).toBe(400);
    expect(forged.html).toContain('Choose at least one service this master does.');
    const service = await a.browser.submit('/admin/setup/service', '/admin/setup/service', {
      name: 'Mine',
      duration: '30',
      price: '10',
      location_id: bService!.location_id,
      tenant_id: b.tenantId,
    });
    expect(service.status).toBe(303);
    expect(await snapshot(b.tenantId)).toEqual(bBefore);
    const aAfter = (await snapshot(a.tenantId)) as { s: number }[];
    expect(aAfter[0]!.s).toBe((aBefore as { s: number }[])[0]!.s + 1);

    // A master of the business signs in too, but the checklist is not theirs.
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'master', 'Max', 9300503)",
        [a.tenantId],
      ),
    );
    const master = person(a.bot, 9_300_503);
    await master.send('/admin');
    const masterBrowser = new AdminClient(h.baseUrl);
    expect((await masterBrowser.signInWithLink(linkIn(master.lastMessage().text))).status).toBe(
      303,
    );
    expect((await masterBrowser.get('/admin')).html).not.toContain('Get your bot ready');
    for (const step of ['location', 'service', 'master']) {
      expect((await masterBrowser.get(`/admin/setup/${step}`)).status).toBe(403);
      const home = await masterBrowser.get('/admin');
      expect(
        (
          await masterBrowser.post(`/admin/setup/${step}`, {
            _csrf: csrfOf(home.html),
            name: 'X',
            timezone: 'Europe/Berlin',
            currency: 'EUR',
            duration: '10',
            price: '1',
          })
        ).status,
      ).toBe(403);
      expect((await new AdminClient(h.baseUrl).get(`/admin/setup/${step}`)).status).toBe(401);
    }
    // Without the form's CSRF token, even the owner is refused.
    expect(
      (
        await a.browser.post('/admin/setup/location', {
          name: 'X',
          timezone: 'Europe/Berlin',
          currency: 'EUR',
        })
      ).status,
    ).toBe(403);
    expect(await snapshot(a.tenantId)).toEqual(aAfter);
  });

  it('polling mode: sign-up sets no webhook; the bot is connected all the same', async () => {
    const polling = new BotHarness(db, { telegramMode: 'polling' });
    await polling.startWithoutBot();
    try {
      const token = `${8_900_001}:AAE${'p'.repeat(32)}`;
      polling.stub.addBot(token, 'polled_shop_bot');
      const browser = new AdminClient(polling.baseUrl);
      const form = await browser.get('/admin/signup');
      const done = await browser.post(
        '/admin/signup',
        { _csrf: csrfOf(form.html), name: 'Polled Shop', token },
        { headers: { 'x-forwarded-for': newAddress() } },
      );
      expect(done.status).toBe(200);
      expect(claimOf(done.html).username).toBe('polled_shop_bot');
      expect(polling.stub.callsOf('setWebhook')).toEqual([]);
      expect((await tenantOfBot('polled_shop_bot'))?.status).toBe('active');
    } finally {
      await polling.stop();
    }
  });
});

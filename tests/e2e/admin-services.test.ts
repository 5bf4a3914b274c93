import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld, type BookingWorld } from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { AdminClient, csrfOf, linkIn } from '../support/admin-client.ts';

/**
 * The services editor against the real app, PostgreSQL and the Telegram stand-in: a change is on
 * the client's next screen (price, a name per language, a service turned off or added), a wrong
 * value is said next to its field and changes nothing, and a manager limited to another location,
 * a master or another business's owner reach none of it.
 */
describe('admin services editor', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let riverside: string;
  const OWNER = 9_600_001;
  const MANAGER = 9_600_002;
  const MASTER = 9_600_003;
  let clientId = 9_600_100;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_services'));
    w = await createBookingWorld(db, { masters: 1, clients: 0 });
    await asPlatform(db, async (tx) => {
      await tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', $2), ($1, 'master', 'Max', $3)",
        [w.tenantId, OWNER, MASTER],
      );
      riverside = (
        await tx.query<{ id: string }>(
          "insert into locations (tenant_id, name, timezone, currency, policy) select tenant_id, 'Riverside', timezone, 'USD', policy from locations where id = $1 returning id",
          [w.locationId],
        )
      )[0]!.id;
      const [manager] = await tx.query<{ id: string }>(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'manager', 'Mia', $2) returning id",
        [w.tenantId, MANAGER],
      );
      await tx.query(
        'insert into staff_locations (tenant_id, staff_user_id, location_id) values ($1, $2, $3)',
        [w.tenantId, manager!.id, riverside],
      );
    });
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  const signedIn = (telegramId: number): Promise<AdminClient> => h.signIn(telegramId);
  /** A new client's services screen at the Studio (the first location), in `language`. */
  async function servicesScreen(language = 'en'): Promise<string[]> {
    const u = h.user(clientId++, language);
    await u.send('/start');
    await u.press(/Book|Записаться/);
    if (
      u
        .screen()
        .buttons.flat()
        .some((b) => b.includes('Studio'))
    )
      await u.press('Studio');
    return u.screen().buttons.flat();
  }
  const serviceRow = async (id: string) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{ price_minor: string; name: string; active: boolean }>(
          'select price_minor, name, active from services where id = $1',
          [id],
        ),
      )
    )[0]!;
  const edit = (owner: AdminClient, id: string, fields: Record<string, string>) =>
    owner.submit(`/admin/services/${id}`, `/admin/services/${id}`, fields);
  const current = async (owner: AdminClient, id: string) => {
    const html = (await owner.get(`/admin/services/${id}`)).html;
    const value = (name: string) =>
      new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '';
    return {
      name: value('name'),
      duration: value('duration'),
      price: value('price'),
      sort_order: value('sort_order'),
      active: /name="active"[^>]*checked/.test(html) ? 'on' : '',
    };
  };

  it('a new price is on the client’s next screen; the audit log has before and after', async () => {
    const owner = await signedIn(OWNER);
    expect((await servicesScreen()).some((b) => b.includes('€30.00'))).toBe(true);
    const saved = await edit(owner, w.services.cut, {
      ...(await current(owner, w.services.cut)),
      price: '35,50',
    });
    expect(saved.status).toBe(303);
    expect(Number((await serviceRow(w.services.cut)).price_minor)).toBe(3550);
    const buttons = await servicesScreen();
    expect(buttons.some((b) => b.includes('€35.50'))).toBe(true);
    expect(buttons.some((b) => b.includes('€30.00'))).toBe(false);
    const audit = await owner.get('/admin/audit');
    expect(audit.html).toContain('Changed a service');
    expect(audit.html).toContain('priceMinor: 3000');
  });

  it('a name per language: a Russian client reads the Russian name, others the name as entered', async () => {
    const owner = await signedIn(OWNER);
    expect(
      (
        await edit(owner, w.services.colour, {
          ...(await current(owner, w.services.colour)),
          name_ru: 'Окрашивание',
        })
      ).status,
    ).toBe(303);
    expect((await servicesScreen('ru')).some((b) => b.includes('Окрашивание'))).toBe(true);
    expect((await servicesScreen('en')).some((b) => b.startsWith('colour'))).toBe(true);
  });

  it('a wrong price, duration or position is said next to its field, keeps what was typed, and changes nothing', async () => {
    const owner = await signedIn(OWNER);
    const before = await serviceRow(w.services.style);
    const refused = await edit(owner, w.services.style, {
      ...(await current(owner, w.services.style)),
      price: 'forty',
      duration: '0',
      sort_order: '-3',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('aria-invalid="true"');
    expect(refused.html).toContain('value="forty"');
    expect(refused.html).toContain('Enter a whole number from 0 to 9999.');
    expect(await serviceRow(w.services.style)).toEqual(before);
  });

  it('turned off, a service leaves the bot; a new one appears in it', async () => {
    const owner = await signedIn(OWNER);
    expect(
      (
        await edit(owner, w.services.long, {
          ...(await current(owner, w.services.long)),
          active: '',
        })
      ).status,
    ).toBe(303);
    expect((await serviceRow(w.services.long)).active).toBe(false);
    const created = await owner.submit(
      `/admin/services/new?location=${w.locationId}`,
      `/admin/services/new?location=${w.locationId}`,
      { name: 'Beard trim', duration: '20', price: '15', active: 'on' },
    );
    expect(created.status).toBe(303);
    const buttons = await servicesScreen();
    expect(buttons.some((b) => b.startsWith('long'))).toBe(false);
    expect(buttons.some((b) => b.includes('Beard trim'))).toBe(true);
  });

  it('a manager limited to Riverside sees and edits only Riverside; a master gets 403; another business 404', async () => {
    const manager = await signedIn(MANAGER);
    const list = await manager.get('/admin/services');
    expect(list.status).toBe(200);
    expect(list.html).toContain('Riverside');
    expect(list.html).not.toContain('Studio');
    expect((await manager.get(`/admin/services/${w.services.cut}`)).status).toBe(404);
    const before = await serviceRow(w.services.cut);
    expect(
      (
        await manager.post(`/admin/services/${w.services.cut}`, {
          _csrf: csrfOf(list.html),
          name: 'Hijacked',
          duration: '5',
          price: '1',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await manager.post(`/admin/services/new?location=${w.locationId}`, {
          _csrf: csrfOf(list.html),
          name: 'Sneaky',
          duration: '5',
          price: '1',
        })
      ).status,
    ).toBe(404);
    expect(await serviceRow(w.services.cut)).toEqual(before);
    // Riverside's own: prices in its currency.
    expect(
      (
        await manager.submit(
          `/admin/services/new?location=${riverside}`,
          `/admin/services/new?location=${riverside}`,
          { name: 'Shave', duration: '15', price: '12.5', active: 'on' },
        )
      ).status,
    ).toBe(303);
    expect((await manager.get(`/admin/services?location=${riverside}`)).html).toContain('$12.50');

    expect((await (await signedIn(MASTER)).get('/admin/services')).status).toBe(403);

    const other = await createBookingWorld(db, { masters: 1, clients: 0 });
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Oscar', 9600900)",
        [other.tenantId],
      ),
    );
    const otherHarness = new BotHarness(db);
    await otherHarness.start(other.tenantId);
    try {
      const u = otherHarness.user(9_600_900);
      await u.send('/admin');
      const oscar = new AdminClient(otherHarness.baseUrl);
      await oscar.signInWithLink(linkIn(u.lastMessage().text));
      const page = await oscar.get('/admin/services');
      expect((await oscar.get(`/admin/services/${w.services.cut}`)).status).toBe(404);
      expect(
        (
          await oscar.post(`/admin/services/${w.services.cut}`, {
            _csrf: csrfOf(page.html),
            name: 'Hijacked',
            duration: '5',
            price: '1',
          })
        ).status,
      ).toBe(404);
      expect(await serviceRow(w.services.cut)).toEqual(before);
    } finally {
      await otherHarness.stop();
    }
  });

  it("a long list pages by 50 in the bot's order: every service once, with links to the next and the first page", async () => {
    const owner = await signedIn(OWNER);
    const [location] = await asPlatform(db, async (tx) => {
      const [loc] = await tx.query<{ id: string }>(
        "insert into locations (tenant_id, name, timezone, currency, policy) select $1, 'Long list', timezone, 'EUR', policy from locations where id = $2 returning id",
        [w.tenantId, w.locationId],
      );
      // Equal positions and names: the id keeps the order total.
      await tx.query(
        "insert into services (tenant_id, location_id, name, duration_min, price_minor, sort_order) select $1, $2, 'Svc ' || lpad((g % 40)::text, 3, '0'), 30, 1000, g % 3 from generate_series(1, 120) g",
        [w.tenantId, loc!.id],
      );
      return [loc!.id];
    });
    const seen: string[] = [];
    let path: string | undefined = `/admin/services?location=${location}`;
    let pages = 0;
    while (path) {
      const html: string = (await owner.get(path)).html;
      const ids = [...html.matchAll(/href="\/admin\/services\/([0-9a-f-]{36})"/g)].map(
        (m) => m[1]!,
      );
      expect(ids.length).toBeLessThanOrEqual(50);
      seen.push(...ids);
      pages += 1;
      if (pages > 1) expect(html).toContain('First page');
      path = /<a href="([^"]+)" rel="next">/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    }
    expect(pages).toBe(3);
    const expected = (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string }>(
          'select id from services where location_id = $1 order by sort_order, name, id',
          [location],
        ),
      )
    ).map((r) => r.id);
    expect(seen).toEqual(expected);
  });
});

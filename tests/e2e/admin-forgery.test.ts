import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { ADMIN_ROUTES } from '../../admin-ui/routes/index.ts';
import { bootstrapPlatformAdmin } from '../../tenants/admin/platform-admins.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld, type BookingWorld } from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { AdminClient, csrfOf, linkIn } from '../support/admin-client.ts';

/**
 * The admin web driven as an attacker or a broken client would: one sign-in link raced from many
 * browsers, and every POST route fed random, oversized and malformed forms and path parameters by
 * a signed-in owner and platform admin. Nothing answers 5xx; a link opens one session only.
 */
describe('admin web under forged and random input', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  const OWNER = 9_500_001;
  const ADMIN = 9_500_002;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_forgery'));
    w = await createBookingWorld(db, { masters: 1, clients: 0 });
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', $2)",
        [w.tenantId, OWNER],
      ),
    );
    await bootstrapPlatformAdmin(db, { telegramUserId: ADMIN });
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  async function link(telegramId: number): Promise<string> {
    const u = h.user(telegramId);
    await u.send('/admin');
    return linkIn(u.lastMessage().text);
  }

  it('one sign-in link raced from ten browsers opens exactly one session', async () => {
    const url = await link(OWNER);
    const path = new URL(url).pathname;
    const browsers = Array.from({ length: 10 }, () => new AdminClient(h.baseUrl));
    const pages = await Promise.all(browsers.map((b) => b.get(path)));
    const answers = await Promise.all(
      browsers.map((b, i) => b.post(path, { _csrf: csrfOf(pages[i]!.html) })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([303, ...Array(9).fill(400)]);
    const signedIn = await Promise.all(browsers.map(async (b) => (await b.get('/admin')).status));
    expect(signedIn.filter((s) => s === 200)).toHaveLength(1);
  });

  it('random forms, oversized bodies and odd path parameters on every POST route: never a 5xx, nothing for a forger', async () => {
    const owner = new AdminClient(h.baseUrl);
    await owner.signInWithLink(await link(OWNER));
    const admin = new AdminClient(h.baseUrl);
    await admin.signInWithLink(await link(ADMIN));
    const tokens = new Map([
      [owner, csrfOf((await owner.get('/admin/sessions')).html)],
      [admin, csrfOf((await admin.get('/admin/sessions')).html)],
    ]);
    // Signing out ends the session the rest of the run needs; it has its own tests.
    const posts = ADMIN_ROUTES.filter(
      (r) => r.method === 'POST' && r.path !== '/signout' && r.path !== '/sessions/:id/revoke',
    );
    const param = fc.oneof(
      fc.uuid(),
      fc.constantFrom(
        'x',
        '0',
        '-1',
        '%00',
        '..',
        'a'.repeat(300),
        "'; drop table tenants; --",
        '%E0%A4%A',
      ),
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
    );
    const value = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ maxLength: 50, unit: 'grapheme' }),
      fc.constantFrom(
        '',
        ' ',
        '0',
        '-1',
        '1e309',
        'NaN',
        'Europe/Nowhere',
        'XXX',
        '123456:AAE',
        '<script>alert(1)</script>',
        '\u0000',
      ),
    );
    const form = fc.dictionary(
      fc.constantFrom(
        'name',
        'token',
        'payment_token',
        'role',
        'master',
        'location',
        'reason',
        'until',
        'mode',
        'slug',
        'language',
        'price',
        'duration',
        'timezone',
        'currency',
        'q',
        'init_data',
        'bot',
      ),
      value,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...posts),
        fc.constantFrom(owner, admin),
        param,
        form,
        fc.boolean(),
        async (route, who, p, fields, withToken) => {
          const path = `/admin${route.path}`.replace(/:[a-z]+/g, p);
          const answer = await who.post(path, {
            ...fields,
            ...(withToken ? { _csrf: tokens.get(who)! } : {}),
          });
          expect(answer.status, `${route.method} ${path} ${JSON.stringify(fields)}`).toBeLessThan(
            500,
          );
          // Without the form's token nothing is even looked at (the Mini App's sign-in proves itself
          // otherwise); a parameter that makes the path another one matches no route at all (404).
          if (!withToken && route.csrf !== 'origin') expect([403, 404]).toContain(answer.status);
        },
      ),
      { numRuns: 300, seed: 20261130 },
    );
    // An oversized form is refused unread; the session still works.
    const big = await owner.post('/admin/staff/invite', {
      _csrf: tokens.get(owner)!,
      role: 'manager',
      filler: 'x'.repeat(40_000),
    });
    expect(big.status).toBe(413);
    expect((await owner.get('/admin')).status).toBe(200);
  });
});

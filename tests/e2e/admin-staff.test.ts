import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { migratedPostgres } from '../support/pg.ts';
import {
  bookingService,
  createBookingWorld,
  localStart,
  type BookingWorld,
} from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { AdminClient, csrfOf, linkIn } from '../support/admin-client.ts';

/**
 * The staff page against the real app, PostgreSQL and the Telegram stand-in: invitations accepted
 * in the bot (managers, masters bound to their master row), role changes with the business never
 * left without an owner, removal ending sessions, managers limited to locations, and every refusal
 * (wrong role, another business's people) changing nothing.
 */
describe('admin staff', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let secondLocation: string;
  const OWNER = 9_200_001;
  let nextUser = 9_200_100;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_staff'));
    w = await createBookingWorld(db, { masters: 2, clients: 0 });
    await asPlatform(db, async (tx) => {
      await tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', $2)",
        [w.tenantId, OWNER],
      );
      secondLocation = (
        await tx.query<{ id: string }>(
          "insert into locations (tenant_id, name, timezone, currency, policy) select tenant_id, 'Riverside', timezone, currency, policy from locations where id = $1 returning id",
          [w.locationId],
        )
      )[0]!.id;
    });
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  const signedIn = (telegramId: number): Promise<AdminClient> => h.signIn(telegramId);

  /** The owner (or `by`) invites; the invitation link from the page; a new user accepts it in the bot. */
  async function invitedAndAccepted(
    role: string,
    by: AdminClient,
    master = '',
  ): Promise<{ telegramId: number; staffId: string }> {
    const page = await by.submit('/admin/staff', '/admin/staff/invite', { role, master });
    expect(page.status).toBe(200);
    const link = /https:\/\/t\.me\/studio_test_bot\?start=(claim_[A-Za-z0-9_-]+)/.exec(page.html)!;
    expect(link).not.toBeNull();
    const telegramId = nextUser++;
    const u = h.user(telegramId, 'en', `Person${telegramId}`);
    await u.send(`/start ${link[1]}`);
    expect(u.lastMessage().text).toContain('Welcome! You are now on the staff');
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ id: string; role: string }>(
        'select id, role from staff_users where tenant_id = $1 and telegram_user_id = $2',
        [w.tenantId, telegramId],
      ),
    );
    expect(row!.role).toBe(role);
    return { telegramId, staffId: row!.id };
  }

  const roleOf = async (staffId: string) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{ role: string; active: boolean }>(
          'select role, active from staff_users where id = $1',
          [staffId],
        ),
      )
    )[0]!;
  const claimCount = async () =>
    Number(
      (
        await asPlatform(db, (tx) =>
          tx.query<{ n: string }>('select count(*) as n from tenant_claims where tenant_id = $1', [
            w.tenantId,
          ]),
        )
      )[0]!.n,
    );

  it('an owner invites a manager and a master; the master is bound to their master row and signs in as that master', async () => {
    const owner = await signedIn(OWNER);
    const manager = await invitedAndAccepted('manager', owner);
    expect((await owner.get('/admin/staff')).html).toContain(`Person${manager.telegramId}`);
    const master = await invitedAndAccepted('master', owner, w.masterIds[1]!);
    const [bound] = await asPlatform(db, (tx) =>
      tx.query<{ telegram_user_id: string; staff_user_id: string }>(
        'select telegram_user_id, staff_user_id from masters where id = $1',
        [w.masterIds[1]],
      ),
    );
    expect(Number(bound!.telegram_user_id)).toBe(master.telegramId);
    expect(bound!.staff_user_id).toBe(master.staffId);
    const masterBrowser = await signedIn(master.telegramId);
    expect((await masterBrowser.get('/admin')).html).toContain('master at');
    // A master sees no staff page, and changes nobody.
    expect((await masterBrowser.get('/admin/staff')).status).toBe(403);
    const audit = await owner.get('/admin/audit');
    expect(audit.html).toContain('Invited to the staff');
    expect(audit.html).toContain('Joined the staff by invitation');
  });

  it('a master’s schedule page shows their own visits only, in their location’s time', async () => {
    const owner = await signedIn(OWNER);
    const master = await invitedAndAccepted('master', owner, w.masterIds[0]!);
    const service = bookingService(db);
    const clientId = (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string }>(
          "insert into clients (tenant_id, telegram_user_id, first_name) values ($1, 9200777, 'Zoe') returning id",
          [w.tenantId],
        ),
      )
    )[0]!.id;
    const other = (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string }>(
          "insert into clients (tenant_id, telegram_user_id, first_name) values ($1, 9200778, 'Yuri') returning id",
          [w.tenantId],
        ),
      )
    )[0]!.id;
    for (const [masterId, client, hhmm] of [
      [w.masterIds[0]!, clientId, '10:00'],
      [w.masterIds[1]!, other, '11:00'],
    ] as const) {
      const booked = await service.book({
        tenantId: w.tenantId,
        locationId: w.locationId,
        clientId: client,
        serviceIds: [w.services.cut],
        start: localStart(1, hhmm),
        masterId,
        actor: { kind: 'client', clientId: client },
      });
      expect(booked.kind).toBe('booked');
    }
    const browser = await signedIn(master.telegramId);
    const tomorrow = await browser.get('/admin/schedule?range=tomorrow');
    expect(tomorrow.status).toBe(200);
    expect(tomorrow.html).toContain('Zoe');
    expect(tomorrow.html).toContain('10:00 AM');
    expect(tomorrow.html).not.toContain('Yuri');
    expect((await browser.get('/admin/schedule?range=today')).html).not.toContain('Zoe');
    // Owners and managers have the board (later); the schedule page is the master's own.
    expect((await owner.get('/admin/schedule')).status).toBe(403);
  });

  it('a master invitation must name a free master; a manager invites masters only', async () => {
    const owner = await signedIn(OWNER);
    const before = await claimCount();
    expect(
      (await owner.submit('/admin/staff', '/admin/staff/invite', { role: 'master', master: '' }))
        .status,
    ).toBe(422);
    // Master 2 has a person already (previous test).
    const taken = await owner.submit('/admin/staff', '/admin/staff/invite', {
      role: 'master',
      master: w.masterIds[1]!,
    });
    expect(taken.status).toBe(409);
    expect(taken.html).toContain('That master has a person already');
    const { telegramId } = await invitedAndAccepted('manager', owner);
    const manager = await signedIn(telegramId);
    const refused = await manager.submit('/admin/staff', '/admin/staff/invite', { role: 'owner' });
    expect(refused.status).toBe(403);
    expect(await claimCount()).toBe(before + 1);
    // Role changes are the owner's: a manager's attempt is refused by the route itself.
    const page = await manager.get('/admin/staff');
    const ownerId = (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string }>('select id from staff_users where telegram_user_id = $1', [OWNER]),
      )
    )[0]!.id;
    expect(
      (
        await manager.post(`/admin/staff/${ownerId}/role`, {
          _csrf: csrfOf(page.html),
          role: 'master',
        })
      ).status,
    ).toBe(403);
    expect((await roleOf(ownerId)).role).toBe('owner');
  });

  it('the last owner cannot step down or be removed; with a second owner they can', async () => {
    const owner = await signedIn(OWNER);
    const ownerId = (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string }>('select id from staff_users where telegram_user_id = $1', [OWNER]),
      )
    )[0]!.id;
    const page = await owner.get('/admin/staff');
    const stepDown = await owner.post(`/admin/staff/${ownerId}/role`, {
      _csrf: csrfOf(page.html),
      role: 'manager',
    });
    expect(stepDown.status).toBe(409);
    expect(stepDown.html).toContain('at least one owner');
    expect(
      (await owner.post(`/admin/staff/${ownerId}/remove`, { _csrf: csrfOf(page.html) })).status,
    ).toBe(409);
    expect(await roleOf(ownerId)).toEqual({ role: 'owner', active: true });

    const second = await invitedAndAccepted('owner', owner);
    const demote = await owner.post(`/admin/staff/${second.staffId}/role`, {
      _csrf: csrfOf(page.html),
      role: 'manager',
    });
    expect(demote.status).toBe(303);
    expect((await roleOf(second.staffId)).role).toBe('manager');
  });

  it('removing a member ends their sessions at once; an inactive member gets no new link', async () => {
    const owner = await signedIn(OWNER);
    const member = await invitedAndAccepted('manager', owner);
    const theirs = await signedIn(member.telegramId);
    expect((await theirs.get('/admin')).status).toBe(200);
    expect(
      (await owner.submit('/admin/staff', `/admin/staff/${member.staffId}/remove`)).status,
    ).toBe(303);
    expect((await theirs.get('/admin')).status).toBe(401);
    const u = h.user(member.telegramId);
    await u.send('/admin');
    expect(u.lastMessage().text).toContain('for the staff of this business');
  });

  it('a manager is limited to chosen locations; unknown ids are refused and change nothing', async () => {
    const owner = await signedIn(OWNER);
    const manager = await invitedAndAccepted('manager', owner);
    const page = await owner.get('/admin/staff');
    expect(page.html).toContain('Riverside');
    const locations = async () =>
      (
        await asPlatform(db, (tx) =>
          tx.query<{ location_id: string }>(
            'select location_id from staff_locations where staff_user_id = $1',
            [manager.staffId],
          ),
        )
      ).map((r) => r.location_id);
    const body = new URLSearchParams([
      ['_csrf', csrfOf(page.html)],
      ['location', secondLocation],
    ]);
    const save = await fetch(`${h.baseUrl}/admin/staff/${manager.staffId}/locations`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: h.baseUrl,
        cookie: `slotbot_admin=${owner.cookie('slotbot_admin')}`,
      },
      body: body.toString(),
    });
    expect(save.status).toBe(303);
    expect(await locations()).toEqual([secondLocation]);
    expect((await owner.get('/admin/staff')).html).toContain('Only: Riverside');
    for (const bad of ['not-a-uuid', crypto.randomUUID()]) {
      expect(
        (
          await owner.post(`/admin/staff/${manager.staffId}/locations`, {
            _csrf: csrfOf(page.html),
            location: bad,
          })
        ).status,
      ).toBe(404);
    }
    expect(await locations()).toEqual([secondLocation]);
  });

  it('a cancelled invitation no longer works', async () => {
    const owner = await signedIn(OWNER);
    const created = await owner.submit('/admin/staff', '/admin/staff/invite', { role: 'manager' });
    const code = /start=claim_([A-Za-z0-9_-]+)/.exec(created.html)![1]!;
    const page = await owner.get('/admin/staff');
    const hashes = [
      ...page.html.matchAll(/\/admin\/staff\/invitations\/([0-9a-f]{64})\/cancel/g),
    ].map((m) => m[1]!);
    for (const hash of hashes)
      expect(
        (await owner.post(`/admin/staff/invitations/${hash}/cancel`, { _csrf: csrfOf(page.html) }))
          .status,
      ).toBe(303);
    const u = h.user(nextUser++);
    await u.send(`/start claim_${code}`);
    expect(u.lastMessage().text).toContain('does not work any more');
  });

  it('an owner of another business changes none of this one’s staff (404, 0 rows)', async () => {
    const other = await createBookingWorld(db, { masters: 1, clients: 0 });
    const oscarId = 9_200_900;
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Oscar', $2)",
        [other.tenantId, oscarId],
      ),
    );
    const otherHarness = new BotHarness(db);
    await otherHarness.start(other.tenantId);
    try {
      const u = otherHarness.user(oscarId);
      await u.send('/admin');
      const oscar = new AdminClient(otherHarness.baseUrl);
      await oscar.signInWithLink(linkIn(u.lastMessage().text));
      const page = await oscar.get('/admin/staff');
      expect(page.html).not.toContain('Olga');
      const snapshot = async () =>
        asPlatform(db, (tx) =>
          tx.query('select id, role, active from staff_users where tenant_id = $1 order by id', [
            w.tenantId,
          ]),
        );
      const before = await snapshot();
      for (const s of before as { id: string }[]) {
        expect(
          (
            await oscar.post(`/admin/staff/${s.id}/role`, {
              _csrf: csrfOf(page.html),
              role: 'master',
            })
          ).status,
        ).toBe(404);
        expect(
          (await oscar.post(`/admin/staff/${s.id}/remove`, { _csrf: csrfOf(page.html) })).status,
        ).toBe(404);
      }
      expect(await snapshot()).toEqual(before);
    } finally {
      await otherHarness.stop();
    }
  });
});

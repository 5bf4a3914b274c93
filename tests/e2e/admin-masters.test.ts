import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld, type BookingWorld } from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { AdminClient, csrfOf, linkIn } from '../support/admin-client.ts';

/**
 * The masters editor against the real app, PostgreSQL and the Telegram stand-in: skills, speed and
 * bookability reach the client's next screen, a new master with hours appears in the bot, wrong
 * values are said next to their fields and change nothing, and nobody outside reaches a master.
 */
describe('admin masters editor', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  const OWNER = 9_700_001;
  let clientId = 9_700_100;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_masters'));
    w = await createBookingWorld(db, { masters: 2, clients: 0 });
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', $2)",
        [w.tenantId, OWNER],
      ),
    );
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  async function owner(): Promise<AdminClient> {
    const u = h.user(OWNER);
    await u.send('/admin');
    const browser = new AdminClient(h.baseUrl);
    expect((await browser.signInWithLink(linkIn(u.lastMessage().text))).status).toBe(303);
    return browser;
  }
  /** The masters a new client is offered for a cut. */
  async function mastersForCut(): Promise<string[]> {
    const u = h.user(clientId++);
    await u.send('/start');
    await u.press('Book');
    await u.press(/^cut/);
    await u.press('Continue');
    return u.screen().buttons.flat();
  }
  /** The edit form's current values, as a browser would send them back. */
  async function formOf(browser: AdminClient, id: string): Promise<Record<string, string>> {
    const html = (await browser.get(`/admin/masters/${id}`)).html;
    const values: Record<string, string> = {};
    for (const match of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) {
      const tag = match[0];
      const name = match[1]!;
      if (name === '_csrf') continue;
      if (/type="checkbox"/.test(tag)) {
        if (/checked/.test(tag)) values[name] = 'on';
      } else values[name] = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    }
    return values;
  }
  const save = (browser: AdminClient, id: string, values: Record<string, string>) =>
    browser.submit(`/admin/masters/${id}`, `/admin/masters/${id}`, values);
  const row = async (id: string) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{ speed_factor: string; active: boolean; display_name: string }>(
          'select speed_factor, active, display_name from masters where id = $1',
          [id],
        ),
      )
    )[0]!;

  it('a master who no longer does cuts is not offered for one; speed and a duration of their own are stored', async () => {
    const browser = await owner();
    expect(await mastersForCut()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Master 1'),
        expect.stringContaining('Master 2'),
      ]),
    );
    const values = await formOf(browser, w.masterIds[1]!);
    delete values[`skill_${w.services.cut}`];
    const saved = await save(browser, w.masterIds[1]!, {
      ...values,
      speed: '0,8',
      [`override_${w.services.colour}`]: '45',
    });
    expect(saved.status).toBe(303);
    const offered = await mastersForCut();
    expect(offered.some((b) => b.includes('Master 2'))).toBe(false);
    expect(offered.some((b) => b.includes('Master 1'))).toBe(true);
    expect(Number((await row(w.masterIds[1]!)).speed_factor)).toBe(0.8);
    const [skill] = await asPlatform(db, (tx) =>
      tx.query<{ duration_override_min: number }>(
        'select duration_override_min from master_skills where master_id = $1 and service_id = $2',
        [w.masterIds[1], w.services.colour],
      ),
    );
    expect(skill!.duration_override_min).toBe(45);
    expect((await browser.get('/admin/audit')).html).toContain('Changed a master');
  });

  it('wrong speed, durations or no services are said next to their fields and change nothing', async () => {
    const browser = await owner();
    const before = await row(w.masterIds[0]!);
    const values = await formOf(browser, w.masterIds[0]!);
    const refused = await save(browser, w.masterIds[0]!, {
      ...values,
      speed: 'fast',
      [`override_${w.services.cut}`]: '0',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('Write the speed as a number');
    expect(refused.html).toContain('Whole minutes from 1 to 1440');
    const noSkills = Object.fromEntries(
      Object.entries(values).filter(([k]) => !k.startsWith('skill_')),
    );
    expect((await save(browser, w.masterIds[0]!, noSkills)).html).toContain(
      'Tick at least one service.',
    );
    expect(await row(w.masterIds[0]!)).toEqual(before);
  });

  it('a new master with hours is offered in the bot; turned off, a master is not', async () => {
    const browser = await owner();
    const created = await browser.submit(
      `/admin/masters/new?location=${w.locationId}`,
      `/admin/masters/new?location=${w.locationId}`,
      {
        name: 'Nadia',
        [`skill_${w.services.cut}`]: 'on',
        speed: '1',
        active: 'on',
        ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [`day_${d}`, 'on'])),
        start: '08:00',
        end: '20:00',
      },
    );
    expect(created.status).toBe(303);
    expect((await mastersForCut()).some((b) => b.includes('Nadia'))).toBe(true);
    const values = await formOf(browser, w.masterIds[0]!);
    delete values.active;
    expect((await save(browser, w.masterIds[0]!, values)).status).toBe(303);
    expect((await mastersForCut()).some((b) => b.includes('Master 1'))).toBe(false);
  });

  it('another business’s owner gets 404 for a master and changes nothing', async () => {
    const other = await createBookingWorld(db, { masters: 1, clients: 0 });
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Oscar', 9700900)",
        [other.tenantId],
      ),
    );
    const otherHarness = new BotHarness(db);
    await otherHarness.start(other.tenantId);
    try {
      const u = otherHarness.user(9_700_900);
      await u.send('/admin');
      const oscar = new AdminClient(otherHarness.baseUrl);
      await oscar.signInWithLink(linkIn(u.lastMessage().text));
      const page = await oscar.get('/admin/masters');
      const before = await row(w.masterIds[1]!);
      expect((await oscar.get(`/admin/masters/${w.masterIds[1]}`)).status).toBe(404);
      expect(
        (
          await oscar.post(`/admin/masters/${w.masterIds[1]}`, {
            _csrf: csrfOf(page.html),
            name: 'Hijacked',
            speed: '1',
            [`skill_${w.services.cut}`]: 'on',
          })
        ).status,
      ).toBe(404);
      expect(await row(w.masterIds[1]!)).toEqual(before);
    } finally {
      await otherHarness.stop();
    }
  });
});

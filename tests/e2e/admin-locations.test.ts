import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld, dayLabel, type BookingWorld } from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import type { AdminClient } from '../support/admin-client.ts';
import { csrfOf } from '../support/admin-client.ts';

/**
 * The locations editor against the real app, PostgreSQL and the Telegram stand-in: a change (a
 * name, a cancellation fee) is on the client's next screen, the preview says what clients will
 * read, a wrong value or a combination that cannot work is said next to its field and changes
 * nothing, a deposit needs an online payment, a location with upcoming bookings stays open, every
 * change is audited with before and after, and a manager limited to one location, a master or
 * another business's owner reach nothing else.
 */

/** The location form's fields as the page shows them: inputs, the selected options, the checkbox. */
export function formFields(html: string): Record<string, string> {
  const form = /<form[^>]*id="location-form"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (!name || name === '_csrf') continue;
    if (/type="checkbox"/.test(tag)) fields[name] = /checked/.test(tag) ? 'on' : '';
    else
      fields[name] = (/value="([^"]*)"/.exec(tag)?.[1] ?? '')
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'");
  }
  for (const [, name, options] of form.matchAll(
    /<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g,
  )) {
    fields[name!] =
      /<option value="([^"]*)" selected/.exec(options!)?.[1] ??
      /<option value="([^"]*)"/.exec(options!)![1]!;
  }
  return fields;
}

describe('admin locations editor', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let riverside: string;
  const OWNER = 9_700_001;
  const MANAGER = 9_700_002;
  const MASTER = 9_700_003;
  let clientId = 9_700_100;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_locations'));
    w = await createBookingWorld(db, { masters: 1, clients: 0 });
    await asPlatform(db, async (tx) => {
      await tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', $2), ($1, 'master', 'Max', $3)",
        [w.tenantId, OWNER, MASTER],
      );
      riverside = (
        await tx.query<{ id: string }>(
          "insert into locations (tenant_id, name, timezone, currency, policy, sort_order) select tenant_id, 'Riverside', 'America/New_York', 'USD', policy, 5 from locations where id = $1 returning id",
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
  const locationRow = async (id: string) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{
          name: string;
          currency: string;
          active: boolean;
          policy: Record<string, unknown>;
          catalog_version: string;
        }>('select name, currency, active, policy, catalog_version from locations where id = $1', [
          id,
        ]),
      )
    )[0]!;
  const edit = async (who: AdminClient, id: string, change: Record<string, string>) => {
    const page = await who.get(`/admin/locations/${id}`);
    expect(page.status).toBe(200);
    return who.post(`/admin/locations/${id}`, {
      _csrf: csrfOf(page.html),
      ...formFields(page.html),
      ...change,
    });
  };
  /** Ten in the morning on the times screen (its first page ends before it). */
  async function pickTen(u: ReturnType<BotHarness['user']>, language = 'en') {
    const ten = language === 'ru' ? '10:00' : '10:00 AM';
    if (!u.screen().buttons.flat().includes(ten)) await u.press(/Later|Позже/);
    await u.press(ten);
  }
  /** A new client goes through the bot to the booking summary at `location` (cut, tomorrow 10:00). */
  async function summaryAt(location: RegExp | string, language = 'en') {
    const u = h.user(clientId++, language);
    await u.send('/start');
    await u.press(/Book|Записаться/);
    const buttons = u.screen().buttons.flat();
    await u.press(location);
    await u.press(/^cut/);
    await u.press(/Continue|Далее/);
    await u.press('Master 1');
    await u.press(dayLabel(1, language));
    await pickTen(u, language);
    return { u, locations: buttons, summary: u.screen().text };
  }

  it('lists every location for the owner with its zone, currency and cancellation rule; Locations is in the menu', async () => {
    const owner = await signedIn(OWNER);
    const list = await owner.get('/admin/locations');
    expect(list.status).toBe(200);
    expect(list.html).toContain('href="/admin/locations"');
    expect(list.html).toContain('Studio');
    expect(list.html).toContain('Riverside');
    expect(list.html).toContain('America/New_York · USD');
    expect(list.html).toContain(
      'Free cancellation until 24 h before; later a fee of 50 % applies.',
    );
    expect(list.html).toContain('href="/admin/locations/new"');
  });

  it('the edit page previews what clients read; “Preview” re-renders with the typed values and saves nothing', async () => {
    const owner = await signedIn(OWNER);
    const page = await owner.get(`/admin/locations/${w.locationId}`);
    expect(page.html).toContain('What clients read');
    expect(page.html).toContain('aria-live="polite"');
    expect(page.html).toMatch(/<script src="\/assets\/location-preview.js" defer[^>]*><\/script>/);
    expect(page.response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.html).toContain(
      'Free cancellation until 24 h before; later a fee of 50 % applies.',
    );
    expect(page.html).toContain('They cannot pay online');
    const before = await locationRow(w.locationId);
    const previewed = await owner.post(`/admin/locations/${w.locationId}`, {
      _csrf: csrfOf(page.html),
      ...formFields(page.html),
      cancel_fee_percent: '30',
      reminders: '48 h, 2 h',
      intent: 'preview',
    });
    expect(previewed.status).toBe(200);
    expect(previewed.html).toContain(
      'Free cancellation until 24 h before; later a fee of 30 % applies.',
    );
    expect(previewed.html).toContain('Reminders: 48 hr and 2 hr before the visit.');
    expect(await locationRow(w.locationId)).toEqual(before);

    // The live preview's endpoint: JSON lines for the page's script, CSRF-protected like every POST.
    const live = await owner.post('/admin/locations/preview', {
      _csrf: csrfOf(page.html),
      ...formFields(page.html),
      cancel_fee_kind: 'fixed',
      cancel_fee_amount: '12,5',
    });
    expect(live.status).toBe(200);
    expect(live.response.headers.get('content-type')).toContain('application/json');
    const answer = JSON.parse(live.html) as { lines: string[]; problems: { text: string }[] };
    expect(answer.lines).toContain(
      'Free cancellation until 24 h before; later a fee of €12.50 applies.',
    );
    // The stored deposit rule cannot work without an online payment: the preview says so too.
    expect(answer.problems.map((p) => p.text)).toEqual([
      expect.stringMatching(/^What clients pay ahead: Clients cannot pay online for this location/),
    ]);
    expect(answer.lines).toContain('Nothing is paid ahead: the price is paid at the venue.');
    const wrong = JSON.parse(
      (
        await owner.post('/admin/locations/preview', {
          _csrf: csrfOf(page.html),
          ...formFields(page.html),
          cancel_lock_hours: '30',
        })
      ).html,
    ) as { lines: string[]; problems: { text: string }[] };
    expect(wrong.lines).toEqual([]);
    expect(wrong.problems.map((p) => p.text)).toContain(
      'Cancelling · Closed from, h before: Cancelling would close 30 h before the visit, while it is free until 24 h before: make this at most 24.',
    );
    expect((await owner.post('/admin/locations/preview', formFields(page.html))).status).toBe(403);
  });

  it('a new name and a fixed cancellation fee are on the client’s next screen; the audit log has before and after', async () => {
    const owner = await signedIn(OWNER);
    const before = await summaryAt('Studio');
    expect(before.summary).toContain(
      'Free cancellation until 24 h before; later a fee of 50 % applies.',
    );
    const version = (await locationRow(w.locationId)).catalog_version;

    // Nobody can pay ahead online here (no card payments): the deposit rule goes too.
    const saved = await edit(owner, w.locationId, {
      name: 'Studio Central',
      cancel_fee_kind: 'fixed',
      cancel_fee_amount: '12,50',
      deposit_mode: 'none',
    });
    expect(saved.status).toBe(303);
    expect(saved.response.headers.get('location')).toBe('/admin/locations?saved=updated');
    const row = await locationRow(w.locationId);
    expect(row.name).toBe('Studio Central');
    expect(row.policy.cancellation).toEqual({
      freeUntilHours: 24,
      lockHours: 2,
      fee: { kind: 'fixed', amountMinor: 1250 },
    });
    expect(Number(row.catalog_version)).toBeGreaterThan(Number(version));

    const after = await summaryAt('Studio Central');
    expect(after.locations).toContain('Studio Central');
    expect(after.locations).not.toContain('Studio');
    expect(after.summary).toContain(
      'Free cancellation until 24 h before; later a fee of €12.50 applies.',
    );
    // The same client, on the next screen of a conversation begun before the change, too.
    await before.u.press(/Back/);
    await pickTen(before.u);
    expect(before.u.screen().text).toContain('a fee of €12.50 applies');

    const audit = await owner.get('/admin/audit');
    expect(audit.html).toContain('Changed a location');
    // Only what changed, each side with its own value.
    expect(audit.html).toContain(
      'name: Studio, policy.deposit.mode: no_show_flagged, policy.cancellation.fee.kind: percent, policy.cancellation.fee.percent: 50, policy.cancellation.fee.amountMinor: null → name: Studio Central, policy.deposit.mode: none, policy.cancellation.fee.kind: fixed, policy.cancellation.fee.percent: null, policy.cancellation.fee.amountMinor: 1250',
    );
    // Saving again without a change writes nothing.
    const again = await edit(owner, w.locationId, {});
    expect(again.response.headers.get('location')).toBe('/admin/locations?saved=unchanged');
    expect((await locationRow(w.locationId)).catalog_version).toBe(row.catalog_version);
  });

  it('wrong values and combinations that cannot work are said next to their fields, keep what was typed, and change nothing', async () => {
    const owner = await signedIn(OWNER);
    const before = await locationRow(w.locationId);
    const refused = await edit(owner, w.locationId, {
      cancel_lock_hours: '30',
      reschedule_fee_kind: 'percent',
      reschedule_fee_percent: '150',
      reminders: '24 h, 24 h',
      timezone: 'Mars/Olympus',
      slot_step: 'ten',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('role="alert"');
    expect(refused.html).toContain(
      'Cancelling would close 30 h before the visit, while it is free until 24 h before: make this at most 24.',
    );
    expect(refused.html).toContain('It must be from 1 to 100 percent.');
    expect(refused.html).toContain('24 hr is there twice: each reminder needs a time of its own.');
    expect(refused.html).toContain('That is not a time zone we know');
    expect(refused.html).toContain('Write a whole number of minutes, e.g. 5.');
    expect(refused.html).toContain('value="Mars/Olympus"');
    expect(refused.html).toContain('value="ten"');
    // Each message is tied to its field for screen readers.
    expect(refused.html).toMatch(
      /id="f-cancel_lock_hours"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*f-cancel_lock_hours-error/,
    );

    const more = await edit(owner, w.locationId, {
      reminders: '24 h, 3 h, 2 h, 1 h, 30 min, 10 min',
      lead_time: '100000',
      cancel_fee_kind: 'fixed',
      cancel_fee_amount: '0',
    });
    expect(more.status).toBe(400);
    expect(more.html).toContain('Up to 5 reminders: there are 6.');
    expect(more.html).toContain('It must be from 0 to 43200 minutes.');
    expect(more.html).toContain('A fee of 0 is no fee');

    const far = await edit(owner, w.locationId, {
      horizon_days: '7',
      reminders: '10 d',
      lead_time: '14400',
    });
    expect(far.status).toBe(400);
    expect(far.html).toContain(
      'A reminder 240 hr before the visit could never be sent in time: bookings open only 7 day(s) ahead.',
    );
    expect(far.html).toContain(
      'Bookings open only 7 day(s) ahead, so a notice of 240 hr leaves no time to book.',
    );

    const never = await edit(owner, w.locationId, {
      reschedule_free_hours: '2',
      reschedule_lock_hours: '2',
      reschedule_fee_kind: 'percent',
      reschedule_fee_percent: '20',
    });
    expect(never.status).toBe(400);
    expect(never.html).toContain('This fee could never be charged');
    expect(await locationRow(w.locationId)).toEqual(before);
  });

  it('a deposit needs an online payment: refused with the reason and the fix, allowed once card payments are on', async () => {
    const owner = await signedIn(OWNER);
    const refused = await edit(owner, riverside, { deposit_mode: 'always', deposit_percent: '30' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain(
      'Clients cannot pay online for this location, so nothing could be taken ahead. Choose “Nothing: pay at the venue”, or turn on card payments for your bot first (Bot settings).',
    );
    expect(refused.html).toContain('href="/admin/bot"');
    expect((await locationRow(riverside)).policy.deposit).toMatchObject({
      mode: 'no_show_flagged',
    });
    // The stored rule (from before this editor) is flagged on opening the page.
    const opened = await owner.get(`/admin/locations/${riverside}`);
    expect(opened.html).toMatch(/id="f-deposit_mode"[^>]*aria-invalid="true"/);

    expect(
      (
        await owner.submit('/admin/bot', `/admin/bot/${h.botId}/payments`, {
          payment_token: '284685063:TEST:abcdEFGH1234',
        })
      ).status,
    ).toBe(303);
    const page = await owner.get(`/admin/locations/${riverside}`);
    expect(page.html).toContain('By card in Telegram');
    const saved = await edit(owner, riverside, { deposit_mode: 'always', deposit_percent: '30' });
    expect(saved.status).toBe(303);
    expect((await locationRow(riverside)).policy.deposit).toEqual({
      mode: 'always',
      percent: 30,
      noShowThreshold: 2,
    });
    // Telegram Stars (XTR) take money ahead without a provider token.
    expect(
      (await owner.submit('/admin/bot', `/admin/bot/${h.botId}/payments/off`, {})).status,
    ).toBe(303);
    const stars = await edit(owner, riverside, { currency: 'xtr' });
    expect(stars.status).toBe(303);
    expect((await locationRow(riverside)).currency).toBe('XTR');
    expect((await owner.get(`/admin/locations/${riverside}`)).html).toContain('In Telegram Stars');
    expect((await edit(owner, riverside, { currency: 'USD', deposit_mode: 'none' })).status).toBe(
      303,
    );
  });

  it('a location with upcoming bookings stays open (how many, and why), and keeps its currency', async () => {
    const owner = await signedIn(OWNER);
    const { u } = await summaryAt('Studio Central');
    await u.press('Confirm');
    expect(u.lastMessage().text).toContain('Booked!');
    const refused = await edit(owner, w.locationId, { active: '' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('1 upcoming booking is at this location, so it stays open');
    expect((await locationRow(w.locationId)).active).toBe(true);
    const currency = await edit(owner, w.locationId, { currency: 'USD' });
    expect(currency.status).toBe(400);
    expect(currency.html).toContain('1 upcoming booking was priced in EUR');
    expect((await locationRow(w.locationId)).currency).toBe('EUR');
  });

  it('an owner adds a location (audited), closes one without bookings, and the bot follows', async () => {
    const owner = await signedIn(OWNER);
    const page = await owner.get('/admin/locations/new');
    expect(page.status).toBe(200);
    const created = await owner.post('/admin/locations/new', {
      _csrf: csrfOf(page.html),
      ...formFields(page.html),
      name: 'Harbour',
      name_ru: 'Гавань',
      timezone: 'europe/lisbon',
      currency: 'eur',
      address: 'Rua 1, Lisboa',
    });
    expect(created.status).toBe(303);
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{
        id: string;
        timezone: string;
        names: Record<string, string>;
        policy: { deposit: { mode: string } };
      }>("select id, timezone, names, policy from locations where name = 'Harbour'"),
    );
    expect(row).toMatchObject({ timezone: 'Europe/Lisbon', names: { ru: 'Гавань' } });
    // Nobody can pay online here: a new location asks nothing ahead.
    expect(row!.policy.deposit.mode).toBe('none');
    const audit = await owner.get('/admin/audit');
    expect(audit.html).toContain('Added a location');
    expect(audit.html).toContain('name: Harbour');

    const u = h.user(clientId++, 'ru');
    await u.send('/start');
    await u.press(/Записаться/);
    expect(u.screen().buttons.flat()).toContain('Гавань');

    expect((await edit(owner, row!.id, { active: '' })).status).toBe(303);
    const v = h.user(clientId++);
    await v.send('/start');
    await v.press('📅 Book a visit');
    expect(v.screen().buttons.flat()).not.toContain('Harbour');
    expect((await owner.get('/admin/locations')).html).toContain('closed to bookings');
  });

  it('a manager limited to Riverside edits only Riverside, cannot add or close a location; a master gets 403; another business 404', async () => {
    const manager = await signedIn(MANAGER);
    const list = await manager.get('/admin/locations');
    expect(list.status).toBe(200);
    expect(list.html).toContain('Riverside');
    expect(list.html).not.toContain('Studio');
    expect(list.html).not.toContain('Harbour');
    expect(list.html).not.toContain('href="/admin/locations/new"');
    expect((await manager.get(`/admin/locations/${w.locationId}`)).status).toBe(404);
    const before = await locationRow(w.locationId);
    expect(
      (
        await manager.post(`/admin/locations/${w.locationId}`, {
          _csrf: csrfOf(list.html),
          name: 'Hijacked',
        })
      ).status,
    ).toBe(404);
    expect(await locationRow(w.locationId)).toEqual(before);
    expect((await manager.get('/admin/locations/new')).status).toBe(403);
    expect(
      (
        await manager.post('/admin/locations/new', {
          _csrf: csrfOf(list.html),
          name: 'Sneaky',
          timezone: 'Europe/Berlin',
          currency: 'EUR',
        })
      ).status,
    ).toBe(403);

    // Their own: the policy, yes; opening or closing it, no (the form has no such box; a forged field changes nothing).
    const page = await manager.get(`/admin/locations/${riverside}`);
    expect(page.html).toContain('Only an owner can open or close a location.');
    expect(page.html).not.toContain('href="/admin/bot"');
    const saved = await edit(manager, riverside, { cancel_free_hours: '48', active: '' });
    expect(saved.status).toBe(303);
    const row = await locationRow(riverside);
    expect((row.policy.cancellation as { freeUntilHours: number }).freeUntilHours).toBe(48);
    expect(row.active).toBe(true);

    expect((await (await signedIn(MASTER)).get('/admin/locations')).status).toBe(403);

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
      const oscar = await otherHarness.signIn(9_700_900);
      const page = await oscar.get('/admin/locations');
      expect(page.html).not.toContain('Riverside');
      expect((await oscar.get(`/admin/locations/${w.locationId}`)).status).toBe(404);
      expect(
        (
          await oscar.post(`/admin/locations/${w.locationId}`, {
            _csrf: csrfOf(page.html),
            name: 'Hijacked',
          })
        ).status,
      ).toBe(404);
      expect(await locationRow(w.locationId)).toEqual(before);
    } finally {
      await otherHarness.stop();
    }
  });

  it('a chain of more than 50 locations pages by keyset', async () => {
    const chain = await createBookingWorld(db, { masters: 0, clients: 0 });
    await asPlatform(db, async (tx) => {
      await tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Carla', 9700950)",
        [chain.tenantId],
      );
      await tx.query(
        "insert into locations (tenant_id, name, timezone, currency, policy, sort_order) select $1, 'Branch ' || lpad(i::text, 2, '0'), 'Europe/Berlin', 'EUR', policy, i from locations, generate_series(1, 54) as i where id = $2",
        [chain.tenantId, chain.locationId],
      );
    });
    const chainHarness = new BotHarness(db);
    await chainHarness.start(chain.tenantId);
    try {
      const carla = await chainHarness.signIn(9_700_950);
      const first = await carla.get('/admin/locations');
      const names = (html: string) =>
        [...html.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
      expect(names(first.html)).toHaveLength(50);
      expect(names(first.html)[0]).toBe('Studio');
      const next = /href="(\/admin\/locations\?after=[^"]+)"/.exec(first.html)![1]!;
      const second = await carla.get(next);
      expect(names(second.html)).toEqual([
        'Branch 50',
        'Branch 51',
        'Branch 52',
        'Branch 53',
        'Branch 54',
      ]);
      expect(second.html).not.toContain('?after=');
      // The owner of a chain switches between locations on the edit page too.
      const edit = await carla.get(`/admin/locations/${chain.locationId}`);
      expect(edit.html).toContain('<select id="switch" name="open">');
      const branch = /<option value="([^"]+)">Branch 07<\/option>/.exec(edit.html)![1]!;
      const opened = await carla.get(`/admin/locations?open=${branch}`);
      expect(opened.response.headers.get('location')).toBe(`/admin/locations/${branch}`);
    } finally {
      await chainHarness.stop();
    }
  });
});

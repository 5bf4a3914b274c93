import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { migratedPostgres } from '../support/pg.ts';
import {
  createBookingWorld,
  localStart,
  ZONE,
  type BookingWorld,
} from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { csrfOf, type AdminClient } from '../support/admin-client.ts';

/**
 * Phone and walk-in bookings from the board: a client without Telegram found or added, free times
 * from the engine, booked as staff and confirmed (paid at the venue), audited; the slot taken
 * meanwhile; an owner's override of the hours with a reason (not a manager's); who may not; and
 * that nothing tries to message a client without Telegram.
 */
describe('admin new booking (phone and walk-in)', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let riverside: string;
  const OWNER = 9_910_001;
  const MANAGER_ELSEWHERE = 9_910_002;
  const MANAGER = 9_910_003;
  const MASTER = 9_910_004;
  const ZOE = 9_910_100;
  let zoe: string;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_walk_in'));
    w = await createBookingWorld(db, { masters: 2, clients: 0 });
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
      for (const [tg, name, location] of [
        [MANAGER_ELSEWHERE, 'Mia', riverside],
        [MANAGER, 'Mark', w.locationId],
      ] as const) {
        const [manager] = await tx.query<{ id: string }>(
          "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'manager', $2, $3) returning id",
          [w.tenantId, name, tg],
        );
        await tx.query(
          'insert into staff_locations (tenant_id, staff_user_id, location_id) values ($1, $2, $3)',
          [w.tenantId, manager!.id, location],
        );
      }
      zoe = (
        await tx.query<{ id: string }>(
          "insert into clients (tenant_id, telegram_user_id, first_name, username, language) values ($1, $2, 'Zoe', 'zoe_k', 'en') returning id",
          [w.tenantId, ZOE],
        )
      )[0]!.id;
      // Master 2 works 09:00–18:00 (master 1 around the clock), so an evening is outside the hours.
      await tx.query('delete from working_hours where master_id = $1', [w.masterIds[1]]);
      await tx.query(
        "insert into working_hours (tenant_id, master_id, weekday, start_local, end_local) select $1, $2, d, '09:00', '18:00' from generate_series(1, 7) d",
        [w.tenantId, w.masterIds[1]],
      );
    });
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  const date = (days: number) =>
    DateTime.fromMillis(Date.now(), { zone: ZONE }).plus({ days }).toISODate()!;
  const newPath = (query = '') => `/admin/bookings/new?location=${w.locationId}${query}`;
  const clientIdOf = (location: string) =>
    new URL(location, 'http://x').searchParams.get('client')!;
  const bookingIdOf = (location: string) => location.split('/').pop()!.split('?')[0]!;

  async function addClient(
    c: AdminClient,
    fields: Record<string, string>,
  ): Promise<{ status: number; html: string; response: Response }> {
    const page = await c.get(newPath());
    return c.post('/admin/bookings/new/client', {
      _csrf: csrfOf(page.html),
      location: w.locationId,
      ...fields,
    });
  }

  /** The times page for a client, services, master ('' any) and day. */
  const timesPath = (client: string, services: string[], master: string, day: string) =>
    newPath(
      `&client=${client}${services.map((s) => `&service=${s}`).join('')}&master=${master}&day=${day}`,
    );

  /** Posts the slot form whose start is `start` as the page rendered it. */
  async function bookShown(
    c: AdminClient,
    html: string,
    start: number,
  ): Promise<{ status: number; html: string; response: Response }> {
    const at = html.indexOf(`name="start" value="${start}"`);
    expect(at, `start ${start} offered`).toBeGreaterThan(-1);
    const form = html.slice(html.lastIndexOf('<form', at), html.indexOf('</form>', at));
    const fields = [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(
      (x) => [x[1]!, x[2]!.replace(/&amp;/g, '&')] as [string, string],
    );
    return c.post('/admin/bookings/new', fields);
  }

  async function overridePost(
    c: AdminClient,
    html: string,
    fields: { time: string; reason: string },
  ): Promise<{ status: number; html: string; response: Response }> {
    const at = html.indexOf('name="reason"');
    expect(at, 'override form shown').toBeGreaterThan(-1);
    const form = html.slice(html.lastIndexOf('<form', at), html.indexOf('</form>', at));
    const hidden = [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(
      (x) => [x[1]!, x[2]!] as [string, string],
    );
    return c.post('/admin/bookings/new', [
      ...hidden,
      ['time', fields.time],
      ['reason', fields.reason],
    ]);
  }

  let anna: string;

  it('adds a phone client and books a free time for two services: confirmed, paid at the venue, audited, on the board', async () => {
    const owner = await h.signIn(OWNER);
    const board = await owner.get(`/admin/bookings?location=${w.locationId}`);
    expect(board.html).toContain(`href="/admin/bookings/new?location=${w.locationId}"`);
    const added = await addClient(owner, {
      source: 'phone',
      name: '  Anna   Petrova ',
      phone: '+49 (30) 555-12-34',
      language: 'ru',
    });
    expect(added.status).toBe(303);
    anna = clientIdOf(added.response.headers.get('location')!);
    const [row] = await asPlatform(db, (tx) =>
      tx.query(
        'select source, first_name, phone, language, telegram_user_id from clients where id = $1',
        [anna],
      ),
    );
    expect(row).toEqual({
      source: 'phone',
      first_name: 'Anna Petrova',
      phone: '+49305551234',
      language: 'ru',
      telegram_user_id: null,
    });
    const times = await owner.get(
      timesPath(anna, [w.services.cut, w.services.colour], w.masterIds[0]!, date(5)),
    );
    expect(times.status).toBe(200);
    expect(times.html).toContain('Anna Petrova');
    const start = localStart(5, '10:00');
    const booked = await bookShown(owner, times.html, start);
    expect(booked.status).toBe(303);
    const next = booked.response.headers.get('location')!;
    expect(next).toMatch(/\?done=booked$/);
    const id = bookingIdOf(next);
    const detail = await owner.get(next);
    expect(detail.html).toContain('Booked and confirmed');
    expect(detail.html).toContain('Anna Petrova');
    expect(detail.html).toContain('+49305551234');
    expect(detail.html).toContain('payment at the venue');
    const [booking] = await asPlatform(db, (tx) =>
      tx.query<{
        status: string;
        start_at: Date;
        end_at: Date;
        master_id: string;
        client_id: string;
      }>('select status, start_at, end_at, master_id, client_id from bookings where id = $1', [id]),
    );
    expect(booking).toMatchObject({
      status: 'confirmed',
      master_id: w.masterIds[0],
      client_id: anna,
    });
    expect(new Date(booking!.start_at).getTime()).toBe(start);
    // cut 30 + colour 60: one visit of 90 minutes.
    expect(new Date(booking!.end_at).getTime() - start).toBe(90 * 60_000);
    const audits = await asPlatform(db, (tx) =>
      tx.query<{ action: string; target_id: string; after: Record<string, unknown> }>(
        "select action, target_id, after from audit_log where tenant_id = $1 and action in ('clients.create', 'bookings.create') order by id",
        [w.tenantId],
      ),
    );
    expect(audits.map((a) => [a.action, a.target_id])).toEqual([
      ['clients.create', anna],
      ['bookings.create', id],
    ]);
    expect(audits[1]!.after).toMatchObject({ client: anna, master: w.masterIds[0] });
    // A second post of the same form is the same booking (its key), not a second one.
    const again = await bookShown(owner, times.html, start);
    expect(bookingIdOf(again.response.headers.get('location')!)).toBe(id);
    const list = await owner.get(
      `/admin/bookings?location=${w.locationId}&from=${date(5)}&to=${date(5)}`,
    );
    expect(list.html).toContain(`href="/admin/bookings/${id}"`);
  });

  it('finds an existing client by name, @username or phone digits', async () => {
    const owner = await h.signIn(OWNER);
    for (const q of ['petrova', '555 12', '(30) 555']) {
      const found = await owner.get(newPath(`&q=${encodeURIComponent(q)}`));
      expect(found.html, q).toContain(`client=${anna}`);
    }
    const byUsername = await owner.get(newPath(`&q=${encodeURIComponent('@zoe_k')}`));
    expect(byUsername.html).toContain(`client=${zoe}`);
    expect(byUsername.html).toContain('in the bot');
    const none = await owner.get(newPath('&q=nobody'));
    expect(none.html).toContain('No client matches “nobody”');
    const ru = await (await h.signIn(OWNER)).get(newPath('&q=nobody&lang=ru'));
    expect(ru.html).toContain('Новая запись');
    expect(ru.html).toContain('По запросу «nobody» клиентов нет');
  });

  it('says what is wrong with a new client: no name, a bad phone, no phone for a phone booking, a phone already known', async () => {
    const manager = await h.signIn(MANAGER);
    const empty = await addClient(manager, { source: 'walk_in', name: '   ', phone: '' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Enter the client’s name.');
    const bad = await addClient(manager, { source: 'phone', name: 'Bob', phone: '12ab34' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('That is not a phone number');
    expect(bad.html).toContain('value="12ab34"');
    const short = await addClient(manager, { source: 'phone', name: 'Bob', phone: '+1 23' });
    expect(short.html).toContain('That is not a phone number');
    const none = await addClient(manager, { source: 'phone', name: 'Bob', phone: '' });
    expect(none.html).toContain('A phone booking needs the client’s phone number');
    const known = await addClient(manager, {
      source: 'phone',
      name: 'Anna P',
      phone: '0049 30 555 1234',
    });
    expect(known.status).toBe(409);
    expect(known.html).toContain('A client with this phone number is already here: Anna Petrova.');
    expect(known.html).toContain(`client=${anna}`);
    // A walk-in needs no phone; Russian on the page when the staff member reads Russian.
    const walkIn = await addClient(manager, {
      source: 'walk_in',
      name: 'Boris',
      phone: '',
      language: 'en',
    });
    expect(walkIn.status).toBe(303);
    const rows = await asPlatform(db, (tx) =>
      tx.query(
        "select count(*)::int as n from clients where tenant_id = $1 and first_name in ('Bob', 'Anna P')",
        [w.tenantId],
      ),
    );
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('a time taken meanwhile: explained, and the free times as they are now', async () => {
    const manager = await h.signIn(MANAGER);
    const times = await manager.get(timesPath(anna, [w.services.cut], w.masterIds[0]!, date(6)));
    const start = localStart(6, '11:00');
    expect(times.html).toContain(`name="start" value="${start}"`);
    const other = await h.services.booking.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: zoe,
      serviceIds: [w.services.cut],
      start,
      masterId: w.masterIds[0]!,
      actor: { kind: 'client', clientId: zoe },
    });
    expect(other.kind).toBe('booked');
    const late = await bookShown(manager, times.html, start);
    expect(late.status).toBe(409);
    expect(late.html).toContain(
      'That time was just taken. Here are the free times as they are now.',
    );
    expect(late.html).not.toContain(`name="start" value="${start}"`);
    expect(late.html).toContain(`name="start" value="${localStart(6, '12:00')}"`);

    // The business in maintenance: said, and nothing booked.
    await asPlatform(db, (tx) =>
      tx.query('update tenants set maintenance = true where id = $1', [w.tenantId]),
    );
    try {
      const closed = await bookShown(manager, late.html, localStart(6, '12:00'));
      expect(closed.status).toBe(409);
      expect(closed.html).toContain('The business is in maintenance');
    } finally {
      await asPlatform(db, (tx) =>
        tx.query('update tenants set maintenance = false where id = $1', [w.tenantId]),
      );
    }
  });

  it('an owner books outside the hours with a reason, kept in the history; overlaps and a missing reason are refused', async () => {
    const owner = await h.signIn(OWNER);
    const times = await owner.get(timesPath(anna, [w.services.cut], w.masterIds[1]!, date(7)));
    expect(times.html).not.toContain(`name="start" value="${localStart(7, '20:00')}"`);
    const noReason = await overridePost(owner, times.html, { time: '20:00', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('Give a reason for booking outside the schedule.');
    const done = await overridePost(owner, times.html, {
      time: '20:00',
      reason: 'Bride before the evening wedding',
    });
    expect(done.status).toBe(303);
    const id = bookingIdOf(done.response.headers.get('location')!);
    const detail = await owner.get(done.response.headers.get('location')!);
    expect(detail.html).toContain('Bride before the evening wedding');
    expect(detail.html).toContain('outside the working hours');
    const [history] = await asPlatform(db, (tx) =>
      tx.query<{ reason: string; actor_kind: string }>(
        'select reason, actor_kind from booking_status_history where booking_id = $1 and from_status is null',
        [id],
      ),
    );
    expect(history!.actor_kind).toBe('owner');
    expect(history!.reason).toContain('override');
    expect(history!.reason).toContain('Bride before the evening wedding');
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ status: string; start_at: Date }>(
        'select status, start_at from bookings where id = $1',
        [id],
      ),
    );
    expect(row!.status).toBe('confirmed');
    expect(new Date(row!.start_at).getTime()).toBe(localStart(7, '20:00'));
    const [audit] = await asPlatform(db, (tx) =>
      tx.query<{ after: Record<string, unknown> }>(
        "select after from audit_log where action = 'bookings.create' and target_id = $1",
        [id],
      ),
    );
    expect(audit!.after).toMatchObject({ override: 'Bride before the evening wedding' });
    // The same master at an overlapping time: refused, even with a reason.
    const clash = await overridePost(owner, times.html, { time: '20:15', reason: 'Another one' });
    expect(clash.status).toBe(409);
    expect(clash.html).toContain('That time was just taken');
    // "Any master" cannot be overridden: one master must be chosen.
    const any = await owner.get(timesPath(anna, [w.services.cut], '', date(7)));
    const anyone = await overridePost(owner, any.html, { time: '21:00', reason: 'Late guest' });
    expect(anyone.status).toBe(400);
    expect(anyone.html).toContain('Choose one master');
  });

  it('a manager books free times but may not override; another location is a 404, a master 403, a forged form 403', async () => {
    const manager = await h.signIn(MANAGER);
    const times = await manager.get(timesPath(anna, [w.services.cut], w.masterIds[1]!, date(8)));
    expect(times.status).toBe(200);
    expect(times.html).not.toContain('name="reason"');
    const fields: [string, string][] = [
      ['_csrf', csrfOf(times.html)],
      ['location', w.locationId],
      ['client', anna],
      ['day', date(8)],
      ['service', w.services.cut],
      ['master', w.masterIds[1]!],
      ['key', `walkin:${crypto.randomUUID()}`],
      ['time', '20:00'],
      ['reason', 'Because'],
    ];
    const refused = await manager.post('/admin/bookings/new', fields);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('Only an owner may book outside the schedule');
    const elsewhere = await h.signIn(MANAGER_ELSEWHERE);
    expect((await elsewhere.get(newPath())).status).toBe(404);
    const csrf = csrfOf((await elsewhere.get(`/admin/bookings/new?location=${riverside}`)).html);
    expect(
      (
        await elsewhere.post('/admin/bookings/new', [
          ...fields.filter(([k]) => k !== '_csrf' && k !== 'time' && k !== 'reason'),
          ['_csrf', csrf],
          ['start', String(localStart(8, '10:00'))],
        ])
      ).status,
    ).toBe(404);
    expect(
      (
        await elsewhere.post('/admin/bookings/new/client', {
          _csrf: csrf,
          location: w.locationId,
          source: 'walk_in',
          name: 'Eve',
        })
      ).status,
    ).toBe(404);
    const master = await h.signIn(MASTER);
    expect((await master.get(newPath())).status).toBe(403);
    // Without the form's token nothing is done.
    const forged = await manager.post('/admin/bookings/new/client', {
      location: w.locationId,
      source: 'walk_in',
      name: 'Forged',
    });
    expect(forged.status).toBe(403);
    const forgedBooking = await manager.post(
      '/admin/bookings/new',
      fields
        .filter(([k]) => k !== '_csrf' && k !== 'time' && k !== 'reason')
        .concat([['start', String(localStart(8, '10:00'))]]),
    );
    expect(forgedBooking.status).toBe(403);
    const made = await asPlatform(db, (tx) =>
      tx.query(
        "select 1 from clients where first_name in ('Forged', 'Eve') union all select 1 from bookings where master_id = $1 and start_at = $2",
        [w.masterIds[1], new Date(localStart(8, '10:00'))],
      ),
    );
    expect(made).toEqual([]);
  });

  it('a client without Telegram: reminders and a cancellation from the board run with no failed job and no message', async () => {
    const owner = await h.signIn(OWNER);
    const times = await owner.get(timesPath(anna, [w.services.cut], w.masterIds[0]!, date(10)));
    const start = localStart(10, '14:00');
    const booked = await bookShown(owner, times.html, start);
    expect(booked.status).toBe(303);
    const id = bookingIdOf(booked.response.headers.get('location')!);
    const sentBefore = h.stub.callsOf('sendMessage').length;
    // Past both reminders' times (a day and three hours ahead), before the visit.
    h.offsetMs = start - 60 * 60_000 - Date.now();
    try {
      await h.runJobs();
    } finally {
      h.offsetMs = 0;
    }
    const reminders = await asPlatform(db, (tx) =>
      tx.query<{ status: string; last_error: string | null }>(
        "select status, last_error from jobs where kind = 'reminder_send' and payload ->> 'bookingId' = $1",
        [id],
      ),
    );
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.every((j) => j.status === 'succeeded' && j.last_error === null)).toBe(true);
    const page = await owner.get(`/admin/bookings/${id}`);
    const cancelled = await owner.post(`/admin/bookings/${id}/cancel`, {
      _csrf: csrfOf(page.html),
      reason: 'The master is ill.',
    });
    expect(page.html).toContain('This client has no Telegram: the bot cannot tell them');
    // The reason reaches no client here: it is said to be kept in the history, not sent.
    expect(page.html).toContain('Kept in the booking&#39;s history');
    expect(page.html).not.toContain('Sent with the notice as you write it');
    expect(cancelled.status).toBe(303);
    expect((await owner.get(cancelled.response.headers.get('location')!)).html).toContain(
      'The visit was cancelled. The client has no Telegram: let them know yourself.',
    );
    await h.runJobs();
    const notice = await asPlatform(db, (tx) =>
      tx.query<{ status: string; last_error: string | null }>(
        "select status, last_error from jobs where kind = 'client_notice' and payload ->> 'bookingId' = $1",
        [id],
      ),
    );
    expect(notice).toEqual([{ status: 'succeeded', last_error: null }]);
    // Nothing was sent for her: every message since went to someone with a chat.
    const since = h.stub.callsOf('sendMessage').slice(sentBefore);
    expect(since.filter((c) => !c.params.chat_id)).toEqual([]);
    const troubled = await asPlatform(db, (tx) =>
      tx.query(
        "select kind, status, last_error from jobs where tenant_id = $1 and (status = 'dead' or last_error is not null)",
        [w.tenantId],
      ),
    );
    expect(troubled).toEqual([]);
    expect(h.logs.some((l) => l.event === 'client_notice_sent' && l.booking_id === id)).toBe(false);
  });
});

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
 * The bookings board against the real app: filters and keyset pages, a booking's page, cancelling
 * and marking the outcome through the booking service (the client told in the bot), the CSV export
 * (content, neutralized notes, contacts by role, streamed past one batch, rate-limited, audited),
 * and a manager limited to another location seeing none of it.
 */
describe('admin bookings board', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let riverside: string;
  const OWNER = 9_900_001;
  const MANAGER = 9_900_002;
  const ZOE = 9_900_100;
  const IVAN = 9_900_101;
  const clients: Record<number, string> = {};
  const bookings: { id: string; master: string; client: number; service: string }[] = [];

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_board'));
    w = await createBookingWorld(db, { masters: 2, clients: 0 });
    await asPlatform(db, async (tx) => {
      await tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', $2)",
        [w.tenantId, OWNER],
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
      clients[ZOE] = (
        await tx.query<{ id: string }>(
          "insert into clients (tenant_id, telegram_user_id, first_name, username, phone, notes, language) values ($1, $2, 'Zoe', 'zoe_k', '+49 30 1234', $3, 'en') returning id",
          [w.tenantId, ZOE, "=cmd|' /C calc'!A0"],
        )
      )[0]!.id;
      clients[IVAN] = (
        await tx.query<{ id: string }>(
          "insert into clients (tenant_id, telegram_user_id, first_name, language) values ($1, $2, 'Ivan', 'ru') returning id",
          [w.tenantId, IVAN],
        )
      )[0]!.id;
    });
    h = new BotHarness(db);
    await h.start(w.tenantId);
    // Zoe with master 1 on days 1..3 at 10:00 (cut), Ivan with master 2 on day 2 at 12:00 (colour).
    const plan = [
      ...[1, 2, 3].map((d) => ({
        days: d,
        hhmm: '10:00',
        client: ZOE,
        master: w.masterIds[0]!,
        service: w.services.cut,
      })),
      { days: 2, hhmm: '12:00', client: IVAN, master: w.masterIds[1]!, service: w.services.colour },
    ];
    for (const p of plan) {
      const clientId = clients[p.client]!;
      const booked = await h.services.booking.book({
        tenantId: w.tenantId,
        locationId: w.locationId,
        clientId,
        serviceIds: [p.service],
        start: localStart(p.days, p.hhmm),
        masterId: p.master,
        actor: { kind: 'client', clientId },
      });
      if (booked.kind !== 'booked') throw new Error(JSON.stringify(booked));
      expect(
        (await h.services.booking.confirm(w.tenantId, booked.booking.id, { kind: 'system' })).kind,
      ).toBe('changed');
      bookings.push({
        id: booked.booking.id,
        master: p.master,
        client: p.client,
        service: p.service,
      });
    }
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  const listed = (html: string) =>
    [...html.matchAll(/href="\/admin\/bookings\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  const date = (days: number) =>
    DateTime.fromMillis(h.now(), { zone: ZONE }).plus({ days }).toISODate()!;
  const board = (c: AdminClient, query: string) =>
    c.get(`/admin/bookings?location=${w.locationId}&${query}`);

  it('lists by start in the location’s time, and filters by master, service, status, dates and client', async () => {
    const owner = await h.signIn(OWNER);
    const all = await board(owner, '');
    expect(all.status).toBe(200);
    expect(listed(all.html)).toEqual([
      bookings[0]!.id,
      bookings[1]!.id,
      bookings[3]!.id,
      bookings[2]!.id,
    ]);
    expect(all.html).toContain('Europe/Berlin');
    expect(all.html).toContain('10:00 AM');
    expect(listed((await board(owner, `master=${w.masterIds[1]}`)).html)).toEqual([
      bookings[3]!.id,
    ]);
    expect(listed((await board(owner, `service=${w.services.cut}`)).html)).toEqual([
      bookings[0]!.id,
      bookings[1]!.id,
      bookings[2]!.id,
    ]);
    expect(listed((await board(owner, `from=${date(2)}&to=${date(2)}`)).html)).toEqual([
      bookings[1]!.id,
      bookings[3]!.id,
    ]);
    expect(listed((await board(owner, 'q=ivan')).html)).toEqual([bookings[3]!.id]);
    expect(listed((await board(owner, 'q=%40zoe_')).html)).toHaveLength(3);
    expect(listed((await board(owner, 'q=100%25')).html)).toEqual([]);
    // A search matching over a thousand clients is checked booking by booking: the same answer.
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into clients (tenant_id, telegram_user_id, first_name) select $1, 9800000 + g, 'Zoey ' || g from generate_series(1, 1000) g",
        [w.tenantId],
      ),
    );
    expect(listed((await board(owner, 'q=zo')).html)).toEqual([
      bookings[0]!.id,
      bookings[1]!.id,
      bookings[2]!.id,
    ]);
    expect(listed((await board(owner, 'status=cancelled')).html)).toEqual([]);
    const wrong = await board(owner, 'from=2026-02-30&status=bogus');
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('“From” is not a date');
  });

  it('a booking’s page: what was booked at which price, payments, history; cancelled with a reason, its client is told', async () => {
    const owner = await h.signIn(OWNER);
    const target = bookings[2]!;
    const detail = await owner.get(`/admin/bookings/${target.id}`);
    expect(detail.status).toBe(200);
    expect(detail.html).toContain('cut');
    expect(detail.html).toContain('€30.00');
    expect(detail.html).toContain('@zoe_k');
    expect(detail.html).toContain('=cmd|&#39; /C calc&#39;!A0');
    expect(detail.html).toMatch(/held → confirmed/);
    const tooLong = await owner.post(`/admin/bookings/${target.id}/cancel`, {
      _csrf: csrfOf(detail.html),
      reason: 'x'.repeat(501),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('longer than 500 characters');
    const cancelled = await owner.post(`/admin/bookings/${target.id}/cancel`, {
      _csrf: csrfOf(detail.html),
      reason: 'The salon is closed for a private event.',
    });
    expect(cancelled.status).toBe(303);
    const after = await owner.get(cancelled.response.headers.get('location')!);
    expect(after.html).toContain('The visit was cancelled');
    expect(after.html).toMatch(/confirmed → cancelled/);
    expect(after.html).toContain('Olga (owner)');
    expect(after.html).toContain('The salon is closed for a private event.');
    await h.runJobs();
    expect(
      h
        .user(ZOE)
        .messages()
        .some((m) => m.text.includes('cancelled your visit') && m.text.includes('private event')),
    ).toBe(true);
    // Cancelled already: a second try changes nothing and says so.
    const again = await owner.post(`/admin/bookings/${target.id}/cancel`, {
      _csrf: csrfOf(detail.html),
      reason: '',
    });
    expect(again.status).toBe(409);
    expect(again.html).toContain('the booking changed meanwhile');
  });

  /** Visits put straight into the table as confirmed (held, then confirmed, as the state machine allows), e.g. in the past. */
  async function pastVisits(p: {
    starts: string;
    count: number;
    stepHours: number;
    status: 'confirmed' | 'completed';
    client: number;
  }): Promise<string[]> {
    return asPlatform(db, async (tx) => {
      const ids = (
        await tx.query<{ id: string }>(
          `insert into bookings (tenant_id, location_id, master_id, client_id, status, start_at, end_at, span, hold_expires_at, total_minor, currency)
           select $1, $2, $3, $4, 'held', s, s + interval '30 minutes', tstzrange(s, s + interval '30 minutes', '[)'), now() + interval '1 hour', 3000, 'EUR'
           from (select $5::timestamptz + (g * $6::int * interval '1 hour') as s from generate_series(0, $7::int - 1) g) x
           returning id`,
          [
            w.tenantId,
            w.locationId,
            w.masterIds[1],
            clients[p.client],
            p.starts,
            p.stepHours,
            p.count,
          ],
        )
      ).map((r) => r.id);
      await tx.query(
        "update bookings set status = 'confirmed', hold_expires_at = null where id = any($1::uuid[])",
        [ids],
      );
      if (p.status === 'completed')
        await tx.query("update bookings set status = 'completed' where id = any($1::uuid[])", [
          ids,
        ]);
      return ids;
    });
  }

  it('the outcome once the visit has started: a no-show marked from the board counts on the client; not before', async () => {
    const owner = await h.signIn(OWNER);
    const ahead = bookings[3]!;
    const early = await owner.get(`/admin/bookings/${ahead.id}`);
    expect(early.html).toContain('once the visit has started');
    expect(
      (
        await owner.post(`/admin/bookings/${ahead.id}/outcome`, {
          _csrf: csrfOf(early.html),
          outcome: 'no_show',
        })
      ).status,
    ).toBe(409);
    const [started] = await pastVisits({
      starts: new Date(Date.now() - 2 * 3600_000).toISOString(),
      count: 1,
      stepHours: 1,
      status: 'confirmed',
      client: IVAN,
    });
    const page = await owner.get(`/admin/bookings/${started}`);
    expect(page.html).toContain('Mark no-show');
    const marked = await owner.post(`/admin/bookings/${started}/outcome`, {
      _csrf: csrfOf(page.html),
      outcome: 'no_show',
    });
    expect(marked.status).toBe(303);
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ status: string; no_show_count: number }>(
        'select b.status, c.no_show_count from bookings b join clients c on c.id = b.client_id where b.id = $1',
        [started],
      ),
    );
    expect(row).toEqual({ status: 'no_show', no_show_count: 1 });
    expect((await owner.get(marked.response.headers.get('location')!)).html).toContain(
      'Marked as a no-show.',
    );
  });

  it('exports the filtered list as CSV: BOM, local times, decimals, neutralized notes; contacts for owners only; audited', async () => {
    const owner = await h.signIn(OWNER);
    const res = await owner.get(
      `/admin/bookings/export?location=${w.locationId}&service=${w.services.cut}&from=${date(0)}&to=${date(5)}`,
    );
    expect(res.status).toBe(200);
    expect(res.response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.response.headers.get('content-disposition')).toBe(
      `attachment; filename="bookings-${date(0)}_${date(5)}.csv"`,
    );
    const bytes = new Uint8Array(
      await (
        await owner.raw(
          `/admin/bookings/export?location=${w.locationId}&service=${w.services.cut}&from=${date(0)}&to=${date(5)}`,
        )
      ).arrayBuffer(),
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // (Response.text() drops the byte order mark, as browsers do.)
    const lines = res.html.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'Booking,Status,Start,End,Time zone,Location,Master,Services,Client,Telegram username,Phone,Price,Paid,Currency,Client comment,Client notes',
    );
    expect(lines).toHaveLength(4);
    const first = lines[1]!;
    expect(
      first.startsWith(
        `${bookings[0]!.id},confirmed,${DateTime.fromMillis(localStart(1, '10:00'), { zone: ZONE }).toFormat('yyyy-LL-dd')} 10:00,`,
      ),
    ).toBe(true);
    expect(first).toContain(',Europe/Berlin,Studio,Master 1,cut,Zoe,zoe_k,');
    expect(first).toContain(",30.00,0.00,EUR,,'=cmd|' /C calc'!A0");
    const [audit] = await asPlatform(db, (tx) =>
      tx.query<{ after: Record<string, unknown> }>(
        "select after from audit_log where tenant_id = $1 and action = 'bookings.export' order by id desc limit 1",
        [w.tenantId],
      ),
    );
    expect(audit!.after).toMatchObject({ service: w.services.cut, contacts: true });
  });

  it('streams past one batch: every row once, in order', async () => {
    const owner = await h.signIn(OWNER);
    // 1,250 visits that took place last year.
    await pastVisits({
      starts: '2025-01-06T08:00:00Z',
      count: 1250,
      stepHours: 1,
      status: 'completed',
      client: IVAN,
    });
    const res = await owner.get(
      `/admin/bookings/export?location=${w.locationId}&from=2025-01-01&to=2025-12-31&status=completed`,
    );
    expect(res.status).toBe(200);
    const lines = res.html.split('\r\n').filter(Boolean).slice(1);
    expect(lines).toHaveLength(1250);
    const starts = lines.map((l) => l.split(',')[2]!);
    expect([...starts].sort()).toEqual(starts);
    expect(new Set(lines.map((l) => l.split(',')[0])).size).toBe(1250);
    // The board pages the same list by 50.
    const page1 = await board(owner, 'from=2025-01-01&to=2025-12-31&status=completed');
    expect(listed(page1.html)).toHaveLength(50);
    const next = /<a href="([^"]+)" rel="next">/.exec(page1.html)![1]!.replace(/&amp;/g, '&');
    const page2 = await owner.get(next);
    expect(listed(page2.html)[0]).toBe(lines[50]!.split(',')[0]);
  });

  it('the calendar: a day with the masters as columns and the visits by status, a DST day 25 hours long, a week as a table', async () => {
    const owner = await h.signIn(OWNER);
    const day = await owner.get(
      `/admin/bookings/calendar?location=${w.locationId}&view=day&date=${date(2)}`,
    );
    expect(day.status).toBe(200);
    expect(day.html).toContain('<svg');
    expect(day.html).toContain('Master 1');
    expect(day.html).toContain('Master 2');
    for (const i of [1, 3]) expect(day.html).toContain(`href="/admin/bookings/${bookings[i]!.id}"`);
    expect(day.html).toMatch(/class="cal-visit cal-confirmed"/);
    // Zoe's cancelled visit (day 3) is not drawn.
    expect(
      (
        await owner.get(
          `/admin/bookings/calendar?location=${w.locationId}&view=day&date=${date(3)}`,
        )
      ).html,
    ).not.toContain(bookings[2]!.id);
    const dst = await owner.get(
      `/admin/bookings/calendar?location=${w.locationId}&view=day&date=2026-10-25`,
    );
    expect(dst.html).toContain('This day has 25 hours');
    expect(dst.html.match(/>2 AM</g)).toHaveLength(2);
    const week = await owner.get(
      `/admin/bookings/calendar?location=${w.locationId}&view=week&date=${date(1)}`,
    );
    expect(week.html.match(/<tr>/g)!.length).toBe(8);
    for (const i of [0, 1, 3])
      expect(week.html).toContain(`href="/admin/bookings/${bookings[i]!.id}"`);
    const bad = await owner.get(
      `/admin/bookings/calendar?location=${w.locationId}&date=2026-02-31`,
    );
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('That is not a date');
    const manager = await h.signIn(MANAGER);
    const theirs = await manager.get(
      `/admin/bookings/calendar?location=${w.locationId}&view=week&date=${date(1)}`,
    );
    expect(theirs.html).toContain('Riverside');
    expect(theirs.html).not.toContain(bookings[0]!.id);
  });

  it('moves a visit from its page: free times from the engine, the client told in their language, no fee', async () => {
    const owner = await h.signIn(OWNER);
    const target = bookings[3]!; // Ivan (ru), master 2, day 2 at 12:00
    const page = await owner.get(
      `/admin/bookings/${target.id}?move_day=${date(4)}&move_master=same`,
    );
    expect(page.status).toBe(200);
    const start = localStart(4, '16:00');
    expect(page.html).toContain(`name="start" value="${start}"`);
    // A start that is not free (another visit's) is refused and nothing changes.
    const clash = await owner.post(`/admin/bookings/${target.id}/move`, {
      _csrf: csrfOf(page.html),
      start: String(localStart(1, '10:00')),
      master: w.masterIds[0]!,
    });
    expect(clash.status).toBe(409);
    expect(clash.html).toContain('pick another');
    const moved = await owner.post(`/admin/bookings/${target.id}/move`, {
      _csrf: csrfOf(page.html),
      start: String(start),
      master: w.masterIds[1]!,
    });
    expect(moved.status).toBe(303);
    const next = moved.response.headers.get('location')!;
    const fresh = await owner.get(next);
    expect(fresh.html).toContain('The visit was moved');
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ status: string; start_at: Date; rescheduled_from_id: string }>(
        'select status, start_at, rescheduled_from_id from bookings where id = $1',
        [next.split('/').pop()!.split('?')[0]],
      ),
    );
    expect(row).toMatchObject({ status: 'confirmed', rescheduled_from_id: target.id });
    expect(new Date(row!.start_at).getTime()).toBe(start);
    await h.runJobs();
    const notice = h
      .user(IVAN)
      .messages()
      .find((m) => m.text.includes('перенесли ваш визит'));
    expect(notice?.text).toContain('16:00');
    bookings[3] = { ...target, id: next.split('/').pop()!.split('?')[0]! };
  });

  it('an open board’s change stamp moves when a booking is made or changed at its location, and only there', async () => {
    const owner = await h.signIn(OWNER);
    const stampOf = async (location: string) => {
      const res = await owner.get(`/admin/bookings/stamp?location=${location}`);
      expect(res.status).toBe(200);
      return (JSON.parse(res.html) as { stamp: string }).stamp;
    };
    const before = await stampOf(w.locationId);
    const elsewhere = await stampOf(riverside);
    const clientId = clients[IVAN]!;
    const booked = await h.services.booking.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId,
      serviceIds: [w.services.cut],
      start: localStart(9, '15:00'),
      masterId: w.masterIds[1]!,
      actor: { kind: 'client', clientId },
    });
    expect(booked.kind).toBe('booked');
    const afterBooking = await stampOf(w.locationId);
    expect(afterBooking).not.toBe(before);
    expect(await stampOf(riverside)).toBe(elsewhere);
    if (booked.kind === 'booked')
      await h.services.booking.cancel(w.tenantId, booked.booking.id, { kind: 'client', clientId });
    expect(await stampOf(w.locationId)).not.toBe(afterBooking);
    // Another location's stamp is not for a manager limited elsewhere, nor a page's business.
    const manager = await h.signIn(MANAGER);
    expect((await manager.get(`/admin/bookings/stamp?location=${w.locationId}`)).status).toBe(404);
    const list = await owner.get(`/admin/bookings?location=${w.locationId}`);
    expect(list.html).toContain('src="/assets/board-live.js"');
    expect(list.html).toContain('id="board-results"');
    expect(list.response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('notes on a client: saved from a booking’s page (control characters dropped), audited without their text, refused too long, elsewhere or forged', async () => {
    const owner = await h.signIn(OWNER);
    const ivans = bookings.find((x) => x.client === IVAN)!;
    const notesOf = async () =>
      (
        await asPlatform(db, (tx) =>
          tx.query<{ notes: string | null }>('select notes from clients where id = $1', [
            clients[IVAN],
          ]),
        )
      )[0]!.notes;
    const detail = await owner.get(`/admin/bookings/${ivans.id}`);
    expect(detail.html).toContain('Notes on the client');
    const csrf = csrfOf(detail.html);

    const tooLong = await owner.post(`/admin/bookings/${ivans.id}/notes`, {
      _csrf: csrf,
      notes: 'y'.repeat(2001),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('longer than 2,000 characters');
    expect(await notesOf()).toBeNull();

    const saved = await owner.post(`/admin/bookings/${ivans.id}/notes`, {
      _csrf: csrf,
      notes: '  Allergic to latex\r\nPrefers <b>mornings</b>\u0000\u0007 ',
    });
    expect(saved.status).toBe(303);
    expect(await notesOf()).toBe('Allergic to latex\nPrefers <b>mornings</b>');
    const after = await owner.get(saved.response.headers.get('location')!);
    expect(after.html).toContain('Notes on the client saved.');
    expect(after.html).toContain('Prefers &lt;b&gt;mornings&lt;/b&gt;');
    const [audit] = await asPlatform(db, (tx) =>
      tx.query<{ after: Record<string, unknown>; target_id: string }>(
        "select after, target_id from audit_log where tenant_id = $1 and action = 'clients.notes' order by id desc limit 1",
        [w.tenantId],
      ),
    );
    expect(audit!.target_id).toBe(clients[IVAN]);
    expect(audit!.after).toEqual({
      characters: 'Allergic to latex\nPrefers <b>mornings</b>'.length,
    });

    // A manager of another location: not there. Without the form's token: refused. Both change nothing.
    const manager = await h.signIn(MANAGER);
    const elsewhere = await manager.post(`/admin/bookings/${ivans.id}/notes`, {
      _csrf: csrfOf((await manager.get('/admin/bookings')).html),
      notes: 'overwritten',
    });
    expect(elsewhere.status).toBe(404);
    expect(
      (await owner.post(`/admin/bookings/${ivans.id}/notes`, { notes: 'forged' })).status,
    ).toBe(403);
    expect(await notesOf()).toBe('Allergic to latex\nPrefers <b>mornings</b>');

    // Empty removes them.
    expect(
      (await owner.post(`/admin/bookings/${ivans.id}/notes`, { _csrf: csrf, notes: ' ' })).status,
    ).toBe(303);
    expect(await notesOf()).toBeNull();
  });

  it('a manager: only their location, no contact details in exports; at most 10 exports in 10 minutes', async () => {
    const manager = await h.signIn(MANAGER);
    expect((await manager.get(`/admin/bookings/${bookings[0]!.id}`)).status).toBe(404);
    const list = await manager.get(`/admin/bookings?location=${w.locationId}`);
    expect(list.html).toContain('Riverside');
    expect(listed(list.html)).toEqual([]);
    const csrf = csrfOf(list.html);
    expect(
      (await manager.post(`/admin/bookings/${bookings[0]!.id}/cancel`, { _csrf: csrf })).status,
    ).toBe(404);
    expect((await manager.get(`/admin/bookings/export?location=${w.locationId}`)).status).toBe(404);
    const own = await manager.get(`/admin/bookings/export?location=${riverside}`);
    expect(own.status).toBe(200);
    expect(own.html.split('\r\n')[0]).not.toContain('Phone');
    for (let i = 0; i < 9; i++)
      expect((await manager.get(`/admin/bookings/export?location=${riverside}`)).status).toBe(200);
    const limited = await manager.get(`/admin/bookings/export?location=${riverside}`);
    expect(limited.status).toBe(429);
    expect(limited.html).toContain('At most 10 exports in 10 minutes');
  });
});

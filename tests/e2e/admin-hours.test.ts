import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { insertWeekly, WindowOverlapError } from '../../db/queries/hours.ts';
import { migratedPostgres } from '../support/pg.ts';
import {
  createBookingWorld,
  dayLabel,
  localStart,
  ZONE,
  type BookingWorld,
} from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';
import { csrfOf, type AdminClient } from '../support/admin-client.ts';

/**
 * The hours editor against the real app, PostgreSQL and the Telegram stand-in: a window added on a
 * day is in the bot's times on the client's next screen, a break and time off take times out; a
 * window across midnight is refused with the split to make (and made by one button), an overlap
 * names the window it meets (and merges); time off over a booked visit asks first and, kept, is
 * audited with the booking's id; a manager of another location, a master and another business
 * reach none of it.
 */
describe('admin hours editor', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let riverMaster: string;
  const OWNER = 9_800_001;
  const MANAGER = 9_800_002;
  const MASTER = 9_800_003;
  let clientId = 9_800_100;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_hours'));
    w = await createBookingWorld(db, { masters: 2, clients: 0 });
    await asPlatform(db, async (tx) => {
      await tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Olga', $2), ($1, 'master', 'Max', $3)",
        [w.tenantId, OWNER, MASTER],
      );
      // Master 1 starts with no hours at all: the editor gives them their week.
      await tx.query('delete from working_hours where master_id = $1', [w.masterIds[0]]);
      const [riverside] = await tx.query<{ id: string }>(
        "insert into locations (tenant_id, name, timezone, currency, policy) select tenant_id, 'Riverside', timezone, currency, policy from locations where id = $1 returning id",
        [w.locationId],
      );
      riverMaster = (
        await tx.query<{ id: string }>(
          "insert into masters (tenant_id, location_id, display_name) values ($1, $2, 'River') returning id",
          [w.tenantId, riverside!.id],
        )
      )[0]!.id;
      await tx.query(
        "insert into working_hours (tenant_id, master_id, weekday, start_local, end_local) values ($1, $2, 1, '09:00', '17:00')",
        [w.tenantId, riverMaster],
      );
      const [manager] = await tx.query<{ id: string }>(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'manager', 'Mia', $2) returning id",
        [w.tenantId, MANAGER],
      );
      await tx.query(
        'insert into staff_locations (tenant_id, staff_user_id, location_id) values ($1, $2, $3)',
        [w.tenantId, manager!.id, riverside!.id],
      );
    });
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h?.stop();
    await cleanup?.();
  });

  const day = (days: number) => DateTime.now().setZone(ZONE).startOf('day').plus({ days });
  const weekdayOf = (days: number) => day(days).weekday;
  const nameOf = (days: number) => day(days).setLocale('en').toFormat('cccc');
  const hoursOf = (masterId: string) => `/admin/masters/${masterId}/hours`;
  const add = (who: AdminClient, masterId: string, fields: Record<string, string>) =>
    who.submit(hoursOf(masterId), `${hoursOf(masterId)}/add`, fields);
  const addTimeOff = (who: AdminClient, masterId: string, fields: Record<string, string>) =>
    who.submit(hoursOf(masterId), `${hoursOf(masterId)}/time-off/add`, fields);
  const windows = async (masterId: string, table = 'working_hours') =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{ w: string }>(
          `select weekday || ' ' || to_char(start_local, 'HH24:MI') || '-' || end_local::text as w from ${table} where master_id = $1 order by weekday, start_local`,
          [masterId],
        ),
      )
    ).map((r) => r.w.replace(/:00$/, ''));
  const auditOf = async (action: string) =>
    asPlatform(db, (tx) =>
      tx.query<{ before: unknown; after: Record<string, unknown> | null; target_id: string }>(
        'select before, after, target_id from audit_log where tenant_id = $1 and action = $2 order by id',
        [w.tenantId, action],
      ),
    );

  /** What a new client is offered with `master` for a cut `days` ahead: the times, or undefined when the day is not offered. */
  async function botTimes(master: string, days: number): Promise<string[] | undefined> {
    const u = h.user(clientId++);
    await u.send('/start');
    await u.press('Book');
    if (u.screen().buttons.flat().includes('Studio')) await u.press('Studio');
    await u.press(/^cut/);
    await u.press('Continue');
    await u.press(master);
    if (!u.screen().buttons.flat().includes(dayLabel(days))) return undefined;
    await u.press(dayLabel(days));
    const times: string[] = [];
    for (;;) {
      times.push(
        ...u
          .screen()
          .buttons.flat()
          .filter((b) => /\d:\d\d [AP]M/.test(b)),
      );
      if (
        !u
          .screen()
          .buttons.flat()
          .some((b) => b.startsWith('Later'))
      )
        return times;
      await u.press('Later');
    }
  }
  /** The hidden fields of the confirmation page's form, as the browser sends them back. */
  function hiddenFields(html: string): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const [tag] of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(tag)![1]!;
      if (name !== '_csrf') fields[name] = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    }
    return fields;
  }

  it('a new window on a day puts its times in the bot on the client’s next screen; audited', async () => {
    const owner = await h.signIn(OWNER);
    expect(await botTimes('Master 1', 3)).toBeUndefined();
    const saved = await add(owner, w.masterIds[0]!, {
      kind: 'window',
      [`day_${weekdayOf(3)}`]: 'on',
      start: '10:00',
      end: '12:00',
    });
    expect(saved.status).toBe(303);
    expect(saved.response.headers.get('location')).toBe(`${hoursOf(w.masterIds[0]!)}?saved=added`);
    expect(await botTimes('Master 1', 3)).toEqual([
      '10:00 AM',
      '10:15 AM',
      '10:30 AM',
      '10:45 AM',
      '11:00 AM',
      '11:15 AM',
      '11:30 AM',
    ]);
    expect(await windows(w.masterIds[0]!)).toEqual([`${weekdayOf(3)} 10:00-12:00`]);
    const editor = await owner.get(`${hoursOf(w.masterIds[0]!)}?saved=added`);
    expect(editor.html).toContain('Saved: the bot offers the new times on its next screen.');
    expect(editor.html).toContain('10:00–12:00');
    expect(editor.html).toContain('Central European');
    const [entry] = await auditOf('hours.add_window');
    expect(entry!.target_id).toBe(w.masterIds[0]);
    expect(entry!.after).toEqual({
      master: 'Master 1',
      added: [{ weekday: weekdayOf(3), start: '10:00', end: '12:00' }],
    });
    expect((await owner.get('/admin/audit')).html).toContain('Added working hours');
  });

  it('a window across midnight is refused with the split to make; one button makes it, and 22:00–24:00 is offered up to 23:30', async () => {
    const owner = await h.signIn(OWNER);
    const fields = { kind: 'window', [`day_${weekdayOf(3)}`]: 'on', start: '22:00', end: '02:00' };
    const refused = await add(owner, w.masterIds[0]!, fields);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain(
      `22:00–02:00 crosses midnight: add 22:00–24:00 on ${nameOf(3)} and 00:00–02:00 on ${nameOf(4)}.`,
    );
    expect(refused.html).toMatch(
      /id="f-end"[^>]*aria-invalid="true"[^>]*aria-describedby="f-end-hint f-time-error"/,
    );
    expect(refused.html).toContain('value="22:00"');
    expect(await windows(w.masterIds[0]!)).toEqual([`${weekdayOf(3)} 10:00-12:00`]);

    expect((await add(owner, w.masterIds[0]!, { ...fields, split: 'on' })).status).toBe(303);
    expect(await windows(w.masterIds[0]!)).toEqual(
      [
        `${weekdayOf(3)} 10:00-12:00`,
        `${weekdayOf(3)} 22:00-24:00`,
        `${weekdayOf(4)} 00:00-02:00`,
      ].sort(),
    );
    const times = await botTimes('Master 1', 3);
    expect(times).toContain('11:30 PM');
    expect(times).toContain('10:00 PM');
    expect(times).not.toContain('9:45 PM');
    expect(await botTimes('Master 1', 4)).toEqual([
      '12:00 AM',
      '12:15 AM',
      '12:30 AM',
      '12:45 AM',
      '1:00 AM',
      '1:15 AM',
      '1:30 AM',
    ]);
  });

  it('an overlap names the window it meets and the one both make; merging stores that one window', async () => {
    const owner = await h.signIn(OWNER);
    const fields = { kind: 'window', [`day_${weekdayOf(3)}`]: 'on', start: '11:00', end: '14:00' };
    const refused = await add(owner, w.masterIds[0]!, fields);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain(
      `On ${nameOf(3)} this overlaps 10:00–12:00; to work 10:00–14:00, change that window instead, or merge them.`,
    );
    expect(refused.html).toContain('Merge them into 10:00–14:00');
    expect((await add(owner, w.masterIds[0]!, { ...fields, merge: 'on' })).status).toBe(303);
    expect(
      (await windows(w.masterIds[0]!)).filter((x) => x.startsWith(`${weekdayOf(3)} `)),
    ).toEqual([`${weekdayOf(3)} 10:00-14:00`, `${weekdayOf(3)} 22:00-24:00`]);
    const merged = (await auditOf('hours.add_window')).at(-1)!;
    expect(merged.before).toEqual({
      master: 'Master 1',
      merged: [{ weekday: weekdayOf(3), start: '10:00', end: '12:00' }],
    });
  });

  it('a window written by someone else between the check and the insert: the database refuses it and the page says which window it meets', async () => {
    const owner = await h.signIn(OWNER);
    const csrf = csrfOf((await owner.get(hoursOf(w.masterIds[0]!))).html);
    const weekday = weekdayOf(5);
    let answer: Promise<{ status: number; html: string }> | undefined;
    // Another editor's window, not yet committed while this request checks and inserts its own:
    // the insert waits on the exclusion constraint, then fails when the other one commits.
    await asPlatform(db, async (tx) => {
      await insertWeekly(tx, {
        tenantId: w.tenantId,
        masterId: w.masterIds[0]!,
        kind: 'window',
        entries: [{ weekday, start: 480, end: 720 }],
      });
      answer = owner.post(`${hoursOf(w.masterIds[0]!)}/add`, {
        _csrf: csrf,
        kind: 'window',
        [`day_${weekday}`]: 'on',
        start: '11:00',
        end: '15:00',
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    const refused = await answer!;
    expect(refused.status).toBe(400);
    expect(refused.html).toContain(
      `On ${nameOf(5)} this overlaps 08:00–12:00; to work 08:00–15:00, change that window instead, or merge them.`,
    );
    expect((await windows(w.masterIds[0]!)).filter((x) => x.startsWith(`${weekday} `))).toEqual([
      `${weekday} 08:00-12:00`,
    ]);
    await expect(
      asPlatform(db, (tx) =>
        insertWeekly(tx, {
          tenantId: w.tenantId,
          masterId: w.masterIds[0]!,
          kind: 'window',
          entries: [{ weekday, start: 600, end: 700 }],
        }),
      ),
    ).rejects.toBeInstanceOf(WindowOverlapError);
  });

  it('a break outside working hours is refused with the reason; inside, the bot skips it; its window cannot go while it is there', async () => {
    const owner = await h.signIn(OWNER);
    const outside = await add(owner, w.masterIds[0]!, {
      kind: 'break',
      [`day_${weekdayOf(3)}`]: 'on',
      start: '15:00',
      end: '15:30',
    });
    expect(outside.status).toBe(400);
    expect(outside.html).toContain(
      `The break 15:00–15:30 is not inside the working hours of ${nameOf(3)} (10:00–14:00, 22:00–24:00): a break must lie within them.`,
    );
    expect(
      (
        await add(owner, w.masterIds[0]!, {
          kind: 'break',
          [`day_${weekdayOf(3)}`]: 'on',
          start: '12:00',
          end: '12:30',
          label: 'Lunch',
        })
      ).status,
    ).toBe(303);
    expect(await windows(w.masterIds[0]!, 'breaks')).toEqual([`${weekdayOf(3)} 12:00-12:30`]);
    const times = await botTimes('Master 1', 3);
    expect(times).toContain('11:30 AM');
    expect(times).not.toContain('11:45 AM');
    expect(times).not.toContain('12:15 PM');
    expect(times).toContain('12:30 PM');

    const [window] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>(
        "select id from working_hours where master_id = $1 and weekday = $2 and start_local = '10:00'",
        [w.masterIds[0], weekdayOf(3)],
      ),
    );
    const refused = await owner.submit(
      hoursOf(w.masterIds[0]!),
      `${hoursOf(w.masterIds[0]!)}/remove`,
      { kind: 'window', entry: window!.id },
    );
    expect(refused.status).toBe(409);
    expect(refused.html).toContain(
      `The working hours 10:00–14:00 on ${nameOf(3)} hold the break 12:00–12:30: remove the break first.`,
    );
    expect(await windows(w.masterIds[0]!)).toContain(`${weekdayOf(3)} 10:00-14:00`);
    expect((await owner.get('/admin/audit')).html).toContain('Added a break');
  });

  it('time off over a booked visit asks first, listing it; kept, it is saved with the booking’s id in the audit log', async () => {
    const owner = await h.signIn(OWNER);
    const zoe = (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string }>(
          "insert into clients (tenant_id, telegram_user_id, first_name) values ($1, 9800777, 'Zoe') returning id",
          [w.tenantId],
        ),
      )
    )[0]!.id;
    const booked = await h.services.booking.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: zoe,
      serviceIds: [w.services.cut],
      start: localStart(4, '10:00'),
      masterId: w.masterIds[1],
      actor: { kind: 'client', clientId: zoe },
    });
    expect(booked.kind).toBe('booked');
    const bookingId = (booked as { booking: { id: string } }).booking.id;
    const statusOf = async () =>
      (
        await asPlatform(db, (tx) =>
          tx.query<{ status: string }>('select status from bookings where id = $1', [bookingId]),
        )
      )[0]!.status;
    const statusBefore = await statusOf();
    expect(await botTimes('Master 2', 4)).toBeDefined();

    const date = day(4).toISODate()!;
    const asked = await addTimeOff(owner, w.masterIds[1]!, {
      mode: 'days',
      first_day: date,
      last_day: '',
      reason: 'Holiday',
    });
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('1 booked visit is affected');
    expect(asked.html).toContain('These visits fall outside the new schedule:');
    expect(asked.html).toContain('Zoe');
    expect(asked.html).toContain('cut');
    expect(asked.html).toContain('10:00 AM – 10:30 AM');
    expect(asked.html).toContain('name="decision" value="keep"');
    expect(
      await asPlatform(db, (tx) =>
        tx.query('select 1 from time_off where master_id = $1', [w.masterIds[1]]),
      ),
    ).toHaveLength(0);

    // "Keep" without having been shown these visits (no fingerprint of them) is asked again.
    const fields = hiddenFields(asked.html);
    expect(fields).toMatchObject({ mode: 'days', first_day: date, reason: 'Holiday' });
    const blind = await owner.post(`${hoursOf(w.masterIds[1]!)}/time-off/add`, {
      _csrf: csrfOf(asked.html),
      ...fields,
      shown: '',
      decision: 'keep',
    });
    expect(blind.status).toBe(409);
    expect(blind.html).toContain('The visits changed while you were deciding');
    expect(
      await asPlatform(db, (tx) =>
        tx.query('select 1 from time_off where master_id = $1', [w.masterIds[1]]),
      ),
    ).toHaveLength(0);

    const kept = await owner.post(`${hoursOf(w.masterIds[1]!)}/time-off/add`, {
      _csrf: csrfOf(asked.html),
      ...fields,
      decision: 'keep',
    });
    expect(kept.status).toBe(303);
    expect(kept.response.headers.get('location')).toBe(
      `${hoursOf(w.masterIds[1]!)}?saved=time_off_added&kept=1`,
    );
    expect((await owner.get(kept.response.headers.get('location')!)).html).toContain(
      '1 visit stays booked',
    );
    expect(await statusOf()).toBe(statusBefore);
    const [entry] = await auditOf('time_off.add');
    expect(entry!.after).toMatchObject({
      master: 'Master 2',
      firstDay: date,
      lastDay: date,
      reason: 'Holiday',
      affected: { decision: 'keep', bookings: [bookingId] },
    });
    expect(await botTimes('Master 2', 4)).toBeUndefined();
  });

  it('part of a day off takes those times out of the bot; removed, they come back; a wrong range is said next to its field', async () => {
    const owner = await h.signIn(OWNER);
    const date = day(5).toISODate()!;
    const wrong = await addTimeOff(owner, w.masterIds[1]!, {
      mode: 'hours',
      date,
      from: '12:00',
      to: '10:00',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain(
      'The end must be after the start; for time off past midnight, add the next day separately.',
    );
    expect(wrong.html).toMatch(/id="f-to"[^>]*aria-invalid="true"/);
    expect(
      (
        await addTimeOff(owner, w.masterIds[1]!, {
          mode: 'hours',
          date,
          from: '10:00',
          to: '12:00',
        })
      ).status,
    ).toBe(303);
    const off = await botTimes('Master 2', 5);
    expect(off).toContain('9:30 AM');
    expect(off).not.toContain('9:45 AM');
    expect(off).not.toContain('11:45 AM');
    expect(off).toContain('12:00 PM');
    const editor = await owner.get(hoursOf(w.masterIds[1]!));
    expect(editor.html).toContain('10:00 AM – 12:00 PM');
    const [row] = await asPlatform(db, (tx) =>
      tx.query<{ id: string; starts_at: Date }>(
        'select id, starts_at from time_off where master_id = $1 and not all_day',
        [w.masterIds[1]],
      ),
    );
    expect(new Date(row!.starts_at).getTime()).toBe(localStart(5, '10:00'));
    expect(
      (
        await owner.submit(
          hoursOf(w.masterIds[1]!),
          `${hoursOf(w.masterIds[1]!)}/time-off/remove`,
          { entry: row!.id },
        )
      ).status,
    ).toBe(303);
    expect(await botTimes('Master 2', 5)).toContain('10:00 AM');
    const [removed] = await auditOf('time_off.remove');
    expect(removed!.before).toMatchObject({
      master: 'Master 2',
      id: row!.id,
      startsAt: new Date(localStart(5, '10:00')).toISOString(),
    });
  });

  it('removing a window over a booked visit asks first; removing a break needs no asking', async () => {
    const owner = await h.signIn(OWNER);
    const [breakRow] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>('select id from breaks where master_id = $1', [w.masterIds[0]]),
    );
    expect(
      (
        await owner.submit(hoursOf(w.masterIds[0]!), `${hoursOf(w.masterIds[0]!)}/remove`, {
          kind: 'break',
          entry: breakRow!.id,
        })
      ).status,
    ).toBe(303);
    expect(await windows(w.masterIds[0]!, 'breaks')).toEqual([]);
    const yuri = (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string }>(
          "insert into clients (tenant_id, telegram_user_id, first_name) values ($1, 9800778, 'Yuri') returning id",
          [w.tenantId],
        ),
      )
    )[0]!.id;
    const booked = await h.services.booking.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: yuri,
      serviceIds: [w.services.cut],
      start: localStart(3, '13:00'),
      masterId: w.masterIds[0],
      actor: { kind: 'client', clientId: yuri },
    });
    expect(booked.kind).toBe('booked');
    const [window] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>(
        "select id from working_hours where master_id = $1 and weekday = $2 and start_local = '10:00'",
        [w.masterIds[0], weekdayOf(3)],
      ),
    );
    const asked = await owner.submit(
      hoursOf(w.masterIds[0]!),
      `${hoursOf(w.masterIds[0]!)}/remove`,
      { kind: 'window', entry: window!.id },
    );
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('Yuri');
    expect(asked.html).toContain(`Remove working hours: ${nameOf(3)} 10:00–14:00`);
    const kept = await owner.post(`${hoursOf(w.masterIds[0]!)}/remove`, {
      _csrf: csrfOf(asked.html),
      ...hiddenFields(asked.html),
      decision: 'keep',
    });
    expect(kept.status).toBe(303);
    expect(await windows(w.masterIds[0]!)).not.toContain(`${weekdayOf(3)} 10:00-14:00`);
    const [entry] = await auditOf('hours.remove_window');
    expect(entry!.before).toEqual({
      master: 'Master 1',
      weekday: weekdayOf(3),
      start: '10:00',
      end: '14:00',
    });
    expect(entry!.after).toEqual({
      affected: {
        decision: 'keep',
        bookings: [(booked as { booking: { id: string } }).booking.id],
      },
    });
  });

  it('time off over a booked visit, cancelled: the visit is cancelled and its client told in the bot', async () => {
    const owner = await h.signIn(OWNER);
    const telegramId = 9_800_779;
    const vera = (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string }>(
          "insert into clients (tenant_id, telegram_user_id, first_name) values ($1, $2, 'Vera') returning id",
          [w.tenantId, telegramId],
        ),
      )
    )[0]!.id;
    const booked = await h.services.booking.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: vera,
      serviceIds: [w.services.cut],
      start: localStart(6, '10:00'),
      masterId: w.masterIds[1],
      actor: { kind: 'client', clientId: vera },
    });
    if (booked.kind !== 'booked') throw new Error(JSON.stringify(booked));
    const asked = await addTimeOff(owner, w.masterIds[1]!, {
      mode: 'days',
      first_day: day(6).toISODate()!,
      last_day: '',
      reason: 'Course',
    });
    expect(asked.html).toContain('Vera');
    const cancelled = await owner.post(`${hoursOf(w.masterIds[1]!)}/time-off/add`, {
      _csrf: csrfOf(asked.html),
      ...hiddenFields(asked.html),
      decision: 'cancel',
      client_message: 'Your master is on a course that day.',
    });
    expect(cancelled.status).toBe(303);
    expect(cancelled.response.headers.get('location')).toBe(
      `${hoursOf(w.masterIds[1]!)}?saved=time_off_added&cancelled=1`,
    );
    expect(
      (
        await asPlatform(db, (tx) =>
          tx.query<{ status: string }>('select status from bookings where id = $1', [
            booked.booking.id,
          ]),
        )
      )[0]!.status,
    ).toBe('cancelled');
    const entry = (await auditOf('time_off.add')).at(-1);
    expect(entry!.after).toMatchObject({
      affected: { decision: 'cancel', bookings: [booked.booking.id] },
    });
    await h.runJobs();
    const notice = h
      .user(telegramId)
      .messages()
      .find((m) => m.text.includes('cancelled your visit'));
    expect(notice?.text).toContain('Your master is on a course that day.');
  });

  it('a manager limited to Riverside gets 404 for a Studio master’s hours and changes nothing; a master gets 403; another business 404', async () => {
    const manager = await h.signIn(MANAGER);
    expect((await manager.get(hoursOf(riverMaster))).status).toBe(200);
    const before = await windows(w.masterIds[1]!);
    expect((await manager.get(hoursOf(w.masterIds[1]!))).status).toBe(404);
    const csrf = csrfOf((await manager.get(hoursOf(riverMaster))).html);
    expect(
      (
        await manager.post(`${hoursOf(w.masterIds[1]!)}/add`, {
          _csrf: csrf,
          kind: 'window',
          day_1: 'on',
          start: '01:00',
          end: '02:00',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await manager.post(`${hoursOf(w.masterIds[1]!)}/time-off/add`, {
          _csrf: csrf,
          mode: 'days',
          first_day: day(2).toISODate()!,
        })
      ).status,
    ).toBe(404);
    const [studioWindow] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>('select id from working_hours where master_id = $1 limit 1', [
        w.masterIds[1],
      ]),
    );
    expect(
      (
        await manager.post(`${hoursOf(w.masterIds[1]!)}/remove`, {
          _csrf: csrf,
          kind: 'window',
          entry: studioWindow!.id,
        })
      ).status,
    ).toBe(404);
    // Someone else's window id through one's own master: not there either.
    expect(
      (
        await manager.post(`${hoursOf(riverMaster)}/remove`, {
          _csrf: csrf,
          kind: 'window',
          entry: studioWindow!.id,
        })
      ).status,
    ).toBe(409);
    expect(await windows(w.masterIds[1]!)).toEqual(before);
    expect(
      await asPlatform(db, (tx) =>
        tx.query('select 1 from time_off where master_id = $1 and first_day = $2', [
          w.masterIds[1],
          day(2).toISODate(),
        ]),
      ),
    ).toHaveLength(0);
    // Their own location's master: yes.
    expect(
      (
        await manager.submit(hoursOf(riverMaster), `${hoursOf(riverMaster)}/add`, {
          kind: 'window',
          day_2: 'on',
          start: '09:00',
          end: '17:00',
        })
      ).status,
    ).toBe(303);

    const master = await h.signIn(MASTER);
    expect((await master.get(hoursOf(w.masterIds[0]!))).status).toBe(403);
    const masterCsrf = csrfOf((await master.get('/admin/sessions')).html);
    expect(
      (
        await master.post(`${hoursOf(w.masterIds[0]!)}/add`, {
          _csrf: masterCsrf,
          kind: 'window',
          day_1: 'on',
          start: '01:00',
          end: '02:00',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await master.post(`${hoursOf(w.masterIds[0]!)}/time-off/add`, {
          _csrf: masterCsrf,
          mode: 'days',
          first_day: day(2).toISODate()!,
        })
      ).status,
    ).toBe(403);

    const other = await createBookingWorld(db, { masters: 1, clients: 0 });
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into staff_users (tenant_id, role, display_name, telegram_user_id) values ($1, 'owner', 'Oscar', 9800900)",
        [other.tenantId],
      ),
    );
    const otherHarness = new BotHarness(db);
    await otherHarness.start(other.tenantId);
    try {
      const oscar = await otherHarness.signIn(9_800_900);
      expect((await oscar.get(hoursOf(w.masterIds[1]!))).status).toBe(404);
      const otherCsrf = csrfOf((await oscar.get(hoursOf(other.masterIds[0]!))).html);
      expect(
        (
          await oscar.post(`${hoursOf(w.masterIds[1]!)}/add`, {
            _csrf: otherCsrf,
            kind: 'window',
            day_1: 'on',
            start: '01:00',
            end: '02:00',
          })
        ).status,
      ).toBe(404);
      expect(await windows(w.masterIds[1]!)).toEqual(before);
    } finally {
      await otherHarness.stop();
    }
  });
});

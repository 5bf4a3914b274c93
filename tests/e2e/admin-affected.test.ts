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
import type { AdminClient } from '../support/admin-client.ts';

/**
 * Changes that touch booked visits (a service or a master taken off the list): nothing is saved
 * until staff decided; "keep" leaves the visits booked, "cancel" cancels each one and tells its
 * client in the bot, in their language, with the staff's message; a list that changed while they
 * decided is shown again; the decision and the visits are in the audit log.
 */
describe('admin: changes that touch booked visits', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  const OWNER = 9_700_001;
  let nextClient = 9_700_100;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('admin_affected'));
    w = await createBookingWorld(db, { masters: 3, clients: 0 });
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

  /** A client (by Telegram id, in `language`) with a confirmed visit `days` ahead at `hhmm`. */
  async function visit(p: {
    serviceId: string;
    masterId: string;
    days: number;
    hhmm: string;
    language?: string;
    name: string;
  }): Promise<{ bookingId: string; telegramId: number }> {
    const telegramId = nextClient++;
    const clientId = (
      await asPlatform(db, (tx) =>
        tx.query<{ id: string }>(
          'insert into clients (tenant_id, telegram_user_id, first_name, language) values ($1, $2, $3, $4) returning id',
          [w.tenantId, telegramId, p.name, p.language ?? 'en'],
        ),
      )
    )[0]!.id;
    const service = bookingService(db);
    const booked = await service.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId,
      serviceIds: [p.serviceId],
      start: localStart(p.days, p.hhmm),
      masterId: p.masterId,
      actor: { kind: 'client', clientId },
    });
    if (booked.kind !== 'booked') throw new Error(`not booked: ${JSON.stringify(booked)}`);
    expect((await service.confirm(w.tenantId, booked.booking.id, { kind: 'system' })).kind).toBe(
      'changed',
    );
    return { bookingId: booked.booking.id, telegramId };
  }
  const statusOf = async (bookingId: string) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{ status: string }>('select status from bookings where id = $1', [bookingId]),
      )
    )[0]!.status;
  const activeOf = async (table: 'services' | 'masters', id: string) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{ active: boolean }>(`select active from ${table} where id = $1`, [id]),
      )
    )[0]!.active;
  const lastAudit = async (action: string) =>
    (
      await asPlatform(db, (tx) =>
        tx.query<{ after: { affected?: { decision: string; bookings: string[] } } }>(
          'select after from audit_log where tenant_id = $1 and action = $2 order by id desc limit 1',
          [w.tenantId, action],
        ),
      )
    )[0]?.after;
  /** The fields a page's form carries hidden (what the browser would send back). */
  const hiddenFields = (html: string): Record<string, string> => {
    const decode = (s: string) =>
      s
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    return Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
        m[1]!,
        decode(m[2]!),
      ]),
    );
  };
  /** The service's current form values, turned off. */
  async function serviceOff(owner: AdminClient, id: string): Promise<Record<string, string>> {
    const html = (await owner.get(`/admin/services/${id}`)).html;
    const value = (name: string) =>
      new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '';
    return {
      name: value('name'),
      duration: value('duration'),
      price: value('price'),
      sort_order: value('sort_order'),
    };
  }
  const noticesTo = (telegramId: number) =>
    h
      .user(telegramId)
      .messages()
      .filter((m) => /cancelled your visit|отменили ваш визит/.test(m.text));

  it('a service taken off the list with booked visits asks first; "keep" saves and leaves them booked', async () => {
    const owner = await h.signIn(OWNER);
    const a = await visit({
      serviceId: w.services.style,
      masterId: w.masterIds[0]!,
      days: 2,
      hhmm: '10:00',
      name: 'Anna',
    });
    const b = await visit({
      serviceId: w.services.style,
      masterId: w.masterIds[1]!,
      days: 3,
      hhmm: '11:00',
      name: 'Boris',
    });
    const asked = await owner.submit(
      `/admin/services/${w.services.style}`,
      `/admin/services/${w.services.style}`,
      await serviceOff(owner, w.services.style),
    );
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('2 booked visits are affected');
    expect(asked.html).toContain('Anna');
    expect(asked.html).toContain('Boris');
    // Nothing saved yet.
    expect(await activeOf('services', w.services.style)).toBe(true);

    const kept = await owner.post(`/admin/services/${w.services.style}`, {
      ...hiddenFields(asked.html),
      decision: 'keep',
    });
    expect(kept.status).toBe(303);
    expect(kept.response.headers.get('location')).toContain('kept=2');
    expect(await activeOf('services', w.services.style)).toBe(false);
    expect([await statusOf(a.bookingId), await statusOf(b.bookingId)]).toEqual([
      'confirmed',
      'confirmed',
    ]);
    expect((await lastAudit('service.update'))?.affected).toEqual({
      decision: 'keep',
      bookings: [a.bookingId, b.bookingId],
    });
    expect((await owner.get(kept.response.headers.get('location')!)).html).toContain(
      '2 visits stay booked',
    );
    await h.runJobs();
    expect(noticesTo(a.telegramId)).toEqual([]);
  });

  it('"cancel" cancels each visit and tells each client in their language, with the message, once', async () => {
    const owner = await h.signIn(OWNER);
    const en = await visit({
      serviceId: w.services.colour,
      masterId: w.masterIds[0]!,
      days: 4,
      hhmm: '09:00',
      name: 'Emma',
    });
    const ru = await visit({
      serviceId: w.services.colour,
      masterId: w.masterIds[2]!,
      days: 5,
      hhmm: '12:00',
      name: 'Ivan',
      language: 'ru',
    });
    const asked = await owner.submit(
      `/admin/services/${w.services.colour}`,
      `/admin/services/${w.services.colour}`,
      await serviceOff(owner, w.services.colour),
    );
    expect(asked.html).toContain('2 booked visits are affected');
    const cancelled = await owner.post(`/admin/services/${w.services.colour}`, {
      ...hiddenFields(asked.html),
      decision: 'cancel',
      client_message: 'Our colourist is ill & we are sorry.',
    });
    expect(cancelled.status).toBe(303);
    expect(cancelled.response.headers.get('location')).toContain('cancelled=2');
    expect([await statusOf(en.bookingId), await statusOf(ru.bookingId)]).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect((await lastAudit('service.update'))?.affected).toEqual({
      decision: 'cancel',
      bookings: [en.bookingId, ru.bookingId],
    });

    await h.runJobs();
    await h.runJobs();
    const [toEmma] = noticesTo(en.telegramId);
    expect(noticesTo(en.telegramId)).toHaveLength(1);
    expect(toEmma!.text).toContain('colour');
    expect(toEmma!.text).toContain('Our colourist is ill & we are sorry.');
    expect(toEmma!.text).toContain('/start');
    const [toIvan] = noticesTo(ru.telegramId);
    expect(noticesTo(ru.telegramId)).toHaveLength(1);
    expect(toIvan!.text).toContain('отменили ваш визит');
    expect(toIvan!.text).toContain('Сообщение: Our colourist is ill & we are sorry.');
    // The history says who cancelled and why.
    const [history] = await asPlatform(db, (tx) =>
      tx.query<{ actor_kind: string; reason: string }>(
        "select actor_kind, reason from booking_status_history where booking_id = $1 and to_status = 'cancelled'",
        [en.bookingId],
      ),
    );
    expect(history).toEqual({
      actor_kind: 'owner',
      reason: 'Our colourist is ill & we are sorry.',
    });
  });

  it('a visit booked while staff decided: the list is shown again and nothing is saved', async () => {
    const owner = await h.signIn(OWNER);
    await visit({
      serviceId: w.services.long,
      masterId: w.masterIds[0]!,
      days: 6,
      hhmm: '10:00',
      name: 'Pia',
    });
    const asked = await owner.submit(
      `/admin/services/${w.services.long}`,
      `/admin/services/${w.services.long}`,
      await serviceOff(owner, w.services.long),
    );
    const late = await visit({
      serviceId: w.services.long,
      masterId: w.masterIds[1]!,
      days: 6,
      hhmm: '15:00',
      name: 'Quinn',
    });
    const again = await owner.post(`/admin/services/${w.services.long}`, {
      ...hiddenFields(asked.html),
      decision: 'cancel',
    });
    expect(again.status).toBe(409);
    expect(again.html).toContain('The visits changed while you were deciding');
    expect(again.html).toContain('Quinn');
    expect(await activeOf('services', w.services.long)).toBe(true);
    expect(await statusOf(late.bookingId)).toBe('confirmed');
    // A message over 500 characters is said next to its field; nothing saved.
    const long = await owner.post(`/admin/services/${w.services.long}`, {
      ...hiddenFields(again.html),
      decision: 'cancel',
      client_message: 'x'.repeat(501),
    });
    expect(long.status).toBe(409);
    expect(long.html).toContain('longer than 500 characters');
    expect(await activeOf('services', w.services.long)).toBe(true);
  });

  it('a master taken off the list: their visits are listed, and cancelled ones are told', async () => {
    const owner = await h.signIn(OWNER);
    const master = w.masterIds[2]!;
    const v = await visit({
      serviceId: w.services.cut,
      masterId: master,
      days: 7,
      hhmm: '16:00',
      name: 'Rosa',
    });
    const html = (await owner.get(`/admin/masters/${master}`)).html;
    const fields: Record<string, string> = {
      name: /name="name"[^>]*value="([^"]*)"/.exec(html)![1]!,
      speed: '1',
    };
    for (const m of html.matchAll(/name="(skill_[^"]+)"[^>]*checked/g)) fields[m[1]!] = 'on';
    const asked = await owner.submit(
      `/admin/masters/${master}`,
      `/admin/masters/${master}`,
      fields,
    );
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('1 booked visit is affected');
    expect(asked.html).toContain('Rosa');
    const done = await owner.post(`/admin/masters/${master}`, {
      ...hiddenFields(asked.html),
      decision: 'cancel',
    });
    expect(done.status).toBe(303);
    expect(await activeOf('masters', master)).toBe(false);
    expect(await statusOf(v.bookingId)).toBe('cancelled');
    await h.runJobs();
    expect(noticesTo(v.telegramId)).toHaveLength(1);
    expect(noticesTo(v.telegramId)[0]!.text).not.toContain('Their message');
  });
});

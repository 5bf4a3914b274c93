import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import {
  createBookingWorld,
  OPEN_POLICY,
  silentLogger,
  ZONE,
  type BookingWorld,
} from '../support/booking-world.ts';
import { BotHarness, type ChatUser } from '../support/bot-harness.ts';
import { migratedPostgres } from '../support/pg.ts';

const H = 3_600_000;
const POLICY = {
  ...OPEN_POLICY,
  horizonDays: 200,
  reminders: { leadMinutes: [1440, 180], whenLate: 'send_now' as const },
};

describe('reminders: scheduled in UTC at start − lead, sent once in the client language and local time', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let nextUser = 1200;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('reminders_e2e'));
    w = await createBookingWorld(db, { masters: 2, clients: 1, policy: POLICY });
    h = new BotHarness(db);
    await h.start(w.tenantId);
  });
  beforeEach(() => {
    h.offsetMs = 0;
  });
  afterAll(async () => {
    await h.stop();
    await cleanup();
  });

  async function confirmedVisit(
    start: number,
    lang = 'en',
    masterIndex = 0,
  ): Promise<{ user: ChatUser; bookingId: string; clientId: string }> {
    const user = h.user(nextUser++, lang);
    await user.send('/start');
    const [client] = await asPlatform(db, (tx) =>
      tx.query<{ id: string }>('select id from clients where telegram_user_id = $1', [user.id]),
    );
    const booked = await h.services.booking.book({
      tenantId: w.tenantId,
      locationId: w.locationId,
      clientId: client!.id,
      serviceIds: [w.services.cut, w.services.style],
      start,
      masterId: w.masterIds[masterIndex],
      actor: { kind: 'client', clientId: client!.id },
    });
    if (booked.kind !== 'booked') throw new Error(booked.kind);
    const confirmed = await h.services.booking.confirm(w.tenantId, booked.booking.id, {
      kind: 'client',
      clientId: client!.id,
    });
    expect(confirmed.kind).toBe('changed');
    return { user, bookingId: booked.booking.id, clientId: client!.id };
  }
  const reminderJobs = (bookingId: string) =>
    asPlatform(db, (tx) =>
      tx.query<{ key: string; run_at: Date; status: string }>(
        "select key, run_at, status from jobs where kind = 'reminder_send' and key like $1 order by run_at",
        [`reminder:${bookingId}:%`],
      ),
    );
  const reminders = (user: ChatUser) => user.messages().filter((m) => m.text.startsWith('⏰'));

  it('a visit three days ahead: jobs at exactly start − 24 h and start − 3 h; each reminder once, at its time, in local time', async () => {
    const start = DateTime.now()
      .setZone(ZONE)
      .startOf('day')
      .plus({ days: 3, hours: 14 })
      .toMillis();
    const { user, bookingId } = await confirmedVisit(start);
    const jobs = await reminderJobs(bookingId);
    expect(jobs.map((j) => [j.key, j.run_at.getTime()])).toEqual([
      [`reminder:${bookingId}:1440`, start - 24 * H],
      [`reminder:${bookingId}:180`, start - 3 * H],
    ]);

    h.offsetMs = start - 24 * H - Date.now() - 5_000;
    await h.runJobs();
    expect(reminders(user)).toHaveLength(0);
    h.offsetMs += 10_000;
    await h.runJobs();
    expect(reminders(user)).toHaveLength(1);
    const when = DateTime.fromMillis(start, { zone: ZONE }).setLocale('en');
    expect(reminders(user)[0]!.text).toContain('cut, style with Master 1');
    expect(reminders(user)[0]!.text).toContain('2:00 PM');
    expect(reminders(user)[0]!.text).toContain(when.toFormat('d'));

    // The same job delivered three more times, at once: still one message.
    const job = {
      kind: 'reminder_send' as const,
      key: `reminder:${bookingId}:1440`,
      payload: { bookingId, leadMinutes: 1440, startAt: start },
      tenantId: w.tenantId,
      attempt: 2,
      correlationId: 'test-dup',
    };
    const outcomes = await Promise.all(
      [1, 2, 3].map((attempt) => h.services.dispatcher.dispatch({ ...job, attempt }, silentLogger)),
    );
    expect(outcomes.every((o) => o.status === 'done')).toBe(true);
    expect(reminders(user)).toHaveLength(1);

    h.offsetMs = start - 3 * H - Date.now() + 1_000;
    await h.runJobs();
    expect(reminders(user)).toHaveLength(2);
  });

  it('in Russian for a Russian client', async () => {
    const start = DateTime.now()
      .setZone(ZONE)
      .startOf('day')
      .plus({ days: 3, hours: 9 })
      .toMillis();
    const { user } = await confirmedVisit(start, 'ru', 1);
    h.offsetMs = start - 3 * H - Date.now() + 1_000;
    await h.runJobs();
    const [first] = reminders(user);
    expect(first!.text).toMatch(/^⏰ Напоминание: cut, style, мастер Master 2/);
    expect(first!.text).toContain(', 9:00.');
  });

  it('across the spring DST switch the reminder stays 24 real hours before and reads right locally', async () => {
    // Berlin switches to summer time at 01:00Z on Sunday 28 March 2027; the visit is Monday 10:00 CEST.
    const start = DateTime.fromISO('2027-03-29T10:00', { zone: ZONE }).toMillis();
    const { user, bookingId } = await confirmedVisit(start, 'en', 1);
    const jobs = await reminderJobs(bookingId);
    expect(jobs.map((j) => j.run_at.toISOString())).toEqual([
      '2027-03-28T08:00:00.000Z',
      '2027-03-29T05:00:00.000Z',
    ]);
    h.offsetMs = Date.parse('2027-03-28T08:00:01Z') - Date.now();
    await h.runJobs();
    expect(reminders(user)).toHaveLength(1);
    expect(reminders(user)[0]!.text).toContain('10:00 AM');
    expect(reminders(user)[0]!.text).toContain('29');
  });

  it('a cancelled visit is not reminded; a moved one is reminded at its new time only', async () => {
    const start = DateTime.now()
      .setZone(ZONE)
      .startOf('day')
      .plus({ days: 4, hours: 11 })
      .toMillis();
    const cancelled = await confirmedVisit(start);
    expect(
      (await h.services.booking.cancel(w.tenantId, cancelled.bookingId, { kind: 'owner' })).kind,
    ).toBe('cancelled');

    const moved = await confirmedVisit(start + H, 'en', 1);
    const newStart = start + 5 * H;
    const result = await h.services.booking.reschedule(
      w.tenantId,
      moved.bookingId,
      { start: newStart },
      { kind: 'client', clientId: moved.clientId },
    );
    if (result.kind !== 'rescheduled') throw new Error(result.kind);
    const jobs = await reminderJobs(result.booking.id);
    expect(jobs.map((j) => j.run_at.getTime())).toEqual([newStart - 24 * H, newStart - 3 * H]);

    h.offsetMs = start + H - 3 * H - Date.now() + 1_000; // past the old times' reminders
    await h.runJobs();
    expect(reminders(cancelled.user)).toHaveLength(0);
    expect(reminders(moved.user)).toHaveLength(1); // the 24 h reminder of the new time, not the old one's
    expect(reminders(moved.user)[0]!.text).toContain(
      DateTime.fromMillis(newStart, { zone: ZONE }).setLocale('en').toFormat('h:mm a'),
    );
    const oldJobs = await reminderJobs(moved.bookingId);
    expect(oldJobs.every((j) => j.status === 'succeeded')).toBe(true);
  });

  it('a visit booked after a lead time has passed gets one reminder at once (policy: send now)', async () => {
    // Two hours ahead, so both the 24 h and the 3 h reminder times have passed. The platform's
    // clock is moved to tomorrow's local noon first: whatever the hour the test runs, the visit
    // (75 minutes and its buffer) is then well inside the masters' day, never across midnight.
    const noon = DateTime.fromMillis(Date.now(), { zone: ZONE })
      .plus({ days: 1 })
      .set({ hour: 12, minute: 0, second: 0, millisecond: 0 })
      .toMillis();
    h.offsetMs = noon - Date.now();
    const aligned = noon + 2 * H;
    const { user, bookingId } = await confirmedVisit(aligned);
    const jobs = await reminderJobs(bookingId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.key).toBe(`reminder:${bookingId}:180`);
    await h.runJobs();
    expect(reminders(user)).toHaveLength(1);
  });
});

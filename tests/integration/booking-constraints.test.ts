import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import { pgErrorInfo, type Database } from '../../db/port.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createTenantWorld, type TenantWorld } from '../support/fixtures.ts';

/** The database's own defences, exercised directly (the booking service is not involved). */
describe('booking invariants in PostgreSQL', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let w: TenantWorld;
  let other: TenantWorld;

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('bookings'));
    w = await createTenantWorld(db, 'overlap');
    other = await createTenantWorld(db, 'stranger');
  });
  afterAll(() => cleanup());

  let day = 0;
  /** A fresh day per test so tests never collide with each other's bookings. */
  const nextDay = () => `2031-03-${String(++day).padStart(2, '0')}`;

  async function book(opts: {
    date: string;
    from: string;
    to: string;
    status?: string;
    master?: string;
    spanFrom?: string;
    spanTo?: string;
    total?: number;
    currency?: string;
    world?: TenantWorld;
  }): Promise<string> {
    const world = opts.world ?? w;
    const start = `${opts.date} ${opts.from}Z`;
    const end = `${opts.date} ${opts.to}Z`;
    const span = `[${opts.date} ${opts.spanFrom ?? opts.from}Z, ${opts.date} ${opts.spanTo ?? opts.to}Z)`;
    const status = opts.status ?? 'confirmed';
    // Bookings are born held (a trigger insists); other statuses are reached along the machine's edges.
    return asPlatform(db, async (tx) => {
      const [row] = await tx.query<{ id: string }>(
        `insert into bookings (tenant_id, location_id, master_id, client_id, status, start_at, end_at, span, hold_expires_at, total_minor, currency)
         values ($1, $2, $3, $4, 'held', $5, $6, $7::tstzrange, now() + interval '15 minutes', $8, $9)
         returning id`,
        [
          world.tenantId,
          world.locationId,
          opts.master ?? world.masterId,
          world.clientId,
          start,
          end,
          span,
          opts.total ?? 4000,
          opts.currency ?? 'EUR',
        ],
      );
      if (status !== 'held')
        await tx.query('update bookings set status = $2 where id = $1', [row!.id, status]);
      return row!.id;
    });
  }

  async function failure(run: Promise<unknown>): Promise<{ code: string; constraint?: string }> {
    try {
      await run;
    } catch (error) {
      const info = pgErrorInfo(error);
      if (!info) throw error;
      return { code: info.code, ...(info.constraint ? { constraint: info.constraint } : {}) };
    }
    throw new Error('expected the database to refuse the statement');
  }

  it('refuses a second held or confirmed booking overlapping the first for the same master', async () => {
    const date = nextDay();
    await book({ date, from: '10:00', to: '11:00', status: 'confirmed' });
    for (const status of ['held', 'pending_payment', 'confirmed']) {
      expect(await failure(book({ date, from: '10:30', to: '11:30', status }))).toEqual({
        code: '23P01',
        constraint: 'bookings_no_overlap',
      });
    }
    const heldDate = nextDay();
    await book({ date: heldDate, from: '10:00', to: '11:00', status: 'held' });
    expect(
      await failure(book({ date: heldDate, from: '09:30', to: '10:01', status: 'confirmed' })),
    ).toMatchObject({ code: '23P01' });
  });

  it('lets cancelled and expired bookings free the slot, and allows back-to-back and other masters', async () => {
    const date = nextDay();
    await book({ date, from: '10:00', to: '11:00', status: 'cancelled' });
    await book({ date, from: '10:00', to: '11:00', status: 'expired' });
    await book({ date, from: '10:00', to: '11:00', status: 'confirmed' });
    await book({ date, from: '11:00', to: '12:00', status: 'confirmed' });
    await book({ date, from: '10:00', to: '11:00', status: 'confirmed', master: w.otherMasterId });
    const [{ n }] = (await asPlatform(db, (tx) =>
      tx.query<{ n: number }>(
        "select count(*)::int as n from bookings where start_at::date = $1 and status = 'confirmed'",
        [date],
      ),
    )) as [{ n: number }];
    expect(n).toBe(3);
  });

  it('refuses confirming an expired hold (a late payment) into a slot someone else took', async () => {
    const date = nextDay();
    const first = await book({ date, from: '10:00', to: '11:00', status: 'expired' });
    await book({ date, from: '10:00', to: '11:00', status: 'confirmed' });
    expect(
      await failure(
        asPlatform(db, (tx) =>
          tx.query("update bookings set status = 'confirmed' where id = $1", [first]),
        ),
      ),
    ).toMatchObject({ code: '23P01' });
  });

  it('counts the buffers stored in the span', async () => {
    const date = nextDay();
    // 10:00-11:00 with a 10-minute buffer after: the next visit may start at 11:10, not 11:05.
    await book({ date, from: '10:00', to: '11:00', spanTo: '11:10' });
    expect(await failure(book({ date, from: '11:05', to: '11:35' }))).toMatchObject({
      code: '23P01',
    });
    await book({ date, from: '11:10', to: '11:40' });
  });

  it('checks money, currency and times', async () => {
    const date = nextDay();
    expect(await failure(book({ date, from: '10:00', to: '11:00', total: -1 }))).toEqual({
      code: '23514',
      constraint: 'minor_amount_non_negative',
    });
    expect(await failure(book({ date, from: '10:00', to: '11:00', currency: 'eur' }))).toEqual({
      code: '23514',
      constraint: 'currency_code_iso4217',
    });
    expect(
      await failure(book({ date, from: '11:00', to: '10:00', spanFrom: '10:00', spanTo: '11:00' })),
    ).toEqual({ code: '23514', constraint: 'bookings_end_after_start' });
    expect(await failure(book({ date, from: '10:00', to: '11:00', spanFrom: '10:15' }))).toEqual({
      code: '23514',
      constraint: 'bookings_span_covers_visit',
    });
    expect(
      await failure(
        asPlatform(db, (tx) =>
          tx.query('update services set price_minor = -5 where id = $1', [w.serviceId]),
        ),
      ),
    ).toEqual({ code: '23514', constraint: 'services_price_non_negative' });
    expect(
      await failure(
        asPlatform(db, (tx) =>
          tx.query("update locations set currency = 'EURO' where id = $1", [w.locationId]),
        ),
      ),
    ).toEqual({ code: '23514', constraint: 'locations_currency_iso4217' });
    expect(
      await failure(
        asPlatform(db, (tx) =>
          tx.query("update locations set timezone = 'Mars/Olympus_Mons' where id = $1", [
            w.locationId,
          ]),
        ),
      ),
    ).toEqual({ code: '23514', constraint: 'locations_timezone_is_iana' });
    expect(
      await failure(
        asPlatform(db, (tx) =>
          tx.query('update locations set policy = policy || \'{"holdMinutes": 0}\' where id = $1', [
            w.locationId,
          ]),
        ),
      ),
    ).toEqual({ code: '23514', constraint: 'locations_policy_valid' });
    expect(
      await failure(
        asPlatform(db, (tx) =>
          tx.query("update working_hours set end_local = '08:00' where master_id = $1", [
            w.masterId,
          ]),
        ),
      ),
    ).toEqual({ code: '23514', constraint: 'working_hours_no_midnight_crossing' });
  });

  it('keeps references inside one tenant: a booking cannot use another tenant master or client', async () => {
    const date = nextDay();
    expect(
      await failure(book({ date, from: '10:00', to: '11:00', master: other.masterId })),
    ).toMatchObject({ code: '23503' });
    expect(
      await failure(
        asPlatform(db, (tx) =>
          tx.query(
            'insert into master_skills (tenant_id, location_id, master_id, service_id) values ($1, $2, $3, $4)',
            [w.tenantId, w.locationId, w.otherMasterId, other.serviceId],
          ),
        ),
      ),
    ).toMatchObject({ code: '23503' });
  });

  it('refuses overlapping working windows of one master on one weekday', async () => {
    expect(
      await failure(
        asPlatform(db, (tx) =>
          tx.query(
            "insert into working_hours (tenant_id, master_id, weekday, start_local, end_local) values ($1, $2, 1, '17:00', '20:00')",
            [w.tenantId, w.masterId],
          ),
        ),
      ),
    ).toEqual({ code: '23P01', constraint: 'working_hours_no_overlap' });
    await asPlatform(db, (tx) =>
      tx.query(
        "insert into working_hours (tenant_id, master_id, weekday, start_local, end_local) values ($1, $2, 1, '18:00', '20:00')",
        [w.tenantId, w.masterId],
      ),
    );
  });

  it('never stores a raw bot token', async () => {
    expect(
      await failure(
        asPlatform(db, (tx) =>
          tx.query(
            "update tenant_bots set token_ciphertext = '123456789:AAE-raw-token' where id = $1",
            [w.botId],
          ),
        ),
      ),
    ).toMatchObject({ code: '23514' });
  });
});

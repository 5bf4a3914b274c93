import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/port.ts';
import { asPlatform } from '../../db/scope.ts';
import { ZoneCalendar } from '../../tenants/availability/calendar.ts';
import { offersStart } from '../../tenants/availability/engine.ts';
import type { SlotSearch, WeeklyWindow } from '../../tenants/availability/types.ts';
import { OPEN_POLICY } from '../support/booking-world.ts';
import { searchArb } from '../support/availability-arbitraries.ts';
import { migratedPostgres } from '../support/pg.ts';

/**
 * The availability engine (search) and app.check_booking (guarantee) hold the same rule in two
 * places: on random schedules (zones with DST both ways, 30- and 45-minute offsets, windows to
 * 24:00, breaks, whole days and exact ranges off, lead time, horizon, cutoff, odd slot steps,
 * speed factors and skills) every start the engine offers is accepted by the SQL check and every
 * start it does not offer is refused, with a reason about the time. Bookings stay out: the check
 * leaves them to the writers' lock and the exclusion constraint.
 */

const MINUTE = 60_000;
/** Codes the check may give a start the engine does not offer. */
const TIME_REFUSALS = new Set(['SB006', 'SB008', 'SB012', 'SB013', 'SB014', 'SB015', 'SB016']);

const wall = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

describe('app.check_booking against the availability engine (real PostgreSQL)', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let tenantId: string;
  let locationId: string;
  let masterId: string;
  /** The engine's service ids (s1..s4) as rows. */
  const serviceRows = new Map<string, string>();

  beforeAll(async () => {
    ({ db, cleanup } = await migratedPostgres('check_engine'));
    await asPlatform(db, async (tx) => {
      const one = async (text: string, values: unknown[]) =>
        (await tx.query<{ id: string }>(text, values))[0]!.id;
      tenantId = await one(
        "insert into tenants (slug, name) values ('engine-check', 'Engine check') returning id",
        [],
      );
      locationId = await one(
        "insert into locations (tenant_id, name, timezone, currency, policy) values ($1, 'Studio', 'UTC', 'EUR', $2::jsonb) returning id",
        [tenantId, JSON.stringify(OPEN_POLICY)],
      );
      masterId = await one(
        "insert into masters (tenant_id, location_id, display_name) values ($1, $2, 'M') returning id",
        [tenantId, locationId],
      );
      for (const id of ['s1', 's2', 's3', 's4']) {
        serviceRows.set(
          id,
          await one(
            'insert into services (tenant_id, location_id, name, duration_min, price_minor) values ($1, $2, $3, 30, 1000) returning id',
            [tenantId, locationId, id],
          ),
        );
      }
    });
  });
  afterAll(() => cleanup());

  /** Writes the search's first master, services and policy; returns the starts where the two disagree. */
  async function disagreements(search: SlotSearch, extraStarts: number[] = []): Promise<string[]> {
    const master = { ...search.masters[0]!, busy: [] };
    const policy = { ...OPEN_POLICY, ...search.policy };
    await asPlatform(db, async (tx) => {
      await tx.query('update locations set timezone = $2, policy = $3::jsonb where id = $1', [
        locationId,
        search.timezone,
        JSON.stringify(policy),
      ]);
      for (const [id, row] of serviceRows) {
        await tx.query('update services set duration_min = $2 where id = $1', [
          row,
          search.services.find((s) => s.id === id)?.durationMin ?? 30,
        ]);
      }
      await tx.query('update masters set speed_factor = $2 where id = $1', [
        masterId,
        master.speedPercent / 100,
      ]);
      for (const table of ['master_skills', 'working_hours', 'breaks', 'time_off'])
        await tx.query(`delete from ${table} where master_id = $1`, [masterId]);
      for (const [id, override] of master.skills) {
        await tx.query(
          'insert into master_skills (tenant_id, location_id, master_id, service_id, duration_override_min) values ($1, $2, $3, $4, $5)',
          [tenantId, locationId, masterId, serviceRows.get(id), override],
        );
      }
      const windows = async (table: string, list: readonly WeeklyWindow[]) => {
        for (const w of list) {
          await tx.query(
            `insert into ${table} (tenant_id, master_id, weekday, start_local, end_local) values ($1, $2, $3, $4, $5)`,
            [tenantId, masterId, w.weekday, wall(w.start), wall(w.end)],
          );
        }
      };
      await windows('working_hours', master.hours);
      await windows('breaks', master.breaks);
      for (const t of master.timeOff) {
        if (t.kind === 'days') {
          await tx.query(
            'insert into time_off (tenant_id, master_id, all_day, first_day, last_day) values ($1, $2, true, $3, $4)',
            [tenantId, masterId, t.firstDay, t.lastDay],
          );
        } else {
          await tx.query(
            'insert into time_off (tenant_id, master_id, all_day, starts_at, ends_at) values ($1, $2, false, $3, $4)',
            [tenantId, masterId, new Date(t.start), new Date(t.end)],
          );
        }
      }
    });

    // Every 5 minutes of real time over the local days around the open ones, plus starts off any
    // grid (7 minutes past, half a minute past): the engine's answer for each.
    const calendar = new ZoneCalendar(search.timezone);
    const today = calendar.dayAt(Math.floor(search.now / MINUTE)).dayNo;
    const starts: number[] = [...extraStarts];
    for (let dayNo = today - 1; dayNo <= today + search.policy.horizonDays + 1; dayNo++) {
      const day = calendar.day(dayNo);
      for (let t = day.start; t < day.end; t += 5) starts.push(t * MINUTE);
      starts.push((day.start + 607) * MINUTE, (day.start + 600) * MINUTE + 30_000);
    }
    const rows = await asPlatform(db, (tx) =>
      tx.query<{ ms: string; code: string | null }>(
        `select (extract(epoch from s.start_at) * 1000)::bigint::text as ms, c.code
         from unnest($1::timestamptz[]) as s (start_at)
         cross join lateral app.check_booking($2, $3, $4, $5::uuid[], s.start_at, null, $6, true, false) as c`,
        [
          `{${starts.map((s) => new Date(s).toISOString()).join(',')}}`,
          tenantId,
          locationId,
          masterId,
          `{${search.services.map((s) => serviceRows.get(s.id)).join(',')}}`,
          new Date(search.now),
        ],
      ),
    );
    expect(rows).toHaveLength(starts.length);
    const out: string[] = [];
    for (const row of rows) {
      const start = Number(row.ms);
      const offered = offersStart(
        {
          now: search.now,
          timezone: search.timezone,
          policy: search.policy,
          services: search.services,
          master,
          start,
        },
        { calendar },
      );
      const local = DateTime.fromMillis(start, { zone: search.timezone }).toISO();
      if (offered !== (row.code === null))
        out.push(
          `${local}: engine ${offered ? 'offers' : 'does not offer'}, SQL ${row.code ?? 'accepts'}`,
        );
      else if (row.code !== null && !TIME_REFUSALS.has(row.code))
        out.push(`${local}: SQL refuses with ${row.code}, not a reason about the time`);
    }
    return out;
  }

  it('accepts exactly the starts the engine offers, on random schedules and DST days', async () => {
    await fc.assert(
      fc.asyncProperty(searchArb(), async (search) => {
        expect(await disagreements(search)).toEqual([]);
      }),
      { numRuns: Number(process.env.BOOKING_CHECK_RUNS ?? 40) },
    );
  }, 300_000);

  /** A Berlin week around `nowIso` whose only working day is Sunday (`hours`, `breaks`). */
  const berlinSunday = (
    nowIso: string,
    hours: [string, string][],
    breaks: [string, string][] = [],
  ): SlotSearch => {
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
    return {
      now: Date.parse(nowIso),
      timezone: 'Europe/Berlin',
      policy: {
        leadTimeMinutes: 0,
        horizonDays: 5,
        slotStepMinutes: 15,
        sameDayCutoff: null,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 10,
      },
      services: [{ id: 's1', durationMin: 30 }],
      masters: [
        {
          id: 'm1',
          speedPercent: 100,
          skills: new Map([['s1', null]]),
          hours: hours.map(([s, e]) => ({ weekday: 7, start: minutes(s), end: minutes(e) })),
          breaks: breaks.map(([s, e]) => ({ weekday: 7, start: minutes(s), end: minutes(e) })),
          timeOff: [],
          busy: [],
        },
      ],
    };
  };

  it('agrees on the fall-back day: both instants of a repeated time, and a break across the change', async () => {
    // 2026-10-25: 03:00 CEST becomes 02:00 CET. 02:30 happens twice (00:30Z and 01:30Z).
    const search = berlinSunday('2026-10-22T08:00:00Z', [['01:00', '05:00']]);
    expect(await disagreements(search)).toEqual([]);
    const { calendar, master } = {
      calendar: new ZoneCalendar('Europe/Berlin'),
      master: search.masters[0]!,
    };
    for (const iso of ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z']) {
      expect(offersStart({ ...search, master, start: Date.parse(iso) }, { calendar })).toBe(true);
    }
    expect(
      await disagreements(
        berlinSunday('2026-10-22T08:00:00Z', [['01:00', '05:00']], [['02:45', '03:15']]),
      ),
    ).toEqual([]);
  });

  it('agrees on the spring-forward day: windows on both sides of the skipped hour join', async () => {
    // 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 never happens, so 01:00–02:30 and 03:00–05:00
    // touch, and a visit may run across the jump.
    const search = berlinSunday('2026-03-26T08:00:00Z', [
      ['01:00', '02:30'],
      ['03:00', '05:00'],
    ]);
    expect(await disagreements(search, [Date.parse('2026-03-29T00:45:00Z')])).toEqual([]);
    const master = search.masters[0]!;
    expect(offersStart({ ...search, master, start: Date.parse('2026-03-29T00:45:00Z') })).toBe(
      true,
    );
    expect(
      await disagreements(
        berlinSunday('2026-03-26T08:00:00Z', [['00:00', '24:00']], [['02:15', '03:30']]),
      ),
    ).toEqual([]);
  });
});

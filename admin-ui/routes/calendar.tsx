/** @jsxImportSource hono/jsx */
import { DateTime } from 'luxon';
import type { Transaction } from '../../db/port.ts';
import { asTenant } from '../../db/scope.ts';
import { boardStamp, calendarVisits } from '../../db/queries/board.ts';
import { loadBookingSnapshot } from '../../db/queries/booking-snapshot.ts';
import { locationsOfStaff, type StaffLocation } from '../../db/queries/catalog-admin.ts';
import { buildLocalDay, type LocalDay } from '../../tenants/availability/local-days.ts';
import { mastersFromSnapshot } from '../../tenants/booking/schedule-mapping.ts';
import {
  layoutDay,
  type CalendarMaster,
  type CalendarVisit,
  type DayColumn,
  type DayLayout,
} from '../../tenants/board/day-layout.ts';
import { formatTime, formatZone } from '../../tenants/i18n/format.ts';
import { AdminLayout } from '../admin-layout.tsx';
import { BOARD_LIVE_SCRIPT_PATH } from '../assets.ts';
import { BoardLive } from '../board-live.tsx';
import { BOARD_MESSAGES, type BoardMessages } from '../i18n/board-messages.ts';
import { LocationSwitch } from '../location-switch.tsx';
import { page, tenantScope, type AdminRequest, type AdminRoute } from '../request.ts';

/**
 * The board's calendar (owners and managers, a manager within their locations): a location's day
 * with the masters as columns (working time, breaks, time off, visits by status) drawn as SVG on
 * the server, with the same visits as a list beneath; or its week as a table, days by masters.
 * Times in the location's zone; a DST day is drawn 23 or 25 hours long (`tenants/board/day-layout.ts`).
 */
const STAFF = ['owner', 'manager'] as const;
const DAY_MS = 86_400_000;
/** Drawing: pixels per minute, the time axis, a master's column, the names above. */
const PX = 1;
const AXIS = 52;
const COLUMN = 150;
const HEAD = 28;

const b = (r: AdminRequest): BoardMessages => BOARD_MESSAGES[r.lang];
/** A wall-clock hour as the reader's language writes it ("9 AM", "09"). */
const hourLabel = (lang: string, wall: number) =>
  new Intl.DateTimeFormat(lang, { hour: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(2000, 0, 1, Math.floor(wall / 60)),
  );
const cap = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

interface CalendarData {
  locations: StaffLocation[];
  location: StaffLocation;
  /** The local date shown (the first of the week); `bad`: one was asked for that is not a date. */
  date: string;
  bad: boolean;
  days: LocalDay[];
  masters: CalendarMaster[];
  visits: CalendarVisit[];
  /** The location's change stamp when read (an open page polls it). */
  stamp: string;
}

/** The local date asked for (`?date=`), or today in the zone; `bad` when one was asked and is not a date. */
function dateOf(r: AdminRequest, zone: string): { date: string; bad: boolean } {
  const today = DateTime.fromMillis(r.deps.now(), { zone }).toISODate()!;
  const asked = r.query('date');
  if (!asked) return { date: today, bad: false };
  const d = /^\d{4}-\d{2}-\d{2}$/.test(asked) ? DateTime.fromISO(asked, { zone }) : undefined;
  return d?.isValid ? { date: asked, bad: false } : { date: today, bad: true };
}

/** In one read: the location, the days shown in its zone, its active masters' schedules and the visits on those days. */
async function load(
  r: AdminRequest,
  view: 'day' | 'week',
): Promise<CalendarData | { locations: StaffLocation[]; location: undefined }> {
  const me = r.identity!;
  return asTenant(r.deps.db, tenantScope(me), async (tx: Transaction) => {
    const tenantId = me.tenantId!;
    const locations = await locationsOfStaff(tx, { tenantId, staffId: me.staffId, role: me.role });
    const location = locations.find((l) => l.id === r.query('location')) ?? locations[0];
    if (!location) return { locations, location: undefined };
    const zone = location.timezone;
    const { date, bad } = dateOf(r, zone);
    const days = Array.from({ length: view === 'day' ? 1 : 7 }, (_, i) =>
      buildLocalDay(zone, shift(date, i)),
    );
    const from = days[0]!.start * 60_000;
    const to = days.at(-1)!.end * 60_000;
    const snapshot = await loadBookingSnapshot(tx, {
      tenantId,
      locationId: location.id,
      from: from - DAY_MS,
      to: to + DAY_MS,
    });
    const names = new Map(snapshot.masters.map((m) => [m.id, m.display_name]));
    const masters = mastersFromSnapshot(snapshot).map((m) => ({
      id: m.id,
      name: names.get(m.id) ?? '—',
      hours: m.hours,
      breaks: m.breaks,
      timeOff: m.timeOff,
    }));
    const rows = await calendarVisits(tx, {
      tenantId,
      locationId: location.id,
      from: new Date(from),
      to: new Date(to),
    });
    const visits = rows.map((v) => ({
      id: v.id,
      masterId: v.master_id,
      start: v.start_at.getTime(),
      end: v.end_at.getTime(),
      status: v.status,
      label: `${v.client_name} · ${v.service_names.join(', ')}`,
      client: v.client_name,
    }));
    return {
      locations,
      location,
      date,
      bad,
      days,
      masters,
      visits,
      stamp: await boardStamp(tx, { tenantId, locationId: location.id }),
    };
  });
}

const shift = (date: string, days: number) => DateTime.fromISO(date).plus({ days }).toISODate()!;
const dayTitle = (lang: string, date: string) =>
  cap(
    DateTime.fromISO(date)
      .setLocale(lang)
      .toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
  );

function Nav(props: {
  r: AdminRequest;
  location: StaffLocation;
  view: 'day' | 'week';
  date: string;
}) {
  const { r, location, view, date } = props;
  const t = b(r).calendar;
  const step = view === 'day' ? 1 : 7;
  const href = (d: string, v = view) =>
    `/admin/bookings/calendar?location=${location.id}&view=${v}&date=${d}`;
  return (
    <>
      <nav aria-label={t.title}>
        <ul class="sections">
          <li>
            <a href={href(date, 'day')} aria-current={view === 'day' ? 'page' : undefined}>
              {t.day}
            </a>
          </li>
          <li>
            <a href={href(date, 'week')} aria-current={view === 'week' ? 'page' : undefined}>
              {t.week}
            </a>
          </li>
          <li>
            <a href={`/admin/bookings?location=${location.id}`}>{t.list}</a>
          </li>
        </ul>
      </nav>
      <p class="row">
        <a class="button" href={href(shift(date, -step))} rel="prev">
          ← {t.previous}
        </a>
        <a class="button" href={`/admin/bookings/calendar?location=${location.id}&view=${view}`}>
          {t.today}
        </a>
        <a class="button" href={href(shift(date, step))} rel="next">
          {t.next} →
        </a>
      </p>
      <form method="get" action="/admin/bookings/calendar" class="row">
        <input type="hidden" name="location" value={location.id} />
        <input type="hidden" name="view" value={view} />
        <label for="cal-date">{t.date}</label>
        <input id="cal-date" type="date" name="date" value={date} />
        <button type="submit">{t.show}</button>
      </form>
    </>
  );
}

/** One master's column: not working (background), working time, time off, breaks, then the visits as links. */
function Column(props: {
  r: AdminRequest;
  c: DayColumn;
  x: number;
  layout: DayLayout;
  zone: string;
}) {
  const { r, c, x, layout, zone } = props;
  const t = b(r);
  const y = (at: number) => HEAD + (at - layout.view.from) * PX;
  const height = (from: number, to: number) =>
    Math.max(1, (Math.min(to, layout.view.to) - Math.max(from, layout.view.from)) * PX);
  const top = (from: number) => y(Math.max(from, layout.view.from));
  return (
    <g>
      <text x={x + COLUMN / 2} y={18} text-anchor="middle" class="cal-name">
        {c.name}
      </text>
      <rect
        x={x + 2}
        y={HEAD}
        width={COLUMN - 4}
        height={(layout.view.to - layout.view.from) * PX}
        class="cal-off"
      />
      {c.working.map((s) => (
        <rect
          x={x + 2}
          y={top(s.from)}
          width={COLUMN - 4}
          height={height(s.from, s.to)}
          class="cal-work"
        />
      ))}
      {c.timeOff.map((s) => (
        <rect
          x={x + 2}
          y={top(s.from)}
          width={COLUMN - 4}
          height={height(s.from, s.to)}
          class="cal-timeoff"
        >
          <title>{t.calendar.timeOff}</title>
        </rect>
      ))}
      {c.breaks.map((s) => (
        <rect
          x={x + 2}
          y={top(s.from)}
          width={COLUMN - 4}
          height={height(s.from, s.to)}
          class="cal-break"
        >
          <title>{t.calendar.breakLabel}</title>
        </rect>
      ))}
      {c.visits.map((v) => {
        const when = `${formatTime(v.start, zone, r.lang)}–${formatTime(v.end, zone, r.lang)}`;
        const h = height(v.from, v.to);
        return (
          <a href={`/admin/bookings/${v.id}`}>
            <title>{`${when} · ${v.label} · ${t.statuses[v.status] ?? v.status}`}</title>
            <rect
              x={x + 8}
              y={top(v.from) + 1}
              width={COLUMN - 16}
              height={Math.max(h - 2, 6)}
              rx={4}
              class={`cal-visit cal-${v.status}`}
            />
            {h >= 16 ? (
              <text x={x + 14} y={top(v.from) + 14} class="cal-label">
                {formatTime(v.start, zone, r.lang)}
              </text>
            ) : null}
            {h >= 30 ? (
              <text x={x + 14} y={top(v.from) + 27} class="cal-label">
                {v.client.length > 18 ? `${v.client.slice(0, 17)}…` : v.client}
              </text>
            ) : null}
          </a>
        );
      })}
    </g>
  );
}

function DayView(props: { r: AdminRequest; data: CalendarData; date: string }) {
  const { r, data, date } = props;
  const t = b(r);
  const zone = data.location.timezone;
  const day = buildLocalDay(zone, date);
  const layout = layoutDay(day, data.masters, data.visits);
  const width = AXIS + Math.max(1, layout.columns.length) * COLUMN;
  const height = HEAD + (layout.view.to - layout.view.from) * PX + 8;
  const y = (at: number) => HEAD + (at - layout.view.from) * PX;
  const title = dayTitle(r.lang, date);
  return (
    <>
      <h2>{title}</h2>
      {t.calendar.hours(layout.length) ? (
        <p class="notice">{t.calendar.hours(layout.length)}</p>
      ) : null}
      <div class="table-wrap calendar">
        <svg
          xmlns="http://www.w3.org/2000/svg"
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
          role="group"
          aria-label={t.calendar.figure(data.location.name, title)}
        >
          {layout.hours.map((h) => (
            <g>
              <line x1={AXIS - 4} x2={width} y1={y(h.at)} y2={y(h.at)} class="cal-hour" />
              <text x={AXIS - 8} y={y(h.at) + 4} text-anchor="end" class="cal-axis">
                {hourLabel(r.lang, h.wall)}
              </text>
            </g>
          ))}
          {layout.columns.map((c, i) => (
            <Column r={r} c={c} x={AXIS + i * COLUMN} layout={layout} zone={zone} />
          ))}
        </svg>
      </div>
      <Legend r={r} />
      {layout.columns.map((c) => (
        <section aria-labelledby={`m-${c.masterId}`}>
          <h3 id={`m-${c.masterId}`}>{c.name}</h3>
          {c.visits.length === 0 ? (
            <p class="muted">{c.working.length ? t.calendar.none : t.calendar.dayOff}</p>
          ) : null}
          <ul class="plain">
            {c.visits.map((v) => (
              <li>
                <a href={`/admin/bookings/${v.id}`}>
                  {formatTime(v.start, zone, r.lang)}–{formatTime(v.end, zone, r.lang)}
                </a>{' '}
                {v.label}{' '}
                <span class={`badge cal-badge-${v.status}`}>
                  {t.statuses[v.status] ?? v.status}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function Legend(props: { r: AdminRequest }) {
  const t = b(props.r);
  const items: [string, string][] = [
    ['cal-work', t.calendar.working],
    ['cal-off', t.calendar.offHours],
    ['cal-break', t.calendar.breakLabel],
    ['cal-timeoff', t.calendar.timeOff],
    ...(['held', 'pending_payment', 'confirmed', 'completed', 'no_show'] as const).map(
      (s): [string, string] => [`cal-visit cal-${s}`, t.statuses[s] ?? s],
    ),
  ];
  return (
    <div class="legend">
      <h3 class="small">{t.calendar.legend}</h3>
      <ul class="plain row">
        {items.map(([cls, label]) => (
          <li>
            <svg width="18" height="14" viewBox="0 0 18 14" aria-hidden="true">
              <rect x="1" y="1" width="16" height="12" rx="3" class={cls} />
            </svg>{' '}
            {label}
          </li>
        ))}
      </ul>
    </div>
  );
}

function WeekView(props: { r: AdminRequest; data: CalendarData; days: LocalDay[] }) {
  const { r, data, days } = props;
  const t = b(r);
  const zone = data.location.timezone;
  const layouts = days.map((d) => layoutDay(d, data.masters, data.visits));
  return (
    <div class="table-wrap">
      <table class="list week-grid">
        <thead>
          <tr>
            <th scope="col">{t.calendar.date}</th>
            {data.masters.map((m) => (
              <th scope="col">{m.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((d, i) => (
            <tr>
              <th scope="row">
                <a
                  href={`/admin/bookings/calendar?location=${data.location.id}&view=day&date=${d.date}`}
                >
                  {cap(
                    DateTime.fromISO(d.date)
                      .setLocale(r.lang)
                      .toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }),
                  )}
                </a>
              </th>
              {layouts[i]!.columns.map((c) => (
                <td>
                  {c.timeOff.some((s) => s.from === 0 && s.to === layouts[i]!.length) ? (
                    <span class="badge">{t.calendar.timeOff}</span>
                  ) : c.working.length === 0 ? (
                    <span class="muted">{t.calendar.dayOff}</span>
                  ) : null}
                  <ul class="plain">
                    {c.visits.map((v) => (
                      <li class={`cal-item cal-item-${v.status}`}>
                        <a href={`/admin/bookings/${v.id}`}>{formatTime(v.start, zone, r.lang)}</a>{' '}
                        {v.label}
                        <span class="visually-hidden"> ({t.statuses[v.status] ?? v.status})</span>
                      </li>
                    ))}
                  </ul>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

async function calendarPage(r: AdminRequest): Promise<Response> {
  const t = b(r);
  const view = r.query('view') === 'week' ? 'week' : 'day';
  const data = await load(r, view);
  if (!data.location) {
    return page(
      r,
      <AdminLayout r={r} title={t.calendar.title} current="/admin/bookings">
        <h1>{t.heading}</h1>
        <p>{t.none}</p>
      </AdminLayout>,
    );
  }
  const zone = data.location.timezone;
  return page(
    r,
    <AdminLayout
      r={r}
      title={t.calendar.title}
      current="/admin/bookings"
      script={BOARD_LIVE_SCRIPT_PATH}
    >
      <h1>{t.heading}</h1>
      <p class="lead">{data.location.name}</p>
      <LocationSwitch
        r={r}
        action="/admin/bookings/calendar"
        locations={data.locations}
        current={data.location}
      />
      <p class="muted">
        {t.zone(`${formatZone(zone, r.lang, data.days[0]!.start * 60_000)} (${zone})`)}
      </p>
      {data.bad ? (
        <p class="notice bad" role="alert">
          {t.calendar.badDate}
        </p>
      ) : null}
      <Nav r={r} location={data.location} view={view} date={data.date} />
      <BoardLive r={r} locationId={data.location.id} stamp={data.stamp} />
      <div id="board-results">
        {view === 'day' ? (
          <DayView r={r} data={data} date={data.date} />
        ) : (
          <WeekView r={r} data={data} days={data.days} />
        )}
      </div>
    </AdminLayout>,
    { status: data.bad ? 400 : 200, script: true },
  );
}

export const CALENDAR_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/bookings/calendar', access: STAFF, handle: calendarPage },
];

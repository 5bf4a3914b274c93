/** @jsxImportSource hono/jsx */
import type { Transaction } from '../../db/port.ts';
import { asTenant } from '../../db/scope.ts';
import type { AnalyticsScope } from '../../db/queries/analytics.ts';
import { bookingsPerDay, tuneForAnalytics } from '../../db/queries/analytics.ts';
import { locationsOfStaff, type StaffLocation } from '../../db/queries/catalog-admin.ts';
import {
  leadTimeCsv,
  loadCsv,
  perDayCsv,
  pipelineCsv,
  summaryCsv,
} from '../../tenants/analytics/analytics-csv.ts';
import {
  MAX_PERIOD_DAYS,
  parsePeriod,
  PERIOD_PRESETS,
  periodLength,
  presetOf,
  presetPeriod,
  type Period,
  type PeriodProblem,
} from '../../tenants/analytics/period.ts';
import {
  analyticsReport,
  CHARTS,
  leadTimeFigures,
  masterLoads,
  pipelineFigures,
  summary,
  type AnalyticsReport,
  type ChartKey,
  type LeadTimes,
  type MasterLoad,
  type PipelineFigure,
  type Summary,
} from '../../tenants/analytics/report.ts';
import { CSV_BOM } from '../../tenants/exports/csv.ts';
import { formatDay, formatDuration, formatZone } from '../../tenants/i18n/format.ts';
import { formatMoney, money } from '../../tenants/money/money.ts';
import { AdminLayout } from '../admin-layout.tsx';
import { BarRows, ColumnChart } from '../charts.tsx';
import { SelectField, TextField } from '../form-fields.tsx';
import { ANALYTICS_MESSAGES, type AnalyticsMessages } from '../i18n/analytics-messages.ts';
import { errorPage } from '../pages/error.tsx';
import { page, tenantScope, type AdminRequest, type AdminRoute } from '../request.ts';

/**
 * Analytics (owners and managers; a manager within their locations): one location's metrics for a
 * period of its local days, or — owners only, `?scope=chain` — every location's together, money per
 * currency and never summed across currencies. Each metric is a chart (SVG rendered here), a table
 * with the same numbers and a CSV download of them. Definitions: db/queries/analytics.ts.
 */
const STAFF = ['owner', 'manager'] as const;

const m = (r: AdminRequest): AnalyticsMessages => ANALYTICS_MESSAGES[r.lang];
const notFound = (r: AdminRequest) =>
  errorPage(r, 404, r.t.errors.notFound, r.t.errors.notFoundHow);

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = formats.get(key);
  if (!f) formats.set(key, (f = make()));
  return f as T;
}
const pct = (r: AdminRequest, share: number | null) =>
  share === null
    ? m(r).noData
    : cached(
        `${r.lang}|pct`,
        () => new Intl.NumberFormat(r.lang, { style: 'percent', maximumFractionDigits: 1 }),
      ).format(share);
const num = (r: AdminRequest, n: number) =>
  cached(`${r.lang}|num`, () => new Intl.NumberFormat(r.lang)).format(n);
const price = (r: AdminRequest, minor: number, currency: string) =>
  formatMoney(money(minor, currency), r.lang);
const noon = (date: string) => Date.parse(`${date}T12:00:00Z`);
const shortDay = (r: AdminRequest, date: string) =>
  cached(
    `${r.lang}|short`,
    () => new Intl.DateTimeFormat(r.lang, { day: 'numeric', month: 'short', timeZone: 'UTC' }),
  ).format(noon(date));
const longDate = (r: AdminRequest, date: string) =>
  cached(
    `${r.lang}|long`,
    () => new Intl.DateTimeFormat(r.lang, { dateStyle: 'medium', timeZone: 'UTC' }),
  ).format(noon(date));
const hours = (r: AdminRequest, minutes: number) =>
  minutes === 0 ? '0' : formatDuration(minutes, r.lang);

type Place =
  { kind: 'location'; location: StaffLocation } | { kind: 'chain'; locations: StaffLocation[] };

type Resolved =
  | { kind: 'ok'; locations: StaffLocation[]; place: Place; zone: string }
  | { kind: 'none' }
  | { kind: 'forbidden' }
  | { kind: 'not_found' };

const wantsChain = (r: AdminRequest) =>
  r.query('scope') === 'chain' || r.query('location') === 'chain';

/**
 * Where the figures come from: the chain (owners only; anyone else 403), the location asked for
 * among this person's (another's: 404, as if it did not exist), or their first.
 */
async function resolvePlace(r: AdminRequest, tx: Transaction, tenantId: string): Promise<Resolved> {
  const locations = await locationsOfStaff(tx, {
    tenantId,
    staffId: r.identity!.staffId,
    role: r.identity!.role,
  });
  if (wantsChain(r)) {
    if (r.identity!.role !== 'owner') return { kind: 'forbidden' };
    if (!locations.length) return { kind: 'none' };
    return {
      kind: 'ok',
      locations,
      place: { kind: 'chain', locations },
      zone: locations[0]!.timezone,
    };
  }
  const asked = r.query('location');
  const location = asked ? locations.find((l) => l.id === asked) : locations[0];
  if (asked && !location) return { kind: 'not_found' };
  if (!location) return { kind: 'none' };
  return { kind: 'ok', locations, place: { kind: 'location', location }, zone: location.timezone };
}

const scopeOf = (tenantId: string, place: Place, period: Period): AnalyticsScope => ({
  tenantId,
  locationIds: place.kind === 'chain' ? place.locations.map((l) => l.id) : [place.location.id],
  ...period,
});

/** The query string of a place and period (links, presets, CSV). */
function placeQuery(place: Place, period: Period, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    ...(place.kind === 'chain' ? { scope: 'chain' } : { location: place.location.id }),
    from: period.fromDate,
    to: period.toDate,
    ...extra,
  });
  return q.toString();
}

function PeriodForm(props: {
  r: AdminRequest;
  locations: StaffLocation[];
  place: Place;
  period: Period;
  zone: string;
}) {
  const { r, locations, place, period } = props;
  const t = m(r).form;
  const chain = r.identity!.role === 'owner' && locations.length > 1;
  const options = [
    ...locations.map((l) => ({ value: l.id, label: l.name })),
    ...(chain ? [{ value: 'chain', label: t.chain }] : []),
  ];
  const current = presetOf(period, props.zone, r.deps.now());
  return (
    <>
      <form method="get" action="/admin/analytics" class="stacked filters">
        {options.length > 1 ? (
          <SelectField
            name="location"
            label={t.location}
            value={place.kind === 'chain' ? 'chain' : place.location.id}
            options={options}
          />
        ) : (
          <input
            type="hidden"
            name="location"
            value={place.kind === 'chain' ? 'chain' : place.location.id}
          />
        )}
        <div class="pair">
          <TextField name="from" type="date" label={t.from} value={period.fromDate} />
          <TextField name="to" type="date" label={t.to} value={period.toDate} />
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {t.show}
          </button>
        </div>
      </form>
      <nav aria-label={t.presets}>
        <ul class="presets">
          {PERIOD_PRESETS.map((p) => (
            <li>
              <a
                href={`/admin/analytics?${placeQuery(place, presetPeriod(p.key, props.zone, r.deps.now()))}`}
                aria-current={current === p.key ? 'true' : undefined}
              >
                {t.preset[p.key]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}

function CsvLink(props: {
  r: AdminRequest;
  place: Place;
  period: Period;
  chart: ChartKey;
  what: string;
}) {
  const t = m(props.r);
  return (
    <p class="csv">
      <a
        class="button"
        href={`/admin/analytics/csv/${props.chart}?${placeQuery(props.place, props.period)}`}
        download
        aria-label={t.csvOf(props.what)}
      >
        {t.csv}
      </a>
    </p>
  );
}

/**
 * A chart's numbers as a table, the one markup every metric uses: the first column heads each
 * row; a column given as `[label]` holds numbers (right-aligned). `stack` turns rows into cards on
 * a phone, each cell labelled with its column (or the row's own `labels`); `scroll` makes a tall
 * table a scrollable region. A `null` cell stays empty.
 */
function FiguresTable(props: {
  caption: string;
  columns: (string | [string])[];
  rows: { head: unknown; cells: unknown[]; labels?: Record<number, string> }[];
  stack?: boolean;
  scroll?: boolean;
}) {
  const columns = props.columns.map((c) =>
    typeof c === 'string' ? { label: c, num: false } : { label: c[0], num: true },
  );
  const table = (
    <table class={props.stack ? 'list stack' : 'list'}>
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" class={c.num ? 'num' : undefined}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr>
            <th scope="row">{row.head}</th>
            {row.cells.map((cell, i) => {
              const column = columns[i + 1]!;
              return cell === null ? (
                <td />
              ) : (
                <td
                  class={column.num ? 'num' : undefined}
                  data-label={props.stack ? (row.labels?.[i] ?? column.label) : undefined}
                >
                  {cell}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return props.scroll ? (
    <div class="table-wrap tall" tabindex={0} role="region" aria-label={props.caption}>
      {table}
    </div>
  ) : (
    <div class="table-wrap">{table}</div>
  );
}

function SummarySection(props: { r: AdminRequest; s: Summary; csv: unknown }) {
  const { r, s } = props;
  const t = m(r).summary;
  return (
    <section class="metric" aria-labelledby="summary-heading">
      <h2 id="summary-heading">{t.heading}</h2>
      <ul class="figures">
        {s.revenue.map((v) => (
          <>
            <li>
              <p class="figure-label">
                {t.revenue} <span class="currency">{v.currency}</span>
              </p>
              <p class="figure-value">{price(r, v.realizedMinor, v.currency)}</p>
              <p class="muted">{t.revenueOf(v.clients)}</p>
            </li>
            <li>
              <p class="figure-label">
                {t.ltv} <span class="currency">{v.currency}</span>
              </p>
              <p class="figure-value">
                {v.ltvMinor === null ? m(r).noData : price(r, v.ltvMinor, v.currency)}
              </p>
              <p class="muted">{t.ltvHow}</p>
            </li>
          </>
        ))}
        <li>
          <p class="figure-label">{t.retention}</p>
          <p class="figure-value">{pct(r, s.retention.share)}</p>
          <p class="muted">{t.retentionOf(s.retention.part, s.retention.whole)}</p>
        </li>
        <li>
          <p class="figure-label">{t.noShowRate}</p>
          <p class="figure-value">{pct(r, s.noShows.share)}</p>
          <p class="muted">
            {t.noShowOf(s.noShows.noShows, s.noShows.lateCancellations, s.noShows.whole)}
          </p>
        </li>
      </ul>
      {s.revenue.length === 0 ? <p>{t.noRevenue}</p> : null}
      <p class="muted">{t.lead}</p>
      <FiguresTable
        caption={t.caption}
        stack
        columns={[t.figure, t.currency, [t.value], [t.count], [t.outOf]]}
        rows={[
          ...s.revenue.flatMap((v) => [
            {
              head: t.revenue,
              cells: [v.currency, price(r, v.realizedMinor, v.currency), num(r, v.clients), null],
              labels: { 2: t.clients },
            },
            {
              head: t.ltv,
              cells: [
                v.currency,
                v.ltvMinor === null ? m(r).noData : price(r, v.ltvMinor, v.currency),
                null,
                null,
              ],
            },
          ]),
          {
            head: t.retention,
            cells: [
              null,
              pct(r, s.retention.share),
              num(r, s.retention.part),
              num(r, s.retention.whole),
            ],
          },
          {
            head: t.noShowRate,
            cells: [null, pct(r, s.noShows.share), num(r, s.noShows.part), num(r, s.noShows.whole)],
          },
        ]}
      />
      {props.csv}
    </section>
  );
}

function PerDaySection(props: {
  r: AdminRequest;
  days: { date: string; bookings: number }[];
  csv: unknown;
}) {
  const { r, days } = props;
  const t = m(r).perDay;
  const total = days.reduce((a, d) => a + d.bookings, 0);
  const busiest = days.reduce<{ date: string; bookings: number } | undefined>(
    (best, d) => (d.bookings > (best?.bookings ?? 0) ? d : best),
    undefined,
  );
  return (
    <section class="metric" aria-labelledby="per-day-heading">
      <h2 id="per-day-heading">{t.heading}</h2>
      <p class="muted">{t.lead}</p>
      <div class="metric-body side">
        <div class="chart">
          <ColumnChart
            id="chart-per-day"
            title={t.heading}
            desc={t.desc(
              total,
              days.length,
              busiest ? formatDay(busiest.date, r.lang) : null,
              busiest?.bookings ?? 0,
            )}
            bars={days.map((d) => ({
              label: shortDay(r, d.date),
              value: d.bookings,
              valueText: num(r, d.bookings),
            }))}
            tick={(v) => num(r, v)}
          />
        </div>
        <FiguresTable
          caption={t.caption}
          scroll
          columns={[t.date, [t.bookings]]}
          rows={days.map((d) => ({
            head: <time datetime={d.date}>{formatDay(d.date, r.lang)}</time>,
            cells: [num(r, d.bookings)],
          }))}
        />
      </div>
      {props.csv}
    </section>
  );
}

function LoadSection(props: {
  r: AdminRequest;
  loads: MasterLoad[];
  chain: boolean;
  csv: unknown;
}) {
  const { r, loads, chain } = props;
  const t = m(r).load;
  const label = (l: MasterLoad) => (chain ? `${l.name} · ${l.locationName}` : l.name);
  const highest = loads.reduce<MasterLoad | undefined>(
    (best, l) => (l.load !== null && l.load > (best?.load ?? -1) ? l : best),
    undefined,
  );
  return (
    <section class="metric" aria-labelledby="load-heading">
      <h2 id="load-heading">{t.heading}</h2>
      <p class="muted">{t.lead}</p>
      {loads.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <>
          <div class="metric-body side">
            <div class="chart">
              <BarRows
                id="chart-load"
                title={t.heading}
                desc={t.desc(
                  loads.length,
                  highest ? `${label(highest)}, ${pct(r, highest.load)}` : null,
                )}
                bars={loads.map((l) => ({
                  label: label(l),
                  value: l.load ?? 0,
                  valueText: pct(r, l.load),
                }))}
                scaleMax={1}
                mark={{ value: 1, label: t.full }}
              />
            </div>
            <FiguresTable
              caption={t.caption}
              stack
              columns={[t.master, [t.booked], [t.working], [t.load]]}
              rows={loads.map((l) => ({
                head: (
                  <>
                    {l.name}
                    {chain ? <span class="hint">{l.locationName}</span> : null}
                  </>
                ),
                cells: [hours(r, l.bookedMinutes), hours(r, l.workingMinutes), pct(r, l.load)],
              }))}
            />
          </div>
          {props.csv}
        </>
      )}
    </section>
  );
}

function LeadSection(props: { r: AdminRequest; lead: LeadTimes; csv: unknown }) {
  const { r, lead } = props;
  const t = m(r).leadTime;
  const total = lead.buckets.reduce((a, b) => a + b.bookings, 0);
  const median = lead.medianHours === null ? null : t.hours(lead.medianHours);
  return (
    <section class="metric" aria-labelledby="lead-heading">
      <h2 id="lead-heading">{t.heading}</h2>
      <p class="muted">{t.lead}</p>
      <div class="metric-body side">
        <div class="chart">
          <ColumnChart
            id="chart-lead"
            title={t.heading}
            desc={t.desc(total, median)}
            bars={lead.buckets.map((b) => ({
              label: t.axis[b.index] ?? '',
              value: b.bookings,
              valueText: num(r, b.bookings),
            }))}
            tick={(v) => num(r, v)}
            labelWidth={56}
          />
        </div>
        <FiguresTable
          caption={t.caption}
          columns={[t.bucket, [t.bookings]]}
          rows={lead.buckets.map((b) => ({
            head: t.buckets[b.index],
            cells: [num(r, b.bookings)],
          }))}
        />
      </div>
      {median ? <p class="after">{t.median(median)}</p> : null}
      {props.csv}
    </section>
  );
}

function PipelineSection(props: { r: AdminRequest; rows: PipelineFigure[]; csv: unknown }) {
  const { r, rows } = props;
  const t = m(r).pipeline;
  return (
    <section class="metric" aria-labelledby="pipeline-heading">
      <h2 id="pipeline-heading">{t.heading}</h2>
      <p class="muted">{t.lead}</p>
      {rows.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <div class="metric-body">
          <div class="chart">
            {rows.map((p) => [
              <h3 class="currency">{p.currency}</h3>,
              <BarRows
                id={`chart-pipeline-${p.currency}`}
                title={t.title(p.currency)}
                desc={t.desc(
                  p.currency,
                  price(r, p.paidMinor, p.currency),
                  price(r, p.unpaidMinor, p.currency),
                  p.bookings,
                )}
                bars={[
                  {
                    label: t.paid,
                    value: p.paidMinor,
                    valueText: price(r, p.paidMinor, p.currency),
                  },
                  {
                    label: t.unpaid,
                    value: p.unpaidMinor,
                    valueText: price(r, p.unpaidMinor, p.currency),
                    tone: 'alt',
                  },
                ]}
              />,
            ])}
          </div>
          <FiguresTable
            caption={t.caption}
            stack
            columns={[t.currency, [t.bookings], [t.paid], [t.unpaid], [t.total]]}
            rows={rows.map((p) => ({
              head: p.currency,
              cells: [
                <>
                  {num(r, p.bookings)}{' '}
                  <span class="muted">
                    ({t.withPayment.toLowerCase()}: {num(r, p.paidBookings)})
                  </span>
                </>,
                price(r, p.paidMinor, p.currency),
                price(r, p.unpaidMinor, p.currency),
                price(r, p.paidMinor + p.unpaidMinor, p.currency),
              ],
            }))}
          />
        </div>
      )}
      {rows.length ? props.csv : null}
    </section>
  );
}

const problemText = (t: AnalyticsMessages, p: PeriodProblem) =>
  p === 'span' ? t.problems.span(MAX_PERIOD_DAYS) : t.problems[p];

async function analyticsPage(r: AdminRequest): Promise<Response> {
  const t = m(r);
  const found = await asTenant(r.deps.db, tenantScope(r.identity!), async (tx) => {
    const tenantId = r.identity!.tenantId!;
    const resolved = await resolvePlace(r, tx, tenantId);
    if (resolved.kind !== 'ok') return { resolved };
    const parsed = parsePeriod({ get: (name) => r.query(name) }, resolved.zone, r.deps.now());
    const report = await analyticsReport(tx, scopeOf(tenantId, resolved.place, parsed.period));
    return { resolved, parsed, report };
  });
  const { resolved } = found;
  if (resolved.kind === 'forbidden') return errorPage(r, 403, t.chainOnly, t.chainOnlyHow);
  if (resolved.kind === 'not_found') return notFound(r);
  if (resolved.kind === 'none' || !found.parsed || !found.report) {
    return page(
      r,
      <AdminLayout r={r} title={t.title}>
        <h1>{t.heading}</h1>
        <p>{t.none}</p>
      </AdminLayout>,
    );
  }
  const { parsed, report } = found as {
    parsed: NonNullable<typeof found.parsed>;
    report: AnalyticsReport;
  };
  const { place, locations, zone } = resolved;
  const period = parsed.period;
  const problems = parsed.ok ? [] : (Object.keys(parsed.problems) as PeriodProblem[]);
  const csv = (chart: ChartKey, what: string) => (
    <CsvLink r={r} place={place} period={period} chart={chart} what={what} />
  );
  const where =
    place.kind === 'chain'
      ? t.where.chain(place.locations.length)
      : t.where.location(
          place.location.name,
          `${formatZone(zone, r.lang, r.deps.now())} (${zone})`,
        );
  return page(
    r,
    <AdminLayout r={r} title={t.title} current="/admin/analytics">
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>
      {problems.length ? (
        <div class="notice bad" role="alert">
          {problems.map((p) => (
            <p>{problemText(t, p)}</p>
          ))}
        </div>
      ) : null}
      <PeriodForm r={r} locations={locations} place={place} period={period} zone={zone} />
      <h2 class="scope">
        {place.kind === 'chain' ? t.form.chain : place.location.name}:{' '}
        {t.period(longDate(r, period.fromDate), longDate(r, period.toDate), periodLength(period))}
      </h2>
      <p class="muted">{where}</p>
      <SummarySection r={r} s={report.summary} csv={csv('summary', t.summary.heading)} />
      <PerDaySection r={r} days={report.perDay} csv={csv('per-day', t.perDay.heading)} />
      <PipelineSection r={r} rows={report.pipeline} csv={csv('pipeline', t.pipeline.heading)} />
      <LoadSection
        r={r}
        loads={report.load}
        chain={place.kind === 'chain'}
        csv={csv('load', t.load.heading)}
      />
      <LeadSection r={r} lead={report.leadTime} csv={csv('lead-time', t.leadTime.heading)} />
    </AdminLayout>,
    { status: problems.length ? 400 : 200 },
  );
}

/** One chart's numbers as CSV (UTF-8 with BOM), for the same place and period as the page. */
async function analyticsCsv(r: AdminRequest): Promise<Response> {
  const t = m(r);
  const chart = CHARTS.find((c) => c === r.param('chart'));
  if (!chart) return notFound(r);
  const found = await asTenant(r.deps.db, tenantScope(r.identity!), async (tx) => {
    const tenantId = r.identity!.tenantId!;
    const resolved = await resolvePlace(r, tx, tenantId);
    if (resolved.kind !== 'ok') return { resolved };
    const parsed = parsePeriod({ get: (name) => r.query(name) }, resolved.zone, r.deps.now());
    if (!parsed.ok) return { resolved, parsed };
    const scope = scopeOf(tenantId, resolved.place, parsed.period);
    await tuneForAnalytics(tx);
    const body =
      chart === 'summary'
        ? summaryCsv(await summary(tx, scope), t.summary)
        : chart === 'per-day'
          ? perDayCsv(await bookingsPerDay(tx, scope), t.perDay)
          : chart === 'load'
            ? loadCsv(await masterLoads(tx, scope), t.load)
            : chart === 'lead-time'
              ? leadTimeCsv(await leadTimeFigures(tx, scope), t.leadTime)
              : pipelineCsv(await pipelineFigures(tx, scope), t.pipeline);
    return { resolved, parsed, body };
  });
  const { resolved } = found;
  if (resolved.kind === 'forbidden') return errorPage(r, 403, t.chainOnly, t.chainOnlyHow);
  if (resolved.kind === 'not_found' || resolved.kind === 'none') return notFound(r);
  if (!found.parsed?.ok || found.body === undefined)
    return errorPage(r, 400, t.badPeriod, t.badPeriodHow);
  const period = found.parsed.period;
  const filename = `analytics-${chart}-${resolved.place.kind === 'chain' ? 'all' : 'location'}-${period.fromDate}_${period.toDate}.csv`;
  return new Response(CSV_BOM + found.body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

export const ANALYTICS_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/analytics', access: STAFF, handle: analyticsPage },
  { method: 'GET', path: '/analytics/csv/:chart', access: STAFF, handle: analyticsCsv },
];

import { csvRow } from '../exports/csv.ts';
import { decimalString, money } from '../money/money.ts';
import { percent } from './metrics.ts';
import type { LeadTimes, MasterLoad, PipelineFigure, Summary } from './report.ts';

/**
 * Each chart's numbers as CSV rows (the page adds the byte order mark): the same numbers as its
 * table, machine-readable — dates as ISO dates, money as decimals with the currency in its own
 * column ("102.00", "EUR"), shares as percentages with one decimal, minutes as whole minutes.
 * Column names come in the reader's language; an empty cell is "no data" (a share of nothing).
 */
const pct = (share: number | null) => (share === null ? null : percent(share));
const amount = (minor: number, currency: string) => decimalString(money(minor, currency));

export function summaryCsv(
  s: Summary,
  h: {
    figure: string;
    currency: string;
    value: string;
    count: string;
    outOf: string;
    revenue: string;
    ltv: string;
    clients: string;
    retention: string;
    noShowRate: string;
    noShows: string;
    late: string;
  },
): string {
  const rows: (string | number | null)[][] = [[h.figure, h.currency, h.value, h.count, h.outOf]];
  for (const r of s.revenue) {
    rows.push([h.revenue, r.currency, amount(r.realizedMinor, r.currency), null, null]);
    rows.push([h.clients, r.currency, null, r.clients, null]);
    rows.push([
      h.ltv,
      r.currency,
      r.ltvMinor === null ? null : amount(r.ltvMinor, r.currency),
      null,
      null,
    ]);
  }
  rows.push([h.retention, null, pct(s.retention.share), s.retention.part, s.retention.whole]);
  rows.push([h.noShowRate, null, pct(s.noShows.share), s.noShows.part, s.noShows.whole]);
  rows.push([h.noShows, null, null, s.noShows.noShows, s.noShows.whole]);
  rows.push([h.late, null, null, s.noShows.lateCancellations, s.noShows.whole]);
  return rows.map(csvRow).join('');
}

export function perDayCsv(
  days: readonly { date: string; bookings: number }[],
  h: { date: string; bookings: string },
): string {
  return [csvRow([h.date, h.bookings]), ...days.map((d) => csvRow([d.date, d.bookings]))].join('');
}

export function loadCsv(
  loads: readonly MasterLoad[],
  h: {
    location: string;
    master: string;
    bookedMinutes: string;
    workingMinutes: string;
    loadPercent: string;
  },
): string {
  return [
    csvRow([h.location, h.master, h.bookedMinutes, h.workingMinutes, h.loadPercent]),
    ...loads.map((l) =>
      csvRow([l.locationName, l.name, l.bookedMinutes, l.workingMinutes, pct(l.load)]),
    ),
  ].join('');
}

export function leadTimeCsv(
  lead: LeadTimes,
  h: {
    bucket: string;
    fromHours: string;
    toHours: string;
    bookings: string;
    buckets: readonly string[];
  },
): string {
  return [
    csvRow([h.bucket, h.fromHours, h.toHours, h.bookings]),
    ...lead.buckets.map((b) =>
      csvRow([h.buckets[b.index] ?? String(b.index), b.fromHours, b.toHours, b.bookings]),
    ),
  ].join('');
}

export function pipelineCsv(
  rows: readonly PipelineFigure[],
  h: {
    currency: string;
    bookings: string;
    withPayment: string;
    withoutPayment: string;
    paid: string;
    unpaid: string;
    total: string;
  },
): string {
  return [
    csvRow([h.currency, h.bookings, h.withPayment, h.withoutPayment, h.paid, h.unpaid, h.total]),
    ...rows.map((p) =>
      csvRow([
        p.currency,
        p.bookings,
        p.paidBookings,
        p.bookings - p.paidBookings,
        amount(p.paidMinor, p.currency),
        amount(p.unpaidMinor, p.currency),
        amount(p.paidMinor + p.unpaidMinor, p.currency),
      ]),
    ),
  ].join('');
}

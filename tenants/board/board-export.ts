import { DateTime } from 'luxon';
import type { BoardRow } from '../../db/queries/board.ts';
import { decimalString, money } from '../money/money.ts';
import { csvRow } from '../exports/csv.ts';

/** Who sees a client's Telegram username and phone in an export: owners (managers' exports leave them out). */
export const exportsContacts = (role: string): boolean => role === 'owner';

export interface ExportHeadings {
  booking: string;
  status: string;
  start: string;
  end: string;
  zone: string;
  location: string;
  master: string;
  services: string;
  client: string;
  username: string;
  phone: string;
  price: string;
  paid: string;
  currency: string;
  comment: string;
  notes: string;
}

/** The header row, in the reader's language. */
export function exportHeader(h: ExportHeadings, withContacts: boolean): string {
  return csvRow([
    h.booking,
    h.status,
    h.start,
    h.end,
    h.zone,
    h.location,
    h.master,
    h.services,
    h.client,
    ...(withContacts ? [h.username, h.phone] : []),
    h.price,
    h.paid,
    h.currency,
    h.comment,
    h.notes,
  ]);
}

/** Local wall-clock time with the zone in its own column: what a spreadsheet sorts and reads. */
const localTime = (at: Date, zone: string) =>
  DateTime.fromJSDate(at, { zone }).toFormat('yyyy-LL-dd HH:mm');
/** Notes are one line in a cell: line breaks become " / " (the cell itself is neutralized by csvCell). */
const oneLine = (text: string | null) => (text ? text.replace(/\r\n|\r|\n/g, ' / ') : '');

/** One booking as one CSV row: local times, money as decimals with the currency, personal notes sanitized. */
export function exportRow(
  row: BoardRow,
  p: { zone: string; location: string; withContacts: boolean; status: (s: string) => string },
): string {
  return csvRow([
    row.id,
    p.status(row.status),
    localTime(row.start_at, p.zone),
    localTime(row.end_at, p.zone),
    p.zone,
    p.location,
    row.master_name,
    row.service_names.join(', '),
    row.client_name,
    ...(p.withContacts ? [row.client_username ?? '', row.client_phone ?? ''] : []),
    decimalString(money(row.total_minor, row.currency)),
    decimalString(money(row.paid_minor, row.currency)),
    row.currency,
    oneLine(row.client_comment),
    oneLine(row.client_notes),
  ]);
}

/**
 * An iCalendar (RFC 5545) file for one visit: a VCALENDAR with one VEVENT and, when asked, a
 * display alarm. Pure: no I/O and no clock (the DTSTAMP comes in), so the same booking and stamp
 * always give the same bytes.
 *
 * RFC 5545 details that calendar apps are strict about:
 * - lines end with CRLF (3.1);
 * - a content line longer than 75 octets is folded: CRLF followed by one space, the space counting
 *   toward the next line's 75 octets; the octets are UTF-8, and a character is never split (3.1);
 * - TEXT values escape backslash, semicolon, comma and newlines (3.3.11); other control characters
 *   are not allowed in TEXT and are dropped;
 * - DATE-TIME values in UTC end with Z (3.3.5).
 */

export interface CalendarEvent {
  /** Globally unique and stable across downloads of the same booking, e.g. `<booking id>@<domain>`. */
  uid: string;
  /** When the file was made (epoch ms): DTSTAMP. */
  stamp: number;
  /** The visit itself (epoch ms). */
  start: number;
  end: number;
  summary: string;
  location?: string;
  description?: string;
  /** CONFIRMED, or TENTATIVE for a visit still held or awaiting payment. */
  status?: 'CONFIRMED' | 'TENTATIVE';
  /** A display reminder this many minutes before the start. */
  alarmMinutesBefore?: number;
  /** The alarm's text (DESCRIPTION is required for ACTION:DISPLAY); defaults to the summary. */
  alarmText?: string;
}

const PRODID = '-//Slotbot//Booking//EN';

/** Characters the TEXT grammar does not allow: controls other than HTAB (newlines are escaped before). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/** RFC 5545 3.3.11 TEXT escaping; CRLF, CR and LF all become `\n`. */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(/[\\;,\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** The inverse of `escapeText` (of its output; `\N` is accepted as a newline too). */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

const encoder = new TextEncoder();

/**
 * Folds one content line into lines of at most 75 octets (continuations begin with a space that
 * counts toward their 75), never inside a UTF-8 sequence. Joined with CRLF.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    // Iterating a string yields code points, so a surrogate pair stays whole (4 octets).
    const size = encoder.encode(char).length;
    if (octets + size > 75) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}

/** Undoes folding: a CRLF followed by one space or tab is removed (3.1). */
export function unfold(text: string): string {
  return text.replace(/\r\n[ \t]/g, '');
}

/** A UTC DATE-TIME: `YYYYMMDDTHHMMSSZ`. */
export function utcDateTime(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export function buildIcs(event: CalendarEvent): string {
  if (!(event.end > event.start)) throw new Error('a calendar event must end after it starts');
  const text = (name: string, value: string) => `${name}:${escapeText(value)}`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    text('UID', event.uid),
    `DTSTAMP:${utcDateTime(event.stamp)}`,
    `DTSTART:${utcDateTime(event.start)}`,
    `DTEND:${utcDateTime(event.end)}`,
    text('SUMMARY', event.summary),
    ...(event.location ? [text('LOCATION', event.location)] : []),
    ...(event.description ? [text('DESCRIPTION', event.description)] : []),
    ...(event.status ? [`STATUS:${event.status}`] : []),
    'TRANSP:OPAQUE',
    ...(event.alarmMinutesBefore !== undefined && event.alarmMinutesBefore > 0
      ? [
          'BEGIN:VALARM',
          'ACTION:DISPLAY',
          text('DESCRIPTION', event.alarmText ?? event.summary),
          `TRIGGER:-PT${Math.round(event.alarmMinutesBefore)}M`,
          'END:VALARM',
        ]
      : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** The file's bytes (UTF-8, the charset RFC 5545 defaults to). */
export function icsBytes(event: CalendarEvent): Uint8Array {
  return encoder.encode(buildIcs(event));
}

export const ICS_MIME = 'text/calendar; charset=utf-8';

/**
 * Reads the properties of a calendar text back (unfolded, TEXT unescaped, parameters dropped), in
 * order: enough for tests and for checking a file we made; not a general iCalendar parser.
 */
export function parseIcs(ics: string): { name: string; value: string }[] {
  return unfold(ics)
    .split('\r\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const colon = l.indexOf(':');
      return { name: l.slice(0, colon).split(';')[0]!, value: unescapeText(l.slice(colon + 1)) };
    });
}

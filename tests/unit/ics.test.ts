import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildIcs,
  escapeText,
  foldLine,
  parseIcs,
  unescapeText,
  unfold,
  utcDateTime,
  type CalendarEvent,
} from '../../tenants/calendar/ics.ts';

const octets = (s: string) => new TextEncoder().encode(s).length;

const event: CalendarEvent = {
  uid: '0b9c6a52-3f4e-4d7e-9a55-1d2c3b4a5e6f@studio_bot.t.me',
  stamp: Date.UTC(2026, 2, 1, 8, 0, 0),
  start: Date.UTC(2026, 2, 3, 9, 30, 0),
  end: Date.UTC(2026, 2, 3, 10, 45, 0),
  summary: 'cut, style',
  location: 'Main studio; 1 Long Street, Berlin',
  description: 'Master: Anna\nPrice: €75.00',
  status: 'CONFIRMED',
  alarmMinutesBefore: 60,
};

/** What escaping keeps of a text: newlines normalised to LF, control characters other than tab dropped. */
const normalise = (s: string) =>
  // eslint-disable-next-line no-control-regex
  s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');

describe('iCalendar file', () => {
  it('is a VCALENDAR with one VEVENT, CRLF line endings, UTC times and a display alarm', () => {
    const ics = buildIcs(event);
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const props = parseIcs(ics);
    const names = props.map((p) => p.name);
    expect(names[0]).toBe('BEGIN');
    expect(props.filter((p) => p.name === 'BEGIN').map((p) => p.value)).toEqual([
      'VCALENDAR',
      'VEVENT',
      'VALARM',
    ]);
    expect(props.filter((p) => p.name === 'END').map((p) => p.value)).toEqual([
      'VALARM',
      'VEVENT',
      'VCALENDAR',
    ]);
    const get = (name: string) => props.find((p) => p.name === name)?.value;
    expect(get('VERSION')).toBe('2.0');
    expect(get('PRODID')).toBeTruthy();
    expect(get('UID')).toBe(event.uid);
    expect(get('DTSTAMP')).toBe('20260301T080000Z');
    expect(get('DTSTART')).toBe('20260303T093000Z');
    expect(get('DTEND')).toBe('20260303T104500Z');
    expect(get('SUMMARY')).toBe('cut, style');
    expect(get('LOCATION')).toBe('Main studio; 1 Long Street, Berlin');
    expect(get('DESCRIPTION')).toBe('Master: Anna\nPrice: €75.00');
    expect(get('STATUS')).toBe('CONFIRMED');
    expect(get('TRIGGER')).toBe('-PT60M');
    expect(get('ACTION')).toBe('DISPLAY');
    // The raw lines carry the escapes.
    expect(ics).toContain('SUMMARY:cut\\, style\r\n');
    expect(ics).toContain('LOCATION:Main studio\\; 1 Long Street\\, Berlin\r\n');
    expect(ics).toContain('DESCRIPTION:Master: Anna\\nPrice: €75.00\r\n');
  });

  it('is deterministic and leaves out what is absent', () => {
    expect(buildIcs(event)).toBe(buildIcs({ ...event }));
    const bare = buildIcs({ uid: 'x@y', stamp: 0, start: 60_000, end: 120_000, summary: 's' });
    expect(bare).not.toContain('LOCATION');
    expect(bare).not.toContain('DESCRIPTION');
    expect(bare).not.toContain('VALARM');
    expect(bare).toContain('DTSTAMP:19700101T000000Z\r\n');
    expect(() => buildIcs({ ...event, end: event.start })).toThrow();
  });

  it('formats UTC date-times without milliseconds', () => {
    expect(utcDateTime(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe('20261231T235959Z');
  });

  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(unescapeText('a\\\\b\\;c\\,d\\ne\\Nf')).toBe('a\\b;c,d\ne\nf');
    // An escaped backslash before an n is a backslash and a letter, not a newline.
    expect(unescapeText(escapeText('\\n'))).toBe('\\n');
  });

  it('folds at 75 octets without splitting a multi-byte character', () => {
    const line = `DESCRIPTION:${'я'.repeat(100)}`; // 2 octets each
    const folded = foldLine(line);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(octets(l)).toBeLessThanOrEqual(75);
    for (const l of lines.slice(1)) expect(l.startsWith(' ')).toBe(true);
    expect(folded).not.toContain('\uFFFD');
    expect(unfold(folded)).toBe(line);
    expect(foldLine('X'.repeat(75))).toBe('X'.repeat(75));
    expect(foldLine('X'.repeat(76))).toBe(`${'X'.repeat(75)}\r\n X`);
    // A 4-octet character that would cross the limit moves to the next line whole.
    const emoji = foldLine(`${'X'.repeat(73)}😀`);
    expect(emoji).toBe(`${'X'.repeat(73)}\r\n 😀`);
  });

  it('property: unfolding and unescaping gives back the text; no line is over 75 octets', () => {
    const textArb = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({
        unit: fc.constantFrom('a', 'я', '€', '😀', '\\', ';', ',', '\n', '\r', ' ', ':', '\t', 'n'),
        maxLength: 300,
      }),
    );
    fc.assert(
      fc.property(textArb, textArb, textArb, (summary, location, description) => {
        const ics = buildIcs({ ...event, summary, location, description });
        expect(ics.endsWith('\r\n')).toBe(true);
        for (const line of ics.slice(0, -2).split('\r\n')) {
          expect(octets(line)).toBeLessThanOrEqual(75);
          expect(line).not.toMatch(/[\r\n]/);
        }
        // Folding never cut a character in two: the bytes decode back to the same string.
        expect(
          new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(ics)),
        ).toBe(ics);
        const props = parseIcs(ics);
        const get = (name: string) => props.find((p) => p.name === name)?.value;
        expect(get('SUMMARY')).toBe(normalise(summary));
        if (location) expect(get('LOCATION')).toBe(normalise(location));
        if (description) expect(get('DESCRIPTION')).toBe(normalise(description));
      }),
      { numRuns: 300 },
    );
  });
});

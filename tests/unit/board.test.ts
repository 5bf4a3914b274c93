import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../tenants/exports/csv.ts';
import { exportHeader, exportRow, exportsContacts } from '../../tenants/board/board-export.ts';
import { boardWindow, parseBoardFilter } from '../../tenants/board/board-filter.ts';
import type { BoardRow } from '../../db/queries/board.ts';
import { BOARD_MESSAGES } from '../../admin-ui/i18n/board-messages.ts';

describe('CSV cells', () => {
  it('neutralizes what a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+7 999')).toBe("'+7 999");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('a = b')).toBe('a = b');
  });

  it('quotes commas, quotes, line breaks and edge spaces; numbers and empties as they are', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(null)).toBe('');
    expect(csvRow(['a', 1, null])).toBe('a,1,\r\n');
  });
});

describe('a booking as an export row', () => {
  const row: BoardRow = {
    id: 'b1',
    // 2026-03-29 is the spring-forward day in Berlin: 10:00 local is 08:00 UTC.
    start_at: new Date('2026-03-29T08:00:00Z'),
    end_at: new Date('2026-03-29T08:45:00Z'),
    status: 'confirmed',
    client_name: 'Zoe, "the" client',
    client_username: 'zoe',
    client_phone: '+49 30 1234',
    client_notes: "=cmd|' /C calc'!A0\nsecond line",
    client_comment: null,
    service_names: ['Cut', 'Beard'],
    master_name: 'Anna',
    total_minor: 5550,
    currency: 'EUR',
    paid_minor: 1500,
  };
  const status = (s: string) => BOARD_MESSAGES.en.statuses[s] ?? s;

  it('local times with the zone, money as decimals with the currency, notes on one line and neutralized', () => {
    const line = exportRow(row, {
      zone: 'Europe/Berlin',
      location: 'Mitte',
      withContacts: true,
      status,
    });
    expect(line).toBe(
      `b1,confirmed,2026-03-29 10:00,2026-03-29 10:45,Europe/Berlin,Mitte,Anna,"Cut, Beard","Zoe, ""the"" client",zoe,'+49 30 1234,55.50,15.00,EUR,,'=cmd|' /C calc'!A0 / second line\r\n`,
    );
  });

  it('contact details only in owners’ exports', () => {
    expect(exportsContacts('owner')).toBe(true);
    expect(exportsContacts('manager')).toBe(false);
    const line = exportRow(row, {
      zone: 'Europe/Berlin',
      location: 'Mitte',
      withContacts: false,
      status,
    });
    expect(line).not.toContain('zoe,');
    expect(line).not.toContain('1234');
    expect(exportHeader(BOARD_MESSAGES.en.csv, false)).not.toContain('Phone');
    expect(exportHeader(BOARD_MESSAGES.en.csv, true).trim().split(',')).toHaveLength(16);
    expect(exportHeader(BOARD_MESSAGES.en.csv, false).trim().split(',')).toHaveLength(14);
  });
});

describe('the board filter', () => {
  const query = (params: Record<string, string | string[]>) => ({
    get: (name: string) =>
      Array.isArray(params[name])
        ? (params[name] as string[])[0]
        : (params[name] as string | undefined),
    all: (name: string) =>
      params[name] === undefined
        ? []
        : Array.isArray(params[name])
          ? (params[name] as string[])
          : [params[name] as string],
  });
  const now = Date.parse('2026-10-24T22:30:00Z'); // already Oct 25 in Berlin

  it('opens on today and the next two weeks in the location’s zone', () => {
    const parsed = parseBoardFilter(query({}), 'Europe/Berlin', now);
    expect(parsed).toEqual({
      ok: true,
      filter: { statuses: [], fromDate: '2026-10-25', toDate: '2026-11-08' },
    });
  });

  it('a day that is 25 hours long is covered whole', () => {
    const { from, to } = boardWindow(
      { fromDate: '2026-10-25', toDate: '2026-10-25' },
      'Europe/Berlin',
    );
    expect(from.toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(to.getTime() - from.getTime()).toBe(25 * 3600_000);
  });

  it('says what is wrong and falls back to something sensible', () => {
    const bad = parseBoardFilter(
      query({
        from: '2026-13-01',
        to: '2026-01-01',
        status: ['confirmed', 'bogus'],
        q: 'x'.repeat(101),
        master: 'not-a-uuid',
      }),
      'Europe/Berlin',
      now,
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.problems).sort()).toEqual(['from', 'search', 'status']);
    expect(bad.filter.statuses).toEqual(['confirmed']);
    expect(bad.filter.masterId).toBeUndefined();
    const backwards = parseBoardFilter(
      query({ from: '2026-11-10', to: '2026-11-01' }),
      'Europe/Berlin',
      now,
    );
    expect(backwards).toMatchObject({
      ok: false,
      problems: { order: true },
      filter: { fromDate: '2026-11-10', toDate: '2026-11-10' },
    });
    expect(
      parseBoardFilter(query({ from: '2026-01-01', to: '2027-06-01' }), 'Europe/Berlin', now),
    ).toMatchObject({ ok: false, problems: { span: true } });
    expect(parseBoardFilter(query({ q: ' @zoe ' }), 'Europe/Berlin', now)).toMatchObject({
      ok: true,
      filter: { search: 'zoe' },
    });
  });
});

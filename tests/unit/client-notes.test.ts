import { describe, expect, it } from 'vitest';
import { CLIENT_NOTES_MAX, parseClientNotes } from '../../tenants/board/client-notes.ts';

describe('notes on a client', () => {
  it('keeps line breaks as LF and tabs, drops other control characters, trims', () => {
    expect(parseClientNotes(' a\r\nb\rc\td\u0000\u0007\u001b\u007f ')).toEqual({
      ok: true,
      value: 'a\nb\nc\td',
    });
  });

  it('empty or only blanks is none', () => {
    expect(parseClientNotes(undefined)).toEqual({ ok: true, value: null });
    expect(parseClientNotes(' \r\n\t ')).toEqual({ ok: true, value: null });
  });

  it('at most the limit, counted after cleaning', () => {
    expect(parseClientNotes('x'.repeat(CLIENT_NOTES_MAX))).toEqual({
      ok: true,
      value: 'x'.repeat(CLIENT_NOTES_MAX),
    });
    expect(parseClientNotes('x'.repeat(CLIENT_NOTES_MAX + 1))).toEqual({ ok: false });
    expect(parseClientNotes(`${'x'.repeat(CLIENT_NOTES_MAX)}\u0000\u0000`).ok).toBe(true);
  });
});

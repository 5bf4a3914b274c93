/**
 * Staff's notes on a client (allergies, preferences): seen by staff on every visit of the client,
 * never sent to the client, sanitized in exports. Pure: what is kept of what was typed.
 */
export const CLIENT_NOTES_MAX = 2000;

/** Line breaks as LF, other control characters (but tab) dropped, trimmed; empty is none (null). */
export function parseClientNotes(
  value: string | undefined,
): { ok: true; value: string | null } | { ok: false } {
  const text = (value ?? '')
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .trim();
  if (text.length > CLIENT_NOTES_MAX) return { ok: false };
  return { ok: true, value: text || null };
}

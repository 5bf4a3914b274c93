/** Moments on admin pages: the reader's language, in UTC with the zone named (sessions, audit). */
export function formatMoment(at: Date, lang: string): string {
  return `${new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(at)} UTC`;
}

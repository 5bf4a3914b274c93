/** Formatters by language: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Moments on admin pages: the reader's language, in UTC with the zone named (sessions, audit). */
export function formatMoment(at: Date, lang: string): string {
  let format = formatters.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    });
    formatters.set(lang, format);
  }
  return `${format.format(at)} UTC`;
}

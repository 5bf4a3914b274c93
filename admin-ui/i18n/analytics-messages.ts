import type { WebLanguage } from './languages.ts';
import { ruPlural } from './plural.ts';

/** The analytics page: the period and place chosen, each metric's chart, table and CSV, and what it means. */
export interface AnalyticsMessages {
  title: string;
  heading: string;
  lead: string;
  none: string;
  form: {
    location: string;
    chain: string;
    from: string;
    to: string;
    show: string;
    presets: string;
    preset: Record<'last7' | 'last30' | 'last90' | 'next30', string>;
  };
  problems: { from: string; to: string; order: string; span(days: number): string };
  chainOnly: string;
  chainOnlyHow: string;
  /** A CSV link whose dates are wrong (typed by hand). */
  badPeriod: string;
  badPeriodHow: string;
  where: { location(name: string, zone: string): string; chain(count: number): string };
  period(from: string, to: string, days: number): string;
  csv: string;
  csvOf(what: string): string;
  noData: string;
  count(n: number): string;
  summary: {
    heading: string;
    lead: string;
    revenue: string;
    revenueOf(clients: number): string;
    ltv: string;
    ltvHow: string;
    noRevenue: string;
    retention: string;
    retentionOf(part: number, whole: number): string;
    noShowRate: string;
    noShowOf(noShows: number, late: number, whole: number): string;
    figure: string;
    currency: string;
    value: string;
    count: string;
    outOf: string;
    clients: string;
    noShows: string;
    late: string;
    caption: string;
  };
  perDay: {
    heading: string;
    lead: string;
    desc(total: number, days: number, busiest: string | null, most: number): string;
    date: string;
    bookings: string;
    caption: string;
  };
  load: {
    heading: string;
    lead: string;
    desc(count: number, highest: string | null): string;
    master: string;
    location: string;
    booked: string;
    working: string;
    load: string;
    bookedMinutes: string;
    workingMinutes: string;
    loadPercent: string;
    full: string;
    none: string;
    caption: string;
  };
  leadTime: {
    heading: string;
    lead: string;
    desc(total: number, median: string | null): string;
    median(text: string): string;
    bucket: string;
    fromHours: string;
    toHours: string;
    bookings: string;
    buckets: readonly string[];
    /** The buckets as short as the chart's axis needs. */ axis: readonly string[];
    hours(h: number): string;
    caption: string;
  };
  pipeline: {
    heading: string;
    lead: string;
    desc(currency: string, paid: string, unpaid: string, bookings: number): string;
    title(currency: string): string;
    paid: string;
    unpaid: string;
    currency: string;
    bookings: string;
    withPayment: string;
    withoutPayment: string;
    total: string;
    none: string;
    caption: string;
  };
}

const en: AnalyticsMessages = {
  title: 'Analytics · Slotbot',
  heading: 'Analytics',
  lead: 'How a location is doing over a period: revenue, returning clients, no-shows, what is booked and paid, and how busy each master is.',
  none: 'There is no location yet: add one first.',
  form: {
    location: 'Location',
    chain: 'All locations (per currency)',
    from: 'From',
    to: 'To (inclusive)',
    show: 'Show',
    presets: 'Periods',
    preset: {
      last7: 'Last 7 days',
      last30: 'Last 30 days',
      last90: 'Last 90 days',
      next30: 'Next 30 days',
    },
  },
  problems: {
    from: '“From” is not a date: pick one from the calendar (YYYY-MM-DD). Showing the last 30 days.',
    to: '“To” is not a date: pick one from the calendar (YYYY-MM-DD). Showing the last 30 days.',
    order: '“To” is before “From”: swap them. Showing the last 30 days.',
    span: (days) => `At most ${days} days at a time: narrow the dates. Showing the last 30 days.`,
  },
  chainOnly: 'All locations together is for owners.',
  chainOnlyHow: 'Pick one of your locations instead.',
  badPeriod: 'These dates do not make a period.',
  badPeriodHow:
    'Choose the dates on the Analytics page (at most 366 days, “From” before “To”) and download from there.',
  where: {
    location: (name, zone) => `${name} · days in the location’s time: ${zone}`,
    chain: (count) =>
      `All ${count} locations · each counts its days in its own time zone; money is shown per currency and never added across currencies`,
  },
  period: (from, to, days) => `${from} – ${to} (${days === 1 ? '1 day' : `${days} days`})`,
  csv: 'CSV',
  csvOf: (what) => `CSV: ${what}`,
  noData: '—',
  count: (n) => n.toLocaleString('en'),
  summary: {
    heading: 'Key figures',
    lead: 'Realized revenue is money kept for good: completed visits at their booked prices less refunds, and deposits or fees kept from no-shows and cancellations. Refunded money is not revenue; visits still ahead are in the pipeline below.',
    revenue: 'Realized revenue',
    revenueOf: (clients) => `from ${clients === 1 ? '1 client' : `${clients} clients`}`,
    ltv: 'Lifetime value (LTV)',
    ltvHow: 'realized revenue per paying client in this period',
    noRevenue: 'No realized revenue in this period.',
    retention: 'Retention',
    retentionOf: (part, whole) =>
      `${part} of ${whole} ${whole === 1 ? 'client' : 'clients'} with a visit booked more than once`,
    noShowRate: 'No-show rate',
    noShowOf: (noShows, late, whole) =>
      `${noShows === 1 ? '1 no-show' : `${noShows} no-shows`} and ${late === 1 ? '1 late cancellation' : `${late} late cancellations`} of ${whole} confirmed ${whole === 1 ? 'booking' : 'bookings'}`,
    figure: 'Figure',
    currency: 'Currency',
    value: 'Value',
    count: 'Count',
    outOf: 'Out of',
    clients: 'Paying clients',
    noShows: 'No-shows',
    late: 'Late cancellations',
    caption: 'Key figures of the period',
  },
  perDay: {
    heading: 'Bookings per day',
    lead: 'Bookings holding a visit (confirmed, completed or no-show) by the day they start.',
    desc: (total, days, busiest, most) =>
      `${total} ${total === 1 ? 'booking' : 'bookings'} over ${days} ${days === 1 ? 'day' : 'days'}${busiest ? `; the busiest day was ${busiest} with ${most}` : ''}. The table below lists every day.`,
    date: 'Day',
    bookings: 'Bookings',
    caption: 'Bookings per day',
  },
  load: {
    heading: 'Load per master',
    lead: 'Booked minutes over working minutes: working hours of the period, less breaks and time off.',
    desc: (count, highest) =>
      `Load of ${count} ${count === 1 ? 'master' : 'masters'}${highest ? `; the highest: ${highest}` : ''}. The dashed line is a fully booked schedule (100 %).`,
    master: 'Master',
    location: 'Location',
    booked: 'Booked',
    working: 'Working time',
    load: 'Load',
    bookedMinutes: 'Booked (minutes)',
    workingMinutes: 'Working (minutes)',
    loadPercent: 'Load (%)',
    full: '100 %',
    none: 'No masters here yet.',
    caption: 'Load per master',
  },
  leadTime: {
    heading: 'Lead time',
    lead: 'How far ahead clients book: the time from booking to the visit’s start, for bookings holding a visit.',
    desc: (total, median) =>
      `${total} ${total === 1 ? 'booking' : 'bookings'} by how far ahead they were made${median ? `; the median is ${median}` : ''}.`,
    median: (text) => `Median: ${text} ahead.`,
    bucket: 'Booked ahead',
    fromHours: 'From (hours)',
    toHours: 'Under (hours)',
    bookings: 'Bookings',
    buckets: ['under 2 h', '2–24 h', '1–3 days', '3–7 days', '1–2 weeks', '2–4 weeks', '4 weeks +'],
    axis: ['<2 h', '2–24 h', '1–3 d', '3–7 d', '1–2 wk', '2–4 wk', '4 wk+'],
    hours: (h) =>
      h < 48 ? `${Math.round(h * 10) / 10} h` : `${Math.round((h / 24) * 10) / 10} days`,
    caption: 'Bookings by lead time',
  },
  pipeline: {
    heading: 'Revenue pipeline',
    lead: 'Confirmed bookings of the period, per currency: what clients have already paid of their totals, and what is still to pay.',
    desc: (currency, paid, unpaid, bookings) =>
      `${currency}: ${bookings} confirmed ${bookings === 1 ? 'booking' : 'bookings'}, ${paid} paid, ${unpaid} still to pay.`,
    title: (currency) => `Revenue pipeline in ${currency}`,
    paid: 'Paid',
    unpaid: 'Still to pay',
    currency: 'Currency',
    bookings: 'Confirmed bookings',
    withPayment: 'With a payment',
    withoutPayment: 'Without',
    total: 'Total',
    none: 'No confirmed bookings in this period.',
    caption: 'Revenue pipeline',
  },
};

const days = (n: number) => `${n} ${ruPlural(n, 'день', 'дня', 'дней')}`;
const bookingsRu = (n: number) => `${n} ${ruPlural(n, 'запись', 'записи', 'записей')}`;

const ru: AnalyticsMessages = {
  title: 'Аналитика · Slotbot',
  heading: 'Аналитика',
  lead: 'Как идут дела филиала за период: выручка, повторные клиенты, неявки, что записано и оплачено, насколько загружен каждый мастер.',
  none: 'Филиалов пока нет: сначала добавьте филиал.',
  form: {
    location: 'Филиал',
    chain: 'Все филиалы (по валютам)',
    from: 'С',
    to: 'По (включительно)',
    show: 'Показать',
    presets: 'Периоды',
    preset: {
      last7: 'Последние 7 дней',
      last30: 'Последние 30 дней',
      last90: 'Последние 90 дней',
      next30: 'Ближайшие 30 дней',
    },
  },
  problems: {
    from: '«С» — не дата: выберите её в календаре (ГГГГ-ММ-ДД). Показаны последние 30 дней.',
    to: '«По» — не дата: выберите её в календаре (ГГГГ-ММ-ДД). Показаны последние 30 дней.',
    order: '«По» раньше, чем «С»: поменяйте их местами. Показаны последние 30 дней.',
    span: (n) => `Не больше ${days(n)} за раз: сузьте период. Показаны последние 30 дней.`,
  },
  chainOnly: 'Все филиалы вместе видит только владелец.',
  chainOnlyHow: 'Выберите один из своих филиалов.',
  badPeriod: 'Эти даты не задают период.',
  badPeriodHow:
    'Выберите даты на странице «Аналитика» (не больше 366 дней, «С» раньше «По») и скачайте файл оттуда.',
  where: {
    location: (name, zone) => `${name} · дни по времени филиала: ${zone}`,
    chain: (count) =>
      `Все филиалы (${count}) · каждый считает дни в своём часовом поясе; деньги — по валютам, разные валюты не складываются`,
  },
  period: (from, to, n) => `${from} – ${to} (${days(n)})`,
  csv: 'CSV',
  csvOf: (what) => `CSV: ${what}`,
  noData: '—',
  count: (n) => n.toLocaleString('ru'),
  summary: {
    heading: 'Главные показатели',
    lead: 'Полученная выручка — деньги, оставшиеся у бизнеса: завершённые визиты по ценам записи за вычетом возвратов, а также удержанные депозиты и штрафы за неявки и отмены. Возвращённые деньги — не выручка; будущие визиты — в воронке ниже.',
    revenue: 'Полученная выручка',
    revenueOf: (clients) => `от ${clients} ${ruPlural(clients, 'клиента', 'клиентов', 'клиентов')}`,
    ltv: 'Ценность клиента (LTV)',
    ltvHow: 'полученная выручка на одного платившего клиента за период',
    noRevenue: 'За этот период выручки нет.',
    retention: 'Удержание',
    retentionOf: (part, whole) =>
      `${part} из ${whole} ${ruPlural(whole, 'клиента', 'клиентов', 'клиентов')} записались больше одного раза`,
    noShowRate: 'Доля неявок',
    noShowOf: (noShows, late, whole) =>
      `${noShows} ${ruPlural(noShows, 'неявка', 'неявки', 'неявок')} и ${late} ${ruPlural(late, 'поздняя отмена', 'поздние отмены', 'поздних отмен')} из ${whole} ${ruPlural(whole, 'подтверждённой записи', 'подтверждённых записей', 'подтверждённых записей')}`,
    figure: 'Показатель',
    currency: 'Валюта',
    value: 'Значение',
    count: 'Число',
    outOf: 'Из',
    clients: 'Платившие клиенты',
    noShows: 'Неявки',
    late: 'Поздние отмены',
    caption: 'Главные показатели за период',
  },
  perDay: {
    heading: 'Записи по дням',
    lead: 'Записи на визит (подтверждённые, завершённые и неявки) по дню начала.',
    desc: (total, n, busiest, most) =>
      `${bookingsRu(total)} за ${days(n)}${busiest ? `; больше всего — ${busiest}: ${most}` : ''}. В таблице ниже — каждый день.`,
    date: 'День',
    bookings: 'Записи',
    caption: 'Записи по дням',
  },
  load: {
    heading: 'Загрузка мастеров',
    lead: 'Занятые минуты к рабочим: рабочие часы за период без перерывов и выходных.',
    desc: (count, highest) =>
      `Загрузка: ${count} ${ruPlural(count, 'мастер', 'мастера', 'мастеров')}${highest ? `; больше всех — ${highest}` : ''}. Пунктир — полностью занятое расписание (100 %).`,
    master: 'Мастер',
    location: 'Филиал',
    booked: 'Занято',
    working: 'Рабочее время',
    load: 'Загрузка',
    bookedMinutes: 'Занято (минут)',
    workingMinutes: 'Рабочее время (минут)',
    loadPercent: 'Загрузка (%)',
    full: '100 %',
    none: 'Мастеров пока нет.',
    caption: 'Загрузка мастеров',
  },
  leadTime: {
    heading: 'Заблаговременность записи',
    lead: 'За сколько до визита клиенты записываются: время от записи до начала визита.',
    desc: (total, median) =>
      `${bookingsRu(total)} по тому, за сколько до визита они сделаны${median ? `; медиана — ${median}` : ''}.`,
    median: (text) => `Медиана: за ${text}.`,
    bucket: 'Записались за',
    fromHours: 'От (часов)',
    toHours: 'До (часов)',
    bookings: 'Записи',
    buckets: [
      'меньше 2 ч',
      '2–24 ч',
      '1–3 дня',
      '3–7 дней',
      '1–2 недели',
      '2–4 недели',
      '4 недели +',
    ],
    axis: ['<2 ч', '2–24 ч', '1–3 дн', '3–7 дн', '1–2 нед', '2–4 нед', '4 нед+'],
    hours: (h) =>
      h < 48 ? `${Math.round(h * 10) / 10} ч` : `${Math.round((h / 24) * 10) / 10} дн.`,
    caption: 'Записи по заблаговременности',
  },
  pipeline: {
    heading: 'Воронка выручки',
    lead: 'Подтверждённые записи периода по валютам: сколько клиенты уже оплатили и сколько ещё предстоит оплатить.',
    desc: (currency, paid, unpaid, n) =>
      `${currency}: ${n} ${ruPlural(n, 'подтверждённая запись', 'подтверждённые записи', 'подтверждённых записей')}, оплачено ${paid}, к оплате ${unpaid}.`,
    title: (currency) => `Воронка выручки в ${currency}`,
    paid: 'Оплачено',
    unpaid: 'К оплате',
    currency: 'Валюта',
    bookings: 'Подтверждённые записи',
    withPayment: 'С оплатой',
    withoutPayment: 'Без оплаты',
    total: 'Итого',
    none: 'В этом периоде нет подтверждённых записей.',
    caption: 'Воронка выручки',
  },
};

export const ANALYTICS_MESSAGES: Record<WebLanguage, AnalyticsMessages> = { en, ru };

import type { WebLanguage } from './languages.ts';
import { ruPlural } from './plural.ts';

/** The bookings board: list, filters, a booking's page, staff actions and the export. */
export interface BoardMessages {
  title: string;
  heading: string;
  lead: string;
  zone(zone: string): string;
  filters: {
    legend: string;
    from: string;
    to: string;
    master: string;
    service: string;
    anyone: string;
    anything: string;
    status: string;
    search: string;
    searchHint: string;
    show: string;
    reset: string;
  };
  problems: {
    from: string;
    to: string;
    order: string;
    span(days: number): string;
    status: string;
    search: string;
  };
  found(n: number, more: boolean): string;
  none: string;
  open: string;
  export: string;
  exportHint: string;
  statuses: Record<string, string>;
  paid(amount: string): string;
  detail: {
    title: string;
    when: string;
    location: string;
    master: string;
    client: string;
    contacts: string;
    noShows(n: number): string;
    comment: string;
    notes: string;
    items: string;
    service: string;
    duration: string;
    price: string;
    total: string;
    payments: string;
    noPayments: string;
    purposes: Record<string, string>;
    providers: Record<string, string>;
    paymentStatuses: Record<string, string>;
    refunded(amount: string): string;
    history: string;
    actors: Record<string, string>;
    created: string;
    holdUntil(when: string): string;
    back: string;
  };
  actions: {
    heading: string;
    cancel: string;
    cancelHint: string;
    /** For a client without Telegram (booked by phone or in person). */
    cancelHintNoBot: string;
    reason: string;
    reasonHint: string;
    /** For a client without Telegram: the reason is only kept in the booking's history. */
    reasonNoBot: string;
    reasonHintNoBot: string;
    reasonError: string;
    completed: string;
    noShow: string;
    outcomeHint: string;
    notYet: string;
    done: Record<'booked' | 'cancelled' | 'completed' | 'no_show' | 'moved', string>;
    /** The same, for a client without Telegram, whom nobody told. */
    doneNoBot: Record<'cancelled' | 'moved', string>;
    refused: string;
    move: string;
    moveHint: string;
    moveHintNoBot: string;
    moveDay: string;
    moveMaster: string;
    sameMaster: string;
    anyMaster: string;
    findTimes: string;
    noTimes: string;
    timesOn(day: string): string;
    moveRefused: string;
  };
  clientNotes: {
    heading: string;
    label: string;
    hint: string;
    save: string;
    saved: string;
    tooLong: string;
  };
  liveChanged: string;
  exportLimited: string;
  exportLimitedHow: string;
  calendar: {
    title: string;
    day: string;
    week: string;
    today: string;
    previous: string;
    next: string;
    list: string;
    date: string;
    show: string;
    badDate: string;
    legend: string;
    working: string;
    offHours: string;
    breakLabel: string;
    timeOff: string;
    dayOff: string;
    none: string;
    figure(location: string, date: string): string;
    hours(length: number): string;
  };
  csv: {
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
  };
}

const en: BoardMessages = {
  title: 'Bookings · Slotbot',
  heading: 'Bookings',
  lead: 'Every booking of a location by start time. Filter, open one to see its items, payments and history, or export the list as CSV.',
  zone: (zone) => `Times are in the location's time: ${zone}.`,
  filters: {
    legend: 'Filter',
    from: 'From',
    to: 'To (inclusive)',
    master: 'Master',
    service: 'Service',
    anyone: 'Any master',
    anything: 'Any service',
    status: 'Status (none ticked: all)',
    search: 'Client',
    searchHint: 'Part of a name, @username or phone number.',
    show: 'Apply filters',
    reset: 'Reset filters',
  },
  problems: {
    from: '“From” is not a date: pick one from the calendar (YYYY-MM-DD).',
    to: '“To” is not a date: pick one from the calendar (YYYY-MM-DD).',
    order: '“To” is before “From”: swap them. Showing the “From” day only.',
    span: (days) =>
      `At most ${days} days at a time: narrow the dates. Showing the “From” day only.`,
    status: 'An unknown status was asked for and is ignored.',
    search: 'The client search is longer than 100 characters: shorten it.',
  },
  found: (n, more) =>
    n === 0
      ? 'No bookings match.'
      : `${n}${more ? '+' : ''} ${n === 1 ? 'booking' : 'bookings'} shown.`,
  none: 'No bookings match these filters.',
  open: 'Open',
  export: 'Export CSV',
  exportHint: 'The filtered list as a spreadsheet (UTF-8, local times with the zone).',
  statuses: {
    held: 'held',
    pending_payment: 'awaiting payment',
    confirmed: 'confirmed',
    completed: 'completed',
    no_show: 'no-show',
    cancelled: 'cancelled',
    expired: 'expired',
  },
  paid: (amount) => `paid ${amount}`,
  detail: {
    title: 'Booking',
    when: 'When',
    location: 'Location',
    master: 'Master',
    client: 'Client',
    contacts: 'Contacts',
    noShows: (n) => (n === 1 ? '1 earlier no-show' : `${n} earlier no-shows`),
    comment: 'Client’s comment',
    notes: 'Notes on the client',
    items: 'Services booked (prices as at booking)',
    service: 'Service',
    duration: 'Minutes',
    price: 'Price',
    total: 'Total',
    payments: 'Payments',
    noPayments: 'No payments.',
    purposes: {
      deposit: 'deposit',
      prepayment: 'prepayment',
      late_cancel_fee: 'late-cancellation fee',
    },
    providers: {
      telegram: 'card (Telegram)',
      telegram_stars: 'Telegram Stars',
      venue: 'at the venue',
    },
    paymentStatuses: {
      pending: 'pending',
      succeeded: 'paid',
      failed: 'failed',
      refunded: 'refunded',
    },
    refunded: (amount) => `refunded ${amount}`,
    history: 'History',
    actors: {
      client: 'the client',
      master: 'master',
      owner: 'owner',
      manager: 'manager',
      platform_admin: 'platform admin',
      system: 'Slotbot',
    },
    created: 'booked',
    holdUntil: (when) => `held until ${when}`,
    back: 'Back to the list',
  },
  actions: {
    heading: 'Actions',
    cancel: 'Cancel this visit',
    cancelHint:
      'The client gets a notice in the bot, in their language, with your reason. No cancellation fee is charged when the business cancels.',
    cancelHintNoBot:
      'This client has no Telegram: the bot cannot tell them, so let them know yourself. No cancellation fee is charged when the business cancels.',
    reason: 'Reason for the client (optional)',
    reasonHint: 'Sent with the notice as you write it; at most 500 characters.',
    reasonNoBot: 'Reason (optional)',
    reasonHintNoBot: "Kept in the booking's history; at most 500 characters.",
    reasonError: 'The reason is longer than 500 characters: shorten it.',
    completed: 'Mark completed',
    noShow: 'Mark no-show',
    outcomeHint: 'Once the visit has started: did the client come?',
    notYet: 'The outcome can be marked once the visit has started.',
    done: {
      booked: 'Booked and confirmed; the client pays at the venue.',
      cancelled: 'The visit was cancelled; the client is being told.',
      completed: 'Marked completed.',
      no_show: 'Marked as a no-show.',
      moved: 'The visit was moved; the client is being told. This is its new page.',
    },
    doneNoBot: {
      cancelled: 'The visit was cancelled. The client has no Telegram: let them know yourself.',
      moved:
        'The visit was moved. The client has no Telegram: let them know the new time yourself. This is its new page.',
    },
    refused: 'That could not be done: the booking changed meanwhile. Here it is as it is now.',
    move: 'Move this visit',
    moveHint:
      'Pick a day to see the free times for the same services. The client gets a notice in the bot with the new time; no fee is charged.',
    moveHintNoBot:
      'Pick a day to see the free times for the same services. This client has no Telegram: let them know the new time yourself. No fee is charged.',
    moveDay: 'Day',
    moveMaster: 'Master',
    sameMaster: 'The same master',
    anyMaster: 'Any master',
    findTimes: 'Show free times',
    noTimes: 'No free time that day: try another day or any master.',
    timesOn: (day) => `Free times on ${day}`,
    moveRefused: 'That time was taken meanwhile or is no longer free: pick another.',
  },
  calendar: {
    title: 'Calendar · Slotbot',
    day: 'Day',
    week: 'Week',
    today: 'Today',
    previous: 'Previous',
    next: 'Next',
    list: 'List',
    date: 'Date',
    show: 'Go',
    badDate: 'That is not a date: showing today.',
    legend: 'Key',
    working: 'working time',
    offHours: 'not working',
    breakLabel: 'break',
    timeOff: 'time off',
    dayOff: 'day off',
    none: 'No visits.',
    figure: (location, date) =>
      `${location}, ${date}: each master's working time, breaks, time off and visits`,
    hours: (n) => (n === 1440 ? '' : `This day has ${n / 60} hours (the clocks change).`),
  },
  clientNotes: {
    heading: 'Notes on the client',
    label: 'Notes (staff only)',
    hint: 'Allergies, preferences, what to remember: shown to staff on every visit of this client, never sent to the client. At most 2,000 characters; empty removes them.',
    save: 'Save notes',
    saved: 'Notes on the client saved.',
    tooLong: 'The notes are longer than 2,000 characters: shorten them.',
  },
  liveChanged: 'Bookings changed; the list was brought up to date at',
  exportLimited: 'Too many exports just now',
  exportLimitedHow:
    'At most 10 exports in 10 minutes per person: wait a few minutes and try again.',
  csv: {
    booking: 'Booking',
    status: 'Status',
    start: 'Start',
    end: 'End',
    zone: 'Time zone',
    location: 'Location',
    master: 'Master',
    services: 'Services',
    client: 'Client',
    username: 'Telegram username',
    phone: 'Phone',
    price: 'Price',
    paid: 'Paid',
    currency: 'Currency',
    comment: 'Client comment',
    notes: 'Client notes',
  },
};

const ru: BoardMessages = {
  title: 'Записи · Slotbot',
  heading: 'Записи',
  lead: 'Все записи филиала по времени начала. Отфильтруйте, откройте запись, чтобы увидеть услуги, оплаты и историю, или выгрузите список в CSV.',
  zone: (zone) => `Время указано по часовому поясу филиала: ${zone}.`,
  filters: {
    legend: 'Фильтр',
    from: 'С',
    to: 'По (включительно)',
    master: 'Мастер',
    service: 'Услуга',
    anyone: 'Любой мастер',
    anything: 'Любая услуга',
    status: 'Статус (ничего не отмечено — все)',
    search: 'Клиент',
    searchHint: 'Часть имени, @username или номера телефона.',
    show: 'Применить фильтры',
    reset: 'Сбросить фильтры',
  },
  problems: {
    from: '«С» — не дата: выберите дату в календаре (ГГГГ-ММ-ДД).',
    to: '«По» — не дата: выберите дату в календаре (ГГГГ-ММ-ДД).',
    order: '«По» раньше, чем «С»: поменяйте их местами. Показан только день «С».',
    span: (days) => `Не больше ${days} дней за раз: сузьте даты. Показан только день «С».`,
    status: 'Запрошен неизвестный статус, он не учитывается.',
    search: 'Поиск клиента длиннее 100 символов: сократите его.',
  },
  found: (n, more) =>
    n === 0
      ? 'Записей не найдено.'
      : `Показано ${n}${more ? '+' : ''} ${ruPlural(n, 'запись', 'записи', 'записей')}.`,
  none: 'Нет записей с такими фильтрами.',
  open: 'Открыть',
  export: 'Выгрузить CSV',
  exportHint: 'Отфильтрованный список для таблиц (UTF-8, местное время с часовым поясом).',
  statuses: {
    held: 'удерживается',
    pending_payment: 'ждёт оплаты',
    confirmed: 'подтверждена',
    completed: 'состоялась',
    no_show: 'неявка',
    cancelled: 'отменена',
    expired: 'истекла',
  },
  paid: (amount) => `оплачено ${amount}`,
  detail: {
    title: 'Запись',
    when: 'Когда',
    location: 'Филиал',
    master: 'Мастер',
    client: 'Клиент',
    contacts: 'Контакты',
    noShows: (n) => `${n} ${ruPlural(n, 'неявка', 'неявки', 'неявок')} раньше`,
    comment: 'Комментарий клиента',
    notes: 'Заметки о клиенте',
    items: 'Услуги (цены на момент записи)',
    service: 'Услуга',
    duration: 'Минут',
    price: 'Цена',
    total: 'Итого',
    payments: 'Оплаты',
    noPayments: 'Оплат нет.',
    purposes: {
      deposit: 'депозит',
      prepayment: 'предоплата',
      late_cancel_fee: 'штраф за позднюю отмену',
    },
    providers: {
      telegram: 'карта (Telegram)',
      telegram_stars: 'Telegram Stars',
      venue: 'на месте',
    },
    paymentStatuses: {
      pending: 'ожидается',
      succeeded: 'оплачено',
      failed: 'не прошла',
      refunded: 'возвращено',
    },
    refunded: (amount) => `возвращено ${amount}`,
    history: 'История',
    actors: {
      client: 'клиент',
      master: 'мастер',
      owner: 'владелец',
      manager: 'менеджер',
      platform_admin: 'администратор платформы',
      system: 'Slotbot',
    },
    created: 'создана',
    holdUntil: (when) => `удерживается до ${when}`,
    back: 'К списку',
  },
  actions: {
    heading: 'Действия',
    cancel: 'Отменить визит',
    cancelHint:
      'Клиент получит уведомление в боте на своём языке с вашей причиной. Штраф не берётся, когда отменяет бизнес.',
    cancelHintNoBot:
      'У этого клиента нет Telegram: бот не сможет ему сообщить, предупредите его сами. Когда отменяет бизнес, плата за отмену не берётся.',
    reason: 'Причина для клиента (необязательно)',
    reasonHint: 'Придёт вместе с уведомлением, как вы её напишете; не более 500 символов.',
    reasonNoBot: 'Причина (необязательно)',
    reasonHintNoBot: 'Сохранится в истории записи; не более 500 символов.',
    reasonError: 'Причина длиннее 500 символов: сократите её.',
    completed: 'Визит состоялся',
    noShow: 'Клиент не пришёл',
    outcomeHint: 'После начала визита: пришёл ли клиент?',
    notYet: 'Итог визита можно отметить после его начала.',
    done: {
      booked: 'Записано и подтверждено; клиент платит на месте.',
      cancelled: 'Визит отменён; клиент получает уведомление.',
      completed: 'Отмечено: визит состоялся.',
      no_show: 'Отмечено: клиент не пришёл.',
      moved: 'Визит перенесён; клиент получает уведомление. Это страница новой записи.',
    },
    doneNoBot: {
      cancelled: 'Визит отменён. У клиента нет Telegram: сообщите ему сами.',
      moved:
        'Визит перенесён. У клиента нет Telegram: сообщите ему новое время сами. Это его новая страница.',
    },
    refused: 'Не получилось: запись за это время изменилась. Вот она сейчас.',
    move: 'Перенести визит',
    moveHint:
      'Выберите день, чтобы увидеть свободное время для тех же услуг. Клиент получит уведомление в боте с новым временем; штраф не берётся.',
    moveHintNoBot:
      'Выберите день, чтобы увидеть свободное время для тех же услуг. У этого клиента нет Telegram: сообщите ему новое время сами. Плата не берётся.',
    moveDay: 'День',
    moveMaster: 'Мастер',
    sameMaster: 'Тот же мастер',
    anyMaster: 'Любой мастер',
    findTimes: 'Показать свободное время',
    noTimes: 'В этот день свободного времени нет: попробуйте другой день или любого мастера.',
    timesOn: (day) => `Свободное время: ${day}`,
    moveRefused: 'Это время уже заняли или оно больше не свободно: выберите другое.',
  },
  calendar: {
    title: 'Календарь · Slotbot',
    day: 'День',
    week: 'Неделя',
    today: 'Сегодня',
    previous: 'Назад',
    next: 'Вперёд',
    list: 'Список',
    date: 'Дата',
    show: 'Перейти',
    badDate: 'Это не дата: показан сегодняшний день.',
    legend: 'Обозначения',
    working: 'рабочее время',
    offHours: 'нерабочее время',
    breakLabel: 'перерыв',
    timeOff: 'отгул',
    dayOff: 'выходной',
    none: 'Записей нет.',
    figure: (location, date) =>
      `${location}, ${date}: рабочее время, перерывы, отгулы и записи каждого мастера`,
    hours: (n) =>
      n === 1440
        ? ''
        : `В этом дне ${n / 60} ${ruPlural(n / 60, 'час', 'часа', 'часов')} (перевод часов).`,
  },
  clientNotes: {
    heading: 'Заметки о клиенте',
    label: 'Заметки (видят только сотрудники)',
    hint: 'Аллергии, предпочтения, что важно помнить: видны сотрудникам при каждом визите клиента, клиенту не отправляются. Не более 2000 символов; пустое поле удаляет заметки.',
    save: 'Сохранить заметки',
    saved: 'Заметки о клиенте сохранены.',
    tooLong: 'Заметки длиннее 2000 символов: сократите их.',
  },
  liveChanged: 'Записи изменились; список обновлён в',
  exportLimited: 'Слишком много выгрузок',
  exportLimitedHow:
    'Не больше 10 выгрузок за 10 минут на человека: подождите несколько минут и попробуйте снова.',
  csv: {
    booking: 'Запись',
    status: 'Статус',
    start: 'Начало',
    end: 'Конец',
    zone: 'Часовой пояс',
    location: 'Филиал',
    master: 'Мастер',
    services: 'Услуги',
    client: 'Клиент',
    username: 'Telegram',
    phone: 'Телефон',
    price: 'Цена',
    paid: 'Оплачено',
    currency: 'Валюта',
    comment: 'Комментарий клиента',
    notes: 'Заметки о клиенте',
  },
};

export const BOARD_MESSAGES: Record<WebLanguage, BoardMessages> = { en, ru };

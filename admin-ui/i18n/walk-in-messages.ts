import type { WebLanguage } from './languages.ts';

/** The board's new booking: a phone or walk-in client found or added, free times, the owner's override. */
export interface WalkInMessages {
  title: string;
  heading: string;
  lead: string;
  open: string;
  back: string;
  client: {
    heading: string;
    find: string;
    findHint: string;
    search: string;
    noMatches(search: string): string;
    choose: string;
    chosen: string;
    change: string;
    sources: Record<'telegram' | 'phone' | 'walk_in', string>;
    noShows(n: number): string;
  };
  newClient: {
    heading: string;
    source: string;
    phone: string;
    walkIn: string;
    name: string;
    nameHint: string;
    phoneLabel: string;
    phoneHint: string;
    language: string;
    languageHint: string;
    add: string;
    problems: Record<'name' | 'nameLong' | 'phone' | 'phoneNeeded', string>;
    summary: string;
    exists(name: string): string;
    useExisting: string;
  };
  visit: {
    heading: string;
    services: string;
    servicesHint: string;
    master: string;
    anyMaster: string;
    day: string;
    findTimes: string;
    timesOn(day: string): string;
    noTimes: string;
    pickServices: string;
    badDay: string;
    book(time: string): string;
    minutes(n: number): string;
  };
  override: {
    heading: string;
    hint: string;
    time: string;
    timeHint: string;
    reason: string;
    reasonHint: string;
    submit: string;
    needMaster: string;
    badTime: string;
    reasonMissing: string;
    reasonLong: string;
    ownersOnly: string;
    ownersOnlyHow: string;
  };
  refused: {
    slotTaken: string;
    outsideSchedule: string;
    outsideScheduleOwner: string;
    leadTime: string;
    horizon: string;
    cutoff: string;
    maintenance: string;
    maintenanceUntil(when: string): string;
    suspended: string;
    location: string;
    service: string;
    master: string;
    changed: string;
    client: string;
  };
}

const en: WalkInMessages = {
  title: 'New booking · Slotbot',
  heading: 'New booking',
  lead: 'For a client on the phone or at the desk: find or add the client, pick the services and a free time. The visit is confirmed at once and paid at the venue.',
  open: 'New booking',
  back: 'Back to the bookings',
  client: {
    heading: '1. Client',
    find: 'Find a client',
    findHint: 'A part of the name, the @username or the phone number.',
    search: 'Find',
    noMatches: (search) => `No client matches “${search}”. Add them below.`,
    choose: 'Choose',
    chosen: 'Booking for',
    change: 'Choose another client',
    sources: { telegram: 'in the bot', phone: 'by phone', walk_in: 'in person' },
    noShows: (n) => (n === 1 ? '1 no-show' : `${n} no-shows`),
  },
  newClient: {
    heading: 'Or add a new client',
    source: 'How they book',
    phone: 'By phone',
    walkIn: 'In person',
    name: 'Name',
    nameHint: 'As the client gives it; required.',
    phoneLabel: 'Phone',
    phoneHint:
      'Required for a phone booking. Digits, spaces, brackets or dashes; + and the country code for a number abroad.',
    language: 'Language',
    languageHint: 'The language the client speaks, for anything said to them later.',
    add: 'Add the client',
    problems: {
      name: 'Enter the client’s name.',
      nameLong: 'The name is longer than 200 characters: shorten it.',
      phone:
        'That is not a phone number: use 5 to 15 digits (spaces, brackets and dashes are fine), with + for a country code.',
      phoneNeeded: 'A phone booking needs the client’s phone number (or choose “In person”).',
    },
    summary: 'The client was not added: see the fields below.',
    exists: (name) => `A client with this phone number is already here: ${name}.`,
    useExisting: 'Book for them',
  },
  visit: {
    heading: '2. Services and time',
    services: 'Services',
    servicesHint: 'One or more: their times add up to one visit.',
    master: 'Master',
    anyMaster: 'Any master',
    day: 'Day',
    findTimes: 'Show free times',
    timesOn: (day) => `Free times on ${day}`,
    noTimes: 'No free time that day: try another day or any master.',
    pickServices: 'Choose at least one service.',
    badDay: 'That is not a date: pick a day.',
    book: (time) => `Book ${time}`,
    minutes: (n) => `${n} min`,
  },
  override: {
    heading: 'Outside the offered times (owners)',
    hint: 'Book a time the schedule does not offer, such as before opening or in a break, with one master. The reason is kept in the booking’s history. Another visit of that master at the same time still stops it.',
    time: 'Start time',
    timeHint: 'On the day above, in the location’s time.',
    reason: 'Reason',
    reasonHint: 'Required; at most 400 characters. Kept in the history.',
    submit: 'Book outside the schedule',
    needMaster: 'Choose one master (not “Any master”) to book outside the schedule.',
    badTime: 'Enter a start time.',
    reasonMissing: 'Give a reason for booking outside the schedule.',
    reasonLong: 'The reason is longer than 400 characters: shorten it.',
    ownersOnly: 'Only an owner may book outside the schedule',
    ownersOnlyHow: 'Pick one of the free times, or ask an owner.',
  },
  refused: {
    slotTaken: 'That time was just taken. Here are the free times as they are now.',
    outsideSchedule:
      'That time is not offered (outside the working hours or the slot grid): pick one of the free times.',
    outsideScheduleOwner:
      'That time is not offered (outside the working hours or the slot grid): pick a free time, or book it outside the schedule with a reason.',
    leadTime: 'That time is too soon to book: pick a later one.',
    horizon: 'That day is beyond how far ahead bookings are open.',
    cutoff: 'Same-day bookings are closed for today: pick another day.',
    maintenance: 'The business is in maintenance: no new bookings until it ends. Try again later.',
    maintenanceUntil: (when) =>
      `The business is in maintenance until ${when}: no new bookings until then.`,
    suspended: 'The business is not open for bookings.',
    location: 'This location is not taking bookings now.',
    service: 'A chosen service is no longer offered: choose the services again.',
    master: 'That master cannot do these services then: choose another master or any master.',
    changed: 'The list changed meanwhile: choose again.',
    client: 'That client is not found: find or add them again.',
  },
};

const ru: WalkInMessages = {
  title: 'Новая запись · Slotbot',
  heading: 'Новая запись',
  lead: 'Для клиента по телефону или у стойки: найдите или добавьте клиента, выберите услуги и свободное время. Визит сразу подтверждён, оплата на месте.',
  open: 'Новая запись',
  back: 'К записям',
  client: {
    heading: '1. Клиент',
    find: 'Найти клиента',
    findHint: 'Часть имени, @username или номер телефона.',
    search: 'Найти',
    noMatches: (search) => `По запросу «${search}» клиентов нет. Добавьте клиента ниже.`,
    choose: 'Выбрать',
    chosen: 'Запись для',
    change: 'Выбрать другого клиента',
    sources: { telegram: 'в боте', phone: 'по телефону', walk_in: 'лично' },
    noShows: (n) => `неявок: ${n}`,
  },
  newClient: {
    heading: 'Или добавьте нового клиента',
    source: 'Как записывается',
    phone: 'По телефону',
    walkIn: 'Лично',
    name: 'Имя',
    nameHint: 'Как называет себя клиент; обязательно.',
    phoneLabel: 'Телефон',
    phoneHint:
      'Обязателен для записи по телефону. Цифры, пробелы, скобки или дефисы; для номера из другой страны — + и код страны.',
    language: 'Язык',
    languageHint: 'На каком языке говорит клиент — для всего, что ему скажут позже.',
    add: 'Добавить клиента',
    problems: {
      name: 'Введите имя клиента.',
      nameLong: 'Имя длиннее 200 символов: сократите его.',
      phone:
        'Это не номер телефона: нужно от 5 до 15 цифр (пробелы, скобки и дефисы можно), с + для кода страны.',
      phoneNeeded: 'Для записи по телефону нужен номер клиента (или выберите «Лично»).',
    },
    summary: 'Клиент не добавлен: см. поля ниже.',
    exists: (name) => `Клиент с этим номером уже есть: ${name}.`,
    useExisting: 'Записать его',
  },
  visit: {
    heading: '2. Услуги и время',
    services: 'Услуги',
    servicesHint: 'Одна или несколько: их время складывается в один визит.',
    master: 'Мастер',
    anyMaster: 'Любой мастер',
    day: 'День',
    findTimes: 'Показать свободное время',
    timesOn: (day) => `Свободное время: ${day}`,
    noTimes: 'В этот день свободного времени нет: попробуйте другой день или любого мастера.',
    pickServices: 'Выберите хотя бы одну услугу.',
    badDay: 'Это не дата: выберите день.',
    book: (time) => `Записать на ${time}`,
    minutes: (n) => `${n} мин`,
  },
  override: {
    heading: 'Вне предложенного времени (владельцы)',
    hint: 'Запись на время, которого нет в расписании, например до открытия или в перерыв, к одному мастеру. Причина сохраняется в истории записи. Другой визит этого мастера в то же время всё равно помешает.',
    time: 'Время начала',
    timeHint: 'В выбранный выше день, по времени филиала.',
    reason: 'Причина',
    reasonHint: 'Обязательно; не длиннее 400 символов. Сохраняется в истории.',
    submit: 'Записать вне расписания',
    needMaster: 'Чтобы записать вне расписания, выберите одного мастера (не «Любой мастер»).',
    badTime: 'Введите время начала.',
    reasonMissing: 'Укажите причину записи вне расписания.',
    reasonLong: 'Причина длиннее 400 символов: сократите её.',
    ownersOnly: 'Записать вне расписания может только владелец',
    ownersOnlyHow: 'Выберите свободное время или обратитесь к владельцу.',
  },
  refused: {
    slotTaken: 'Это время только что заняли. Вот свободное время на сейчас.',
    outsideSchedule:
      'Это время не предлагается (вне рабочих часов или сетки записи): выберите свободное время.',
    outsideScheduleOwner:
      'Это время не предлагается (вне рабочих часов или сетки записи): выберите свободное время или запишите вне расписания с причиной.',
    leadTime: 'Это время слишком близко: выберите более позднее.',
    horizon: 'Этот день дальше, чем открыта запись.',
    cutoff: 'Запись на сегодня закрыта: выберите другой день.',
    maintenance:
      'Идут технические работы: новых записей нет, пока они не закончатся. Попробуйте позже.',
    maintenanceUntil: (when) => `Идут технические работы до ${when}: до этого новых записей нет.`,
    suspended: 'Бизнес сейчас не принимает записи.',
    location: 'Этот филиал сейчас не принимает записи.',
    service: 'Выбранная услуга больше не предлагается: выберите услуги заново.',
    master: 'Этот мастер не делает эти услуги в это время: выберите другого мастера или любого.',
    changed: 'Список изменился: выберите заново.',
    client: 'Клиент не найден: найдите или добавьте его снова.',
  },
};

export const WALK_IN_MESSAGES: Record<WebLanguage, WalkInMessages> = { en, ru };

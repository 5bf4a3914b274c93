import type { WebLanguage } from './languages.ts';

/** The services editor. */
export interface CatalogMessages {
  title: string;
  heading: string;
  lead: string;
  location: string;
  show: string;
  none: string;
  add: string;
  edit: string;
  inactive: string;
  minutes(n: number): string;
  upcoming(n: number): string;
  form: {
    newTitle: string;
    editTitle: string;
    translations: string;
    translationsHint: string;
    nameIn(language: string): string;
    active: string;
    activeHint(upcoming: number): string;
    order: string;
    orderHint: string;
    orderError: string;
    save: string;
    back: string;
  };
  saved: Record<'created' | 'updated', string>;
  masters: {
    title: string;
    heading: string;
    lead: string;
    none: string;
    add: string;
    telegram: string;
    noTelegram: string;
    speed(factor: string): string;
    newTitle: string;
    editTitle: string;
    speedLabel: string;
    speedHint: string;
    speedError: Record<'empty' | 'format' | 'range', string>;
    skills: string;
    skillsHint: string;
    skillsError: string;
    overrideLabel(service: string, minutes: number): string;
    overrideError: string;
    active: string;
    activeHint(upcoming: number): string;
    hoursHint: string;
    hours: string;
    hoursLead: string;
    back: string;
    saved: Record<'created' | 'updated', string>;
  };
}

const en: CatalogMessages = {
  title: 'Services · Slotbot',
  heading: 'Services',
  lead: 'What clients book at each location: names, how long, how much. The bot shows a change on its next screen.',
  location: 'Location',
  show: 'Show',
  none: 'No services at this location yet.',
  add: 'Add a service',
  edit: 'Edit',
  inactive: 'not bookable',
  minutes: (n) => `${n} min`,
  upcoming: (n) => (n === 1 ? '1 upcoming booking' : `${n} upcoming bookings`),
  form: {
    newTitle: 'New service',
    editTitle: 'Edit service',
    translations: 'Names in other languages',
    translationsHint:
      'Optional: clients who use the bot in that language read this name; others read the name above.',
    nameIn: (language) => `Name in ${language}`,
    active: 'Clients can book it',
    activeHint: (n) =>
      n > 0
        ? `Turning it off keeps the ${n} upcoming booking(s) of it as they are; clients just cannot book it again.`
        : 'Turned off, the bot no longer offers it.',
    order: 'Position in the list',
    orderHint: 'Lower numbers come first in the bot.',
    orderError: 'Enter a whole number from 0 to 9999.',
    save: 'Save',
    back: 'Back to services',
  },
  saved: {
    created: 'Service added.',
    updated: 'Service saved: the bot shows it on its next screen.',
  },
  masters: {
    title: 'Masters · Slotbot',
    heading: 'Masters',
    lead: 'Who does what at each location, and how fast. Each master’s Hours page sets their week, breaks and time off.',
    none: 'No masters at this location yet.',
    add: 'Add a master',
    telegram: 'Telegram connected',
    noTelegram: 'no Telegram yet (invite them on the Staff page)',
    speed: (factor) => `speed ×${factor}`,
    newTitle: 'New master',
    editTitle: 'Edit master',
    speedLabel: 'Speed',
    speedHint: '1 = each service’s own duration; 0.8 = 20 % faster; 1.25 = slower. From 0.25 to 4.',
    speedError: {
      empty: 'Enter the speed, e.g. 1.',
      format: 'Write the speed as a number, e.g. 1 or 0.8.',
      range: 'The speed must be from 0.25 to 4.',
    },
    skills: 'Services they do',
    skillsHint:
      'Tick each service; a duration of their own is optional (minutes, instead of the service’s).',
    skillsError: 'Tick at least one service.',
    overrideLabel: (service, minutes) =>
      `${service}: their own duration, minutes (the service takes ${minutes})`,
    overrideError: 'Whole minutes from 1 to 1440, or leave it empty.',
    active: 'Clients can book them',
    activeHint: (n) =>
      n > 0
        ? `Turning it off keeps their ${n} upcoming booking(s); clients just cannot book them again.`
        : 'Turned off, the bot no longer offers them.',
    hoursHint:
      'The same hours on the chosen days; change them day by day on the master’s Hours page afterwards.',
    hours: 'Hours',
    hoursLead: 'Working hours by day, breaks and time off:',
    back: 'Back to masters',
    saved: {
      created: 'Master added.',
      updated: 'Master saved: the bot shows it on its next screen.',
    },
  },
};

const ru: CatalogMessages = {
  title: 'Услуги · Slotbot',
  heading: 'Услуги',
  lead: 'Что клиенты записывают в каждом филиале: названия, длительность, цена. Бот покажет изменение на следующем экране.',
  location: 'Филиал',
  show: 'Показать',
  none: 'В этом филиале пока нет услуг.',
  add: 'Добавить услугу',
  edit: 'Изменить',
  inactive: 'запись закрыта',
  minutes: (n) => `${n} мин`,
  upcoming: (n) => `предстоящих записей: ${n}`,
  form: {
    newTitle: 'Новая услуга',
    editTitle: 'Изменение услуги',
    translations: 'Названия на других языках',
    translationsHint:
      'Необязательно: клиенты, которые пользуются ботом на этом языке, видят это название; остальные — название выше.',
    nameIn: (language) => `Название (${language})`,
    active: 'Клиенты могут записаться',
    activeHint: (n) =>
      n > 0
        ? `Если выключить, предстоящие записи (${n}) останутся как есть; новые записи на услугу станут невозможны.`
        : 'Если выключить, бот перестанет её предлагать.',
    order: 'Место в списке',
    orderHint: 'Меньшие числа идут в боте первыми.',
    orderError: 'Введите целое число от 0 до 9999.',
    save: 'Сохранить',
    back: 'К услугам',
  },
  saved: {
    created: 'Услуга добавлена.',
    updated: 'Услуга сохранена: бот покажет её на следующем экране.',
  },
  masters: {
    title: 'Мастера · Slotbot',
    heading: 'Мастера',
    lead: 'Кто что делает в каждом филиале и как быстро. Неделю, перерывы и отсутствия каждого мастера задаёт страница «Часы работы».',
    none: 'В этом филиале пока нет мастеров.',
    add: 'Добавить мастера',
    telegram: 'Telegram подключён',
    noTelegram: 'Telegram ещё не подключён (пригласите на странице «Сотрудники»)',
    speed: (factor) => `скорость ×${factor}`,
    newTitle: 'Новый мастер',
    editTitle: 'Изменение мастера',
    speedLabel: 'Скорость',
    speedHint:
      '1 — длительность услуги как есть; 0,8 — на 20 % быстрее; 1,25 — медленнее. От 0,25 до 4.',
    speedError: {
      empty: 'Введите скорость, например 1.',
      format: 'Запишите скорость числом, например 1 или 0,8.',
      range: 'Скорость должна быть от 0,25 до 4.',
    },
    skills: 'Какие услуги выполняет',
    skillsHint:
      'Отметьте каждую услугу; своя длительность — по желанию (в минутах, вместо длительности услуги).',
    skillsError: 'Отметьте хотя бы одну услугу.',
    overrideLabel: (service, minutes) =>
      `${service}: своя длительность, минут (услуга идёт ${minutes})`,
    overrideError: 'Целое число минут от 1 до 1440 или пусто.',
    active: 'Клиенты могут записаться',
    activeHint: (n) =>
      n > 0
        ? `Если выключить, предстоящие записи (${n}) останутся; новые записи к мастеру станут невозможны.`
        : 'Если выключить, бот перестанет его предлагать.',
    hoursHint:
      'Одинаковые часы в выбранные дни; потом их можно менять по дням на странице мастера «Часы работы».',
    hours: 'Часы работы',
    hoursLead: 'Рабочие часы по дням, перерывы и отсутствия:',
    back: 'К мастерам',
    saved: {
      created: 'Мастер добавлен.',
      updated: 'Мастер сохранён: бот покажет изменения на следующем экране.',
    },
  },
};

export const CATALOG_MESSAGES: Record<WebLanguage, CatalogMessages> = { en, ru };

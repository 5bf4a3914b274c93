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
    translationsHint: 'Optional: clients who use the bot in that language read this name; others read the name above.',
    nameIn: (language) => `Name in ${language}`,
    active: 'Clients can book it',
    activeHint: (n) => (n > 0 ? `Turning it off keeps the ${n} upcoming booking(s) of it as they are; clients just cannot book it again.` : 'Turned off, the bot no longer offers it.'),
    order: 'Position in the list',
    orderHint: 'Lower numbers come first in the bot.',
    orderError: 'Enter a whole number from 0 to 9999.',
    save: 'Save',
    back: 'Back to services',
  },
  saved: { created: 'Service added.', updated: 'Service saved: the bot shows it on its next screen.' },
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
    translationsHint: 'Необязательно: клиенты, которые пользуются ботом на этом языке, видят это название; остальные — название выше.',
    nameIn: (language) => `Название (${language})`,
    active: 'Клиенты могут записаться',
    activeHint: (n) => (n > 0 ? `Если выключить, предстоящие записи (${n}) останутся как есть; новые записи на услугу станут невозможны.` : 'Если выключить, бот перестанет её предлагать.'),
    order: 'Место в списке',
    orderHint: 'Меньшие числа идут в боте первыми.',
    orderError: 'Введите целое число от 0 до 9999.',
    save: 'Сохранить',
    back: 'К услугам',
  },
  saved: { created: 'Услуга добавлена.', updated: 'Услуга сохранена: бот покажет её на следующем экране.' },
};

export const CATALOG_MESSAGES: Record<WebLanguage, CatalogMessages> = { en, ru };

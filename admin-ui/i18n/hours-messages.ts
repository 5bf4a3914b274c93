import type { WebLanguage } from './languages.ts';

/**
 * The hours editor: a master's week (working windows, breaks), time off, and the confirmation when
 * a change leaves visits outside working time. Days and spans come in already written ("Monday",
 * "09:00–13:00").
 */
export interface HoursMessages {
  title(master: string): string;
  heading(master: string): string;
  zone(location: string, zone: string): string;
  week: string;
  dayOff: string;
  working: string;
  break: string;
  remove: string;
  removeWhat(what: string, day: string, span: string): string;
  add: {
    heading: string;
    kind: string;
    window: string;
    break: string;
    days: string;
    daysHint: string;
    from: string;
    fromHint: string;
    to: string;
    toHint: string;
    label: string;
    labelHint: string;
    button: string;
    split(parts: string): string;
    merge(span: string): string;
  };
  errors: {
    kind: string;
    days: string;
    time: Record<'empty' | 'format', string>;
    zeroLength: string;
    crossesMidnight(span: string, splits: string[]): string;
    split(first: string, firstDay: string, second: string, secondDay: string): string;
    overlapWindow(day: string, existing: string, count: number, merged: string): string;
    overlapBreak(day: string, existing: string, count: number, merged: string): string;
    breakOutside(day: string, span: string, windows: string): string;
    breakOnDayOff(day: string): string;
    label: string;
    breaksInside(day: string, span: string, breaks: string): string;
    gone: string;
  };
  timeOff: {
    heading: string;
    none: string;
    now: string;
    wholeDay(date: string): string;
    wholeDays(range: string): string;
    add: string;
    mode: string;
    days: string;
    hours: string;
    firstDay: string;
    firstDayHint: string;
    lastDay: string;
    lastDayHint: string;
    date: string;
    from: string;
    fromHint: string;
    to: string;
    toHint: string;
    reason: string;
    reasonHint: string;
    button: string;
    removeWhat(range: string): string;
  };
  timeOffErrors: {
    mode: string;
    date: Record<'empty' | 'format', string>;
    time: Record<'empty' | 'format', string>;
    lastBeforeFirst: string;
    endBeforeStart: string;
    past: string;
    skipped: string;
    reason: string;
  };

  change: {
    add(what: string, entries: string): string;
    remove(what: string, entry: string): string;
    timeOff(range: string): string;
  };
  saved: Record<'added' | 'removed' | 'time_off_added' | 'time_off_removed', string>;
  backToMaster: string;
  allMasters: string;
  problem: string;
}

const en: HoursMessages = {
  title: (master) => `Hours: ${master} · Slotbot`,
  heading: (master) => `Hours: ${master}`,
  zone: (location, zone) => `${location} · times in ${zone}`,
  week: 'Week',
  dayOff: 'Day off',
  working: 'Working',
  break: 'Break',
  remove: 'Remove',
  removeWhat: (what, day, span) => `${what} on ${day}, ${span}`,
  add: {
    heading: 'Add working hours or a break',
    kind: 'What',
    window: 'Working hours',
    break: 'A break',
    days: 'Days',
    daysHint: 'Tick each day it applies to.',
    from: 'From',
    fromHint: 'e.g. 09:00',
    to: 'To',
    toHint: 'Midnight: 00:00',
    label: 'Label',
    labelHint: 'Breaks only, optional, e.g. Lunch.',
    button: 'Add',
    split: (parts) => `Add it split at midnight: ${parts}`,
    merge: (span) => `Merge them into ${span}`,
  },
  errors: {
    kind: 'Choose working hours or a break.',
    days: 'Tick at least one day.',
    time: { empty: 'Enter a time, e.g. 09:00.', format: 'Write the time as HH:MM, e.g. 09:00.' },
    zeroLength: 'The end must be after the start.',
    crossesMidnight: (span, splits) => `${span} crosses midnight: ${splits.join('; ')}.`,
    split: (first, firstDay, second, secondDay) =>
      `add ${first} on ${firstDay} and ${second} on ${secondDay}`,
    overlapWindow: (day, existing, n, merged) =>
      `On ${day} this overlaps ${existing}; to work ${merged}, change ${n === 1 ? 'that window' : 'those windows'} instead, or merge them.`,
    overlapBreak: (day, existing, n, merged) =>
      `On ${day} this overlaps the ${n === 1 ? 'break' : 'breaks'} ${existing}; make one break ${merged} instead, or merge them.`,
    breakOutside: (day, span, windows) =>
      `The break ${span} is not inside the working hours of ${day} (${windows}): a break must lie within them.`,
    breakOnDayOff: (day) => `${day} has no working hours: add them first, then the break.`,
    label: 'At most 100 characters.',
    breaksInside: (day, span, breaks) =>
      `The working hours ${span} on ${day} hold the break ${breaks}: remove the break first.`,
    gone: 'That was already removed.',
  },
  timeOff: {
    heading: 'Time off',
    none: 'No time off ahead.',
    now: 'now',
    wholeDay: (date) => `${date}, the whole day`,
    wholeDays: (range) => `${range}, whole days`,
    add: 'Add time off',
    mode: 'How long',
    days: 'Whole days',
    hours: 'Part of a day',
    firstDay: 'First day',
    firstDayHint: 'The first day off',
    lastDay: 'Last day',
    lastDayHint: 'Empty for one day',
    date: 'Date',
    from: 'From',
    fromHint: 'e.g. 14:00',
    to: 'Until',
    toHint: 'Midnight: 00:00',
    reason: 'Reason',
    reasonHint: 'Optional; only staff see it.',
    button: 'Add time off',
    removeWhat: (range) => `time off ${range}`,
  },
  timeOffErrors: {
    mode: 'Choose whole days or part of a day.',
    date: { empty: 'Enter the date.', format: 'Enter a date such as 2026-03-30.' },
    time: { empty: 'Enter a time, e.g. 14:00.', format: 'Write the time as HH:MM, e.g. 14:00.' },
    lastBeforeFirst: 'The last day cannot be before the first.',
    endBeforeStart:
      'The end must be after the start; for time off past midnight, add the next day separately.',
    past: 'That time is over already.',
    skipped: 'The clocks skip that time on that date: there is no time between these two.',
    reason: 'At most 200 characters.',
  },

  change: {
    add: (what, entries) => `Add ${what.toLowerCase()}: ${entries}`,
    remove: (what, entry) => `Remove ${what.toLowerCase()}: ${entry}`,
    timeOff: (range) => `Time off: ${range}`,
  },
  saved: {
    added: 'Saved: the bot offers the new times on its next screen.',
    removed: 'Removed: the bot shows it on its next screen.',
    time_off_added: 'Time off added: the bot no longer offers that time.',
    time_off_removed: 'Time off removed: the bot offers that time again.',
  },
  backToMaster: 'Edit the master',
  allMasters: 'Back to masters',
  problem: 'That was not added: the form below says why.',
};

const ru: HoursMessages = {
  title: (master) => `Часы работы: ${master} · Slotbot`,
  heading: (master) => `Часы работы: ${master}`,
  zone: (location, zone) => `${location} · время: ${zone}`,
  week: 'Неделя',
  dayOff: 'Выходной',
  working: 'Работа',
  break: 'Перерыв',
  remove: 'Удалить',
  removeWhat: (what, day, span) => `${what}, ${day}, ${span}`,
  add: {
    heading: 'Добавить рабочие часы или перерыв',
    kind: 'Что',
    window: 'Рабочие часы',
    break: 'Перерыв',
    days: 'Дни',
    daysHint: 'Отметьте каждый день, к которому это относится.',
    from: 'С',
    fromHint: 'например 09:00',
    to: 'До',
    toHint: 'Полночь: 00:00',
    label: 'Подпись',
    labelHint: 'Только для перерыва, необязательно, например «Обед».',
    button: 'Добавить',
    split: (parts) => `Добавить с разбивкой в полночь: ${parts}`,
    merge: (span) => `Объединить в ${span}`,
  },
  errors: {
    kind: 'Выберите: рабочие часы или перерыв.',
    days: 'Отметьте хотя бы один день.',
    time: {
      empty: 'Введите время, например 09:00.',
      format: 'Запишите время как ЧЧ:ММ, например 09:00.',
    },
    zeroLength: 'Конец должен быть позже начала.',
    crossesMidnight: (span, splits) => `${span} переходит через полночь: ${splits.join('; ')}.`,
    split: (first, firstDay, second, secondDay) =>
      `добавьте ${first} (${firstDay}) и ${second} (${secondDay})`,
    overlapWindow: (day, existing, _n, merged) =>
      `${day}: пересекается с ${existing}; чтобы работать ${merged}, измените те часы или объедините их.`,
    overlapBreak: (day, existing, n, merged) =>
      `${day}: пересекается с ${n === 1 ? 'перерывом' : 'перерывами'} ${existing}; сделайте один перерыв ${merged} или объедините их.`,
    breakOutside: (day, span, windows) =>
      `Перерыв ${span} не попадает в рабочие часы (${day}: ${windows}): перерыв должен быть внутри них.`,
    breakOnDayOff: (day) => `${day}: рабочих часов нет — сначала добавьте их, потом перерыв.`,
    label: 'Не больше 100 символов.',
    breaksInside: (day, span, breaks) =>
      `Внутри рабочих часов ${span} (${day}) есть перерыв ${breaks}: сначала удалите перерыв.`,
    gone: 'Это уже удалено.',
  },
  timeOff: {
    heading: 'Отсутствие',
    none: 'Отсутствий впереди нет.',
    now: 'сейчас',
    wholeDay: (date) => `${date}, весь день`,
    wholeDays: (range) => `${range}, целые дни`,
    add: 'Добавить отсутствие',
    mode: 'Сколько',
    days: 'Целые дни',
    hours: 'Часть дня',
    firstDay: 'Первый день',
    firstDayHint: 'Первый день отсутствия',
    lastDay: 'Последний день',
    lastDayHint: 'Пусто — один день',
    date: 'Дата',
    from: 'С',
    fromHint: 'например 14:00',
    to: 'До',
    toHint: 'Полночь: 00:00',
    reason: 'Причина',
    reasonHint: 'Необязательно; видят только сотрудники.',
    button: 'Добавить отсутствие',
    removeWhat: (range) => `отсутствие ${range}`,
  },
  timeOffErrors: {
    mode: 'Выберите: целые дни или часть дня.',
    date: { empty: 'Введите дату.', format: 'Введите дату, например 2026-03-30.' },
    time: {
      empty: 'Введите время, например 14:00.',
      format: 'Запишите время как ЧЧ:ММ, например 14:00.',
    },
    lastBeforeFirst: 'Последний день не может быть раньше первого.',
    endBeforeStart:
      'Конец должен быть позже начала; отсутствие после полуночи добавьте отдельно на следующий день.',
    past: 'Это время уже прошло.',
    skipped:
      'В эту дату часы переводят и этого времени нет: между этими двумя временами ничего не остаётся.',
    reason: 'Не больше 200 символов.',
  },

  change: {
    add: (what, entries) => `Добавить (${what.toLowerCase()}): ${entries}`,
    remove: (what, entry) => `Удалить (${what.toLowerCase()}): ${entry}`,
    timeOff: (range) => `Отсутствие: ${range}`,
  },
  saved: {
    added: 'Сохранено: бот покажет новое время на следующем экране.',
    removed: 'Удалено: бот покажет это на следующем экране.',
    time_off_added: 'Отсутствие добавлено: бот больше не предлагает это время.',
    time_off_removed: 'Отсутствие удалено: бот снова предлагает это время.',
  },
  backToMaster: 'Изменить мастера',
  allMasters: 'К мастерам',
  problem: 'Не добавлено: причина указана в форме ниже.',
};

export const HOURS_MESSAGES: Record<WebLanguage, HoursMessages> = { en, ru };

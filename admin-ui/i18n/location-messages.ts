import type { PaymentProviderKind } from '../../tenants/payments/provider.ts';
import type { WebLanguage } from './languages.ts';

type Window = 'cancel' | 'reschedule';
type Unit = 'minutes' | 'hours' | 'days' | 'percent' | 'count';
type Option<K extends string> = Record<K, string>;

/** The locations editor: the list, the form with the whole policy set, its problems. */
export interface LocationMessages {
  title: string;
  heading: string;
  lead: string;
  add: string;
  edit: string;
  none: string;
  inactive: string;
  upcoming(n: number): string;
  saved: Record<'created' | 'updated' | 'unchanged', string>;
  switchLabel: string;
  switchButton: string;
  form: {
    newTitle: string;
    editTitle: string;
    sections: Record<
      'place' | 'booking' | 'cancel' | 'reschedule' | 'payment' | 'reminders',
      string
    >;
    windowHint: Record<Window, string>;
    currencyHint: string;
    currencyChangeHint: string;
    zoneHint: string;
    active: string;
    activeHint: string;
    activeOwnerOnly: string;
    fields: Record<string, { label: string; hint?: string }>;
    feeLabel(window: Window): string;
    feeAmount(currency: string): string;
    feeKinds: Option<'none' | 'percent' | 'fixed'>;
    depositModes: Option<'none' | 'always' | 'no_show_flagged'>;
    lateReminders: Option<'send_now' | 'skip'>;
    payAhead: string;
    payAheadBy: Record<PaymentProviderKind, string>;
    payAheadFix: string;
    payAheadFixManager: string;
    botSettings: string;
    preview: string;
    previewHint: string;
    previewInvalid: string;
    previewButton: string;
    storedProblem: string;
    save: string;
    back: string;
  };
  errors: {
    number(reason: 'empty' | 'format' | 'range', unit: Unit, min: number, max: number): string;
    fee(
      reason: 'empty' | 'format' | 'too_many_decimals' | 'too_large',
      currency: string,
      digits: number,
    ): string;
    zeroFee: string;
    choice: string;
    time: string;
    lockAfterFree(window: Window, lock: number, free: number): string;
    feeNeverApplies(window: Window, hours: number): string;
    noOnlinePayment: string;
    noticeBeyondHorizon(notice: string, days: number): string;
    remindersFormat(item: string): string;
    remindersRange(item: string): string;
    remindersTooMany(count: number, max: number): string;
    remindersDuplicate(time: string): string;
    reminderBeyondHorizon(time: string, days: number): string;
    stillBooked(n: number): string;
    currencyBooked(n: number, currency: string): string;
    currencyDigits(from: string, to: string, fromDigits: number, toDigits: number): string;
  };
}

const en: LocationMessages = {
  title: 'Locations · Slotbot',
  heading: 'Locations',
  lead: 'Where clients book, in which time zone and currency, and the rules they book under. The bot shows a change on its next screen.',
  add: 'Add a location',
  edit: 'Edit',
  none: 'No locations yet.',
  inactive: 'closed to bookings',
  upcoming: (n) => (n === 1 ? '1 upcoming booking' : `${n} upcoming bookings`),
  saved: {
    created: 'Location added: the bot offers it on its next screen.',
    updated: 'Location saved: the bot shows it on its next screen.',
    unchanged: 'Nothing was changed.',
  },
  switchLabel: 'Location',
  switchButton: 'Open',
  form: {
    newTitle: 'New location',
    editTitle: 'Edit location',
    sections: {
      place: 'The location',
      booking: 'When clients can book',
      cancel: 'Cancelling',
      reschedule: 'Moving a visit',
      payment: 'Paying ahead',
      reminders: 'Reminders',
    },
    windowHint: {
      cancel:
        'Up to “free until”, clients cancel in the bot at no cost; later, the fee applies; from “closed from” on, they are asked to contact you instead (0: up to the start).',
      reschedule:
        'Up to “free until”, clients move a visit in the bot at no cost; later, the fee applies; from “closed from” on, they are asked to contact you instead (0: up to the start).',
    },
    currencyHint:
      'Three letters: EUR, USD, RUB… (XTR: Telegram Stars). Prices and fees here are in this currency.',
    currencyChangeHint:
      'Prices keep their numbers when the currency changes: 30.00 EUR becomes 30.00 USD.',
    zoneHint: 'Type a city to search, e.g. Berlin → Europe/Berlin. Clients see times in this zone.',
    active: 'Clients can book here',
    activeHint:
      'Turned off, the bot no longer offers this location; its services, masters and past bookings stay.',
    activeOwnerOnly: 'Only an owner can open or close a location.',
    fields: {
      lead_time: {
        label: 'Minimum notice, minutes',
        hint: 'How long before the start bookings close: 60 = 1 hour, 1440 = 1 day, 0 = up to the start.',
      },
      horizon_days: { label: 'Bookings open, days ahead', hint: 'From 1 to 365.' },
      same_day_cutoff: {
        label: 'Same-day bookings close at (optional)',
        hint: 'A local time such as 17:00; empty: no such limit.',
      },
      slot_step: {
        label: 'Start times every, minutes',
        hint: '15 offers 10:00, 10:15, 10:30… From 5 to 240.',
      },
      buffer_before: {
        label: 'Free time before each visit, minutes',
        hint: 'Kept free for preparation (0–240); clients do not see it.',
      },
      buffer_after: {
        label: 'Free time after each visit, minutes',
        hint: 'Kept free for cleaning up (0–240).',
      },
      cancel_free_hours: { label: 'Free until, h before' },
      cancel_lock_hours: { label: 'Closed from, h before' },
      reschedule_free_hours: { label: 'Free until, h before' },
      reschedule_lock_hours: { label: 'Closed from, h before' },
      fee_percent: { label: 'Fee, %' },
      deposit_mode: { label: 'What clients pay ahead' },
      deposit_percent: {
        label: 'Deposit, % of the price',
        hint: 'When a deposit is asked from everyone.',
      },
      no_show_threshold: {
        label: 'Missed visits after which a client pays everything ahead',
        hint: 'With either rule, such a client pays the full price online when booking.',
      },
      hold_minutes: {
        label: 'An unpaid booking keeps its time for, minutes',
        hint: 'Then the time is free for others again (1–1440).',
      },
      reminders: {
        label: 'Reminders before the visit',
        hint: 'E.g. 24 h, 3 h or 30 min: up to 5, separated by commas; a number alone is hours; empty: no reminders.',
      },
      reminders_late: { label: 'A booking made after a reminder’s time' },
    },
    feeLabel: (w) => (w === 'cancel' ? 'Fee for cancelling later' : 'Fee for moving later'),
    feeAmount: (currency) => `Fee, ${currency}`,
    feeKinds: { none: 'No fee', percent: 'A percentage of the price', fixed: 'A fixed amount' },
    depositModes: {
      none: 'Nothing: pay at the venue',
      always: 'A deposit from everyone',
      no_show_flagged: 'Full price, only after no-shows',
    },
    lateReminders: { send_now: 'gets that reminder at once', skip: 'does not get it' },
    payAhead: 'How clients pay ahead',
    payAheadBy: {
      telegram: 'By card in Telegram, through your bot’s payment provider.',
      telegram_stars: 'In Telegram Stars (this location’s prices are in XTR).',
      venue:
        'They cannot pay online: card payments are off for your bot, so everything is paid at the venue.',
    },
    payAheadFix: 'Card payments are turned on in',
    payAheadFixManager: 'The owner turns card payments on in the bot settings.',
    botSettings: 'Bot settings',
    preview: 'What clients read',
    previewHint:
      'Updated as you type, or with “Preview”. Each client reads it in their own language.',
    previewInvalid: 'Fix the marked fields to see what clients read.',
    previewButton: 'Preview',
    storedProblem:
      'Some of these settings cannot work as they are, so they cannot be saved like this: see the marked fields.',
    save: 'Save',
    back: 'Back to locations',
  },
  errors: {
    number: (reason, unit, min, max) => {
      const words = {
        minutes: 'minutes',
        hours: 'hours',
        days: 'days',
        percent: 'percent',
        count: 'visits',
      }[unit];
      if (reason === 'empty') return `Enter a number of ${words}, from ${min} to ${max}.`;
      if (reason === 'format')
        return `Write a whole number of ${words}, e.g. ${Math.max(min, Math.min(max, unit === 'percent' ? 50 : 2))}.`;
      return `It must be from ${min} to ${max} ${words}.`;
    },
    fee: (reason, currency, digits) =>
      reason === 'empty'
        ? 'Enter the fee, e.g. 10 or 10.50.'
        : reason === 'too_many_decimals'
          ? `${currency} has ${digits} digits after the decimal mark, e.g. 10.50.`
          : reason === 'too_large'
            ? 'That fee is too large.'
            : digits === 0
              ? `Write the fee as a whole number of ${currency}, e.g. 500.`
              : 'Write the fee as a number, e.g. 10 or 10.50.',
    zeroFee: 'A fee of 0 is no fee: choose “No fee”, or enter an amount.',
    choice: 'Choose one of the options.',
    time: 'Write a time of day such as 17:00, or leave it empty.',
    lockAfterFree: (w, lock, free) =>
      `${w === 'cancel' ? 'Cancelling' : 'Moving a visit'} would close ${lock} h before the visit, while it is free until ${free} h before: make this at most ${free}.`,
    feeNeverApplies: (w, hours) =>
      `This fee could never be charged: ${w === 'cancel' ? 'cancelling' : 'moving a visit'} is free until ${hours} h before and closed from then on. Close it later (a smaller number), or choose “No fee”.`,
    noOnlinePayment:
      'Clients cannot pay online for this location, so nothing could be taken ahead. Choose “Nothing: pay at the venue”, or turn on card payments for your bot first (Bot settings).',
    noticeBeyondHorizon: (notice, days) =>
      `Bookings open only ${days} day(s) ahead, so a notice of ${notice} leaves no time to book. Make it shorter, or open bookings further ahead.`,
    remindersFormat: (item) =>
      `“${item}” is not a time before the visit: write e.g. 24 h, 3 h or 30 min.`,
    remindersRange: (item) =>
      `“${item}”: a reminder can be from 1 minute to 30 days before the visit, in whole minutes.`,
    remindersTooMany: (count, max) => `Up to ${max} reminders: there are ${count}.`,
    remindersDuplicate: (time) => `${time} is there twice: each reminder needs a time of its own.`,
    reminderBeyondHorizon: (time, days) =>
      `A reminder ${time} before the visit could never be sent in time: bookings open only ${days} day(s) ahead. Make it shorter, or open bookings further ahead.`,
    stillBooked: (n) =>
      `${n === 1 ? '1 upcoming booking is' : `${n} upcoming bookings are`} at this location, so it stays open: those clients expect to come. Once they have passed (or are cancelled), it can be closed.`,
    currencyBooked: (n, currency) =>
      `${n === 1 ? '1 upcoming booking was' : `${n} upcoming bookings were`} priced in ${currency}: the currency can change once they have passed.`,
    currencyDigits: (from, to, fromDigits, toDigits) =>
      `Prices here are in ${from} (${fromDigits} digits after the decimal mark); ${to} has ${toDigits}, so every price would change its amount. Keep ${from}, or add a new location for ${to}.`,
  },
};

const ru: LocationMessages = {
  title: 'Филиалы · Slotbot',
  heading: 'Филиалы',
  lead: 'Где клиенты записываются, в каком часовом поясе и валюте, и по каким правилам. Бот покажет изменение на следующем экране.',
  add: 'Добавить филиал',
  edit: 'Изменить',
  none: 'Филиалов пока нет.',
  inactive: 'запись закрыта',
  upcoming: (n) => `предстоящих записей: ${n}`,
  saved: {
    created: 'Филиал добавлен: бот предложит его на следующем экране.',
    updated: 'Филиал сохранён: бот покажет изменения на следующем экране.',
    unchanged: 'Ничего не изменилось.',
  },
  switchLabel: 'Филиал',
  switchButton: 'Открыть',
  form: {
    newTitle: 'Новый филиал',
    editTitle: 'Изменение филиала',
    sections: {
      place: 'О филиале',
      booking: 'Когда можно записаться',
      cancel: 'Отмена',
      reschedule: 'Перенос визита',
      payment: 'Оплата заранее',
      reminders: 'Напоминания',
    },
    windowHint: {
      cancel:
        'До срока «бесплатно» клиенты отменяют в боте без платы; позже берётся сбор; с срока «закрыто» их просят связаться с вами (0 — до самого начала).',
      reschedule:
        'До срока «бесплатно» клиенты переносят визит в боте без платы; позже берётся сбор; с срока «закрыто» их просят связаться с вами (0 — до самого начала).',
    },
    currencyHint:
      'Три латинские буквы: RUB, EUR, USD… (XTR — Telegram Stars). Цены и сборы филиала — в этой валюте.',
    currencyChangeHint: 'При смене валюты цены сохраняют свои числа: 30,00 EUR станут 30,00 USD.',
    zoneHint:
      'Начните вводить город, например Moscow → Europe/Moscow. Клиенты видят время в этом поясе.',
    active: 'Клиенты могут записаться',
    activeHint:
      'Если выключить, бот перестанет предлагать филиал; услуги, мастера и прошлые записи останутся.',
    activeOwnerOnly: 'Открыть или закрыть филиал может только владелец.',
    fields: {
      lead_time: {
        label: 'Минимум до начала, минут',
        hint: 'За сколько до начала закрывается запись: 60 — час, 1440 — сутки, 0 — вплоть до начала.',
      },
      horizon_days: { label: 'Запись открыта, дней вперёд', hint: 'От 1 до 365.' },
      same_day_cutoff: {
        label: 'Запись на сегодня закрывается в (необязательно)',
        hint: 'Местное время, например 17:00; пусто — без такого ограничения.',
      },
      slot_step: {
        label: 'Шаг времени начала, минут',
        hint: '15 — это 10:00, 10:15, 10:30… От 5 до 240.',
      },
      buffer_before: {
        label: 'Свободное время перед визитом, минут',
        hint: 'Для подготовки (0–240); клиенты его не видят.',
      },
      buffer_after: { label: 'Свободное время после визита, минут', hint: 'Для уборки (0–240).' },
      cancel_free_hours: { label: 'Бесплатно за, ч до визита' },
      cancel_lock_hours: { label: 'Закрыто за, ч до визита' },
      reschedule_free_hours: { label: 'Бесплатно за, ч до визита' },
      reschedule_lock_hours: { label: 'Закрыто за, ч до визита' },
      fee_percent: { label: 'Сбор, %' },
      deposit_mode: { label: 'Что клиенты платят заранее' },
      deposit_percent: { label: 'Депозит, % от стоимости', hint: 'Когда депозит берётся со всех.' },
      no_show_threshold: {
        label: 'Пропусков, после которых клиент платит всё заранее',
        hint: 'При любом правиле такой клиент оплачивает полную стоимость онлайн при записи.',
      },
      hold_minutes: {
        label: 'Неоплаченная запись держит время, минут',
        hint: 'Потом время снова свободно для других (1–1440).',
      },
      reminders: {
        label: 'Напоминания до визита',
        hint: 'Например 24 ч, 3 ч или 30 мин: до 5, через запятую; число без единиц — часы; пусто — без напоминаний.',
      },
      reminders_late: { label: 'Если запись сделана позже времени напоминания, оно' },
    },
    feeLabel: (w) => (w === 'cancel' ? 'Сбор за позднюю отмену' : 'Сбор за поздний перенос'),
    feeAmount: (currency) => `Сбор, ${currency}`,
    feeKinds: { none: 'Без сбора', percent: 'Процент от стоимости', fixed: 'Фиксированная сумма' },
    depositModes: {
      none: 'Ничего: оплата на месте',
      always: 'Депозит со всех',
      no_show_flagged: 'Полная цена, только после пропусков',
    },
    lateReminders: { send_now: 'приходит сразу', skip: 'не отправляется' },
    payAhead: 'Как клиенты платят заранее',
    payAheadBy: {
      telegram: 'Картой в Telegram, через платёжного провайдера вашего бота.',
      telegram_stars: 'Звёздами Telegram (цены филиала в XTR).',
      venue:
        'Онлайн оплатить нельзя: оплата картой у вашего бота выключена, всё оплачивается на месте.',
    },
    payAheadFix: 'Оплата картой включается в разделе',
    payAheadFixManager: 'Оплату картой включает владелец в настройках бота.',
    botSettings: 'Настройки бота',
    preview: 'Что прочитают клиенты',
    previewHint:
      'Обновляется по мере ввода или по кнопке «Просмотр». Каждый клиент читает это на своём языке.',
    previewInvalid: 'Исправьте отмеченные поля, чтобы увидеть, что прочитают клиенты.',
    previewButton: 'Просмотр',
    storedProblem:
      'Некоторые из этих настроек не могут работать как есть, поэтому сохранить их так нельзя: см. отмеченные поля.',
    save: 'Сохранить',
    back: 'К филиалам',
  },
  errors: {
    number: (reason, unit, min, max) => {
      const words = {
        minutes: 'минут',
        hours: 'часов',
        days: 'дней',
        percent: 'процентов',
        count: 'пропусков',
      }[unit];
      if (reason === 'empty') return `Введите число ${words}: от ${min} до ${max}.`;
      if (reason === 'format')
        return `Запишите целое число ${words}, например ${Math.max(min, Math.min(max, unit === 'percent' ? 50 : 2))}.`;
      return `Нужно от ${min} до ${max} (${words}).`;
    },
    fee: (reason, currency, digits) =>
      reason === 'empty'
        ? 'Введите сбор, например 10 или 10,50.'
        : reason === 'too_many_decimals'
          ? `У ${currency} ${digits} знака после запятой, например 10,50.`
          : reason === 'too_large'
            ? 'Слишком большой сбор.'
            : digits === 0
              ? `Запишите сбор целым числом ${currency}, например 500.`
              : 'Запишите сбор числом, например 10 или 10,50.',
    zeroFee: 'Сбор 0 — это без сбора: выберите «Без сбора» или введите сумму.',
    choice: 'Выберите один из вариантов.',
    time: 'Запишите время, например 17:00, или оставьте пустым.',
    lockAfterFree: (w, lock, free) =>
      `${w === 'cancel' ? 'Отмена' : 'Перенос'} закрылся бы за ${lock} ч до визита, хотя бесплатно можно до ${free} ч: укажите не больше ${free}.`,
    feeNeverApplies: (w, hours) =>
      `Этот сбор никогда не возьмётся: ${w === 'cancel' ? 'отмена' : 'перенос'} бесплатны до ${hours} ч до визита и закрыты после. Закройте позже (меньшее число) или выберите «Без сбора».`,
    noOnlinePayment:
      'Клиенты этого филиала не могут платить онлайн, поэтому заранее ничего не взять. Выберите «Ничего: оплата на месте» или сначала включите оплату картой у бота (Настройки бота).',
    noticeBeyondHorizon: (notice, days) =>
      `Запись открыта только на ${days} дн. вперёд, а при минимуме ${notice} записаться будет некогда. Уменьшите минимум или откройте запись дальше.`,
    remindersFormat: (item) =>
      `«${item}» — не время до визита: напишите, например, 24 ч, 3 ч или 30 мин.`,
    remindersRange: (item) =>
      `«${item}»: напоминание — от 1 минуты до 30 дней до визита, в целых минутах.`,
    remindersTooMany: (count, max) => `Не больше ${max} напоминаний, а указано ${count}.`,
    remindersDuplicate: (time) => `${time} указано дважды: у каждого напоминания своё время.`,
    reminderBeyondHorizon: (time, days) =>
      `Напоминание за ${time} до визита никогда не придёт вовремя: запись открыта только на ${days} дн. вперёд. Уменьшите его или откройте запись дальше.`,
    stillBooked: (n) =>
      `В филиале предстоящих записей: ${n}, поэтому он остаётся открытым — эти клиенты придут. Когда записи пройдут (или будут отменены), филиал можно закрыть.`,
    currencyBooked: (n, currency) =>
      `Предстоящие записи (${n}) оценены в ${currency}: валюту можно сменить, когда они пройдут.`,
    currencyDigits: (from, to, fromDigits, toDigits) =>
      `Цены здесь в ${from} (${fromDigits} знака после запятой), а у ${to} — ${toDigits}, поэтому все суммы изменились бы. Оставьте ${from} или добавьте новый филиал для ${to}.`,
  },
};

export const LOCATION_MESSAGES: Record<WebLanguage, LocationMessages> = { en, ru };

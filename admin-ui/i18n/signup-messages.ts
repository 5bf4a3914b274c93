import type { HoursReason, MoneyReason } from '../../tenants/admin/setup-input.ts';
import type { WebLanguage } from './languages.ts';

/** What the sign-up page and the first-run checklist say, per language (both have every key). */
export interface SignupMessages {
  signup: {
    title: string;
    heading: string;
    lead: string;
    steps: { before: string; after: string }[];
    approvalNote: string;
    name: string;
    nameHint: string;
    token: string;
    tokenHint: string;
    language: string;
    languageHint: string;
    submit: string;
    haveAccount: string;
    signIn: string;
    closedTitle: string;
    closedHeading: string;
    closedHow: string;
    problem: string;
    errors: {
      nameEmpty: string;
      nameTooLong: string;
      tokenEmpty: string;
      tokenMalformed: string;
      badToken: string;
      unreachable: string;
      elsewhere: string;
      webhookRefused(reason: string): string;
      other: string;
    };
    tooManyTitle: string;
    tooManyAddress(minutes: number, at: string): string;
    tooManyPlatform(minutes: number, at: string): string;
    doneTitle: string;
    doneHeading(bot: string): string;
    doneLead: string;
    openButton(bot: string): string;
    copyLabel: string;
    doneSteps: string[];
    pending: string;
    once: string;
  };
  setup: {
    heading: string;
    lead(bot: string): string;
    todo: string;
    done: string;
    location: { title: string; what: string; add: string };
    service: { title: string; what: string; add: string; needs: string };
    master: { title: string; what: string; add: string; needs: string };
    ready: string;
    readyPending: string;
    saved: Record<'location' | 'service' | 'master', string>;
    back: string;
    inLocation(name: string): string;
    locationForm: {
      title: string;
      name: string;
      nameHint: string;
      zone: string;
      zoneHint: string;
      currency: string;
      currencyHint: string;
      address: string;
      addressHint: string;
      submit: string;
    };
    serviceForm: {
      title: string;
      name: string;
      nameHint: string;
      duration: string;
      durationHint: string;
      price(currency: string): string;
      priceHint: string;
      submit: string;
    };
    masterForm: {
      title: string;
      name: string;
      nameHint: string;
      services: string;
      days: string;
      from: string;
      to: string;
      hoursHint: string;
      submit: string;
    };
    problem: string;
    errors: {
      name: Record<'empty' | 'too_long', string>;
      zone: Record<'empty' | 'unknown', string>;
      currency: Record<'empty' | 'unknown', string>;
      address: string;
      duration: Record<'empty' | 'format' | 'range', string>;
      price(reason: MoneyReason, currency: string, digits: number): string;
      services: string;
      hours: Record<HoursReason, string>;
      gone: string;
    };
  };
}

const en: SignupMessages = {
  signup: {
    title: 'Connect your bot · Slotbot',
    heading: 'Connect your business’s bot',
    lead: 'Your clients book in your own Telegram bot. Create it with BotFather, paste its token here, and you are a few minutes from your first booking.',
    steps: [
      {
        before: 'In Telegram, open ',
        after: ', send /newbot and choose a name and a username ending in “bot”.',
      },
      { before: 'BotFather answers with the bot’s token, ', after: ' Copy all of it.' },
      { before: 'Paste it below with your business’s name.', after: '' },
    ],
    approvalNote:
      'New businesses are checked by the people who run this platform before clients can book. You can set everything up meanwhile.',
    name: 'Business name',
    nameHint: 'As your clients know it, e.g. “Studio Anna”.',
    token: 'Bot token from BotFather',
    tokenHint: 'Digits, a colon, then a long code: 123456789:AA…',
    language: 'Language of your business',
    languageHint: 'What your bot speaks to clients by default.',
    submit: 'Connect the bot',
    haveAccount: 'Signed up already?',
    signIn: 'Sign in',
    closedTitle: 'Sign-up is closed · Slotbot',
    closedHeading: 'Sign-up is closed',
    closedHow:
      'This platform does not take new businesses by itself right now. Ask the people who run it to connect your business: they can open sign-up or connect your bot for you.',
    problem: 'The bot is not connected yet. See below what to change.',
    errors: {
      nameEmpty: 'Enter your business’s name.',
      nameTooLong: 'Keep the name to 200 characters.',
      tokenEmpty: 'Paste the token BotFather gave you.',
      tokenMalformed:
        'This does not look like a bot token. Copy the whole token from BotFather: digits, a colon, then a long code (123456789:AA…).',
      badToken:
        'Telegram does not know this token: it may be mistyped or revoked. Copy it again from BotFather (/mybots → your bot → API Token).',
      unreachable:
        'Telegram could not be reached just now, so the token could not be checked. Nothing was saved: try again in a minute.',
      elsewhere:
        'This bot is already connected to another business. If it is yours, send /admin to the bot to sign in; otherwise create a new bot with BotFather.',
      webhookRefused: (reason) =>
        `Telegram refused to send this bot’s messages to this platform (“${reason}”). Nothing was saved: tell the people who run this platform.`,
      other: 'The bot could not be connected. Nothing was saved: try again in a minute.',
    },
    tooManyTitle: 'Too many sign-up attempts',
    tooManyAddress: (minutes, at) =>
      `Sign-up allows a few attempts an hour from one connection. Try again in about ${minutes} min (after ${at}).`,
    tooManyPlatform: (minutes, at) =>
      `Many businesses signed up in the last hour, so sign-up takes a short pause. Try again in about ${minutes} min (after ${at}).`,
    doneTitle: 'Your bot is connected · Slotbot',
    doneHeading: (bot) => `@${bot} is connected`,
    doneLead:
      'One step left: show it is you. Open this link on the phone with your Telegram and press Start. The bot makes you the owner and sends you your admin link.',
    openButton: (bot) => `Open @${bot} in Telegram`,
    copyLabel: 'Or copy the link',
    doneSteps: [
      'Open the link in Telegram (on your phone, or in Telegram on this computer).',
      'Press Start.',
      'Open the admin link the bot sends you and finish the checklist: a location, a service and a master.',
    ],
    pending:
      'Your business waits for approval by the platform: clients cannot book yet. You can sign in and set everything up meanwhile.',
    once: 'This page is shown once and the link works once, for 7 days. Lost it before pressing Start? Fill in this form again with the same token.',
  },
  setup: {
    heading: 'Get your bot ready for bookings',
    lead: (bot) => `Three steps, and clients can book through @${bot}.`,
    todo: 'To do',
    done: 'Done',
    location: {
      title: 'A location',
      what: 'Where clients come: its name, time zone and currency.',
      add: 'Add a location',
    },
    service: {
      title: 'A service',
      what: 'What clients book: its name, how long it takes and its price.',
      add: 'Add a service',
      needs: 'Add a location first.',
    },
    master: {
      title: 'A master',
      what: 'Who does the service and on which days and hours.',
      add: 'Add a master',
      needs: 'Add a service first.',
    },
    ready: 'Your bot takes bookings: open',
    readyPending:
      'Everything is set up. Your business waits for approval by the platform; then clients can book.',
    saved: {
      location: 'The location is saved.',
      service: 'The service is saved.',
      master: 'The master is saved.',
    },
    back: 'Back to the checklist',
    inLocation: (name) => `At ${name}.`,
    locationForm: {
      title: 'Add a location',
      name: 'Name',
      nameHint: 'As clients see it, e.g. “Studio on Main Street”.',
      zone: 'Time zone',
      zoneHint: 'Where the location is, e.g. Europe/Berlin. Clients see times in this zone.',
      currency: 'Currency',
      currencyHint: 'Three letters: EUR, USD, RUB…',
      address: 'Address (optional)',
      addressHint: 'Shown to clients with their booking.',
      submit: 'Save the location',
    },
    serviceForm: {
      title: 'Add a service',
      name: 'Name',
      nameHint: 'E.g. “Haircut”.',
      duration: 'Duration, minutes',
      durationHint: 'How long it takes, e.g. 45.',
      price: (currency) => `Price, ${currency}`,
      priceHint: 'As you write it: 25, 25.50 or 25,50.',
      submit: 'Save the service',
    },
    masterForm: {
      title: 'Add a master',
      name: 'Name',
      nameHint: 'As clients see it, e.g. “Anna”.',
      services: 'Does',
      days: 'Works on',
      from: 'From',
      to: 'Until',
      hoursHint:
        'The same hours on each chosen day; breaks and other days come with the full editor.',
      submit: 'Save the master',
    },
    problem: 'Nothing was saved yet. See below what to change.',
    errors: {
      name: {
        empty: 'Enter a name.',
        too_long: 'Keep the name shorter: up to 100 characters (200 for a location).',
      },
      zone: {
        empty: 'Choose the location’s time zone, e.g. Europe/Berlin.',
        unknown: 'That is not a time zone we know: pick one from the list, e.g. Europe/Berlin.',
      },
      currency: {
        empty: 'Enter the currency, e.g. EUR.',
        unknown: 'That is not a currency code: use three letters such as EUR, USD or RUB.',
      },
      address: 'Keep the address to 500 characters.',
      duration: {
        empty: 'Enter how many minutes it takes.',
        format: 'Write the minutes as a whole number, e.g. 45.',
        range: 'A service takes from 1 to 1440 minutes.',
      },
      price: (reason, currency, digits) =>
        reason === 'empty'
          ? 'Enter the price (0 if it is free).'
          : reason === 'too_many_decimals'
            ? `${currency} has ${digits} digits after the decimal mark, e.g. 25.50.`
            : reason === 'too_large'
              ? 'That price is too large.'
              : digits === 0
                ? `Write the price as a whole number of ${currency}, e.g. 2500.`
                : 'Write the price as a number, e.g. 25 or 25.50.',
      services: 'Choose at least one service this master does.',
      hours: {
        no_days: 'Choose at least one day.',
        start: 'Enter when the day starts, e.g. 10:00.',
        end: 'Enter when the day ends, e.g. 19:00.',
        order: 'The day must end after it starts, on the same day.',
      },
      gone: 'This location or service is not there any more: reload the page and choose again.',
    },
  },
};

const ru: SignupMessages = {
  signup: {
    title: 'Подключите бота · Slotbot',
    heading: 'Подключите бота своего бизнеса',
    lead: 'Клиенты записываются в вашем собственном боте Telegram. Создайте его у BotFather, вставьте сюда его токен — и до первой записи останется несколько минут.',
    steps: [
      {
        before: 'В Telegram откройте ',
        after: ', отправьте /newbot и выберите имя и username, оканчивающийся на «bot».',
      },
      { before: 'BotFather пришлёт токен бота, ', after: ' Скопируйте его целиком.' },
      { before: 'Вставьте его ниже вместе с названием бизнеса.', after: '' },
    ],
    approvalNote:
      'Новые бизнесы проверяют администраторы платформы, до этого клиенты не могут записываться. Пока можно всё настроить.',
    name: 'Название бизнеса',
    nameHint: 'Как его знают клиенты, например «Студия Анны».',
    token: 'Токен бота от BotFather',
    tokenHint: 'Цифры, двоеточие и длинный код: 123456789:AA…',
    language: 'Язык бизнеса',
    languageHint: 'На каком языке бот по умолчанию говорит с клиентами.',
    submit: 'Подключить бота',
    haveAccount: 'Уже зарегистрировались?',
    signIn: 'Войти',
    closedTitle: 'Регистрация закрыта · Slotbot',
    closedHeading: 'Регистрация закрыта',
    closedHow:
      'Сейчас платформа не принимает новые бизнесы самостоятельно. Попросите администраторов платформы подключить ваш бизнес: они могут открыть регистрацию или подключить бота за вас.',
    problem: 'Бот ещё не подключён. Ниже написано, что исправить.',
    errors: {
      nameEmpty: 'Введите название бизнеса.',
      nameTooLong: 'Название — не длиннее 200 символов.',
      tokenEmpty: 'Вставьте токен, который дал BotFather.',
      tokenMalformed:
        'Это не похоже на токен бота. Скопируйте токен от BotFather целиком: цифры, двоеточие и длинный код (123456789:AA…).',
      badToken:
        'Telegram не знает этот токен: возможно, он с опечаткой или отозван. Скопируйте его заново у BotFather (/mybots → ваш бот → API Token).',
      unreachable:
        'Не удалось связаться с Telegram, поэтому токен не проверен. Ничего не сохранено: попробуйте через минуту.',
      elsewhere:
        'Этот бот уже подключён к другому бизнесу. Если он ваш, отправьте боту /admin, чтобы войти; иначе создайте нового бота у BotFather.',
      webhookRefused: (reason) =>
        `Telegram отказался пересылать сообщения этого бота на платформу («${reason}»). Ничего не сохранено: сообщите администраторам платформы.`,
      other: 'Не удалось подключить бота. Ничего не сохранено: попробуйте через минуту.',
    },
    tooManyTitle: 'Слишком много попыток регистрации',
    tooManyAddress: (minutes, at) =>
      `С одного подключения можно сделать лишь несколько попыток в час. Попробуйте примерно через ${minutes} мин (после ${at}).`,
    tooManyPlatform: (minutes, at) =>
      `За последний час зарегистрировалось много бизнесов, регистрация ненадолго приостановлена. Попробуйте примерно через ${minutes} мин (после ${at}).`,
    doneTitle: 'Бот подключён · Slotbot',
    doneHeading: (bot) => `@${bot} подключён`,
    doneLead:
      'Остался один шаг — подтвердить, что это вы. Откройте ссылку на телефоне с вашим Telegram и нажмите «Старт». Бот сделает вас владельцем и пришлёт ссылку для входа в админку.',
    openButton: (bot) => `Открыть @${bot} в Telegram`,
    copyLabel: 'Или скопируйте ссылку',
    doneSteps: [
      'Откройте ссылку в Telegram (на телефоне или в Telegram на этом компьютере).',
      'Нажмите «Старт».',
      'Откройте ссылку для входа, которую пришлёт бот, и пройдите чек-лист: филиал, услуга и мастер.',
    ],
    pending:
      'Ваш бизнес ждёт одобрения платформы: клиенты пока не могут записываться. Пока можно войти и всё настроить.',
    once: 'Эта страница показывается один раз, а ссылка срабатывает один раз и действует 7 дней. Потеряли её до нажатия «Старт»? Заполните эту форму ещё раз с тем же токеном.',
  },
  setup: {
    heading: 'Подготовьте бота к записи',
    lead: (bot) => `Три шага — и клиенты смогут записываться через @${bot}.`,
    todo: 'Сделать',
    done: 'Готово',
    location: {
      title: 'Филиал',
      what: 'Куда приходят клиенты: название, часовой пояс и валюта.',
      add: 'Добавить филиал',
    },
    service: {
      title: 'Услуга',
      what: 'На что записываются клиенты: название, длительность и цена.',
      add: 'Добавить услугу',
      needs: 'Сначала добавьте филиал.',
    },
    master: {
      title: 'Мастер',
      what: 'Кто оказывает услугу и в какие дни и часы.',
      add: 'Добавить мастера',
      needs: 'Сначала добавьте услугу.',
    },
    ready: 'Ваш бот принимает записи: откройте',
    readyPending:
      'Всё настроено. Ваш бизнес ждёт одобрения платформы, после него клиенты смогут записываться.',
    saved: {
      location: 'Филиал сохранён.',
      service: 'Услуга сохранена.',
      master: 'Мастер сохранён.',
    },
    back: 'Назад к чек-листу',
    inLocation: (name) => `Филиал: ${name}.`,
    locationForm: {
      title: 'Добавить филиал',
      name: 'Название',
      nameHint: 'Как его видят клиенты, например «Студия на Тверской».',
      zone: 'Часовой пояс',
      zoneHint: 'Где находится филиал, например Europe/Moscow. Клиенты видят время в этом поясе.',
      currency: 'Валюта',
      currencyHint: 'Три латинские буквы: RUB, EUR, USD…',
      address: 'Адрес (необязательно)',
      addressHint: 'Клиенты видят его в своей записи.',
      submit: 'Сохранить филиал',
    },
    serviceForm: {
      title: 'Добавить услугу',
      name: 'Название',
      nameHint: 'Например, «Стрижка».',
      duration: 'Длительность, минут',
      durationHint: 'Сколько она длится, например 45.',
      price: (currency) => `Цена, ${currency}`,
      priceHint: 'Как вы её пишете: 2500, 25.50 или 25,50.',
      submit: 'Сохранить услугу',
    },
    masterForm: {
      title: 'Добавить мастера',
      name: 'Имя',
      nameHint: 'Как его видят клиенты, например «Анна».',
      services: 'Оказывает услуги',
      days: 'Работает по',
      from: 'С',
      to: 'До',
      hoursHint:
        'Одни и те же часы в каждый выбранный день; перерывы и другие дни — в полном редакторе.',
      submit: 'Сохранить мастера',
    },
    problem: 'Пока ничего не сохранено. Ниже написано, что исправить.',
    errors: {
      name: {
        empty: 'Введите название.',
        too_long: 'Название короче, пожалуйста: до 100 символов (для филиала до 200).',
      },
      zone: {
        empty: 'Выберите часовой пояс филиала, например Europe/Moscow.',
        unknown: 'Такого часового пояса мы не знаем: выберите из списка, например Europe/Moscow.',
      },
      currency: {
        empty: 'Введите валюту, например RUB.',
        unknown: 'Это не код валюты: три латинские буквы, например RUB, EUR или USD.',
      },
      address: 'Адрес — не длиннее 500 символов.',
      duration: {
        empty: 'Введите длительность в минутах.',
        format: 'Запишите минуты целым числом, например 45.',
        range: 'Услуга длится от 1 до 1440 минут.',
      },
      price: (reason, currency, digits) =>
        reason === 'empty'
          ? 'Введите цену (0, если бесплатно).'
          : reason === 'too_many_decimals'
            ? `У ${currency} после запятой ${digits} знак(а), например 25,50.`
            : reason === 'too_large'
              ? 'Слишком большая цена.'
              : digits === 0
                ? `Запишите цену целым числом ${currency}, например 2500.`
                : 'Запишите цену числом, например 2500 или 25,50.',
      services: 'Выберите хотя бы одну услугу этого мастера.',
      hours: {
        no_days: 'Выберите хотя бы один день.',
        start: 'Введите начало дня, например 10:00.',
        end: 'Введите конец дня, например 19:00.',
        order: 'День должен заканчиваться позже, чем начинается, в тот же день.',
      },
      gone: 'Этого филиала или услуги уже нет: обновите страницу и выберите снова.',
    },
  },
};

export const SIGNUP_MESSAGES: Record<WebLanguage, SignupMessages> = { en, ru };

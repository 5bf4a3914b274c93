import type { WebLanguage } from './languages.ts';

/** The bot settings page: tokens, card payments, the webhook. */
export interface BotMessages {
  title: string;
  heading: string;
  lead: string;
  none: string;
  cardOn: string;
  cardOff: string;
  webhook: string;
  polling: string;
  rotate: { legend: string; hint: string; label: string; button: string };
  connect: { legend: string; hint: string; label: string; button: string };
  payments: { legend: string; hint: string; label: string; button: string; off: string };
  done: Record<'rotated' | 'connected' | 'payments_on' | 'payments_off', string>;
  errors: {
    malformed: string;
    paymentMalformed: string;
    badToken: string;
    unreachable: string;
    elsewhere: string;
    webhook: string;
    wrongBot(username: string): string;
    notFound: string;
    already: string;
  };
}

const en: BotMessages = {
  title: 'Bot · Slotbot',
  heading: 'Your bot',
  lead: 'The Telegram bot your clients book in, its token, card payments and how Telegram reaches it.',
  none: 'No bot is connected yet.',
  cardOn: 'card payments on',
  cardOff: 'no card payments (Telegram Stars and payment at the venue still work)',
  webhook: 'How Telegram reaches it',
  polling: 'This platform fetches the bot’s updates itself (polling): no webhook.',
  rotate: {
    legend: 'Replace the token',
    hint: 'After @BotFather → your bot → API Token → Revoke, paste the new token here. The bot, its clients and its bookings stay as they are.',
    label: 'New token',
    button: 'Replace the token',
  },
  connect: {
    legend: 'Connect a bot',
    hint: 'Create one with @BotFather (/newbot) and paste its token.',
    label: 'Bot token from BotFather',
    button: 'Connect the bot',
  },
  payments: {
    legend: 'Card payments',
    hint: '@BotFather → your bot → Payments → a provider gives a token like 284685063:TEST:… or …:LIVE:…. It is stored encrypted and never shown again.',
    label: 'Payment provider token',
    button: 'Save and turn card payments on',
    off: 'Turn card payments off',
  },
  done: {
    rotated: 'Token replaced: the bot works with the new one.',
    connected: 'Bot connected.',
    payments_on: 'Card payments are on.',
    payments_off: 'Card payments are off.',
  },
  errors: {
    malformed:
      'That is not a bot token: digits, a colon, then a long code (123456789:AA…). Copy it again from @BotFather.',
    paymentMalformed:
      'That is not a payment provider token: it looks like 284685063:TEST:… or 284685063:LIVE:…. Copy it again from @BotFather → Payments.',
    badToken:
      'Telegram does not know this token: it may be mistyped or revoked. Copy it again from @BotFather.',
    unreachable:
      'Telegram could not be reached just now; nothing was changed. Try again in a minute.',
    elsewhere:
      'This bot is connected to another business. Use another bot, or disconnect it there first.',
    webhook:
      'Telegram refused to deliver updates to this platform’s address; nothing was changed. Tell the platform’s operator.',
    wrongBot: (username) =>
      `That token is of another bot, not @${username}. To use another bot, ask the platform to connect it.`,
    notFound: 'That bot is not this business’s.',
    already: 'A bot is connected already: replace its token instead.',
  },
};

const ru: BotMessages = {
  title: 'Бот · Slotbot',
  heading: 'Ваш бот',
  lead: 'Бот Telegram, в котором записываются клиенты: его токен, оплата картой и как Telegram до него достучится.',
  none: 'Бот ещё не подключён.',
  cardOn: 'оплата картой включена',
  cardOff: 'оплаты картой нет (Telegram Stars и оплата на месте работают)',
  webhook: 'Как Telegram доставляет обновления',
  polling: 'Платформа сама забирает обновления бота (polling): вебхука нет.',
  rotate: {
    legend: 'Заменить токен',
    hint: 'После @BotFather → ваш бот → API Token → Revoke вставьте сюда новый токен. Бот, клиенты и записи останутся как есть.',
    label: 'Новый токен',
    button: 'Заменить токен',
  },
  connect: {
    legend: 'Подключить бота',
    hint: 'Создайте его в @BotFather (/newbot) и вставьте токен.',
    label: 'Токен бота от BotFather',
    button: 'Подключить бота',
  },
  payments: {
    legend: 'Оплата картой',
    hint: '@BotFather → ваш бот → Payments → провайдер выдаёт токен вида 284685063:TEST:… или …:LIVE:…. Он хранится зашифрованным и больше не показывается.',
    label: 'Токен платёжного провайдера',
    button: 'Сохранить и включить оплату картой',
    off: 'Выключить оплату картой',
  },
  done: {
    rotated: 'Токен заменён: бот работает с новым.',
    connected: 'Бот подключён.',
    payments_on: 'Оплата картой включена.',
    payments_off: 'Оплата картой выключена.',
  },
  errors: {
    malformed:
      'Это не токен бота: цифры, двоеточие и длинный код (123456789:AA…). Скопируйте его снова из @BotFather.',
    paymentMalformed:
      'Это не токен платёжного провайдера: он выглядит как 284685063:TEST:… или 284685063:LIVE:…. Скопируйте его снова из @BotFather → Payments.',
    badToken:
      'Telegram не знает этот токен: возможно, он с опечаткой или отозван. Скопируйте его снова из @BotFather.',
    unreachable:
      'Сейчас не удалось связаться с Telegram; ничего не изменено. Попробуйте через минуту.',
    elsewhere:
      'Этот бот подключён к другому бизнесу. Возьмите другого бота или сначала отключите его там.',
    webhook:
      'Telegram отказался доставлять обновления на адрес платформы; ничего не изменено. Сообщите оператору платформы.',
    wrongBot: (username) =>
      `Это токен другого бота, не @${username}. Чтобы сменить бота, попросите платформу подключить его.`,
    notFound: 'Это не бот этого бизнеса.',
    already: 'Бот уже подключён: замените его токен.',
  },
};

export const BOT_MESSAGES: Record<WebLanguage, BotMessages> = { en, ru };

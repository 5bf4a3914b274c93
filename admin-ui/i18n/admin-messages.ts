import type { WebLanguage } from './languages.ts';

/** What the admin pages' frame, sign-in, sessions and audit pages say, per language. */
export interface AdminMessages {
  skipToContent: string;
  language: string;
  pager: { next: string; first: string };
  nav: {
    home: string;
    sessions: string;
    audit: string;
    platform: string;
    tenants: string;
    jobs: string;
    staff: string;
    bookings: string;
    analytics: string;
    locations: string;
    services: string;
    masters: string;
    bot: string;
    schedule: string;
    sections: string;
    signOut: string;
  };
  roles: Record<'platform_admin' | 'owner' | 'manager' | 'master', string>;
  signedInAs(name: string, role: string, business: string | null): string;
  signIn: {
    title: string;
    heading: string;
    how: string;
    steps: string[];
    miniApp: string;
    newBusiness: string;
    signUp: string;
  };
  login: {
    title: string;
    heading: string;
    explain: string;
    button: string;
    invalid: string;
    invalidHow: string;
  };
  miniApp: { title: string; opening: string; failed: string; notStaff: string; noScript: string };
  home: {
    title: string;
    welcome(name: string): string;
    business(name: string, status: string): string;
    statuses: Record<'pending' | 'active' | 'suspended', string>;
    masterSchedule: string;
    platformIntro: string;
  };
  schedule: { notAMaster: string; zone(name: string): string; outcomesInBot: string };
  sessions: {
    title: string;
    heading: string;
    lead: string;
    current: string;
    via: Record<'login_link' | 'mini_app', string>;
    started: string;
    lastSeen: string;
    expires: string;
    device: string;
    unknownDevice: string;
    signOut: string;
    signOutThis: string;
    none: string;
  };
  audit: {
    title: string;
    heading: string;
    lead: string;
    when: string;
    who: string;
    what: string;
    business: string;
    details: string;
    none: string;
    older: string;
    platformActor: string;
    systemActor: string;
    actions: Record<string, string>;
  };
  errors: {
    title: string;
    signInFirst: string;
    signInHow: string;
    forbidden: string;
    forbiddenHow: string;
    notFound: string;
    notFoundHow: string;
    csrf: string;
    csrfHow: string;
    tooMany: string;
    tooManyHow: string;
    tooLarge: string;
    tooLargeHow: string;
    signInLink: string;
    reference: string;
    back: string;
  };
}

const en: AdminMessages = {
  skipToContent: 'Skip to content',
  language: 'Language',
  pager: { next: 'Next page', first: 'First page' },
  nav: {
    home: 'Home',
    sessions: 'Sessions',
    audit: 'Audit log',
    platform: 'Platform',
    tenants: 'Businesses',
    jobs: 'Jobs',
    staff: 'Staff',
    bookings: 'Bookings',
    analytics: 'Analytics',
    locations: 'Locations',
    services: 'Services',
    masters: 'Masters',
    bot: 'Bot',
    schedule: 'My schedule',
    sections: 'Sections',
    signOut: 'Sign out',
  },
  roles: { platform_admin: 'platform admin', owner: 'owner', manager: 'manager', master: 'master' },
  signedInAs: (name, role, business) =>
    business ? `${name}, ${role} at ${business}` : `${name}, ${role}`,
  signIn: {
    title: 'Sign in · Slotbot',
    heading: 'Sign in',
    how: 'There are no passwords here: your Telegram account is your sign-in.',
    steps: [
      'Open your business’s bot in Telegram.',
      'Send /admin.',
      'Tap the link it sends you (it works once, for 10 minutes).',
    ],
    miniApp: 'Inside Telegram, the bot’s menu button opens these pages signed in.',
    newBusiness: 'A new business?',
    signUp: 'Connect your bot',
  },
  login: {
    title: 'Sign in · Slotbot',
    heading: 'Sign in with this link?',
    explain: 'This one-time link from your business’s bot signs you in on this device.',
    button: 'Sign in',
    invalid: 'This sign-in link does not work any more.',
    invalidHow:
      'A link works once and for 10 minutes. Send /admin to your business’s bot again for a new one.',
  },
  miniApp: {
    title: 'Slotbot',
    opening: 'Signing you in…',
    failed:
      'Telegram did not confirm who you are. Close these pages and open them again from the bot’s menu.',
    notStaff:
      'Your Telegram account is not on the staff of this business. Ask its owner to invite you.',
    noScript:
      'Inside Telegram these pages sign you in by themselves. In a browser, send /admin to your business’s bot for a sign-in link.',
  },
  home: {
    title: 'Admin · Slotbot',
    welcome: (name) => `Hello, ${name}`,
    business: (name, status) => `${name} · ${status}`,
    statuses: { pending: 'waiting for approval', active: 'active', suspended: 'suspended' },
    masterSchedule: 'Your visits and their outcomes are in the bot: “🗓 My schedule”.',
    platformIntro: 'You manage the platform: businesses, jobs and the audit log.',
  },
  schedule: {
    notAMaster:
      'You are not linked to a master of this business yet. Ask the owner for a master invitation.',
    zone: (name) => `Times in ${name}.`,
    outcomesInBot: 'Mark a visit completed or a no-show in the bot: “🗓 My schedule”.',
  },
  sessions: {
    title: 'Sessions · Slotbot',
    heading: 'Sessions',
    lead: 'Where you are signed in. Sign out of any device you do not recognise.',
    current: 'this device',
    via: { login_link: 'sign-in link', mini_app: 'Telegram Mini App' },
    started: 'Signed in',
    lastSeen: 'Last active',
    expires: 'Ends',
    device: 'Device',
    unknownDevice: 'unknown',
    signOut: 'Sign out there',
    signOutThis: 'Sign out here',
    none: 'No sessions.',
  },
  audit: {
    title: 'Audit log · Slotbot',
    heading: 'Audit log',
    lead: 'Every change made in the admin: who, what, when, before and after.',
    when: 'When',
    who: 'Who',
    what: 'What',
    business: 'Business',
    details: 'Before → after',
    none: 'Nothing recorded yet.',
    older: 'Older entries',
    platformActor: 'platform',
    systemActor: 'system',
    // Actions without a label here are shown by their code.
    actions: {
      'session.sign_in': 'Signed in',
      'session.sign_out': 'Signed out',
      'staff.claim': 'Joined the staff by invitation',
      'platform_admin.bootstrap': 'Made a platform admin',
      'staff.invite': 'Invited to the staff',
      'staff.invitation_cancel': 'Cancelled an invitation',
      'staff.role': 'Changed a role',
      'staff.remove': 'Removed from the staff',
      'staff.locations': 'Changed a manager’s locations',
      'location.create': 'Added a location',
      'location.update': 'Changed a location',
      'service.create': 'Added a service',
      'service.update': 'Changed a service',
      'master.create': 'Added a master',
      'master.update': 'Changed a master',
      'hours.add_window': 'Added working hours',
      'hours.remove_window': 'Removed working hours',
      'hours.add_break': 'Added a break',
      'hours.remove_break': 'Removed a break',
      'time_off.add': 'Added time off',
      'time_off.remove': 'Removed time off',
      'bot.token_rotate': 'Replaced the bot’s token',
      'bot.connect': 'Connected a bot',
      'bot.payments_on': 'Turned card payments on',
      'bot.payments_off': 'Turned card payments off',
    },
  },
  errors: {
    title: 'Slotbot',
    signInFirst: 'Please sign in first.',
    signInHow: 'Send /admin to your business’s bot in Telegram for a one-time sign-in link.',
    forbidden: 'This page is not for your role.',
    forbiddenHow: 'Ask the business’s owner if you need it.',
    notFound: 'There is nothing here.',
    notFoundHow: 'It may have been removed, or belong to another business.',
    csrf: 'This form has expired.',
    csrfHow: 'Go back, reload the page and send it again.',
    tooMany: 'Too many attempts.',
    tooManyHow: 'Please wait a few minutes and try again.',
    tooLarge: 'That form was too large.',
    tooLargeHow: 'Shorten what you typed and send it again.',
    signInLink: 'How to sign in',
    reference: 'If you contact support, quote:',
    back: 'Back to the admin',
  },
};

const ru: AdminMessages = {
  skipToContent: 'Перейти к содержимому',
  language: 'Язык',
  pager: { next: 'Следующая страница', first: 'Первая страница' },
  nav: {
    home: 'Главная',
    sessions: 'Сеансы',
    audit: 'Журнал',
    platform: 'Платформа',
    tenants: 'Бизнесы',
    jobs: 'Задачи',
    staff: 'Сотрудники',
    bookings: 'Записи',
    analytics: 'Аналитика',
    locations: 'Филиалы',
    services: 'Услуги',
    masters: 'Мастера',
    bot: 'Бот',
    schedule: 'Моё расписание',
    sections: 'Разделы',
    signOut: 'Выйти',
  },
  roles: {
    platform_admin: 'администратор платформы',
    owner: 'владелец',
    manager: 'менеджер',
    master: 'мастер',
  },
  signedInAs: (name, role, business) =>
    business ? `${name}, ${role}, ${business}` : `${name}, ${role}`,
  signIn: {
    title: 'Вход · Slotbot',
    heading: 'Вход',
    how: 'Паролей здесь нет: вход — через ваш аккаунт Telegram.',
    steps: [
      'Откройте бота вашего бизнеса в Telegram.',
      'Отправьте /admin.',
      'Нажмите на ссылку из ответа (она работает один раз, 10 минут).',
    ],
    miniApp: 'Внутри Telegram кнопка меню бота открывает эти страницы уже со входом.',
    newBusiness: 'Новый бизнес?',
    signUp: 'Подключите своего бота',
  },
  login: {
    title: 'Вход · Slotbot',
    heading: 'Войти по этой ссылке?',
    explain: 'Одноразовая ссылка от бота вашего бизнеса выполнит вход на этом устройстве.',
    button: 'Войти',
    invalid: 'Эта ссылка для входа больше не работает.',
    invalidHow:
      'Ссылка действует один раз и 10 минут. Отправьте /admin боту вашего бизнеса ещё раз, чтобы получить новую.',
  },
  miniApp: {
    title: 'Slotbot',
    opening: 'Выполняется вход…',
    failed:
      'Telegram не подтвердил, кто вы. Закройте эти страницы и откройте их снова из меню бота.',
    notStaff:
      'Вашего аккаунта Telegram нет среди сотрудников этого бизнеса. Попросите владельца пригласить вас.',
    noScript:
      'Внутри Telegram эти страницы выполняют вход сами. В браузере отправьте /admin боту вашего бизнеса, чтобы получить ссылку.',
  },
  home: {
    title: 'Админка · Slotbot',
    welcome: (name) => `Здравствуйте, ${name}`,
    business: (name, status) => `${name} · ${status}`,
    statuses: { pending: 'ждёт одобрения', active: 'работает', suspended: 'приостановлен' },
    masterSchedule: 'Ваши визиты и их итоги — в боте: «🗓 Моё расписание».',
    platformIntro: 'Вы управляете платформой: бизнесы, задачи и журнал.',
  },
  schedule: {
    notAMaster:
      'Вы ещё не привязаны к мастеру этого бизнеса. Попросите владельца прислать приглашение мастера.',
    zone: (name) => `Время: ${name}.`,
    outcomesInBot: 'Отметить визит состоявшимся или неявкой можно в боте: «🗓 Моё расписание».',
  },
  sessions: {
    title: 'Сеансы · Slotbot',
    heading: 'Сеансы',
    lead: 'Где выполнен вход. Выйдите на любом устройстве, которое вам незнакомо.',
    current: 'это устройство',
    via: { login_link: 'ссылка для входа', mini_app: 'мини-приложение Telegram' },
    started: 'Вход',
    lastSeen: 'Последняя активность',
    expires: 'Истекает',
    device: 'Устройство',
    unknownDevice: 'неизвестно',
    signOut: 'Выйти там',
    signOutThis: 'Выйти здесь',
    none: 'Сеансов нет.',
  },
  audit: {
    title: 'Журнал · Slotbot',
    heading: 'Журнал изменений',
    lead: 'Каждое изменение в админке: кто, что, когда, до и после.',
    when: 'Когда',
    who: 'Кто',
    what: 'Что',
    business: 'Бизнес',
    details: 'До → после',
    none: 'Пока ничего не записано.',
    older: 'Более ранние записи',
    platformActor: 'платформа',
    systemActor: 'система',
    actions: {
      'session.sign_in': 'Вход',
      'session.sign_out': 'Выход',
      'staff.claim': 'Вступление в команду по приглашению',
      'platform_admin.bootstrap': 'Назначение администратором платформы',
      'staff.invite': 'Приглашение в команду',
      'staff.invitation_cancel': 'Отмена приглашения',
      'staff.role': 'Смена роли',
      'staff.remove': 'Удаление из сотрудников',
      'staff.locations': 'Смена филиалов менеджера',
      'location.create': 'Добавление филиала',
      'location.update': 'Изменение филиала',
      'service.create': 'Добавление услуги',
      'service.update': 'Изменение услуги',
      'master.create': 'Добавление мастера',
      'master.update': 'Изменение мастера',
      'hours.add_window': 'Добавление рабочих часов',
      'hours.remove_window': 'Удаление рабочих часов',
      'hours.add_break': 'Добавление перерыва',
      'hours.remove_break': 'Удаление перерыва',
      'time_off.add': 'Добавление отсутствия',
      'time_off.remove': 'Удаление отсутствия',
      'bot.token_rotate': 'Замена токена бота',
      'bot.connect': 'Подключение бота',
      'bot.payments_on': 'Включение оплаты картой',
      'bot.payments_off': 'Выключение оплаты картой',
    },
  },
  errors: {
    title: 'Slotbot',
    signInFirst: 'Сначала войдите.',
    signInHow:
      'Отправьте /admin боту вашего бизнеса в Telegram, чтобы получить одноразовую ссылку для входа.',
    forbidden: 'Эта страница не для вашей роли.',
    forbiddenHow: 'Если она вам нужна, обратитесь к владельцу бизнеса.',
    notFound: 'Здесь ничего нет.',
    notFoundHow: 'Возможно, это удалено или относится к другому бизнесу.',
    csrf: 'Срок действия формы истёк.',
    csrfHow: 'Вернитесь, обновите страницу и отправьте форму снова.',
    tooMany: 'Слишком много попыток.',
    tooManyHow: 'Подождите несколько минут и попробуйте снова.',
    tooLarge: 'Форма слишком большая.',
    tooLargeHow: 'Сократите введённый текст и отправьте снова.',
    signInLink: 'Как войти',
    reference: 'Если обратитесь в поддержку, укажите:',
    back: 'В админку',
  },
};

export const ADMIN_MESSAGES: Record<WebLanguage, AdminMessages> = { en, ru };

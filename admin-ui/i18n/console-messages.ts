import type { WebLanguage } from './languages.ts';
import { ruPlural } from './plural.ts';

/** What the platform console says, per language; the interface holds both to the same keys. */
export interface ConsoleMessages {
  statuses: Record<'pending' | 'active' | 'suspended', string>;
  maintenance: string;
  botStatuses: Record<'active' | 'disabled', string>;
  home: {
    heading: string;
    tenants(active: number, pending: number, suspended: number): string;
    maintenance(n: number): string;
    approve(n: number): string;
    deadJobs(n: number): string;
    failingJobs(n: number): string;
    allTenants: string;
    jobs: string;
  };
  list: {
    title: string;
    heading: string;
    lead: string;
    search: string;
    searchHint: string;
    status: string;
    anyStatus: string;
    find: string;
    clear: string;
    newTenant: string;
    none: string;
    business: string;
    bots: string;
    noBot: string;
    bookings7d: string;
    lastUpdate: string;
    never: string;
    found(n: number, more: boolean): string;
  };
  signup: {
    heading: string;
    lead: string;
    modes: Record<'open' | 'approval' | 'closed', string>;
    save: string;
  };
  detail: {
    title(name: string): string;
    slug: string;
    status: string;
    created: string;
    language: string;
    owners: string;
    openInvitations: string;
    jobs(dead: number, failing: number): string;
    audit: string;
    botsHeading: string;
    noBot: string;
    webhook: string;
    webhookUrl: string;
    noWebhook: string;
    pending: string;
    lastError: string;
    noError: string;
    couldNotAsk: string;
    actions: string;
    approve: string;
    approveHint: string;
    suspend: string;
    suspendHint: string;
    reason: string;
    suspendReasonHint: string;
    resume: string;
    resumeHint: string;
    maintenanceOn: string;
    maintenanceHint: string;
    maintenanceReasonHint: string;
    until: string;
    untilHint(zone: string): string;
    maintenanceOff: string;
    maintenanceUpdate: string;
    maintenanceNow(reason: string): string;
    maintenanceUntil(when: string): string;
    invite: string;
    inviteHint: string;
    inviteNeedsBot: string;
    connect: string;
    connectHint: string;
    token: string;
    tokenHint: string;
  };
  create: {
    title: string;
    heading: string;
    lead: string;
    name: string;
    slug: string;
    slugHint: string;
    language: string;
    token: string;
    tokenHint: string;
    submit: string;
    languages: Record<'en' | 'ru', string>;
  };
  invited: {
    title: string;
    heading: string;
    lead: string;
    once: string;
    back: string;
    created(name: string): string;
    noBot: string;
  };
  jobs: {
    title: string;
    heading: string;
    lead: string;
    forTenant(name: string): string;
    all: string;
    none: string;
    business: string;
    platform: string;
    kind: string;
    key: string;
    status: string;
    statuses: Record<'dead' | 'pending' | 'running', string>;
    attempts: string;
    lastError: string;
    runAt: string;
    actions: string;
    retry: string;
    discard: string;
    retryExplained: string;
  };
  problems: {
    reason_required: string;
    reason_long: string;
    until_format: string;
    until_past: string;
    name_required: string;
    name_long: string;
    slug_format: string;
    slug_taken: string;
    language: string;
    token_format: string;
    token_bad: string;
    token_unreachable: string;
    token_elsewhere: string;
    token_refused(reason: string): string;
    fixBelow: string;
  };
  notices: {
    approve: string;
    suspend: string;
    resume: string;
    maintenance_on: string;
    maintenance_off: string;
    unchanged: string;
    retry: string;
    discard: string;
    job_unchanged: string;
    signup: string;
    bot: string;
  };
}

const plural = ruPlural;

const en: ConsoleMessages = {
  statuses: { pending: 'pending approval', active: 'active', suspended: 'suspended' },
  maintenance: 'maintenance',
  botStatuses: { active: 'connected', disabled: 'disabled' },
  home: {
    heading: 'Platform',
    tenants: (a, p, s) => `Businesses: ${a} active, ${p} pending, ${s} suspended.`,
    maintenance: (n) => `${n} in maintenance.`,
    approve: (n) => (n === 1 ? '1 sign-up waits for approval' : `${n} sign-ups wait for approval`),
    deadJobs: (n) => (n === 1 ? '1 dead job' : `${n} dead jobs`),
    failingJobs: (n) => (n === 1 ? '1 failing job' : `${n} failing jobs`),
    allTenants: 'All businesses',
    jobs: 'Jobs in trouble',
  },
  list: {
    title: 'Businesses · Slotbot',
    heading: 'Businesses',
    lead: 'Every business on the platform, by name: its status, bots, bookings made in the last 7 days and the last message its bots received.',
    search: 'Search',
    searchHint: 'The start of a name, slug or bot username (e.g. “demo” or “@demo_bot”).',
    status: 'Status',
    anyStatus: 'Any status',
    find: 'Find',
    clear: 'Show all',
    newTenant: 'New business',
    none: 'No business matches.',
    business: 'Business',
    bots: 'Bots',
    noBot: 'no bot yet',
    bookings7d: 'Bookings, 7 days',
    lastUpdate: 'Last update received',
    never: 'never',
    found: (n, more) =>
      more ? `${n} shown; more on the next page.` : n === 1 ? '1 business.' : `${n} businesses.`,
  },
  signup: {
    heading: 'Sign-up',
    lead: 'Whether new businesses can sign up by themselves.',
    modes: {
      open: 'Open: a new business is active at once',
      approval: 'By approval: a new business waits until a platform admin approves it',
      closed: 'Closed: only platform admins create businesses',
    },
    save: 'Save sign-up mode',
  },
  detail: {
    title: (name) => `${name} · Businesses · Slotbot`,
    slug: 'Slug',
    status: 'Status',
    created: 'Created',
    language: 'Default language',
    owners: 'Owners',
    openInvitations: 'Open owner invitations',
    jobs: (d, f) => `${d} dead, ${f} failing`,
    audit: 'Audit log of this business',
    botsHeading: 'Bots and webhooks',
    noBot:
      'No bot is connected yet. Connect one below (a token from @BotFather), then invite the owner.',
    webhook: 'Webhook (from Telegram)',
    webhookUrl: 'Address',
    noWebhook: 'none set (polling, or not connected)',
    pending: 'Updates waiting',
    lastError: 'Last delivery error',
    noError: 'none',
    couldNotAsk:
      'Could not ask Telegram just now; the rest of this page is up to date. Reload to try again.',
    actions: 'Actions',
    approve: 'Approve',
    approveHint: 'The business opens for bookings.',
    suspend: 'Suspend',
    suspendHint:
      'Its bot then only tells clients it is not taking requests; staff can still sign in.',
    reason: 'Reason',
    suspendReasonHint: 'For the audit log; clients do not see it.',
    resume: 'Resume',
    resumeHint: 'The bot takes bookings again.',
    maintenanceOn: 'Start maintenance',
    maintenanceHint:
      'New bookings are refused with this reason; clients can still see and cancel their bookings.',
    maintenanceReasonHint: 'Clients read this, up to 500 characters.',
    until: 'Until (optional)',
    untilHint: (zone) =>
      `Date and time in ${zone}; clients are told when to come back. Maintenance ends when you end it.`,
    maintenanceOff: 'End maintenance',
    maintenanceUpdate: 'Change the reason or end time',
    maintenanceNow: (reason) => `In maintenance: “${reason}”.`,
    maintenanceUntil: (when) => `Announced until ${when}.`,
    invite: 'Invite the owner',
    inviteHint:
      'A one-time link into the business’s bot: whoever presses Start with it first becomes its owner. Valid for 7 days.',
    inviteNeedsBot: 'Connect a bot first: the owner accepts the invitation in the business’s bot.',
    connect: 'Connect a bot',
    connectHint:
      'Create a bot with @BotFather (/newbot) and paste its token here. It is checked with Telegram and stored encrypted.',
    token: 'Bot token',
    tokenHint: 'Digits, a colon, then 30 or more letters, digits, _ or -.',
  },
  create: {
    title: 'New business · Slotbot',
    heading: 'New business',
    lead: 'The business is active at once. With a bot token, you get the owner’s invitation link right away; without one, connect a bot later on its page.',
    name: 'Name',
    slug: 'Slug',
    slugHint:
      '2–63 lowercase letters, digits or -, starting with a letter or digit; it names the business in commands.',
    language: 'Default language',
    token: 'Bot token from @BotFather (optional)',
    tokenHint: 'Digits, a colon, then 30 or more letters, digits, _ or -.',
    submit: 'Create business',
    languages: { en: 'English', ru: 'Russian' },
  },
  invited: {
    title: 'Owner invitation · Slotbot',
    heading: 'Owner invitation',
    lead: 'Send this link to the owner. Opening it in Telegram and pressing Start makes them the owner and sends them their sign-in link.',
    once: 'It is shown only now and works once, for 7 days. If it is lost, invite again.',
    back: 'Back to the business',
    created: (name) => `${name} is created and active.`,
    noBot: 'It has no bot yet: connect one on its page, then invite the owner.',
  },
  jobs: {
    title: 'Jobs · Slotbot',
    heading: 'Jobs in trouble',
    lead: 'Dead jobs (out of attempts) and failing ones (failed at least once, waiting for another attempt), most recently changed first.',
    forTenant: (name) => `Only ${name}.`,
    all: 'Show every business',
    none: 'No job is in trouble.',
    business: 'Business',
    platform: 'platform',
    kind: 'Kind',
    key: 'Key',
    status: 'Status',
    statuses: { dead: 'dead', pending: 'failing, will retry', running: 'failing, running now' },
    attempts: 'Attempts',
    lastError: 'Last error',
    runAt: 'Runs at',
    actions: 'Actions',
    retry: 'Retry now',
    discard: 'Discard',
    retryExplained:
      'Retry runs the job at once with a fresh set of attempts; discard keeps it with its error and never runs it.',
  },
  problems: {
    reason_required: 'Write a reason.',
    reason_long: 'Keep the reason under 500 characters.',
    until_format: 'Give a date and time, e.g. 2026-12-01 09:00.',
    until_past: 'That time has passed: give a later one, or leave it empty.',
    name_required: 'Give the business a name.',
    name_long: 'Keep the name under 200 characters.',
    slug_format: 'Use 2–63 lowercase letters, digits or -, starting with a letter or digit.',
    slug_taken: 'Another business has this slug: choose another.',
    language: 'Choose English or Russian.',
    token_format: 'That does not look like a token from @BotFather: copy it again.',
    token_bad: 'Telegram does not know this token: copy it again from @BotFather.',
    token_unreachable:
      'Could not reach Telegram; the token may be fine. Nothing was created: send again in a moment.',
    token_elsewhere:
      'This bot is connected to another business: create another bot with @BotFather.',
    token_refused: (reason) =>
      `Telegram refused the bot’s webhook (“${reason}”): check PUBLIC_URL. Nothing was created.`,
    fixBelow: 'Nothing was changed. Fix what is marked below and send again.',
  },
  notices: {
    approve: 'Approved: the business is open for bookings.',
    suspend: 'Suspended: its bot now tells clients it is not taking requests.',
    resume: 'Resumed: the business takes bookings again.',
    maintenance_on: 'Maintenance is on: new bookings are refused with your reason.',
    maintenance_off: 'Maintenance is over: bookings are open again.',
    unchanged: 'Nothing to change: the business was already like that.',
    retry: 'The job will run again now.',
    discard: 'The job is discarded.',
    job_unchanged: 'Nothing changed: the job is no longer in trouble, or is running right now.',
    signup: 'Sign-up mode saved.',
    bot: 'The bot is connected.',
  },
};

const ru: ConsoleMessages = {
  statuses: { pending: 'ждёт одобрения', active: 'работает', suspended: 'приостановлен' },
  maintenance: 'техработы',
  botStatuses: { active: 'подключён', disabled: 'отключён' },
  home: {
    heading: 'Платформа',
    tenants: (a, p, s) => `Бизнесы: работают ${a}, ждут одобрения ${p}, приостановлены ${s}.`,
    maintenance: (n) => `На техработах: ${n}.`,
    approve: (n) => `${n} ${plural(n, 'заявка ждёт', 'заявки ждут', 'заявок ждут')} одобрения`,
    deadJobs: (n) => `${n} ${plural(n, 'мёртвая задача', 'мёртвые задачи', 'мёртвых задач')}`,
    failingJobs: (n) =>
      `${n} ${plural(n, 'задача с ошибками', 'задачи с ошибками', 'задач с ошибками')}`,
    allTenants: 'Все бизнесы',
    jobs: 'Проблемные задачи',
  },
  list: {
    title: 'Бизнесы · Slotbot',
    heading: 'Бизнесы',
    lead: 'Все бизнесы платформы по названию: статус, боты, записи за последние 7 дней и последнее сообщение, полученное их ботами.',
    search: 'Поиск',
    searchHint: 'Начало названия, slug или имени бота (например, «demo» или «@demo_bot»).',
    status: 'Статус',
    anyStatus: 'Любой статус',
    find: 'Найти',
    clear: 'Показать все',
    newTenant: 'Новый бизнес',
    none: 'Ничего не найдено.',
    business: 'Бизнес',
    bots: 'Боты',
    noBot: 'бота пока нет',
    bookings7d: 'Записи за 7 дней',
    lastUpdate: 'Последнее обновление',
    never: 'не было',
    found: (n, more) =>
      more
        ? `Показано ${n}; дальше — на следующей странице.`
        : `${n} ${plural(n, 'бизнес', 'бизнеса', 'бизнесов')}.`,
  },
  signup: {
    heading: 'Регистрация',
    lead: 'Могут ли новые бизнесы регистрироваться сами.',
    modes: {
      open: 'Открыта: новый бизнес сразу работает',
      approval: 'С одобрением: новый бизнес ждёт одобрения администратора платформы',
      closed: 'Закрыта: бизнесы создают только администраторы платформы',
    },
    save: 'Сохранить режим регистрации',
  },
  detail: {
    title: (name) => `${name} · Бизнесы · Slotbot`,
    slug: 'Slug',
    status: 'Статус',
    created: 'Создан',
    language: 'Язык по умолчанию',
    owners: 'Владельцы',
    openInvitations: 'Открытые приглашения владельца',
    jobs: (d, f) => `мёртвых ${d}, с ошибками ${f}`,
    audit: 'Журнал этого бизнеса',
    botsHeading: 'Боты и вебхуки',
    noBot:
      'Бот ещё не подключён. Подключите его ниже (токен от @BotFather), затем пригласите владельца.',
    webhook: 'Вебхук (по данным Telegram)',
    webhookUrl: 'Адрес',
    noWebhook: 'не задан (опрос или не подключён)',
    pending: 'Ждут доставки',
    lastError: 'Последняя ошибка доставки',
    noError: 'нет',
    couldNotAsk:
      'Не удалось спросить Telegram; остальное на странице актуально. Обновите страницу, чтобы попробовать снова.',
    actions: 'Действия',
    approve: 'Одобрить',
    approveHint: 'Бизнес начнёт принимать записи.',
    suspend: 'Приостановить',
    suspendHint:
      'Бот будет только сообщать клиентам, что не принимает запросы; сотрудники по-прежнему могут войти.',
    reason: 'Причина',
    suspendReasonHint: 'Для журнала; клиенты её не видят.',
    resume: 'Возобновить',
    resumeHint: 'Бот снова принимает записи.',
    maintenanceOn: 'Начать техработы',
    maintenanceHint:
      'Новые записи отклоняются с этой причиной; клиенты по-прежнему видят и отменяют свои записи.',
    maintenanceReasonHint: 'Её прочтут клиенты, до 500 символов.',
    until: 'До (необязательно)',
    untilHint: (zone) =>
      `Дата и время в поясе ${zone}; клиентам скажут, когда вернуться. Техработы заканчиваются, когда вы их завершите.`,
    maintenanceOff: 'Завершить техработы',
    maintenanceUpdate: 'Изменить причину или срок',
    maintenanceNow: (reason) => `Идут техработы: «${reason}».`,
    maintenanceUntil: (when) => `Объявлено до ${when}.`,
    invite: 'Пригласить владельца',
    inviteHint:
      'Одноразовая ссылка в бота бизнеса: кто первым нажмёт по ней «Старт», станет владельцем. Действует 7 дней.',
    inviteNeedsBot: 'Сначала подключите бота: владелец принимает приглашение в боте бизнеса.',
    connect: 'Подключить бота',
    connectHint:
      'Создайте бота у @BotFather (/newbot) и вставьте сюда его токен. Он проверяется в Telegram и хранится зашифрованным.',
    token: 'Токен бота',
    tokenHint: 'Цифры, двоеточие, затем 30 и больше латинских букв, цифр, _ или -.',
  },
  create: {
    title: 'Новый бизнес · Slotbot',
    heading: 'Новый бизнес',
    lead: 'Бизнес сразу работает. С токеном бота вы сразу получите ссылку-приглашение для владельца; без него подключите бота позже на странице бизнеса.',
    name: 'Название',
    slug: 'Slug',
    slugHint:
      '2–63 строчные латинские буквы, цифры или -, первая — буква или цифра; это имя бизнеса в командах.',
    language: 'Язык по умолчанию',
    token: 'Токен бота от @BotFather (необязательно)',
    tokenHint: 'Цифры, двоеточие, затем 30 и больше латинских букв, цифр, _ или -.',
    submit: 'Создать бизнес',
    languages: { en: 'английский', ru: 'русский' },
  },
  invited: {
    title: 'Приглашение владельца · Slotbot',
    heading: 'Приглашение владельца',
    lead: 'Отправьте эту ссылку владельцу. Открыв её в Telegram и нажав «Старт», он станет владельцем и получит ссылку для входа.',
    once: 'Ссылка показывается только сейчас и работает один раз, 7 дней. Если потеряется — пригласите снова.',
    back: 'К бизнесу',
    created: (name) => `${name} создан и работает.`,
    noBot: 'Бота у него пока нет: подключите его на странице бизнеса, затем пригласите владельца.',
  },
  jobs: {
    title: 'Задачи · Slotbot',
    heading: 'Проблемные задачи',
    lead: 'Мёртвые задачи (попытки кончились) и задачи с ошибками (хотя бы раз упали и ждут новой попытки), сначала недавно изменённые.',
    forTenant: (name) => `Только ${name}.`,
    all: 'Показать все бизнесы',
    none: 'Проблемных задач нет.',
    business: 'Бизнес',
    platform: 'платформа',
    kind: 'Вид',
    key: 'Ключ',
    status: 'Состояние',
    statuses: {
      dead: 'мёртвая',
      pending: 'с ошибками, будет повтор',
      running: 'с ошибками, выполняется',
    },
    attempts: 'Попытки',
    lastError: 'Последняя ошибка',
    runAt: 'Запуск',
    actions: 'Действия',
    retry: 'Повторить сейчас',
    discard: 'Отбросить',
    retryExplained:
      'Повтор запускает задачу сразу с новым запасом попыток; отброшенная задача остаётся с ошибкой и больше не запускается.',
  },
  problems: {
    reason_required: 'Напишите причину.',
    reason_long: 'Причина — не длиннее 500 символов.',
    until_format: 'Укажите дату и время, например 2026-12-01 09:00.',
    until_past: 'Это время прошло: укажите более позднее или оставьте поле пустым.',
    name_required: 'Укажите название бизнеса.',
    name_long: 'Название — не длиннее 200 символов.',
    slug_format: '2–63 строчные латинские буквы, цифры или -, первая — буква или цифра.',
    slug_taken: 'Этот slug уже занят другим бизнесом: выберите другой.',
    language: 'Выберите английский или русский.',
    token_format: 'Это не похоже на токен от @BotFather: скопируйте его ещё раз.',
    token_bad: 'Telegram не знает такой токен: скопируйте его ещё раз у @BotFather.',
    token_unreachable:
      'Не удалось связаться с Telegram; токен может быть верным. Ничего не создано: отправьте снова чуть позже.',
    token_elsewhere: 'Этот бот подключён к другому бизнесу: создайте другого бота у @BotFather.',
    token_refused: (reason) =>
      `Telegram отклонил вебхук бота («${reason}»): проверьте PUBLIC_URL. Ничего не создано.`,
    fixBelow: 'Ничего не изменено. Исправьте отмеченное ниже и отправьте снова.',
  },
  notices: {
    approve: 'Одобрено: бизнес принимает записи.',
    suspend: 'Приостановлено: бот теперь сообщает клиентам, что не принимает запросы.',
    resume: 'Возобновлено: бизнес снова принимает записи.',
    maintenance_on: 'Техработы начаты: новые записи отклоняются с вашей причиной.',
    maintenance_off: 'Техработы завершены: запись снова открыта.',
    unchanged: 'Менять нечего: бизнес уже в этом состоянии.',
    retry: 'Задача сейчас запустится снова.',
    discard: 'Задача отброшена.',
    job_unchanged: 'Ничего не изменено: задача уже не проблемная или выполняется прямо сейчас.',
    signup: 'Режим регистрации сохранён.',
    bot: 'Бот подключён.',
  },
};

export const CONSOLE_MESSAGES: Record<WebLanguage, ConsoleMessages> = { en, ru };

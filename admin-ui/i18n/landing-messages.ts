import type { WebLanguage } from './languages.ts';

/**
 * What the landing page says, per language. Functions where words depend on numbers (Russian
 * plurals) or on values; TypeScript holds every language to the same keys.
 */
export interface LandingMessages {
  title: string;
  heading: string;
  lead: string;
  statusTitle: string;
  overallOk: string;
  overallDegraded: string;
  overallDown: string;
  database: string;
  databaseKind: { pglite: string; postgres: string };
  databaseOk(kind: string, migrations: number): string;
  databaseBehind(kind: string, latest: string | null, expected: string): string;
  databaseDown(kind: string, error: string): string;
  scheduler: string;
  schedulerKind: { local: string; qstash: string };
  schedulerOk(kind: string): string;
  schedulerFailing(kind: string, since: string, error: string): string;
  schedulerWaiting(tasks: string): string;
  demo: string;
  demoLoaded: string;
  demoMissing: string;
  machineReadable: string;
  connectTitle: string;
  /** Around the @BotFather link. */
  connectCreate: { before: string; after: string };
  connectRegister: string;
  connectRestart: string;
  connectOpen: string;
  connectMore: string;
  adminTitle: string;
  adminText: string;
  adminSignUp: string;
  adminSignIn: string;
  otherLanguage: string;
}

const en: LandingMessages = {
  title: 'Slotbot',
  heading: 'Slotbot runs here',
  lead: "Slotbot is a booking platform for businesses' Telegram bots: a salon, barbershop or studio connects its own bot, and its clients book visits in Telegram. This server answers those bots.",
  statusTitle: 'Platform status',
  overallOk: 'Everything works.',
  overallDegraded: 'Working, with a problem below.',
  overallDown: 'Not serving: see below.',
  database: 'Database',
  databaseKind: { pglite: 'Embedded database (PGlite)', postgres: 'PostgreSQL' },
  databaseOk: (kind, n) =>
    `${kind}: reachable, schema up to date (${n} ${n === 1 ? 'migration' : 'migrations'}).`,
  databaseBehind: (kind, latest, expected) =>
    `${kind}: reachable, but the schema is at ${latest ?? 'no migration'} and this code expects ${expected}. Run npm run migrate -- up.`,
  databaseDown: (kind, error) => `${kind}: not reachable (${error}).`,
  scheduler: 'Scheduler',
  schedulerKind: { local: 'Embedded job runner', qstash: 'QStash' },
  schedulerOk: (kind) => `${kind}: working.`,
  schedulerFailing: (kind, since, error) => `${kind}: failing since ${since}: ${error}`,
  schedulerWaiting: (tasks) => `Waiting for it: ${tasks}.`,
  demo: 'Demo business',
  demoLoaded: 'Loaded, slug demo.',
  demoMissing: 'Not in this database; npm run seed -- demo adds it.',
  machineReadable: 'For machines:',
  connectTitle: 'Connect a Telegram bot',
  connectCreate: {
    before: 'In Telegram, open ',
    after: ', send /newbot and copy the token it gives you.',
  },
  connectRegister: 'On this server, connect the bot to a business:',
  connectRestart:
    'Stop this server (Ctrl-C) and start it again with the token: it connects the bot to the business and fetches its messages itself, no public address needed:',
  connectOpen: 'Open your bot in Telegram and press Start.',
  connectMore: 'Details, including the address Telegram delivers to: the README, “Tenant bots”.',
  adminTitle: 'Admin',
  adminText:
    'A business connects its own bot here in a few minutes: its BotFather token, then Start in the bot. Owners sign in with Telegram, no password.',
  adminSignUp: 'Sign up your business',
  adminSignIn: 'Sign in to the admin',
  otherLanguage: 'Other language:',
};

const ruPlural = new Intl.PluralRules('ru');
const migrationsRu = (n: number) =>
  ({ one: 'миграция', few: 'миграции', many: 'миграций', other: 'миграции' })[
    ruPlural.select(n) as 'one' | 'few' | 'many' | 'other'
  ] ?? 'миграций';

const ru: LandingMessages = {
  title: 'Slotbot',
  heading: 'Здесь работает Slotbot',
  lead: 'Slotbot — платформа онлайн-записи для Telegram-ботов бизнеса: салон, барбершоп или студия подключает своего бота, и клиенты записываются прямо в Telegram. Этот сервер отвечает этим ботам.',
  statusTitle: 'Состояние платформы',
  overallOk: 'Всё работает.',
  overallDegraded: 'Работает, но есть проблема (ниже).',
  overallDown: 'Не обслуживает запросы: подробности ниже.',
  database: 'База данных',
  databaseKind: { pglite: 'Встроенная база данных (PGlite)', postgres: 'PostgreSQL' },
  databaseOk: (kind, n) => `${kind}: доступна, схема актуальна (${n} ${migrationsRu(n)}).`,
  databaseBehind: (kind, latest, expected) =>
    `${kind}: доступна, но схема на версии ${latest ?? 'без миграций'}, а код ожидает ${expected}. Выполните npm run migrate -- up.`,
  databaseDown: (kind, error) => `${kind}: недоступна (${error}).`,
  scheduler: 'Планировщик',
  schedulerKind: { local: 'Встроенный обработчик задач', qstash: 'QStash' },
  schedulerOk: (kind) => `${kind}: работает.`,
  schedulerFailing: (kind, since, error) => `${kind}: сбои с ${since}: ${error}`,
  schedulerWaiting: (tasks) => `Ждут его: ${tasks}.`,
  demo: 'Демо-бизнес',
  demoLoaded: 'Загружен, slug demo.',
  demoMissing: 'В этой базе его нет; команда npm run seed -- demo добавит его.',
  machineReadable: 'Для программ:',
  connectTitle: 'Как подключить Telegram-бота',
  connectCreate: {
    before: 'В Telegram откройте ',
    after: ', отправьте /newbot и скопируйте выданный токен.',
  },
  connectRegister: 'На этом сервере подключите бота к бизнесу:',
  connectRestart:
    'Остановите этот сервер (Ctrl-C) и запустите снова с токеном: бот подключится к бизнесу и будет сам забирать сообщения, публичный адрес не нужен:',
  connectOpen: 'Откройте своего бота в Telegram и нажмите «Старт».',
  connectMore:
    'Подробности, в том числе об адресе, на который Telegram присылает сообщения: README, раздел «Tenant bots».',
  adminTitle: 'Администрирование',
  adminText:
    'Бизнес подключает своего бота здесь за несколько минут: токен от BotFather, затем «Старт» в боте. Владельцы входят через Telegram, без пароля.',
  adminSignUp: 'Зарегистрировать бизнес',
  adminSignIn: 'Войти в админку',
  otherLanguage: 'Другой язык:',
};

export const LANDING_MESSAGES: Record<WebLanguage, LandingMessages> = { en, ru };

import type { WebLanguage } from './languages.ts';

/** The staff page: members, invitations, roles, locations. */
export interface StaffMessages {
  title: string;
  heading: string;
  lead: string;
  you: string;
  telegramBound: string;
  telegramNotBound: string;
  inactive: string;
  master(name: string): string;
  allLocations: string;
  onlyLocations(names: string): string;
  roleLabel: string;
  saveRole: string;
  locationsLegend: string;
  locationsHint: string;
  saveLocations: string;
  remove: string;
  invite: {
    heading: string;
    lead: string;
    role: string;
    master: string;
    masterHint: string;
    noMasters: string;
    button: string;
  };
  invited: {
    title: string;
    heading: string;
    howTo(role: string): string;
    copy: string;
    once: string;
    back: string;
  };
  invitations: { heading: string; none: string; expires: string; cancel: string };
  done: Record<'role' | 'removed' | 'locations' | 'cancelled', string>;
  refused: Record<
    'not_allowed' | 'last_owner' | 'not_found' | 'no_bot' | 'master_required' | 'master_taken',
    string
  >;
}

const en: StaffMessages = {
  title: 'Staff · Slotbot',
  heading: 'Staff',
  lead: 'Who works in this business and what they may do. People join by an invitation link they open in the business’s bot.',
  you: 'you',
  telegramBound: 'Telegram connected',
  telegramNotBound: 'no Telegram yet',
  inactive: 'removed',
  master: (name) => `Master: ${name}`,
  allLocations: 'All locations',
  onlyLocations: (names) => `Only: ${names}`,
  roleLabel: 'Role',
  saveRole: 'Change role',
  locationsLegend: 'Locations this manager works with',
  locationsHint: 'None ticked: all locations.',
  saveLocations: 'Save locations',
  remove: 'Remove from staff',
  invite: {
    heading: 'Invite someone',
    lead: 'You get a link to send them. They open it in Telegram and press Start in the business’s bot; the bot then sends them their sign-in link.',
    role: 'Role',
    master: 'Which master they are',
    masterHint: 'For a master only: their visits and schedule are this master’s.',
    noMasters: 'Every master has a person already (or there are none yet).',
    button: 'Create invitation link',
  },
  invited: {
    title: 'Invitation · Slotbot',
    heading: 'Invitation link',
    howTo: (role) => `Send this link to the person who will be ${role}. It works once, for 7 days.`,
    copy: 'Link',
    once: 'This page shows the link only now; you can cancel the invitation on the staff page.',
    back: 'Back to staff',
  },
  invitations: {
    heading: 'Open invitations',
    none: 'No open invitations.',
    expires: 'works until',
    cancel: 'Cancel invitation',
  },
  done: {
    role: 'Role changed.',
    removed: 'Removed from the staff; their sessions have ended.',
    locations: 'Locations saved.',
    cancelled: 'Invitation cancelled: the link no longer works.',
  },
  refused: {
    not_allowed: 'Only an owner can do that.',
    last_owner: 'The business needs at least one owner: make someone else owner first.',
    not_found: 'That person is not on this business’s staff.',
    no_bot: 'Connect the business’s bot first: invitations are accepted in it.',
    master_required: 'Choose which master the person is.',
    master_taken: 'That master has a person already; choose another one.',
  },
};

const ru: StaffMessages = {
  title: 'Сотрудники · Slotbot',
  heading: 'Сотрудники',
  lead: 'Кто работает в этом бизнесе и что им доступно. Люди присоединяются по ссылке-приглашению, которую открывают в боте бизнеса.',
  you: 'вы',
  telegramBound: 'Telegram подключён',
  telegramNotBound: 'Telegram ещё не подключён',
  inactive: 'удалён',
  master: (name) => `Мастер: ${name}`,
  allLocations: 'Все филиалы',
  onlyLocations: (names) => `Только: ${names}`,
  roleLabel: 'Роль',
  saveRole: 'Сменить роль',
  locationsLegend: 'Филиалы, с которыми работает менеджер',
  locationsHint: 'Если ничего не отмечено — все филиалы.',
  saveLocations: 'Сохранить филиалы',
  remove: 'Удалить из сотрудников',
  invite: {
    heading: 'Пригласить',
    lead: 'Вы получите ссылку для отправки. Человек открывает её в Telegram и нажимает «Старт» в боте бизнеса; бот присылает ему ссылку для входа.',
    role: 'Роль',
    master: 'Какой это мастер',
    masterHint: 'Только для мастера: его визиты и расписание — этого мастера.',
    noMasters: 'У всех мастеров уже есть человек (или мастеров пока нет).',
    button: 'Создать ссылку-приглашение',
  },
  invited: {
    title: 'Приглашение · Slotbot',
    heading: 'Ссылка-приглашение',
    howTo: (role) =>
      `Отправьте эту ссылку человеку, который будет: ${role}. Она работает один раз, 7 дней.`,
    copy: 'Ссылка',
    once: 'Ссылка показывается только сейчас; отменить приглашение можно на странице сотрудников.',
    back: 'К сотрудникам',
  },
  invitations: {
    heading: 'Открытые приглашения',
    none: 'Открытых приглашений нет.',
    expires: 'действует до',
    cancel: 'Отменить приглашение',
  },
  done: {
    role: 'Роль изменена.',
    removed: 'Удалён из сотрудников; его сеансы завершены.',
    locations: 'Филиалы сохранены.',
    cancelled: 'Приглашение отменено: ссылка больше не работает.',
  },
  refused: {
    not_allowed: 'Это может сделать только владелец.',
    last_owner:
      'У бизнеса должен быть хотя бы один владелец: сначала сделайте владельцем кого-то другого.',
    not_found: 'Этого человека нет среди сотрудников бизнеса.',
    no_bot: 'Сначала подключите бота бизнеса: приглашения принимаются в нём.',
    master_required: 'Выберите, какой это мастер.',
    master_taken: 'У этого мастера уже есть человек; выберите другого.',
  },
};

export const STAFF_MESSAGES: Record<WebLanguage, StaffMessages> = { en, ru };

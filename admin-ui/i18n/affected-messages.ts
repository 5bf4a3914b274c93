import type { WebLanguage } from './languages.ts';
import { ruPlural } from './plural.ts';

/** The page that asks what happens to booked visits a change touches. */
export interface AffectedMessages {
  title: string;
  heading(count: number): string;
  lead: string;
  changed: string;
  more(count: number): string;
  master: string;
  status: Record<string, string>;
  message: string;
  messageHint: string;
  messageError: string;
  keep: string;
  keepHint: string;
  cancel: string;
  cancelHint: string;
  back: string;
  done: { kept(n: number): string; cancelled(n: number): string; unchanged(n: number): string };
  reasons: { serviceOff: string; masterOff: string; schedule: string };
}

const en: AffectedMessages = {
  title: 'Booked visits · Slotbot',
  heading: (n) => (n === 1 ? '1 booked visit is affected' : `${n} booked visits are affected`),
  lead: 'Nothing is saved yet. Decide what happens to these visits; the decision is recorded in the audit log.',
  changed:
    'The visits changed while you were deciding (one was booked or cancelled meanwhile). Here is the list as it is now.',
  more: (n) => `…and ${n} more, handled the same way.`,
  master: 'Master',
  status: { held: 'held', pending_payment: 'awaiting payment', confirmed: 'confirmed' },
  message: 'Message to the clients (optional)',
  messageHint:
    'Sent with the cancellation notice in the bot, as you write it. At most 500 characters.',
  messageError: 'The message is longer than 500 characters: shorten it.',
  keep: 'Save and keep these visits',
  keepHint: 'The visits stay booked as they are; clients are not told anything.',
  cancel: 'Save and cancel these visits',
  cancelHint:
    'Each client gets a notice in the bot, in their language, with your message. No cancellation fee is charged.',
  back: 'Go back without saving',
  done: {
    kept: (n) => `Saved. ${n === 1 ? '1 visit stays' : `${n} visits stay`} booked.`,
    cancelled: (n) =>
      `Saved. ${n === 1 ? '1 visit was' : `${n} visits were`} cancelled and the clients are being told.`,
    unchanged: (n) =>
      `${n === 1 ? '1 visit had' : `${n} visits had`} already changed and ${n === 1 ? 'was' : 'were'} left as ${n === 1 ? 'it was' : 'they were'}.`,
  },
  reasons: {
    serviceOff: 'Clients will no longer be able to book this service. These visits include it:',
    masterOff: 'Clients will no longer be able to book this master. These visits are with them:',
    schedule: 'These visits fall outside the new schedule:',
  },
};

const plural = ruPlural;

const ru: AffectedMessages = {
  title: 'Записи клиентов · Slotbot',
  heading: (n) => `Изменение затрагивает ${n} ${plural(n, 'запись', 'записи', 'записей')}`,
  lead: 'Пока ничего не сохранено. Решите, что будет с этими записями; решение попадёт в журнал действий.',
  changed:
    'Пока вы решали, записи изменились (кто-то записался или отменил). Вот список на сейчас.',
  more: (n) => `…и ещё ${n}: с ними будет то же самое.`,
  master: 'Мастер',
  status: { held: 'удерживается', pending_payment: 'ждёт оплаты', confirmed: 'подтверждена' },
  message: 'Сообщение клиентам (необязательно)',
  messageHint:
    'Придёт в боте вместе с уведомлением об отмене, как вы его напишете. Не более 500 символов.',
  messageError: 'Сообщение длиннее 500 символов: сократите его.',
  keep: 'Сохранить и оставить записи',
  keepHint: 'Записи остаются как есть; клиентам ничего не сообщается.',
  cancel: 'Сохранить и отменить записи',
  cancelHint:
    'Каждый клиент получит уведомление в боте на своём языке с вашим сообщением. Штраф за отмену не берётся.',
  back: 'Вернуться без сохранения',
  done: {
    kept: (n) =>
      `Сохранено. ${n} ${plural(n, 'запись остаётся', 'записи остаются', 'записей остаются')} в силе.`,
    cancelled: (n) =>
      `Сохранено. ${n} ${plural(n, 'запись отменена', 'записи отменены', 'записей отменено')}, клиенты получают уведомления.`,
    unchanged: (n) =>
      `${n} ${plural(n, 'запись уже изменилась', 'записи уже изменились', 'записей уже изменились')} и ${plural(n, 'осталась', 'остались', 'остались')} как есть.`,
  },
  reasons: {
    serviceOff: 'Клиенты больше не смогут записаться на эту услугу. Она есть в этих записях:',
    masterOff: 'Клиенты больше не смогут записаться к этому мастеру. Эти записи — к нему:',
    schedule: 'Эти записи окажутся вне нового расписания:',
  },
};

export const AFFECTED_MESSAGES: Record<WebLanguage, AffectedMessages> = { en, ru };

import type { ChatReads } from '../../../db/chat-reads.ts';
import type { Actor, BookingService } from '../../booking/booking-service.ts';
import type { MessageKey } from '../../i18n/catalog.ts';
import type { PaymentService } from '../../payments/payment-service.ts';
import type { Nav } from '../navigation.ts';

/** What a view needs to know about the chat it renders for. */
export interface FlowEnv {
  lang: string;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  tenantId: string;
  tenantName: string;
  botId: string;
  telegramUserId: number;
  clientId: string;
  /** What the screens read, as the chat's person (db/chat-reads.ts); views open no units of work. */
  reads: ChatReads;
  booking: BookingService;
  now(): number;
  /** Switches the chat's language (session and client record). */
  setLanguage(lang: string): Promise<void>;
  /** The sequence number of the screen being acted on (idempotency of confirmations). */
  seq: number;
  /**
   * Catalog lists already read, by key: shared by the bot's updates for as long as the tenant's
   * catalog stamp (read with each update's session) stays the same.
   */
  memo: Map<string, Promise<unknown>>;
  /** Invoices, payment checks and refunds; absent where payments are not wired (some tests). */
  payments?: PaymentService;
  /** The update's correlation id, for the jobs and logs it causes. */
  correlationId?: string;
  /** Set when this Telegram user is one of the tenant's masters. */
  master?: { id: string; timezone: string };
}

export interface Button {
  text: string;
  action: string;
}

export interface Screen {
  text: string;
  buttons: Button[][];
}

export interface View {
  render(env: FlowEnv, payload: Record<string, unknown>): Promise<Screen>;
  act(env: FlowEnv, payload: Record<string, unknown>, action: string): Promise<Nav>;
}

/** Rows of `size` buttons. */
export function rows(buttons: Button[], size: number): Button[][] {
  const out: Button[][] = [];
  for (let i = 0; i < buttons.length; i += size) out.push(buttons.slice(i, i + size));
  return out;
}

/** The chat's person as the booking service knows them: a client acting on their own bookings. */
export function clientActor(env: FlowEnv): Actor {
  return {
    kind: 'client',
    id: `tg:${env.telegramUserId}`,
    clientId: env.clientId,
    ...(env.correlationId ? { correlationId: env.correlationId } : {}),
  };
}

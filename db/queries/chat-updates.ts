import type { Queryable } from '../port.ts';
import { claimOutcome, type ClaimOutcome, type ClaimRow, type UpdateKey } from './bots.ts';

/**
 * A navigation update's database work (a message or button press in a user's private chat with a
 * tenant's bot) as two statements, each in its own implicit transaction: `app.open_chat_update`
 * and `app.save_chat_update` check the claims themselves (the tenant's, and the user's `sub`), so
 * the claims are set first (a materialized CTE feeding the call's tenant argument) and vanish with
 * the statement, as with bookSlotScoped. One round trip each, no BEGIN, COMMIT or role switch.
 */

/** Whose chat: the tenant's bot and the user's private chat with it (its id is the user's). */
export interface ChatKey {
  tenantId: string;
  botId: string;
  chatId: number;
  userId: number;
}

export interface ChatUpdateRead {
  client: { id: string; language: string };
  session: { data: Record<string, unknown>; version: number };
  master?: { id: string; timezone: string };
  /** The catalog's stamp: moves whenever the lists a bot shows could change. */
  catalogStamp: string;
}

export interface OpenedChatUpdate {
  /** What the claim found; absent when none was asked for (the caller holds the claim already). */
  claim?: ClaimOutcome;
  /** What the update is handled with; absent unless it is claimed. */
  read?: ChatUpdateRead;
}

type OpenRow = ClaimRow & {
  client_id: string | null;
  client_language: string | null;
  session_data: Record<string, unknown> | null;
  session_version: number | null;
  master_id: string | null;
  master_timezone: string | null;
  catalog_stamp: string | null;
};

const OPEN = `with scope as materialized (select pg_catalog.set_config('request.jwt.claims', $1, true) as claims)
  select * from app.open_chat_update((select $2::uuid from scope), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`;

/**
 * Claims the update (unless `claim` is absent: claimed already) and, if claimed, reads the client
 * (written when new or renamed), the chat's session, whether the user is a master and the catalog
 * stamp.
 */
export async function openChatUpdate(
  q: Queryable,
  claims: string,
  p: ChatKey & {
    updateId: number;
    claim?: { token: string; leaseSeconds: number; maxClaims: number };
    firstName?: string;
    lastName?: string;
    username?: string;
    /** The language of a client seen for the first time. */
    language: string;
  },
): Promise<OpenedChatUpdate> {
  const [row] = await q.query<OpenRow>(OPEN, [
    claims,
    p.tenantId,
    p.botId,
    p.chatId,
    p.userId,
    p.updateId,
    p.claim?.token ?? null,
    p.claim?.leaseSeconds ?? null,
    p.claim?.maxClaims ?? null,
    p.firstName ?? null,
    p.lastName ?? null,
    p.username ?? null,
    p.language,
  ]);
  const claim = p.claim ? claimOutcome(row!, p.claim.leaseSeconds) : undefined;
  if (row!.outcome !== 'claimed') return claim ? { claim } : {};
  return {
    ...(claim ? { claim } : {}),
    read: {
      client: { id: row!.client_id!, language: row!.client_language! },
      session: { data: row!.session_data ?? {}, version: row!.session_version ?? 0 },
      ...(row!.master_id
        ? { master: { id: row!.master_id, timezone: row!.master_timezone! } }
        : {}),
      catalogStamp: row!.catalog_stamp ?? '',
    },
  };
}

/** `saved`; `conflict`: the session changed since it was read (nothing saved, not done); `lost`: the claim is no longer this delivery's (nothing saved). */
export type SaveOutcome = 'saved' | 'conflict' | 'lost';

const SAVE = `with scope as materialized (select pg_catalog.set_config('request.jwt.claims', $1, true) as claims)
  select app.save_chat_update((select $2::uuid from scope), $3, $4, $5, $6::jsonb, $7, $8, $9) as outcome`;

/**
 * Saves the chat's session (read at `version`) with the update's "done" mark, only while the
 * delivery holding `token` still holds the claim.
 */
export async function saveChatUpdate(
  q: Queryable,
  claims: string,
  p: ChatKey & Pick<UpdateKey, 'updateId'> & { token: string; data: unknown; version: number },
): Promise<SaveOutcome> {
  const [row] = await q.query<{ outcome: SaveOutcome }>(SAVE, [
    claims,
    p.tenantId,
    p.botId,
    p.chatId,
    p.userId,
    JSON.stringify(p.data),
    p.version,
    p.updateId,
    p.token,
  ]);
  return row!.outcome;
}

import { z } from 'zod';
import type { Queryable } from '../port.ts';

/** The board's new booking (as the tenant, under RLS): clients as staff find and create them, what can be booked. */

const clientSchema = z.object({
  id: z.string(),
  name: z.string(),
  source: z.enum(['telegram', 'phone', 'walk_in']),
  username: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.string(),
  no_show_count: z.coerce.number(),
});
export type BoardClient = z.infer<typeof clientSchema>;

const COLUMNS = `c.id, coalesce(nullif(btrim(concat_ws(' ', c.first_name, c.last_name)), ''), c.username, '—') as name,
  c.source, c.username, c.phone, c.language, c.no_show_count`;
const DIGITS = `regexp_replace(c.phone, '[^0-9]', '', 'g')`;
const likeAnywhere = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Clients whose name or @username contains `search`, or (when it looks like a phone number,
 * `digits`) whose phone's digits contain those digits; by name.
 */
export async function findClients(
  q: Queryable,
  p: { tenantId: string; search: string; digits?: string | undefined; limit: number },
): Promise<BoardClient[]> {
  const text = p.search.replace(/^@/, '');
  const rows = await q.query(
    `select ${COLUMNS} from public.clients c
     where c.tenant_id = $1
       and (concat_ws(' ', c.first_name, c.last_name, c.username) ilike $2
            or ($3::text is not null and c.phone is not null and ${DIGITS} like $3))
     order by name, c.id
     limit $4`,
    [p.tenantId, likeAnywhere(text), p.digits ? likeAnywhere(p.digits) : null, p.limit],
  );
  return rows.map((r) => clientSchema.parse(r));
}

export async function boardClient(
  q: Queryable,
  p: { tenantId: string; id: string },
): Promise<BoardClient | undefined> {
  const [row] = await q.query(
    `select ${COLUMNS} from public.clients c where c.tenant_id = $1 and c.id = $2`,
    [p.tenantId, p.id],
  );
  return row ? clientSchema.parse(row) : undefined;
}

/** A client whose phone has exactly these digits (however it was typed), if any. */
export async function clientByPhoneDigits(
  q: Queryable,
  p: { tenantId: string; digits: string },
): Promise<BoardClient | undefined> {
  const [row] = await q.query(
    `select ${COLUMNS} from public.clients c
     where c.tenant_id = $1 and c.phone is not null and ${DIGITS} = $2
     order by c.created_at limit 1`,
    [p.tenantId, p.digits],
  );
  return row ? clientSchema.parse(row) : undefined;
}

/** A client without Telegram, booked by phone or at the desk. */
export async function insertWalkInClient(
  q: Queryable,
  p: {
    tenantId: string;
    source: 'phone' | 'walk_in';
    name: string;
    phone: string | undefined;
    language: string;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `insert into public.clients (tenant_id, source, first_name, phone, language)
     values ($1, $2, $3, $4, $5) returning id`,
    [p.tenantId, p.source, p.name, p.phone ?? null, p.language],
  );
  return row!.id;
}

/** What can be booked at a location now: its active masters and active services (with minutes and price). */
export async function bookableChoices(
  q: Queryable,
  p: { tenantId: string; locationId: string },
): Promise<{
  masters: { id: string; name: string }[];
  services: { id: string; name: string; duration_min: number; price_minor: number }[];
}> {
  const masters = await q.query<{ id: string; name: string }>(
    'select id, display_name as name from public.masters where tenant_id = $1 and location_id = $2 and active order by sort_order, display_name, id limit 500',
    [p.tenantId, p.locationId],
  );
  const services = await q.query<{
    id: string;
    name: string;
    duration_min: number;
    price_minor: string | number;
  }>(
    'select id, name, duration_min, price_minor from public.services where tenant_id = $1 and location_id = $2 and active order by sort_order, name, id limit 500',
    [p.tenantId, p.locationId],
  );
  return {
    masters,
    services: services.map((s) => ({
      ...s,
      duration_min: Number(s.duration_min),
      price_minor: Number(s.price_minor),
    })),
  };
}

/** Staff's notes on one of the tenant's clients (null: none); false when no such client. */
export async function setClientNotes(
  q: Queryable,
  p: { tenantId: string; clientId: string; notes: string | null },
): Promise<boolean> {
  const rows = await q.query(
    'update public.clients set notes = $3 where tenant_id = $1 and id = $2 returning id',
    [p.tenantId, p.clientId, p.notes],
  );
  return rows.length === 1;
}

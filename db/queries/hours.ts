import { z } from 'zod';
import { pgErrorInfo, type Queryable } from '../port.ts';

/**
 * A master's week (working windows, breaks), time off and upcoming visits as the hours editor
 * reads and writes them, as the tenant (RLS). Times of day are minutes since local midnight
 * (1440 = "24:00"), instants epoch milliseconds.
 */

const weeklySchema = z.object({
  id: z.string(),
  weekday: z.coerce.number(),
  start: z.coerce.number(),
  end: z.coerce.number(),
  label: z.string().nullable(),
});
export type WeeklyRow = z.infer<typeof weeklySchema>;

export type WeeklyTable = 'window' | 'break';
const TABLE: Record<WeeklyTable, string> = {
  window: 'public.working_hours',
  break: 'public.breaks',
};

const minutes = (column: string) => `(extract(epoch from ${column}) / 60)::int`;

/** The master's working windows and breaks, by weekday and start. */
export async function weekOfMaster(
  q: Queryable,
  p: { tenantId: string; masterId: string },
): Promise<{ windows: WeeklyRow[]; breaks: WeeklyRow[] }> {
  const rows = await q.query(
    `select 'window' as kind, w.id, w.weekday, ${minutes('w.start_local')} as start, ${minutes('w.end_local')} as "end", null::text as label
       from public.working_hours w where w.tenant_id = $1 and w.master_id = $2
     union all
     select 'break', b.id, b.weekday, ${minutes('b.start_local')}, ${minutes('b.end_local')}, b.label
       from public.breaks b where b.tenant_id = $1 and b.master_id = $2
     order by 3, 4, 5`,
    [p.tenantId, p.masterId],
  );
  const parsed = rows.map((r) => ({
    kind: (r as { kind: string }).kind,
    row: weeklySchema.parse(r),
  }));
  return {
    windows: parsed.filter((x) => x.kind === 'window').map((x) => x.row),
    breaks: parsed.filter((x) => x.kind === 'break').map((x) => x.row),
  };
}

/**
 * Another window of that day was written between the check and the insert (two editors at once):
 * the database's exclusion constraint refused it. The caller reads again and says which one.
 */
export class WindowOverlapError extends Error {
  override name = 'WindowOverlapError';
}

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Inserts windows or breaks (an end of 1440 is stored as 24:00); returns their ids in order. */
export async function insertWeekly(
  q: Queryable,
  p: {
    tenantId: string;
    masterId: string;
    kind: WeeklyTable;
    entries: readonly { weekday: number; start: number; end: number; label?: string | null }[];
  },
): Promise<string[]> {
  if (!p.entries.length) return [];
  const json = JSON.stringify(
    p.entries.map((e, i) => ({
      n: i,
      weekday: e.weekday,
      start_local: hhmm(e.start),
      end_local: hhmm(e.end),
      label: e.label ?? null,
    })),
  );
  const columns =
    p.kind === 'break'
      ? 'tenant_id, master_id, weekday, start_local, end_local, label'
      : 'tenant_id, master_id, weekday, start_local, end_local';
  const values =
    p.kind === 'break'
      ? '$1, $2, e.weekday, e.start_local::time, e.end_local::time, e.label'
      : '$1, $2, e.weekday, e.start_local::time, e.end_local::time';
  try {
    const rows = await q.query<{ id: string }>(
      `insert into ${TABLE[p.kind]} (${columns})
       select ${values} from jsonb_to_recordset($3::jsonb) as e(n int, weekday smallint, start_local text, end_local text, label text) order by e.n
       returning id`,
      [p.tenantId, p.masterId, json],
    );
    return rows.map((r) => r.id);
  } catch (error) {
    const info = pgErrorInfo(error);
    if (
      info?.code === '23P01' &&
      (info.constraint === undefined || info.constraint === 'working_hours_no_overlap')
    )
      throw new WindowOverlapError(info.message);
    throw error;
  }
}

/** Deletes windows or breaks of the master; returns the ids that were there. */
export async function deleteWeekly(
  q: Queryable,
  p: { tenantId: string; masterId: string; kind: WeeklyTable; ids: readonly string[] },
): Promise<string[]> {
  if (!p.ids.length) return [];
  const rows = await q.query<{ id: string }>(
    `delete from ${TABLE[p.kind]} where tenant_id = $1 and master_id = $2 and id = any ($3::uuid[]) returning id`,
    [p.tenantId, p.masterId, `{${p.ids.join(',')}}`],
  );
  return rows.map((r) => r.id);
}

const timeOffSchema = z.object({
  id: z.string(),
  all_day: z.boolean(),
  first_day: z.string().nullable(),
  last_day: z.string().nullable(),
  starts_at: z.coerce.number().nullable(),
  ends_at: z.coerce.number().nullable(),
  reason: z.string().nullable(),
});
export type TimeOffRow = z.infer<typeof timeOffSchema>;

/** The master's time off that is not over at `now` (whole days up to today in the location's zone), soonest first. */
export async function timeOffOfMaster(
  q: Queryable,
  p: { tenantId: string; masterId: string; now: number },
): Promise<TimeOffRow[]> {
  const rows = await q.query(
    `select o.id, o.all_day, o.first_day::text as first_day, o.last_day::text as last_day,
            extract(epoch from o.starts_at) * 1000 as starts_at, extract(epoch from o.ends_at) * 1000 as ends_at, o.reason
     from public.time_off o join public.masters m on m.id = o.master_id join public.locations l on l.id = m.location_id
     where o.tenant_id = $1 and o.master_id = $2
       and ((o.all_day and o.last_day >= ($3::timestamptz at time zone l.timezone)::date) or (not o.all_day and o.ends_at > $3::timestamptz))
     order by coalesce(o.starts_at, (o.first_day::timestamp at time zone l.timezone)), o.id limit 500`,
    [p.tenantId, p.masterId, new Date(p.now).toISOString()],
  );
  return rows.map((r) => timeOffSchema.parse(r));
}

export type NewTimeOff =
  | { kind: 'days'; firstDay: string; lastDay: string; reason: string | null }
  | { kind: 'range'; start: number; end: number; reason: string | null };

export async function insertTimeOff(
  q: Queryable,
  p: { tenantId: string; masterId: string; value: NewTimeOff },
): Promise<string> {
  const v = p.value;
  const [row] = await q.query<{ id: string }>(
    `insert into public.time_off (tenant_id, master_id, all_day, first_day, last_day, starts_at, ends_at, reason)
     values ($1, $2, $3, $4::date, $5::date, $6::timestamptz, $7::timestamptz, $8) returning id`,
    [
      p.tenantId,
      p.masterId,
      v.kind === 'days',
      v.kind === 'days' ? v.firstDay : null,
      v.kind === 'days' ? v.lastDay : null,
      v.kind === 'range' ? new Date(v.start).toISOString() : null,
      v.kind === 'range' ? new Date(v.end).toISOString() : null,
      v.reason,
    ],
  );
  return row!.id;
}

export async function deleteTimeOff(
  q: Queryable,
  p: { tenantId: string; masterId: string; id: string },
): Promise<boolean> {
  const rows = await q.query(
    'delete from public.time_off where tenant_id = $1 and master_id = $2 and id = $3 returning id',
    [p.tenantId, p.masterId, p.id],
  );
  return rows.length > 0;
}

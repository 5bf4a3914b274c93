/** @jsxImportSource hono/jsx */
import { asTenant } from '../../db/scope.ts';
import { listForMaster, masterForStaff } from '../../db/queries/bookings.ts';
import {
  isScheduleRange,
  SCHEDULE_RANGES,
  scheduleWindow,
} from '../../tenants/booking/master-schedule.ts';
import { formatVisit, formatZone } from '../../tenants/i18n/format.ts';
import { translate, type MessageKey } from '../../tenants/i18n/catalog.ts';
import { AdminLayout } from '../admin-layout.tsx';
import { page, tenantScope, type AdminRequest, type AdminRoute } from '../request.ts';

/**
 * A master's own visits (today, tomorrow, the next 7 days) in their location's time: only the
 * master row this staff member is; nobody else's. Outcomes are marked in the bot.
 */
async function schedulePage(r: AdminRequest): Promise<Response> {
  const me = r.identity!;
  const asked = r.query('range');
  const range = isScheduleRange(asked) ? asked : 'today';
  const t = (key: MessageKey, vars?: Record<string, string | number>) =>
    translate(r.lang, key, vars);
  const found = await asTenant(r.deps.db, tenantScope(me), async (tx) => {
    const master = await masterForStaff(tx, me.tenantId!, me.staffId);
    if (!master) return undefined;
    const { from, to } = scheduleWindow(range, r.deps.now(), master.timezone);
    return { master, visits: await listForMaster(tx, master.id, from, to) };
  });
  const label = t(`schedule.${range}`);
  return page(
    r,
    <AdminLayout r={r} title={`${t('schedule.title', { range: label })} · Slotbot`}>
      <h1>{t('schedule.title', { range: label })}</h1>
      <nav aria-label={r.t.nav.sections}>
        <ul class="sections">
          {SCHEDULE_RANGES.map((x) => (
            <li>
              <a
                href={`/admin/schedule?range=${x}`}
                aria-current={x === range ? 'page' : undefined}
              >
                {t(`schedule.${x}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {!found ? <p class="notice bad">{r.t.schedule.notAMaster}</p> : null}
      {found ? (
        <p class="muted">
          {r.t.schedule.zone(formatZone(found.master.timezone, r.lang, r.deps.now()))}
        </p>
      ) : null}
      {found && found.visits.length === 0 ? <p>{t('schedule.none', { range: label })}</p> : null}
      {found ? (
        <ul class="cards">
          {found.visits.map((v) => (
            <li class="card">
              <p>
                <strong>
                  {formatVisit(v.start_at.getTime(), v.end_at.getTime(), v.timezone, r.lang)}
                </strong>
                <span class="badge">{t(`status.${v.status}` as MessageKey)}</span>
              </p>
              <p>{v.services}</p>
              <p class="muted">{v.client_name ?? '—'}</p>
            </li>
          ))}
        </ul>
      ) : null}
      <p class="muted">{r.t.schedule.outcomesInBot}</p>
    </AdminLayout>,
  );
}

export const SCHEDULE_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/schedule', access: ['master'], handle: schedulePage },
];

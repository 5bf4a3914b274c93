/** @jsxImportSource hono/jsx */
import type { Transaction } from '../../db/port.ts';
import { asTenant } from '../../db/scope.ts';
import { insertAudit } from '../../db/queries/admin.ts';
import {
  locationsOfStaff,
  masterById,
  mastersAt,
  setSkills,
  skillsOf,
  updateMaster,
  type EditableMaster,
  type Skill,
  type StaffLocation,
} from '../../db/queries/catalog-admin.ts';
import { insertMaster } from '../../db/queries/setup.ts';
import {
  parseName,
  parseOptionalDuration,
  parseSpeedFactor,
  parseWeeklyHours,
} from '../../tenants/admin/setup-input.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import { CheckboxGroup, ProblemSummary, TextField } from '../form-fields.tsx';
import { CATALOG_MESSAGES } from '../i18n/catalog-messages.ts';
import { SIGNUP_MESSAGES } from '../i18n/signup-messages.ts';
import { WEB_LANGUAGES } from '../i18n/languages.ts';
import { afterIdOf, keysetPage, Pager } from '../pager.tsx';
import { errorPage } from '../pages/error.tsx';
import { page, redirect, tenantScope, type AdminRequest, type AdminRoute } from '../request.ts';
import type { Errors } from '../service-input.ts';
import { saveWithAffected } from '../affected-bookings.tsx';
import { LocationSwitch, SavedNotice } from '../location-switch.tsx';
import { AFFECTED_MESSAGES } from '../i18n/affected-messages.ts';
import { upcomingVisits } from '../../db/queries/affected-visits.ts';
import { BLOCKING_STATES } from '../../tenants/booking/state-machine.ts';

/**
 * The masters editor (owners and managers, a manager within their locations): per location, each
 * master's name and names per language, speed, whether clients can book them, and the services
 * they do with an optional duration of their own. A new master gets the same hours on chosen
 * days (each master's week, breaks and time off: `hours.tsx`). Saved as the tenant with the audit entry; the bot shows it on
 * the client's next screen.
 */
const EDITORS = ['owner', 'manager'] as const;
/** Masters per page of the list. */
const PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

const m = (r: AdminRequest) => CATALOG_MESSAGES[r.lang].masters;
const asStaff = <T,>(r: AdminRequest, fn: (tx: Transaction, tenantId: string) => Promise<T>) =>
  asTenant(r.deps.db, tenantScope(r.identity!), (tx) => fn(tx, r.identity!.tenantId!));
const myLocations = (r: AdminRequest, tx: Transaction, tenantId: string) =>
  locationsOfStaff(tx, { tenantId, staffId: r.identity!.staffId, role: r.identity!.role });
const languageName = (lang: string, code: string) =>
  new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
const weekdayName = (lang: string, isoWeekday: number) =>
  new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' }).format(
    Date.UTC(2024, 0, isoWeekday),
  );
const speedText = (lang: string, factor: number) =>
  new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(factor);
const notFound = (r: AdminRequest) =>
  errorPage(r, 404, r.t.errors.notFound, r.t.errors.notFoundHow);

async function listPage(r: AdminRequest): Promise<Response> {
  const t = m(r);
  const afterId = afterIdOf(r);
  const found = await asStaff(r, async (tx, tenantId) => {
    const locations = await myLocations(r, tx, tenantId);
    const location = locations.find((l) => l.id === r.query('location')) ?? locations[0];
    return {
      locations,
      location,
      rows: location
        ? await mastersAt(tx, { tenantId, locationId: location.id, afterId, limit: PAGE + 1 })
        : [],
    };
  });
  const {
    items: masters,
    next,
    first,
  } = keysetPage(found.rows, {
    size: PAGE,
    path: '/admin/masters',
    keep: found.location ? { location: found.location.id } : {},
    afterId,
  });
  return page(
    r,
    <AdminLayout r={r} title={t.title}>
      <h1>{t.heading}</h1>
      <p class="lead">{t.lead}</p>
      <SavedNotice r={r} messages={t.saved} />
      <LocationSwitch
        r={r}
        action="/admin/masters"
        locations={found.locations}
        current={found.location}
      />
      {found.location ? (
        <>
          <h2>{found.location.name}</h2>
          <p>
            <a class="button primary" href={`/admin/masters/new?location=${found.location.id}`}>
              {t.add}
            </a>
          </p>
          {masters.length === 0 ? <p>{t.none}</p> : null}
          <ul class="cards">
            {masters.map((x) => (
              <li class="card">
                <p>
                  <strong>{x.display_name}</strong>
                  {x.active ? null : (
                    <span class="badge bad">{CATALOG_MESSAGES[r.lang].inactive}</span>
                  )}
                </p>
                <p class="muted">
                  {x.bound ? t.telegram : t.noTelegram} ·{' '}
                  {t.speed(speedText(r.lang, x.speed_factor))}
                  {x.upcoming > 0 ? ` · ${CATALOG_MESSAGES[r.lang].upcoming(x.upcoming)}` : ''}
                </p>
                <p class="row-actions">
                  <a href={`/admin/masters/${x.id}`}>
                    {CATALOG_MESSAGES[r.lang].edit}
                    <span class="visually-hidden"> {x.display_name}</span>
                  </a>
                  <a href={`/admin/masters/${x.id}/hours`}>
                    {t.hours}
                    <span class="visually-hidden"> {x.display_name}</span>
                  </a>
                </p>
              </li>
            ))}
          </ul>
          <Pager r={r} first={first} next={next} />
        </>
      ) : (
        <p>{SIGNUP_MESSAGES[r.lang].setup.service.needs}</p>
      )}
    </AdminLayout>,
  );
}

function masterForm(
  r: AdminRequest,
  p: {
    location: StaffLocation;
    master?: EditableMaster;
    skills: Skill[];
    values: Record<string, string>;
    errors?: Errors;
    status?: number;
  },
): Response {
  const t = m(r);
  const f = SIGNUP_MESSAGES[r.lang].setup.masterForm;
  const errors = p.errors ?? {};
  const action = p.master
    ? `/admin/masters/${p.master.id}`
    : `/admin/masters/new?location=${p.location.id}`;
  const checked = (name: string) => p.values[name] === 'on';
  return page(
    r,
    <AdminLayout
      r={r}
      title={`${p.master ? t.editTitle : t.newTitle} · Slotbot`}
      current="/admin/masters"
    >
      <h1>{p.master ? t.editTitle : t.newTitle}</h1>
      <p class="lead">{p.location.name}</p>
      {p.master ? (
        <p>
          {t.hoursLead} <a href={`/admin/masters/${p.master.id}/hours`}>{t.hours}</a>
        </p>
      ) : null}
      <ProblemSummary
        text={
          Object.values(errors).some(Boolean) ? SIGNUP_MESSAGES[r.lang].setup.problem : undefined
        }
      />
      <PostForm r={r} action={action} class="stacked">
        <TextField
          name="name"
          label={f.name}
          hint={f.nameHint}
          value={p.values.name}
          error={errors.name}
          required
          maxlength={100}
        />
        <fieldset class="choices">
          <legend>{CATALOG_MESSAGES[r.lang].form.translations}</legend>
          <p class="hint">{CATALOG_MESSAGES[r.lang].form.translationsHint}</p>
          {WEB_LANGUAGES.map((l) => (
            <TextField
              name={`name_${l.code}`}
              label={CATALOG_MESSAGES[r.lang].form.nameIn(languageName(r.lang, l.code))}
              value={p.values[`name_${l.code}`]}
              error={errors[`name_${l.code}`]}
              maxlength={100}
            />
          ))}
        </fieldset>
        <CheckboxGroup
          id="skills"
          legend={t.skills}
          hint={t.skillsHint}
          error={errors.skills}
          items={p.skills.map((s) => ({
            name: `skill_${s.service_id}`,
            label: s.service_name,
            checked: checked(`skill_${s.service_id}`),
          }))}
        />
        {p.skills.map((s) => (
          <TextField
            id={`override-${s.service_id}`}
            name={`override_${s.service_id}`}
            label={t.overrideLabel(s.service_name, s.duration_min)}
            value={p.values[`override_${s.service_id}`]}
            error={errors[`override_${s.service_id}`]}
            inputmode="numeric"
            maxlength={4}
          />
        ))}
        <TextField
          name="speed"
          label={t.speedLabel}
          hint={t.speedHint}
          value={p.values.speed}
          error={errors.speed}
          required
          inputmode="decimal"
          maxlength={5}
        />
        <CheckboxGroup
          id="active"
          legend={t.active}
          hint={t.activeHint(p.master?.upcoming ?? 0)}
          items={[{ name: 'active', label: t.active, checked: checked('active') }]}
        />
        {p.master ? null : (
          <>
            <CheckboxGroup
              id="days"
              row
              legend={f.days}
              hint={t.hoursHint}
              error={errors.days}
              items={WEEKDAYS.map((d) => ({
                name: `day_${d}`,
                label: weekdayName(r.lang, d),
                checked: checked(`day_${d}`),
              }))}
            />
            <div class="pair">
              <TextField
                name="start"
                type="time"
                label={f.from}
                value={p.values.start}
                error={errors.start}
                required
              />
              <TextField
                name="end"
                type="time"
                label={f.to}
                value={p.values.end}
                error={errors.end}
                required
              />
            </div>
          </>
        )}
        <div class="actions">
          <button type="submit" class="primary">
            {CATALOG_MESSAGES[r.lang].form.save}
          </button>
          <a href={`/admin/masters?location=${p.location.id}`}>{t.back}</a>
        </div>
      </PostForm>
    </AdminLayout>,
    { status: p.status ?? 200 },
  );
}

function valuesOf(x: EditableMaster, skills: Skill[]): Record<string, string> {
  const values: Record<string, string> = {
    name: x.display_name,
    speed: String(x.speed_factor),
    active: x.active ? 'on' : '',
  };
  for (const [lang, name] of Object.entries(x.names)) values[`name_${lang}`] = name;
  for (const s of skills) {
    if (s.has) values[`skill_${s.service_id}`] = 'on';
    if (s.override_min !== null) values[`override_${s.service_id}`] = String(s.override_min);
  }
  return values;
}

/** The form checked against the location's services: the values to store or what to fix. */
function check(
  r: AdminRequest,
  values: Record<string, string>,
  skills: Skill[],
  withHours: boolean,
) {
  const t = m(r);
  const e = SIGNUP_MESSAGES[r.lang].setup.errors;
  const errors: Errors = {};
  const name = parseName(values.name, 100);
  if (!name.ok) errors.name = e.name[name.reason];
  const names: Record<string, string> = {};
  for (const { code } of WEB_LANGUAGES) {
    if (!values[`name_${code}`]?.trim()) continue;
    const translated = parseName(values[`name_${code}`], 100);
    if (translated.ok) names[code] = translated.value;
    else errors[`name_${code}`] = e.name[translated.reason];
  }
  const speed = parseSpeedFactor(values.speed);
  if (!speed.ok) errors.speed = t.speedError[speed.reason];
  const chosen: { serviceId: string; overrideMin: number | null }[] = [];
  for (const s of skills) {
    const override = parseOptionalDuration(values[`override_${s.service_id}`]);
    if (!override.ok) errors[`override_${s.service_id}`] = t.overrideError;
    else if (values[`skill_${s.service_id}`] === 'on')
      chosen.push({ serviceId: s.service_id, overrideMin: override.value });
  }
  if (chosen.length === 0) errors.skills = t.skillsError;
  const hours = withHours
    ? parseWeeklyHours({
        weekdays: WEEKDAYS.filter((d) => values[`day_${d}`] === 'on').map(String),
        start: values.start,
        end: values.end,
      })
    : undefined;
  if (hours && !hours.ok) {
    const message = e.hours[hours.reason];
    if (hours.reason === 'no_days') errors.days = message;
    else if (hours.reason === 'start') errors.start = message;
    else errors.end = message;
  }
  if (!name.ok || !speed.ok || Object.values(errors).some(Boolean))
    return { ok: false as const, errors };
  return {
    ok: true as const,
    name: name.value,
    names,
    speedFactor: speed.value,
    active: values.active === 'on',
    skills: chosen,
    hours: hours?.ok ? hours.value : undefined,
  };
}

async function editable(r: AdminRequest, id: string) {
  if (!UUID.test(id)) return undefined;
  return asStaff(r, async (tx, tenantId) => {
    const master = await masterById(tx, { tenantId, id });
    const location =
      master && (await myLocations(r, tx, tenantId)).find((l) => l.id === master.location_id);
    if (!master || !location) return undefined;
    return {
      master,
      location,
      skills: await skillsOf(tx, { tenantId, masterId: master.id, locationId: location.id }),
    };
  });
}

async function newFor(r: AdminRequest) {
  const id = r.query('location');
  if (id !== undefined && !UUID.test(id)) return undefined;
  return asStaff(r, async (tx, tenantId) => {
    const mine = await myLocations(r, tx, tenantId);
    const location = id === undefined ? mine[0] : mine.find((l) => l.id === id);
    // A new master's skills: the location's services, none ticked (an id no master has).
    return location
      ? {
          location,
          skills: await skillsOf(tx, {
            tenantId,
            masterId: '00000000-0000-0000-0000-000000000000',
            locationId: location.id,
          }),
        }
      : undefined;
  });
}

async function save(r: AdminRequest): Promise<Response> {
  const found = await editable(r, r.param('id'));
  if (!found) return notFound(r);
  const values = await r.form();
  const c = check(r, values, found.skills, false);
  if (!c.ok) return masterForm(r, { ...found, values, errors: c.errors, status: 400 });
  const me = r.identity!;
  const { master, location } = found;
  // No longer bookable: their booked visits are kept or cancelled, as staff decide.
  const turningOff = master.active && !c.active;
  return saveWithAffected(r, {
    values,
    findVisits: (tx, tenantId) =>
      turningOff
        ? upcomingVisits(tx, {
            tenantId,
            masterId: master.id,
            now: new Date(r.deps.now()),
            blocking: BLOCKING_STATES,
          })
        : Promise.resolve([]),
    async write(tx, tenantId, affected) {
      await updateMaster(tx, {
        tenantId,
        id: master.id,
        name: c.name,
        names: c.names,
        speedFactor: c.speedFactor,
        active: c.active,
      });
      await setSkills(tx, {
        tenantId,
        locationId: location.id,
        masterId: master.id,
        skills: c.skills,
      });
      const before = {
        name: master.display_name,
        names: master.names,
        speed: master.speed_factor,
        active: master.active,
        skills: found.skills
          .filter((s) => s.has)
          .map((s) => ({ serviceId: s.service_id, overrideMin: s.override_min })),
      };
      const after = {
        name: c.name,
        names: c.names,
        speed: c.speedFactor,
        active: c.active,
        skills: c.skills,
        ...(affected ? { affected } : {}),
      };
      await insertAudit(tx, {
        tenantId,
        actorStaffId: me.staffId,
        actorRole: me.role,
        action: 'master.update',
        targetKind: 'master',
        targetId: master.id,
        before,
        after,
        correlationId: r.correlationId,
      });
    },
    ask: {
      reason: AFFECTED_MESSAGES[r.lang].reasons.masterOff,
      action: `/admin/masters/${master.id}`,
      back: `/admin/masters/${master.id}`,
      current: '/admin/masters',
    },
    done: (outcome) => `/admin/masters?location=${location.id}&saved=updated${outcome}`,
  });
}

async function create(r: AdminRequest): Promise<Response> {
  const found = await newFor(r);
  if (!found) return notFound(r);
  const values = await r.form();
  const c = check(r, values, found.skills, true);
  if (!c.ok || !c.hours)
    return masterForm(r, { ...found, values, errors: c.ok ? {} : c.errors, status: 400 });
  const me = r.identity!;
  const hours = c.hours;
  await asStaff(r, async (tx, tenantId) => {
    const id = await insertMaster(tx, {
      tenantId,
      locationId: found.location.id,
      name: c.name,
      serviceIds: c.skills.map((s) => s.serviceId),
      ...hours,
    });
    await updateMaster(tx, {
      tenantId,
      id,
      name: c.name,
      names: c.names,
      speedFactor: c.speedFactor,
      active: c.active,
    });
    await setSkills(tx, {
      tenantId,
      locationId: found.location.id,
      masterId: id,
      skills: c.skills,
    });
    await insertAudit(tx, {
      tenantId,
      actorStaffId: me.staffId,
      actorRole: me.role,
      action: 'master.create',
      targetKind: 'master',
      targetId: id,
      after: {
        name: c.name,
        names: c.names,
        speed: c.speedFactor,
        active: c.active,
        skills: c.skills,
        hours,
      },
      correlationId: r.correlationId,
    });
  });
  return redirect(`/admin/masters?location=${found.location.id}&saved=created`);
}

export const MASTER_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/masters', access: EDITORS, handle: listPage },
  {
    method: 'GET',
    path: '/masters/new',
    access: EDITORS,
    async handle(r) {
      const found = await newFor(r);
      return found
        ? masterForm(r, {
            ...found,
            values: {
              speed: '1',
              active: 'on',
              start: '10:00',
              end: '19:00',
              day_1: 'on',
              day_2: 'on',
              day_3: 'on',
              day_4: 'on',
              day_5: 'on',
            },
          })
        : notFound(r);
    },
  },
  { method: 'POST', path: '/masters/new', access: EDITORS, handle: create },
  {
    method: 'GET',
    path: '/masters/:id',
    access: EDITORS,
    async handle(r) {
      const found = await editable(r, r.param('id'));
      return found
        ? masterForm(r, { ...found, values: valuesOf(found.master, found.skills) })
        : notFound(r);
    },
  },
  { method: 'POST', path: '/masters/:id', access: EDITORS, handle: save },
];

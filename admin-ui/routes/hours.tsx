/** @jsxImportSource hono/jsx */
import type { Transaction } from '../../db/port.ts';
import { asTenant } from '../../db/scope.ts';
import { insertAudit } from '../../db/queries/admin.ts';
import {
  locationsOfStaff,
  masterById,
  type EditableMaster,
  type StaffLocation,
} from '../../db/queries/catalog-admin.ts';
import {
  deleteTimeOff,
  deleteWeekly,
  insertTimeOff,
  insertWeekly,
  timeOffOfMaster,
  weekOfMaster,
  WindowOverlapError,
  type TimeOffRow,
} from '../../db/queries/hours.ts';
import {
  applyWeeklyChange,
  checkWeeklyRemoval,
  newlyUncovered,
  parseTimeOff,
  parseWeeklyAdd,
  spanText,
  type Schedule,
  type StoredWeekly,
  type TimeOffProblem,
  type TimeOffValue,
  type Week,
  type WeeklyKind,
  type WeeklyProblem,
} from '../../tenants/admin/hours-input.ts';
import { minutesToTime } from '../../tenants/admin/setup-input.ts';
import { localClock } from '../../tenants/availability/local-days.ts';
import type { TimeOff } from '../../tenants/availability/types.ts';
import { formatDay, formatVisit, formatZone } from '../../tenants/i18n/format.ts';
import { AdminLayout, PostForm } from '../admin-layout.tsx';
import {
  CheckboxGroup,
  FieldError,
  ProblemSummary,
  RadioGroup,
  TextField,
} from '../form-fields.tsx';
import { HOURS_MESSAGES, type HoursMessages } from '../i18n/hours-messages.ts';
import { errorPage } from '../pages/error.tsx';
import {
  affectedPage,
  AffectedOutcome,
  finishAffected,
  type AffectedRecord,
} from '../affected-bookings.tsx';
import { AFFECTED_MESSAGES } from '../i18n/affected-messages.ts';
import { upcomingVisits, type AffectedVisit } from '../../db/queries/affected-visits.ts';
import { affectedStep } from '../../tenants/admin/affected-bookings.ts';
import { BLOCKING_STATES } from '../../tenants/booking/state-machine.ts';
import { page, redirect, tenantScope, type AdminRequest, type AdminRoute } from '../request.ts';

/**
 * The hours editor (owners and managers, a manager within their locations): a master's week of
 * working windows and breaks, and their time off, in the location's zone. Every change is checked
 * by `tenants/admin/hours-input.ts` first (a window across midnight: the split to make; an
 * overlap: the window it meets and the merge); one that would leave upcoming visits outside the
 * master's time asks first, listing them, with the change carried in hidden fields and a
 * `decision` button ("keep" now; "cancel and tell the clients" is another value to come). Saved
 * as the tenant with its audit entry; the triggers on the three tables move the location's
 * catalog version, and the bot reads hours afresh for every screen, so the next one shows it.
 */
const EDITORS = ['owner', 'manager'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

const h = (r: AdminRequest): HoursMessages => HOURS_MESSAGES[r.lang];
const asStaff = <T,>(r: AdminRequest, fn: (tx: Transaction, tenantId: string) => Promise<T>) =>
  asTenant(r.deps.db, tenantScope(r.identity!), (tx) => fn(tx, r.identity!.tenantId!));
const notFound = (r: AdminRequest) =>
  errorPage(r, 404, r.t.errors.notFound, r.t.errors.notFoundHow);
const capitalized = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);
/** ISO weekday 1..7 by name in the reader's language (2024-01-01 was a Monday). */
const dayName = (lang: string, isoWeekday: number, width: 'long' | 'short' = 'long') =>
  capitalized(
    new Intl.DateTimeFormat(lang, { weekday: width, timeZone: 'UTC' }).format(
      Date.UTC(2024, 0, isoWeekday),
    ),
  );
const hoursPath = (masterId: string) => `/admin/masters/${masterId}/hours`;

interface State {
  master: EditableMaster;
  location: StaffLocation;
  week: Week;
  timeOff: TimeOffRow[];
  /** Only read for a change (the confirmation needs them); empty on the page itself. */
  visits: (AffectedVisit & { start: number; end: number })[];
}

/** The master if this staff member may edit them (a manager: one of their locations), with their week and time off. */
async function load(
  r: AdminRequest,
  tx: Transaction,
  tenantId: string,
  id: string,
  withVisits: boolean,
): Promise<State | undefined> {
  if (!UUID.test(id)) return undefined;
  const master = await masterById(tx, { tenantId, id });
  if (!master) return undefined;
  const location = (
    await locationsOfStaff(tx, { tenantId, staffId: r.identity!.staffId, role: r.identity!.role })
  ).find((l) => l.id === master.location_id);
  if (!location) return undefined;
  const now = r.deps.now();
  const week = await weekOfMaster(tx, { tenantId, masterId: id });
  const timeOff = await timeOffOfMaster(tx, { tenantId, masterId: id, now });
  const visits = withVisits
    ? (
        await upcomingVisits(tx, {
          tenantId,
          masterId: id,
          now: new Date(now),
          blocking: BLOCKING_STATES,
        })
      ).map((v) => ({ ...v, start: v.start_at.getTime(), end: v.end_at.getTime() }))
    : [];
  return { master, location, week, timeOff, visits };
}

const asTimeOff = (t: TimeOffRow): TimeOff =>
  t.all_day
    ? { kind: 'days', firstDay: t.first_day!, lastDay: t.last_day! }
    : { kind: 'range', start: t.starts_at!, end: t.ends_at! };
const scheduleOf = (week: Week, timeOff: readonly TimeOff[]): Schedule => ({
  windows: week.windows,
  breaks: week.breaks,
  timeOff,
});

function zoneLine(r: AdminRequest, s: State): string {
  return h(r).zone(
    s.location.name,
    `${formatZone(s.location.timezone, r.lang, r.deps.now())} (${s.location.timezone})`,
  );
}

function timeOffText(r: AdminRequest, s: State, t: TimeOffRow | TimeOffValue): string {
  const days =
    'all_day' in t
      ? t.all_day
        ? { first: t.first_day!, last: t.last_day! }
        : undefined
      : t.kind === 'days'
        ? { first: t.firstDay, last: t.lastDay }
        : undefined;
  if (days)
    return days.first === days.last
      ? h(r).timeOff.wholeDay(formatDay(days.first, r.lang))
      : h(r).timeOff.wholeDays(
          `${formatDay(days.first, r.lang)} – ${formatDay(days.last, r.lang)}`,
        );
  const range =
    'all_day' in t
      ? { start: t.starts_at!, end: t.ends_at! }
      : (t as { start: number; end: number });
  return formatVisit(range.start, range.end, s.location.timezone, r.lang);
}

const entryText = (r: AdminRequest, e: { weekday: number; start: number; end: number }) =>
  `${dayName(r.lang, e.weekday)} ${spanText(e)}`;
const kindText = (r: AdminRequest, kind: WeeklyKind) =>
  kind === 'window' ? h(r).add.window : h(r).add.break;

// ---------------------------------------------------------------------------------------------
// Problems in words

type FieldErrors = Record<string, string | undefined>;

function weeklyErrors(
  r: AdminRequest,
  problems: readonly WeeklyProblem[],
): { errors: FieldErrors; split?: string; merge?: string } {
  const t = h(r);
  const errors: FieldErrors = {};
  const say = (field: string, text: string) =>
    (errors[field] = errors[field] ? `${errors[field]} ${text}` : text);
  let split: string | undefined;
  const merged = new Set<string>();
  for (const p of problems) {
    if (p.field === 'kind') say('kind', t.errors.kind);
    else if (p.field === 'days') say('days', t.errors.days);
    else if (p.field === 'label') say('label', t.errors.label);
    else if (p.reason === 'empty' || p.reason === 'format') say(p.field, t.errors.time[p.reason]);
    else if (p.reason === 'zero_length') say('time', t.errors.zeroLength);
    else if (p.reason === 'crosses_midnight') {
      const first = `${minutesToTime(p.start)}–24:00`;
      const second = `00:00–${minutesToTime(p.end)}`;
      say(
        'time',
        t.errors.crossesMidnight(
          `${minutesToTime(p.start)}–${minutesToTime(p.end)}`,
          p.splits.map((x) =>
            t.errors.split(first, dayName(r.lang, x.weekday), second, dayName(r.lang, x.next)),
          ),
        ),
      );
      split = t.add.split(`${first} + ${second}`);
    } else if (p.reason === 'overlap') {
      const day = dayName(r.lang, p.weekday);
      const existing = new Intl.ListFormat(r.lang, { type: 'conjunction' }).format(
        p.existing.map(spanText),
      );
      say(
        'time',
        (p.kind === 'window' ? t.errors.overlapWindow : t.errors.overlapBreak)(
          day,
          existing,
          p.existing.length,
          spanText(p.merged),
        ),
      );
      merged.add(spanText(p.merged));
    } else if (p.reason === 'break_outside') {
      const day = dayName(r.lang, p.weekday);
      say(
        'time',
        p.windows.length
          ? t.errors.breakOutside(day, spanText(p), p.windows.map(spanText).join(', '))
          : t.errors.breakOnDayOff(day),
      );
    }
  }
  return {
    errors,
    ...(split ? { split } : {}),
    ...(merged.size ? { merge: t.add.merge([...merged].join(', ')) } : {}),
  };
}

function timeOffErrors(r: AdminRequest, problems: readonly TimeOffProblem[]): FieldErrors {
  const t = h(r).timeOffErrors;
  const errors: FieldErrors = {};
  for (const p of problems) {
    let text: string;
    if (p.field === 'mode') text = t.mode;
    else if (p.field === 'reason') text = t.reason;
    else if (p.reason === 'order')
      text = p.field === 'last_day' ? t.lastBeforeFirst : t.endBeforeStart;
    else if (p.reason === 'past') text = t.past;
    else if (p.reason === 'skipped') text = t.skipped;
    else text = p.field === 'from' || p.field === 'to' ? t.time[p.reason] : t.date[p.reason];
    // A range that is wrong as a whole is said once, under both of its fields.
    const field =
      p.reason === 'order' || p.reason === 'past' || p.reason === 'skipped'
        ? p.field === 'last_day'
          ? 'days_range'
          : 'hours_range'
        : p.field;
    errors[field] = errors[field] ? `${errors[field]} ${text}` : text;
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Pages

interface EditorOptions {
  weekly?: { values: Record<string, string>; problems: readonly WeeklyProblem[] };
  timeOff?: { values: Record<string, string>; problems: readonly TimeOffProblem[] };
  notice?: { ok: boolean; text: string };
  status?: number;
}

function WeekList(props: { r: AdminRequest; s: State }) {
  const { r, s } = props;
  const t = h(r);
  const action = `${hoursPath(s.master.id)}/remove`;
  return (
    <ul class="week">
      {WEEKDAYS.map((d) => {
        const entries = [
          ...s.week.windows
            .filter((w) => w.weekday === d)
            .map((e) => ({ kind: 'window' as const, e })),
          ...s.week.breaks
            .filter((b) => b.weekday === d)
            .map((e) => ({ kind: 'break' as const, e })),
        ].sort((a, b) => a.e.start - b.e.start || (a.kind === 'window' ? -1 : 1));
        const working = entries.some((x) => x.kind === 'window');
        return (
          <li>
            <h3>{dayName(r.lang, d)}</h3>
            {working ? null : <p class="muted">{t.dayOff}</p>}
            {entries.length ? (
              <ul class="entries">
                {entries.map(({ kind, e }) => (
                  <li class={kind}>
                    <span class="text">
                      {kind === 'window' ? null : <span class="what">{t.break} </span>}
                      <strong>{spanText(e)}</strong>
                      {e.label ? <span class="label">{e.label}</span> : null}
                    </span>
                    <PostForm r={r} action={action} class="inline">
                      <input type="hidden" name="kind" value={kind} />
                      <input type="hidden" name="entry" value={e.id} />
                      <button type="submit">
                        {t.remove}
                        <span class="visually-hidden">
                          {' '}
                          {t.removeWhat(
                            kind === 'window' ? t.working : t.break,
                            dayName(r.lang, d),
                            spanText(e),
                          )}
                        </span>
                      </button>
                    </PostForm>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function AddWeeklyForm(props: {
  r: AdminRequest;
  s: State;
  values: Record<string, string>;
  problems: readonly WeeklyProblem[];
}) {
  const { r, s, values } = props;
  const t = h(r).add;
  const { errors, split, merge } = weeklyErrors(r, props.problems);
  return (
    <PostForm r={r} action={`${hoursPath(s.master.id)}/add`} class="stacked">
      <RadioGroup
        id="kind"
        name="kind"
        row
        legend={t.kind}
        value={values.kind ?? 'window'}
        error={errors.kind}
        items={[
          { value: 'window', label: t.window },
          { value: 'break', label: t.break },
        ]}
      />
      <CheckboxGroup
        id="days"
        row
        legend={t.days}
        hint={t.daysHint}
        error={errors.days}
        items={WEEKDAYS.map((d) => ({
          name: `day_${d}`,
          label: dayName(r.lang, d, 'short'),
          checked: values[`day_${d}`] === 'on',
        }))}
      />
      {/* What is wrong with the window as a whole (across midnight, an overlap) is said once, under both times. */}
      <div class="pair">
        <TextField
          name="start"
          type="time"
          label={t.from}
          hint={t.fromHint}
          value={values.start}
          error={errors.start}
          groupError={errors.time ? 'f-time-error' : undefined}
          required
        />
        <TextField
          name="end"
          type="time"
          label={t.to}
          hint={t.toHint}
          value={values.end}
          error={errors.end}
          groupError={errors.time ? 'f-time-error' : undefined}
          required
        />
      </div>
      <FieldError id="f-time-error" error={errors.time} />
      <TextField
        name="label"
        label={t.label}
        hint={t.labelHint}
        value={values.label}
        error={errors.label}
        maxlength={100}
      />
      {values.split === 'on' ? <input type="hidden" name="split" value="on" /> : null}
      <div class="actions">
        <button type="submit" class="primary">
          {t.button}
        </button>
        {split ? (
          <button type="submit" name="split" value="on">
            {split}
          </button>
        ) : null}
        {merge ? (
          <button type="submit" name="merge" value="on">
            {merge}
          </button>
        ) : null}
      </div>
    </PostForm>
  );
}

function TimeOffForms(props: {
  r: AdminRequest;
  s: State;
  values: Record<string, string>;
  problems: readonly TimeOffProblem[];
}) {
  const { r, s } = props;
  const t = h(r).timeOff;
  const action = `${hoursPath(s.master.id)}/time-off/add`;
  const mode = props.values.mode;
  const errors = timeOffErrors(r, props.problems);
  const days =
    mode === 'days'
      ? { values: props.values, errors }
      : { values: {} as Record<string, string>, errors: {} as FieldErrors };
  const hours =
    mode === 'hours'
      ? { values: props.values, errors }
      : { values: {} as Record<string, string>, errors: {} as FieldErrors };
  return (
    <div class="two">
      <PostForm r={r} action={action} class="card">
        <h3>{t.days}</h3>
        <input type="hidden" name="mode" value="days" />
        <div class="pair">
          <TextField
            name="first_day"
            type="date"
            label={t.firstDay}
            hint={t.firstDayHint}
            value={days.values.first_day}
            error={days.errors.first_day}
            groupError={days.errors.days_range ? 'f-days-range-error' : undefined}
            required
          />
          <TextField
            name="last_day"
            type="date"
            label={t.lastDay}
            hint={t.lastDayHint}
            value={days.values.last_day}
            error={days.errors.last_day}
            groupError={days.errors.days_range ? 'f-days-range-error' : undefined}
          />
        </div>
        <FieldError id="f-days-range-error" error={days.errors.days_range} />
        <TextField
          id="f-days-reason"
          name="reason"
          label={t.reason}
          hint={t.reasonHint}
          value={days.values.reason}
          error={days.errors.reason}
          maxlength={200}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {t.button}
          </button>
        </div>
      </PostForm>
      <PostForm r={r} action={action} class="card">
        <h3>{t.hours}</h3>
        <input type="hidden" name="mode" value="hours" />
        <TextField
          name="date"
          type="date"
          label={t.date}
          value={hours.values.date}
          error={hours.errors.date}
          required
        />
        <div class="pair">
          <TextField
            name="from"
            type="time"
            label={t.from}
            hint={t.fromHint}
            value={hours.values.from}
            error={hours.errors.from}
            groupError={hours.errors.hours_range ? 'f-hours-range-error' : undefined}
            required
          />
          <TextField
            name="to"
            type="time"
            label={t.to}
            hint={t.toHint}
            value={hours.values.to}
            error={hours.errors.to}
            groupError={hours.errors.hours_range ? 'f-hours-range-error' : undefined}
            required
          />
        </div>
        <FieldError id="f-hours-range-error" error={hours.errors.hours_range} />
        <TextField
          id="f-hours-reason"
          name="reason"
          label={t.reason}
          hint={t.reasonHint}
          value={hours.values.reason}
          error={hours.errors.reason}
          maxlength={200}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {t.button}
          </button>
        </div>
      </PostForm>
    </div>
  );
}

function editorPage(r: AdminRequest, s: State, o: EditorOptions = {}): Response {
  const t = h(r);
  const now = r.deps.now();
  const today = localClock(s.location.timezone, now).date;
  const removeTimeOff = `${hoursPath(s.master.id)}/time-off/remove`;
  return page(
    r,
    <AdminLayout r={r} title={t.title(s.master.display_name)} current="/admin/masters">
      <h1>{t.heading(s.master.display_name)}</h1>
      <p class="lead">{zoneLine(r, s)}</p>
      {o.notice ? (
        <p class={o.notice.ok ? 'notice ok' : 'notice bad'} role={o.notice.ok ? 'status' : 'alert'}>
          {o.notice.text}
        </p>
      ) : null}
      <AffectedOutcome r={r} />
      <ProblemSummary
        text={o.weekly?.problems.length || o.timeOff?.problems.length ? t.problem : undefined}
      >
        <p>
          <a href={o.weekly?.problems.length ? '#add-heading' : '#time-off-add-heading'}>
            {o.weekly?.problems.length ? t.add.heading : t.timeOff.add}
          </a>
        </p>
      </ProblemSummary>
      <section aria-labelledby="week-heading">
        <h2 id="week-heading">{t.week}</h2>
        <WeekList r={r} s={s} />
      </section>
      <section aria-labelledby="add-heading">
        <h2 id="add-heading">{t.add.heading}</h2>
        <AddWeeklyForm
          r={r}
          s={s}
          values={o.weekly?.values ?? {}}
          problems={o.weekly?.problems ?? []}
        />
      </section>
      <section aria-labelledby="time-off-heading">
        <h2 id="time-off-heading">{t.timeOff.heading}</h2>
        {s.timeOff.length === 0 ? <p>{t.timeOff.none}</p> : null}
        <ul class="cards">
          {s.timeOff.map((x) => {
            const current = x.all_day ? x.first_day! <= today : x.starts_at! <= now;
            const text = timeOffText(r, s, x);
            return (
              <li class="card">
                <p>
                  <strong>{text}</strong>
                  {current ? <span class="badge ok">{t.timeOff.now}</span> : null}
                </p>
                {x.reason ? <p class="muted">{x.reason}</p> : null}
                <PostForm r={r} action={removeTimeOff} class="inline">
                  <input type="hidden" name="entry" value={x.id} />
                  <button type="submit">
                    {t.remove}
                    <span class="visually-hidden"> {t.timeOff.removeWhat(text)}</span>
                  </button>
                </PostForm>
              </li>
            );
          })}
        </ul>
        <h2 class="small" id="time-off-add-heading">
          {t.timeOff.add}
        </h2>
        <TimeOffForms
          r={r}
          s={s}
          values={o.timeOff?.values ?? {}}
          problems={o.timeOff?.problems ?? []}
        />
      </section>
      <p class="actions">
        <a href={`/admin/masters/${s.master.id}`}>{t.backToMaster}</a>
        <a href={`/admin/masters?location=${s.location.id}`}>{t.allMasters}</a>
      </p>
    </AdminLayout>,
    { status: o.status ?? 200 },
  );
}

// ---------------------------------------------------------------------------------------------
// Changes

/** The change may go ahead (with the decision about the visits it uncovers, if any), or the page that asks. */
type Gate = { go: Decided } | { ask: Response };
type Decided = (AffectedRecord & { message?: string | undefined }) | undefined;

/** Whether the change may go ahead: it uncovers no visit, or the person decided about exactly the ones it does. */
async function gate(
  r: AdminRequest,
  s: State,
  after: Schedule,
  values: Record<string, string>,
  action: string,
  change: string,
): Promise<Gate> {
  const hit = newlyUncovered(
    scheduleOf(s.week, s.timeOff.map(asTimeOff)),
    after,
    s.location.timezone,
    s.visits,
  );
  const step = await affectedStep(
    values,
    hit.map((v) => v.id),
  );
  if (step.kind === 'none') return { go: undefined };
  if (step.kind === 'ask') {
    const reason = AFFECTED_MESSAGES[r.lang].reasons.schedule;
    return {
      ask: await affectedPage(r, {
        reason,
        change,
        visits: hit,
        action,
        values,
        back: hoursPath(s.master.id),
        current: '/admin/masters',
        changed: step.changed,
        messageTooLong: step.messageTooLong,
      }),
    };
  }
  return { go: { decision: step.decision, bookings: hit.map((v) => v.id), message: step.message } };
}

const savedPath = (masterId: string, saved: string) => (outcome: string) =>
  `${hoursPath(masterId)}?saved=${saved}${outcome}`;
/** What the audit entry says about the visits the change uncovered. */
const affectedPart = (decided: Decided) =>
  decided ? { affected: { decision: decided.decision, bookings: decided.bookings } } : {};
/** A change written in the transaction: where to go, and the decision to carry out after the commit. */
type Written = { saved: string; decided: Decided };
const finish = (
  r: AdminRequest,
  id: string,
  result: Response | Written,
): Promise<Response> | Response =>
  result instanceof Response
    ? result
    : finishAffected(r, result.decided, savedPath(id, result.saved));

const audited = (e: { weekday: number; start: number; end: number; label?: string | null }) => ({
  weekday: e.weekday,
  start: minutesToTime(e.start),
  end: minutesToTime(e.end),
  ...(e.label ? { label: e.label } : {}),
});

/**
 * Runs a change; when the database's overlap constraint refused a window written by someone else
 * at the same moment, runs it again: the fresh read then says which window it meets, as always.
 */
async function againOnRace<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof WindowOverlapError) || attempt >= 3) throw error;
    }
  }
}

async function addWeekly(r: AdminRequest): Promise<Response> {
  const id = r.param('id');
  const values = await r.form();
  const input = {
    ...(values.kind !== undefined ? { kind: values.kind } : {}),
    weekdays: WEEKDAYS.filter((d) => values[`day_${d}`] === 'on').map(String),
    ...(values.start !== undefined ? { start: values.start } : {}),
    ...(values.end !== undefined ? { end: values.end } : {}),
    ...(values.label !== undefined ? { label: values.label } : {}),
    split: values.split === 'on',
    merge: values.merge === 'on',
  };
  const me = r.identity!;
  const result = await againOnRace(() =>
    asStaff(r, async (tx, tenantId): Promise<Response | Written> => {
      const s = await load(r, tx, tenantId, id, true);
      if (!s) return notFound(r);
      const parsed = parseWeeklyAdd(input, s.week);
      if (!parsed.ok)
        return editorPage(r, s, { weekly: { values, problems: parsed.problems }, status: 400 });
      const change = parsed.value;
      const after = applyWeeklyChange(s.week, change);
      const what = kindText(r, change.kind);
      const decided = await gate(
        r,
        s,
        scheduleOf(after, s.timeOff.map(asTimeOff)),
        values,
        `${hoursPath(id)}/add`,
        h(r).change.add(what, change.add.map((e) => entryText(r, e)).join(', ')),
      );
      if ('ask' in decided) return decided.ask;
      await deleteWeekly(tx, {
        tenantId,
        masterId: id,
        kind: change.kind,
        ids: change.remove.map((e) => e.id),
      });
      await insertWeekly(tx, { tenantId, masterId: id, kind: change.kind, entries: change.add });
      await insertAudit(tx, {
        tenantId,
        actorStaffId: me.staffId,
        actorRole: me.role,
        action: change.kind === 'window' ? 'hours.add_window' : 'hours.add_break',
        targetKind: 'master',
        targetId: id,
        ...(change.remove.length
          ? { before: { master: s.master.display_name, merged: change.remove.map(audited) } }
          : {}),
        after: {
          master: s.master.display_name,
          added: change.add.map(audited),
          ...affectedPart(decided.go),
        },
        correlationId: r.correlationId,
      });
      return { saved: 'added', decided: decided.go };
    }),
  );
  return finish(r, id, result);
}

async function removeWeekly(r: AdminRequest): Promise<Response> {
  const id = r.param('id');
  const values = await r.form();
  const kind = values.kind === 'window' || values.kind === 'break' ? values.kind : undefined;
  const entry = values.entry ?? '';
  if (!kind || !UUID.test(entry)) return notFound(r);
  const me = r.identity!;
  const result = await asStaff(r, async (tx, tenantId): Promise<Response | Written> => {
    const s = await load(r, tx, tenantId, id, true);
    if (!s) return notFound(r);
    const t = h(r);
    const check = checkWeeklyRemoval(s.week, kind, entry);
    if (!check.ok && check.reason === 'not_found')
      return editorPage(r, s, { notice: { ok: false, text: t.errors.gone }, status: 409 });
    if (!check.ok) {
      const text = t.errors.breaksInside(
        dayName(r.lang, check.entry.weekday),
        spanText(check.entry),
        check.breaks.map(spanText).join(', '),
      );
      return editorPage(r, s, { notice: { ok: false, text }, status: 409 });
    }
    const removed: StoredWeekly = check.entry;
    const after: Week =
      kind === 'window'
        ? { windows: s.week.windows.filter((w) => w.id !== entry), breaks: s.week.breaks }
        : { windows: s.week.windows, breaks: s.week.breaks.filter((b) => b.id !== entry) };
    const decided = await gate(
      r,
      s,
      scheduleOf(after, s.timeOff.map(asTimeOff)),
      values,
      `${hoursPath(id)}/remove`,
      t.change.remove(kindText(r, kind), entryText(r, removed)),
    );
    if ('ask' in decided) return decided.ask;
    await deleteWeekly(tx, { tenantId, masterId: id, kind, ids: [entry] });
    await insertAudit(tx, {
      tenantId,
      actorStaffId: me.staffId,
      actorRole: me.role,
      action: kind === 'window' ? 'hours.remove_window' : 'hours.remove_break',
      targetKind: 'master',
      targetId: id,
      before: { master: s.master.display_name, ...audited(removed) },
      ...(decided.go ? { after: affectedPart(decided.go) } : {}),
      correlationId: r.correlationId,
    });
    return { saved: 'removed', decided: decided.go };
  });
  return finish(r, id, result);
}

async function addTimeOff(r: AdminRequest): Promise<Response> {
  const id = r.param('id');
  const values = await r.form();
  const me = r.identity!;
  const result = await asStaff(r, async (tx, tenantId): Promise<Response | Written> => {
    const s = await load(r, tx, tenantId, id, true);
    if (!s) return notFound(r);
    const input = {
      ...(values.mode !== undefined ? { mode: values.mode } : {}),
      ...(values.first_day !== undefined ? { firstDay: values.first_day } : {}),
      ...(values.last_day !== undefined ? { lastDay: values.last_day } : {}),
      ...(values.date !== undefined ? { date: values.date } : {}),
      ...(values.from !== undefined ? { from: values.from } : {}),
      ...(values.to !== undefined ? { to: values.to } : {}),
      ...(values.reason !== undefined ? { reason: values.reason } : {}),
    };
    const parsed = parseTimeOff(input, s.location.timezone, r.deps.now());
    if (!parsed.ok)
      return editorPage(r, s, { timeOff: { values, problems: parsed.problems }, status: 400 });
    const value = parsed.value;
    const added: TimeOff =
      value.kind === 'days'
        ? { kind: 'days', firstDay: value.firstDay, lastDay: value.lastDay }
        : { kind: 'range', start: value.start, end: value.end };
    const decided = await gate(
      r,
      s,
      scheduleOf(s.week, [...s.timeOff.map(asTimeOff), added]),
      values,
      `${hoursPath(id)}/time-off/add`,
      h(r).change.timeOff(timeOffText(r, s, value)),
    );
    if ('ask' in decided) return decided.ask;
    const timeOffId = await insertTimeOff(tx, { tenantId, masterId: id, value });
    await insertAudit(tx, {
      tenantId,
      actorStaffId: me.staffId,
      actorRole: me.role,
      action: 'time_off.add',
      targetKind: 'master',
      targetId: id,
      after: {
        master: s.master.display_name,
        id: timeOffId,
        ...auditedTimeOff(value),
        ...affectedPart(decided.go),
      },
      correlationId: r.correlationId,
    });
    return { saved: 'time_off_added', decided: decided.go };
  });
  return finish(r, id, result);
}

function auditedTimeOff(v: TimeOffValue | TimeOffRow): Record<string, unknown> {
  const reason = v.reason;
  if ('all_day' in v)
    return v.all_day
      ? { firstDay: v.first_day, lastDay: v.last_day, ...(reason ? { reason } : {}) }
      : {
          startsAt: new Date(v.starts_at!).toISOString(),
          endsAt: new Date(v.ends_at!).toISOString(),
          ...(reason ? { reason } : {}),
        };
  return v.kind === 'days'
    ? { firstDay: v.firstDay, lastDay: v.lastDay, ...(reason ? { reason } : {}) }
    : {
        startsAt: new Date(v.start).toISOString(),
        endsAt: new Date(v.end).toISOString(),
        ...(reason ? { reason } : {}),
      };
}

async function removeTimeOff(r: AdminRequest): Promise<Response> {
  const id = r.param('id');
  const entry = (await r.form()).entry ?? '';
  if (!UUID.test(entry)) return notFound(r);
  const me = r.identity!;
  return asStaff(r, async (tx, tenantId) => {
    const s = await load(r, tx, tenantId, id, false);
    if (!s) return notFound(r);
    const row = s.timeOff.find((x) => x.id === entry);
    // Time off that is over is not listed, nor removed: it is history.
    if (!row || !(await deleteTimeOff(tx, { tenantId, masterId: id, id: entry })))
      return editorPage(r, s, { notice: { ok: false, text: h(r).errors.gone }, status: 409 });
    await insertAudit(tx, {
      tenantId,
      actorStaffId: me.staffId,
      actorRole: me.role,
      action: 'time_off.remove',
      targetKind: 'master',
      targetId: id,
      before: { master: s.master.display_name, id: entry, ...auditedTimeOff(row) },
      correlationId: r.correlationId,
    });
    return redirect(savedPath(id, 'time_off_removed')(''));
  });
}

async function hoursPage(r: AdminRequest): Promise<Response> {
  const s = await asStaff(r, (tx, tenantId) => load(r, tx, tenantId, r.param('id'), false));
  if (!s) return notFound(r);
  const t = h(r);
  const saved = r.query('saved');
  const notice =
    saved === 'added' ||
    saved === 'removed' ||
    saved === 'time_off_added' ||
    saved === 'time_off_removed'
      ? { ok: true, text: t.saved[saved] }
      : undefined;
  return editorPage(r, s, notice ? { notice } : {});
}

export const HOURS_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/masters/:id/hours', access: EDITORS, handle: hoursPage },
  { method: 'POST', path: '/masters/:id/hours/add', access: EDITORS, handle: addWeekly },
  { method: 'POST', path: '/masters/:id/hours/remove', access: EDITORS, handle: removeWeekly },
  { method: 'POST', path: '/masters/:id/hours/time-off/add', access: EDITORS, handle: addTimeOff },
  {
    method: 'POST',
    path: '/masters/:id/hours/time-off/remove',
    access: EDITORS,
    handle: removeTimeOff,
  },
];

/** @jsxImportSource hono/jsx */
import type { AffectedVisit } from '../db/queries/affected-visits.ts';
import type { Transaction } from '../db/port.ts';
import { asTenant } from '../db/scope.ts';
import {
  affectedStep,
  cancelVisits,
  visitsFingerprint,
  type AffectedDecision,
  type CancelledVisits,
} from '../tenants/admin/affected-bookings.ts';
import { formatVisit } from '../tenants/i18n/format.ts';
import { AdminLayout, PostForm } from './admin-layout.tsx';
import { TextArea } from './form-fields.tsx';
import { AFFECTED_MESSAGES } from './i18n/affected-messages.ts';
import { page, redirect, tenantScope, type AdminRequest } from './request.ts';

/** The page's own fields: never re-posted as part of the change. */
const OWN_FIELDS = new Set(['_csrf', 'decision', 'shown', 'client_message']);
/** Listed in full up to this many; the rest are counted (and handled the same way). */
const LISTED = 100;

/**
 * Asks what happens to the booked visits a change touches, before anything is saved: the change
 * travels along as hidden fields, the decision (keep, or cancel with a message to the clients)
 * comes back to the same address with a fingerprint of the visits shown.
 */
export async function affectedPage(
  r: AdminRequest,
  p: {
    reason: string;
    change?: string;
    visits: AffectedVisit[];
    action: string;
    values: Record<string, string>;
    back: string;
    current: string;
    changed?: boolean;
    messageTooLong?: boolean;
  },
): Promise<Response> {
  const t = AFFECTED_MESSAGES[r.lang];
  const shown = await visitsFingerprint(p.visits.map((v) => v.id));
  const carried = Object.entries(p.values).filter(([name]) => !OWN_FIELDS.has(name));
  return page(
    r,
    <AdminLayout r={r} title={t.title} current={p.current}>
      <h1>{t.heading(p.visits.length)}</h1>
      <p class="lead">{t.lead}</p>
      {p.changed ? (
        <p class="notice" role="alert">
          {t.changed}
        </p>
      ) : null}
      {p.change ? (
        <p>
          <strong>{p.change}</strong>
        </p>
      ) : null}
      <p>{p.reason}</p>
      <ul class="cards">
        {p.visits.slice(0, LISTED).map((v) => (
          <li class="card">
            <p>
              <strong>
                {formatVisit(v.start_at.getTime(), v.end_at.getTime(), v.timezone, r.lang)}
              </strong>
            </p>
            <p>
              {v.client_name} · {v.service_names.join(', ')}
            </p>
            <p class="muted">
              {t.master}: {v.master_name} · {t.status[v.status] ?? v.status}
            </p>
          </li>
        ))}
      </ul>
      {p.visits.length > LISTED ? <p class="muted">{t.more(p.visits.length - LISTED)}</p> : null}
      <PostForm r={r} action={p.action} class="stacked">
        {carried.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="shown" value={shown} />
        <TextArea
          name="client_message"
          label={t.message}
          hint={t.messageHint}
          value={p.values.client_message}
          error={p.messageTooLong ? t.messageError : undefined}
          maxlength={500}
        />
        <div class="decision">
          <p class="hint" id="keep-hint">
            {t.keepHint}
          </p>
          <button type="submit" name="decision" value="keep" aria-describedby="keep-hint">
            {t.keep}
          </button>
        </div>
        <div class="decision">
          <p class="hint" id="cancel-hint">
            {t.cancelHint}
          </p>
          <button
            type="submit"
            name="decision"
            value="cancel"
            class="danger"
            aria-describedby="cancel-hint"
          >
            {t.cancel}
          </button>
        </div>
        <p>
          <a href={p.back}>{t.back}</a>
        </p>
      </PostForm>
    </AdminLayout>,
    { status: p.changed || p.messageTooLong ? 409 : 200 },
  );
}

/** The query a list page is redirected to after a decision: what happened to the visits. */
export function affectedOutcomeQuery(outcome: { kept: number } | CancelledVisits): string {
  if ('kept' in outcome) return outcome.kept > 0 ? `&kept=${outcome.kept}` : '';
  return `&cancelled=${outcome.cancelled.length}${outcome.unchanged.length ? `&unchanged=${outcome.unchanged.length}` : ''}`;
}

/** What a list page says about the visits of the change it was redirected from. */
export function AffectedOutcome(props: { r: AdminRequest }) {
  const { r } = props;
  const t = AFFECTED_MESSAGES[r.lang].done;
  const count = (name: string) => {
    const n = Number(r.query(name));
    return Number.isInteger(n) && n > 0 && n < 1_000_000 ? n : 0;
  };
  const lines = [
    count('kept') ? t.kept(count('kept')) : '',
    count('cancelled') ? t.cancelled(count('cancelled')) : '',
    count('unchanged') ? t.unchanged(count('unchanged')) : '',
  ].filter(Boolean);
  return lines.length ? (
    <p class="notice ok" role="status">
      {lines.join(' ')}
    </p>
  ) : null;
}

/** The decision about the visits, for the change's audit entry. */
export interface AffectedRecord {
  decision: AffectedDecision;
  bookings: string[];
}

/**
 * Saves a change that may touch booked visits: in one transaction, the visits it touches are read
 * and, if there are any and no decision on exactly these came with the form, nothing is written
 * and the page asks; otherwise `write` saves the change (with the decision for its audit entry).
 * Cancelled visits are cancelled after that commit, each through the booking service, so every
 * client is told.
 */
export async function saveWithAffected(
  r: AdminRequest,
  p: {
    values: Record<string, string>;
    findVisits: (tx: Transaction, tenantId: string) => Promise<AffectedVisit[]>;
    write: (
      tx: Transaction,
      tenantId: string,
      affected: AffectedRecord | undefined,
    ) => Promise<void>;
    ask: { reason: string; action: string; back: string; current: string };
    /** Where to go once saved, given the query that reports what happened to the visits. */
    done: (outcomeQuery: string) => string;
  },
): Promise<Response> {
  const me = r.identity!;
  const tenantId = me.tenantId!;
  const result = await asTenant(r.deps.db, tenantScope(me), async (tx) => {
    const visits = await p.findVisits(tx, tenantId);
    const step = await affectedStep(
      p.values,
      visits.map((v) => v.id),
    );
    if (step.kind === 'ask') return { step, visits };
    await p.write(
      tx,
      tenantId,
      step.kind === 'decided'
        ? { decision: step.decision, bookings: visits.map((v) => v.id) }
        : undefined,
    );
    return { step, visits };
  });
  const { step, visits } = result;
  if (step.kind === 'ask')
    return affectedPage(r, {
      ...p.ask,
      visits,
      values: p.values,
      changed: step.changed,
      messageTooLong: step.messageTooLong,
    });
  return finishAffected(
    r,
    step.kind === 'decided'
      ? { decision: step.decision, bookings: visits.map((v) => v.id), message: step.message }
      : undefined,
    p.done,
  );
}

/**
 * After a change with its decision committed: cancels the visits if that was the decision (each
 * through the booking service, so each client is told) and goes where `done` says, with what
 * happened to the visits.
 */
export async function finishAffected(
  r: AdminRequest,
  decided: (AffectedRecord & { message?: string | undefined }) | undefined,
  done: (outcomeQuery: string) => string,
): Promise<Response> {
  if (!decided) return redirect(done(''));
  if (decided.decision === 'keep')
    return redirect(done(affectedOutcomeQuery({ kept: decided.bookings.length })));
  const me = r.identity!;
  const outcome = await cancelVisits(r.deps.booking, {
    tenantId: me.tenantId!,
    staffId: me.staffId,
    role: me.role,
    correlationId: r.correlationId,
    bookingIds: decided.bookings,
    message: decided.message,
  });
  return redirect(done(affectedOutcomeQuery(outcome)));
}

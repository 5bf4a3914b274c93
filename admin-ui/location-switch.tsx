/** @jsxImportSource hono/jsx */
import type { StaffLocation } from '../db/queries/catalog-admin.ts';
import { AffectedOutcome } from './affected-bookings.tsx';
import { CATALOG_MESSAGES } from './i18n/catalog-messages.ts';
import type { AdminRequest } from './request.ts';

/** A chain's location picker above a per-location list (nothing for a single location). */
export function LocationSwitch(props: {
  r: AdminRequest;
  action: string;
  locations: StaffLocation[];
  current: StaffLocation | undefined;
}) {
  const t = CATALOG_MESSAGES[props.r.lang];
  if (props.locations.length < 2) return null;
  return (
    <form method="get" action={props.action} class="row">
      <label for="location">{t.location}</label>
      <select id="location" name="location">
        {props.locations.map((l) => (
          <option value={l.id} selected={l.id === props.current?.id}>
            {l.name}
          </option>
        ))}
      </select>
      <button type="submit">{t.show}</button>
    </form>
  );
}

/** What a list page says after a save it was redirected from (`?saved=`), and about the visits it touched. */
export function SavedNotice(props: {
  r: AdminRequest;
  messages: Record<'created' | 'updated', string>;
}) {
  const saved = props.r.query('saved');
  return (
    <>
      {saved === 'created' || saved === 'updated' ? (
        <p class="notice ok" role="status">
          {props.messages[saved]}
        </p>
      ) : null}
      <AffectedOutcome r={props.r} />
    </>
  );
}

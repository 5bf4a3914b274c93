/** @jsxImportSource hono/jsx */
import { BOARD_MESSAGES } from './i18n/board-messages.ts';
import type { AdminRequest } from './request.ts';

/**
 * Where an open board says it was brought up to date (`board-live.js` keeps the region with id
 * `board-results` current by polling the location's change stamp; without script nothing happens).
 */
export function BoardLive(props: { r: AdminRequest; locationId: string; stamp: string }) {
  return (
    <p
      id="board-live"
      class="muted"
      role="status"
      aria-live="polite"
      data-url={`/admin/bookings/stamp?location=${props.locationId}`}
      data-stamp={props.stamp}
      data-interval="5000"
      data-changed={BOARD_MESSAGES[props.r.lang].liveChanged}
    />
  );
}

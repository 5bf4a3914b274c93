import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  allowedEdges,
  BOOKING_STATES,
  isTerminal,
  transition,
  TRANSITIONS,
  transitionTableMarkdown,
  type BookingEvent,
  type BookingState,
} from '../../tenants/booking/state-machine.ts';

const EVENTS: BookingEvent[] = [
  'request_payment',
  'confirm',
  'payment_succeeded',
  'expire',
  'cancel',
  'complete',
  'mark_no_show',
  'late_payment_confirmed',
];
const START = Date.parse('2026-07-01T10:00:00Z');

describe('booking state machine', () => {
  it('allows exactly the listed edges, for every state and event', () => {
    for (const from of BOOKING_STATES) {
      for (const event of EVENTS) {
        const listed = TRANSITIONS.find((t) => t.from === from && t.event === event);
        const result = transition(from, event, { actor: 'system', now: START + 1, startAt: START });
        if (!listed) {
          expect(result, `${from} --${event}-->`).toMatchObject({
            ok: false,
            reason: 'no_such_transition',
          });
        } else if (listed.actors.includes('system')) {
          expect(result, `${from} --${event}-->`).toMatchObject({ ok: true, to: listed.to });
        } else {
          expect(result).toMatchObject({ ok: false, reason: 'actor_not_allowed' });
        }
      }
    }
  });

  it('never skips a state: every pair of states not joined by an edge is unreachable in one step', () => {
    const edges = new Set(allowedEdges().map(([a, b]) => `${a}>${b}`));
    for (const from of BOOKING_STATES) {
      for (const to of BOOKING_STATES) {
        const viaEvent = EVENTS.some((event) => {
          const t = TRANSITIONS.find((x) => x.from === from && x.event === event);
          return t?.to === to;
        });
        expect(viaEvent, `${from} -> ${to}`).toBe(edges.has(`${from}>${to}`));
      }
    }
    expect(edges.has('held>completed')).toBe(false);
    expect(edges.has('cancelled>confirmed')).toBe(false);
  });

  it('guards who may act and when', () => {
    expect(
      transition('confirmed', 'complete', { actor: 'client', now: START + 1, startAt: START }),
    ).toMatchObject({ ok: false, reason: 'actor_not_allowed' });
    expect(
      transition('confirmed', 'mark_no_show', { actor: 'master', now: START - 1, startAt: START }),
    ).toMatchObject({ ok: false, reason: 'not_started' });
    expect(
      transition('confirmed', 'mark_no_show', { actor: 'master', now: START, startAt: START }),
    ).toMatchObject({ ok: true, to: 'no_show' });
    expect(
      transition('held', 'expire', { actor: 'client', now: START, startAt: START }),
    ).toMatchObject({ ok: false, reason: 'actor_not_allowed' });
  });

  it('has terminal states completed, no-show and cancelled', () => {
    expect(BOOKING_STATES.filter((s) => isTerminal(s))).toEqual<BookingState[]>([
      'completed',
      'no_show',
      'cancelled',
    ]);
  });

  it('is documented by the same table', () => {
    const readme = readFileSync(
      new URL('../../tenants/booking/README.md', import.meta.url),
      'utf8',
    );
    expect(readme).toContain(transitionTableMarkdown());
  });
});

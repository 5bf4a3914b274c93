/**
 * The navigation stack kept in the session: entering a view pushes it with its payload (ids,
 * selections, cursors); Back pops and re-renders the previous view from what was stored, so it
 * comes back exactly as it was left.
 */
export type ViewId =
  | 'menu'
  | 'language'
  | 'locations'
  | 'services'
  | 'masters'
  | 'days'
  | 'times'
  | 'summary'
  | 'result'
  | 'myBookings'
  | 'booking'
  | 'schedule'
  | 'visit';

export interface NavEntry {
  view: ViewId;
  payload: Record<string, unknown>;
  /**
   * The `seq` at which this entry was first shown on top, unset until then and again whenever
   * it is uncovered: a button of any render since is a button of this very screen.
   */
  at?: number;
}

export type Nav =
  | { kind: 'push'; view: ViewId; payload: Record<string, unknown> }
  | { kind: 'replace'; payload: Record<string, unknown> }
  | { kind: 'pop' }
  /** A fresh stack (the menu, then `view`), optionally one step forward from there. */
  | {
      kind: 'reset';
      view: ViewId;
      payload: Record<string, unknown>;
      then?: { view: ViewId; payload: Record<string, unknown> };
    }
  /**
   * Back to the nearest earlier screen of `view` (everything above it is dropped) with a new
   * payload, then optionally one step forward: how a choice that went stale is made again while
   * Back keeps leading where it did. Without such a screen on the stack, `view` is pushed.
   */
  | {
      kind: 'rewind';
      view: ViewId;
      payload: Record<string, unknown>;
      then?: { view: ViewId; payload: Record<string, unknown> };
    }
  | { kind: 'stay'; notice?: string; file?: OutgoingFile };

/** A file a view hands to the chat (the screen stays as it is), e.g. a visit's calendar entry. */
export interface OutgoingFile {
  name: string;
  bytes: Uint8Array;
  caption?: string;
}

export interface FlowSession {
  lang?: string;
  stack: NavEntry[];
  /** Bumped on every render; buttons carry it, so a press on an old screen is recognised. */
  seq: number;
}

/** A fresh root entry each time: entries are written to (`at`), so none may be shared. */
const root = (): NavEntry => ({ view: 'menu', payload: {} });

export function emptySession(): FlowSession {
  return { stack: [root()], seq: 0 };
}

export function top(session: FlowSession): NavEntry {
  if (session.stack.length === 0) session.stack.push(root());
  return session.stack[session.stack.length - 1]!;
}

/**
 * Whether a button rendered at `seq` still belongs to the screen on top: the current render, or an
 * earlier render of the same screen since it came on top (it was only re-rendered in place, e.g. a
 * toggle). Two quick taps on one message, or a tap racing a text message, then both count; a
 * button of a screen since left (pushed over, popped, reset) does not.
 */
export function isCurrent(session: FlowSession, seq: number): boolean {
  const at = top(session).at;
  return seq === session.seq || (at !== undefined && seq >= at && seq < session.seq);
}

/** Applies a navigation command; the root is never popped. */
export function navigate(session: FlowSession, nav: Nav): void {
  switch (nav.kind) {
    case 'push':
      session.stack.push({ view: nav.view, payload: nav.payload });
      break;
    case 'replace':
      session.stack[session.stack.length - 1] = { ...top(session), payload: nav.payload };
      break;
    case 'pop':
      if (session.stack.length > 1) {
        session.stack.pop();
        // Uncovered: the buttons it had before it was covered are outdated.
        delete top(session).at;
      }
      break;
    case 'reset':
      session.stack =
        nav.view === 'menu' ? [root()] : [root(), { view: nav.view, payload: nav.payload }];
      if (nav.then) session.stack.push({ view: nav.then.view, payload: nav.then.payload });
      break;
    case 'rewind': {
      const at = session.stack.map((e) => e.view).lastIndexOf(nav.view);
      if (at > 0)
        session.stack.splice(at, session.stack.length - at, {
          view: nav.view,
          payload: nav.payload,
        });
      else session.stack.push({ view: nav.view, payload: nav.payload });
      if (nav.then) session.stack.push({ view: nav.then.view, payload: nav.then.payload });
      break;
    }
    case 'stay':
      break;
  }
  // Bounded: a stack deeper than the flow is a bug, not a reason to grow without end.
  if (session.stack.length > 20) session.stack.splice(1, session.stack.length - 20);
}

/**
 * Callback data of a button in a message the bot sent on its own (a reminder, a notice): not tied to
 * a screen, so it carries no seq; it starts the booking flow afresh.
 */
export const ENTRY_BOOK = 'go|book';

/** Callback data: `<seq>|<action>`, always within Telegram's 64 bytes. */
export function callbackData(seq: number, action: string): string {
  const data = `${seq}|${action}`;
  if (new TextEncoder().encode(data).length > 64)
    throw new Error(`callback data over 64 bytes: ${data}`);
  return data;
}

export function parseCallback(
  data: string | undefined,
): { seq: number; action: string } | undefined {
  const m = /^(\d+)\|(.+)$/.exec(data ?? '');
  return m ? { seq: Number(m[1]), action: m[2]! } : undefined;
}

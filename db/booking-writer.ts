import { CONTENTION_CODES, pgErrorInfo, type Database } from './port.ts';
import { tenantClaims } from './scope.ts';
import {
  bookSlotsScoped,
  BookingWriteError,
  type BookSlotOutcome,
  type BookSlotParams,
  type HeldRow,
} from './queries/bookings.ts';

export interface BookingWriterOptions {
  /**
   * Booking transactions in flight at once. Requests that arrive while they are all busy wait and
   * go together in the next one (group commit), so the fixed cost of a transaction is shared
   * under load and nothing waits when there is none. Default 2.
   */
  maxInFlight?: number;
  /** Requests per transaction; each takes a subtransaction, and PostgreSQL tracks 64 cheaply. */
  maxBatch?: number;
}

interface Pending {
  params: BookSlotParams;
  resolve: (outcome: HeldRow) => void;
  reject: (error: unknown) => void;
}

/**
 * Resolves in a later task, after every microtask queued so far (and those they queue) has run.
 * MessageChannel is the Web-standard way (Node, Deno, Workers); setTimeout(0) would wait ≥ 1 ms.
 */
function createTaskYield(): () => Promise<void> {
  let channel: MessageChannel | undefined;
  const waiting: Array<() => void> = [];
  return () =>
    new Promise<void>((resolve) => {
      if (!channel) {
        channel = new MessageChannel();
        channel.port1.onmessage = () => waiting.shift()?.();
        // Node keeps a process alive while a port listens; a writer must not.
        (channel.port1 as unknown as { unref?: () => void }).unref?.();
      }
      waiting.push(resolve);
      channel.port2.postMessage(null);
    });
}

/** Errors of a whole batch after which each request is worth trying again on its own. */
const RETRY_ALONE = CONTENTION_CODES;

/**
 * Writes held bookings through `book_slots`, grouping the requests of one tenant that queue up
 * while earlier transactions are running. Each request resolves with its booking or rejects with
 * the refusal `book_slot` would have raised (a BookingWriteError with the SQLSTATE).
 */
export function createBookingWriter(db: Database, options: BookingWriterOptions = {}) {
  // One line of batches per connection target: behind a request-routed database (Workers) each
  // request's bookings are written over its own connection and never wait in another request's
  // batch; elsewhere `target` is absent and there is one line.
  const lines = new WeakMap<Database, ReturnType<typeof createWriterLine>>();
  return {
    /** Holds a slot; rejects with the refusal (SB0xx, 23P01, ...) or a database failure. */
    hold(params: BookSlotParams): Promise<HeldRow> {
      let target: Database;
      try {
        target = db.target?.() ?? db;
      } catch (error) {
        return Promise.reject(error);
      }
      let line = lines.get(target);
      if (!line) lines.set(target, (line = createWriterLine(target, options)));
      return line.hold(params);
    },
  };
}

function createWriterLine(db: Database, options: BookingWriterOptions) {
  const maxInFlight = Math.max(1, options.maxInFlight ?? 2);
  const maxBatch = Math.min(32, Math.max(1, options.maxBatch ?? 16));
  const queue: Pending[] = [];
  let inFlight = 0;
  let requestsInFlight = 0;
  const afterPendingMicrotasks = createTaskYield();

  /**
   * The first tenant's requests, up to an even share of all the work queued or running: two
   * transactions of four bookings each run side by side on two backends, while seven and one
   * would leave one backend idle behind the long one (and the pattern would repeat, since the
   * callers answered together queue again together).
   */
  function takeBatch(): Pending[] {
    const tenantId = queue[0]!.params.tenantId;
    const batch: Pending[] = [];
    const share = Math.min(maxBatch, Math.ceil((queue.length + requestsInFlight) / maxInFlight));
    for (let i = 0; i < queue.length && batch.length < share;) {
      if (queue[i]!.params.tenantId === tenantId) batch.push(...queue.splice(i, 1));
      else i++;
    }
    return batch;
  }

  async function run(batch: Pending[]): Promise<void> {
    let outcomes: BookSlotOutcome[];
    try {
      const tenantId = batch[0]!.params.tenantId;
      outcomes = await bookSlotsScoped(
        db,
        tenantClaims({ tenantId }),
        tenantId,
        batch.map((p) => p.params),
      );
    } catch (error) {
      if (batch.length > 1 && RETRY_ALONE.has(pgErrorInfo(error)?.code ?? '')) {
        await Promise.all(batch.map((p) => run([p])));
        return;
      }
      for (const p of batch) p.reject(error);
      return;
    }
    const again: Pending[] = [];
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof BookingWriteError) {
        // A deadlock with a single-booking writer (a reschedule) chose this request as victim.
        if (batch.length > 1 && RETRY_ALONE.has(outcome.code)) again.push(p);
        else p.reject(outcome);
      } else if (outcome) {
        p.resolve(outcome);
      } else {
        p.reject(new Error('book_slots returned no outcome for a request'));
      }
    });
    await Promise.all(again.map((p) => run([p])));
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = takeBatch();
      inFlight++;
      requestsInFlight += batch.length;
      // The slot is given back only after the answers have been handed out and their callers
      // (running on in microtasks) have queued their next requests, so those go together instead
      // of the first one taking the slot alone.
      void run(batch)
        .then(afterPendingMicrotasks)
        .finally(() => {
          inFlight--;
          requestsInFlight -= batch.length;
          pump();
        });
    }
  }

  return {
    hold(params: BookSlotParams): Promise<HeldRow> {
      return new Promise((resolve, reject) => {
        queue.push({ params, resolve, reject });
        pump();
      });
    },
  };
}

export type BookingWriter = ReturnType<typeof createBookingWriter>;

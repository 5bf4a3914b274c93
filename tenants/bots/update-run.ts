import type { Queryable } from '../../db/port.ts';
import { claimUpdate, type ClaimOutcome, type UpdateKey } from '../../db/queries/bots.ts';

/** Takeovers after which an update is given up: one that kills every handler must not loop for a day. */
export const MAX_CLAIMS = 5;

/**
 * One delivery of one update, from the webhook's request to its answer: the claim it holds (or
 * what it found instead), whether it finished the claim, and whether the chat's screen changed.
 * The webhook creates it; the session middleware claims with it inside the session's transaction.
 */
export interface UpdateRun {
  readonly key: UpdateKey;
  /** This delivery's claim token: only its holder can renew, finish or give back the claim. */
  readonly token: string;
  readonly leaseSeconds: number;
  claim?: ClaimOutcome;
  /** The claim was marked done (or abandoned) by this delivery. */
  finished: boolean;
  /** Not handled on its own: an update of the same kind was already waiting in the chat's line. */
  coalesced: boolean;
  /** The lease ran out and another delivery took the update over: this one must stop. */
  lost: boolean;
}

export function newUpdateRun(key: UpdateKey, leaseSeconds: number): UpdateRun {
  return {
    key,
    token: crypto.randomUUID(),
    leaseSeconds,
    finished: false,
    coalesced: false,
    lost: false,
  };
}

const runs = new WeakMap<object, UpdateRun>();

/** Ties a run to the update object grammY hands the middleware (it keeps the same object). */
export function attachRun(update: object, run: UpdateRun): void {
  runs.set(update, run);
}

export function runOf(update: object): UpdateRun | undefined {
  return runs.get(update);
}

/**
 * Claims the run's update in `tx`. An update taken over more than MAX_CLAIMS times is marked
 * abandoned by the same statement (and reported so), never handled again.
 */
export async function claimFor(tx: Queryable, run: UpdateRun): Promise<ClaimOutcome> {
  return settleClaim(
    run,
    await claimUpdate(tx, {
      ...run.key,
      token: run.token,
      leaseSeconds: run.leaseSeconds,
      maxClaims: MAX_CLAIMS,
    }),
  );
}

/** Records what the claim found on the run (an update this delivery gave up as finished by it). */
export function settleClaim(run: UpdateRun, claim: ClaimOutcome): ClaimOutcome {
  if (claim.kind === 'abandoned' && claim.gaveUp) run.finished = true;
  run.claim = claim;
  return claim;
}

/** Whether this delivery holds the claim and has yet to finish it. */
export function holdsClaim(run: UpdateRun): boolean {
  return run.claim?.kind === 'claimed' && !run.finished;
}

import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../db/port.ts';
import { createBookingWorld, type BookingWorld } from './booking-world.ts';
import { BotHarness } from './bot-harness.ts';
import { migratedPostgres } from './pg.ts';

export interface BotWorld {
  db: Database;
  /** The tenant, its location, services and masters. */
  w: BookingWorld;
  /** The app serving the tenant's bot, with the Telegram stand-in. */
  h: BotHarness;
}

/**
 * A fresh PostgreSQL database with a booking world and its bot served by the real app, for the
 * tests of one describe block (set up before them, removed after). Read the fields inside tests.
 */
export function useBotWorld(
  label: string,
  opts: {
    world?: Parameters<typeof createBookingWorld>[1];
    harness?: ConstructorParameters<typeof BotHarness>[1];
  } = {},
): BotWorld {
  const t = {} as BotWorld;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db: t.db, cleanup } = await migratedPostgres(label));
    t.w = await createBookingWorld(t.db, opts.world);
    t.h = new BotHarness(t.db, opts.harness);
    await t.h.start(t.w.tenantId);
  });
  afterAll(async () => {
    await t.h?.stop();
    await cleanup?.();
  });
  return t;
}

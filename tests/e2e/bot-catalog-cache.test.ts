import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform } from '../../db/scope.ts';
import type { Database, Queryable } from '../../db/port.ts';
import { migratedPostgres } from '../support/pg.ts';
import { createBookingWorld, OPEN_POLICY, type BookingWorld } from '../support/booking-world.ts';
import { BotHarness } from '../support/bot-harness.ts';

const LIST_LOCATIONS = /from public\.locations where tenant_id = \$1 and active/;
const LIST_SERVICES = /from public\.services where location_id = \$1 and active/;

/** The real database, counting the catalog list reads the bot makes through it. */
function countingDatabase(real: Database) {
  const reads = { locations: 0, services: 0 };
  const count = (text: string) => {
    if (LIST_LOCATIONS.test(text)) reads.locations++;
    if (LIST_SERVICES.test(text)) reads.services++;
  };
  const wrap = (q: Queryable): Queryable => ({
    query: (text, params) => (count(text), q.query(text, params)),
    exec: (script) => q.exec(script),
  });
  const db = {
    ...real,
    ...wrap(real),
    transaction: (fn) => real.transaction((tx) => fn(wrap(tx))),
  } as Database;
  db.close = () => real.close();
  return { db, reads };
}

/**
 * The bot keeps a tenant's catalog lists (locations, services, masters) across updates and chats,
 * and reads them again as soon as the catalog stamp, read with every update's session, moves.
 */
describe('tenant bot: catalog lists across updates', () => {
  let real: Database;
  let cleanup: () => Promise<void>;
  let w: BookingWorld;
  let h: BotHarness;
  let reads: { locations: number; services: number };

  beforeAll(async () => {
    ({ db: real, cleanup } = await migratedPostgres('bot_catalog'));
    w = await createBookingWorld(real, { masters: 2, clients: 1 });
    await asPlatform(real, async (tx) => {
      await tx.query("update locations set name = 'Main studio' where id = $1", [w.locationId]);
      await tx.query(
        "insert into locations (tenant_id, name, timezone, currency, policy, sort_order) values ($1, 'Second studio', 'Europe/Berlin', 'EUR', $2::jsonb, 9)",
        [w.tenantId, JSON.stringify(OPEN_POLICY)],
      );
    });
    const counting = countingDatabase(real);
    reads = counting.reads;
    h = new BotHarness(counting.db);
    await h.start(w.tenantId);
  });
  afterAll(async () => {
    await h.stop();
    await cleanup();
  });

  const browse = async (userId: number) => {
    const u = h.user(userId);
    await u.send('/start');
    await u.press('Book');
    await u.press('Main studio');
    await u.press('Back');
    await u.press('Main studio');
    return u;
  };

  it('reads each list once while the catalog stays the same, for every chat', async () => {
    const before = { ...reads };
    const ann = await browse(701);
    const bob = await browse(702);
    expect(ann.screen().buttons.flat().join(' ')).toMatch(/cut/);
    expect(bob.screen().buttons.flat().join(' ')).toMatch(/cut/);
    expect(reads.locations - before.locations).toBe(1);
    expect(reads.services - before.services).toBe(1);
  });

  it("shows an owner's change in the very next screen: renamed and withdrawn services, a renamed location", async () => {
    const u = await browse(703);
    const servicesBefore = reads.services;
    await asPlatform(real, async (tx) => {
      await tx.query("update services set name = 'cut & wash' where id = $1", [w.services.cut]);
      await tx.query('update services set active = false where id = $1', [w.services.long]);
    });
    await u.press('Back');
    await u.press('Main studio');
    const labels = u.screen().buttons.flat().join(' | ');
    expect(labels).toContain('cut & wash');
    expect(labels).not.toMatch(/\blong\b/);
    expect(reads.services).toBe(servicesBefore + 1);

    await asPlatform(real, (tx) =>
      tx.query("update locations set name = 'Riverside studio' where id = $1", [w.locationId]),
    );
    await u.press('Back');
    expect(u.screen().buttons.flat()).toEqual(
      expect.arrayContaining(['Riverside studio', 'Second studio']),
    );
  });
});

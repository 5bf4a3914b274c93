import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySeedOnce } from '../../db/migrations.ts';
import { loadSeed } from '../../db/node/migration-files.ts';
import type { Database } from '../../db/port.ts';
import {
  DEFAULT_LOCATION_POLICY,
  locationPolicySchema,
  parseLocationPolicy,
} from '../../tenants/policy/location-policy.ts';
import { migratedPglite } from '../support/pg.ts';

describe('location policy: database check and application schema agree', () => {
  let db: Database;
  beforeAll(async () => {
    db = await migratedPglite();
  });
  afterAll(() => db.close());

  const dbAccepts = async (policy: unknown) =>
    (
      await db.query<{ ok: boolean }>('select app.is_valid_location_policy($1::jsonb) as ok', [
        JSON.stringify(policy),
      ])
    )[0]!.ok;

  it('the database accepts every policy the schema accepts', async () => {
    const numeric = [
      'leadTimeMinutes',
      'horizonDays',
      'slotStepMinutes',
      'bufferBeforeMinutes',
      'bufferAfterMinutes',
      'holdMinutes',
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          leadTimeMinutes: fc.integer({ min: -10, max: 50_000 }),
          horizonDays: fc.integer({ min: 0, max: 400 }),
          slotStepMinutes: fc.integer({ min: 0, max: 300 }),
          bufferBeforeMinutes: fc.integer({ min: -5, max: 300 }),
          bufferAfterMinutes: fc.integer({ min: -5, max: 300 }),
          holdMinutes: fc.integer({ min: 0, max: 1500 }),
          fractional: fc.constantFrom(...numeric, null),
        }),
        async ({ fractional, ...numbers }) => {
          const policy: Record<string, unknown> = { ...DEFAULT_LOCATION_POLICY, ...numbers };
          if (fractional) policy[fractional] = (policy[fractional] as number) + 0.5;
          const app = locationPolicySchema.safeParse(policy).success;
          // The database checks the fields it relies on; where the schema accepts, it must too, and
          // where only these numbers differ from a valid policy, both must decide alike.
          expect(await dbAccepts(policy)).toBe(app);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the database refuses policies without the parts it needs', async () => {
    expect(await dbAccepts({})).toBe(false);
    expect(await dbAccepts([])).toBe(false);
    const { holdMinutes: _, ...noHold } = DEFAULT_LOCATION_POLICY;
    expect(await dbAccepts(noHold)).toBe(false);
    expect(await dbAccepts({ ...DEFAULT_LOCATION_POLICY, holdMinutes: '15' })).toBe(false);
    expect(await dbAccepts({ ...DEFAULT_LOCATION_POLICY, holdMinutes: 'soon' })).toBe(false);
    expect(await dbAccepts(null)).toBe(false);
    expect(await dbAccepts({ ...DEFAULT_LOCATION_POLICY, reminders: null })).toBe(false);
  });

  it('the demo seed applies once and its policies pass the full schema', async () => {
    const seed = await loadSeed();
    expect(await applySeedOnce(db, 'demo', seed)).toBe(true);
    expect(await applySeedOnce(db, 'demo', seed)).toBe(false);
    const locations = await db.query<{ name: string; policy: unknown }>(
      'select name, policy from locations order by sort_order',
    );
    expect(locations.map((l) => l.name)).toEqual(['Berlin Mitte', 'New York SoHo']);
    for (const l of locations)
      expect(parseLocationPolicy(l.policy), l.name).toMatchObject({ ok: true });
  });
});

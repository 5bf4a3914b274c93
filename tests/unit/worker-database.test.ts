import { describe, expect, it } from 'vitest';
import { databaseUrlOf } from '../../edge/runtime/worker-database.ts';

describe('where a Worker request connects (databaseUrlOf)', () => {
  const direct = 'postgres://app:secret@db.example.com:5432/slotbot';
  const hyperdrive = {
    connectionString: 'postgresql://app:secret@0123abcd.hyperdrive.local:5432/slotbot',
  };

  it('prefers the Hyperdrive binding over DATABASE_URL', () => {
    expect(databaseUrlOf({ HYPERDRIVE: hyperdrive, DATABASE_URL: direct })).toBe(
      hyperdrive.connectionString,
    );
    expect(databaseUrlOf({ HYPERDRIVE: hyperdrive })).toBe(hyperdrive.connectionString);
  });

  it('falls back to DATABASE_URL without a binding, or with one that has no connection string', () => {
    expect(databaseUrlOf({ DATABASE_URL: direct })).toBe(direct);
    expect(databaseUrlOf({ HYPERDRIVE: {}, DATABASE_URL: direct })).toBe(direct);
    expect(databaseUrlOf({ HYPERDRIVE: { connectionString: '' }, DATABASE_URL: direct })).toBe(
      direct,
    );
    // A variable of that name (a string, not a binding) is not Hyperdrive.
    expect(databaseUrlOf({ HYPERDRIVE: 'postgres://elsewhere/db', DATABASE_URL: direct })).toBe(
      direct,
    );
  });

  it('has nothing without either', () => {
    expect(databaseUrlOf({})).toBeUndefined();
    expect(databaseUrlOf({ DATABASE_URL: '' })).toBeUndefined();
  });
});

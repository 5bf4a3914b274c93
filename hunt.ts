import fc from 'fast-check';
import { findSlots } from './tenants/availability/engine.ts';
import { referenceSlots } from './tests/support/availability-reference.ts';
import { searchArb } from './tests/support/availability-arbitraries.ts';
import { isDeepStrictEqual } from 'node:util';
const toMap = (slots: { start: number; masterIds: string[] }[]) => new Map(slots.map((s) => [s.start, s.masterIds]));
const result = fc.check(fc.property(searchArb(), (s) => isDeepStrictEqual(toMap(findSlots(s).slots), referenceSlots(s))), { numRuns: 3000, seed: Number(process.argv[2] ?? 1) });
if (result.failed) {
  const s = result.counterexample![0];
  console.log(JSON.stringify({ ...s, masters: s.masters.map((m) => ({ ...m, skills: [...m.skills] })) }));
  const e = toMap(findSlots(s).slots); const r = referenceSlots(s);
  for (const k of new Set([...e.keys(), ...r.keys()])) if (!isDeepStrictEqual(e.get(k), r.get(k))) console.log(new Date(k).toISOString(), 'engine', e.get(k), 'ref', r.get(k));
} else console.log('ok', result.numRuns);

/**
 * What an edit changed, for the audit log: nested objects flattened to dotted paths
 * ("policy.cancellation.fee"), arrays and other values kept whole, and only the paths whose value
 * differs, each side with its own value (absent on one side: null). Pure.
 */
export function auditDiff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const a = flatten(before);
  const b = flatten(after);
  const changed = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const path of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[path] ?? null) === JSON.stringify(b[path] ?? null)) continue;
    changed.before[path] = a[path] ?? null;
    changed.after[path] = b[path] ?? null;
  }
  return changed;
}

/** Nested plain objects as dotted paths; an empty one has none (absent, as on the other side). */
export function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      Object.assign(out, flatten(v as Record<string, unknown>, path));
    else out[path] = v;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Stripe's `data.previous_attributes`: the old values of what changed. Nested hashes show only
 * their changed keys (a new metadata key appears as null); arrays and scalars appear whole.
 * Null when nothing changed (Stripe then sends no `*.updated` event).
 */
export function previousAttributes(before: object, after: object): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  const old = new Map(Object.entries(before));
  const now = new Map(Object.entries(after));
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const was = old.get(key);
    const is = now.get(key);
    if (equal(was, is)) continue;
    if (isPlainObject(was) && isPlainObject(is)) {
      const nested = previousAttributes(was, is);
      if (nested) out[key] = nested;
    } else {
      out[key] = was === undefined ? null : was;
    }
  }
  return Object.keys(out).length ? out : null;
}

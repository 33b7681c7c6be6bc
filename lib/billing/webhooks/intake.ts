// Cheap checks on a webhook before it is verified and stored. Stripe's own
// events always pass them; anything else gets a 400 with the reason, changes
// nothing, and is not retried for days as a 500 would be.

// Signatures older than this are refused (replay protection), as Stripe's SDK default.
export const SIGNATURE_TOLERANCE_SECONDS = 300;
// Stripe's ids and types are short; the btree index on them stops at ~2.7 KB.
const MAX_ID_CHARS = 255;
// Stripe's objects nest a handful of levels; PostgreSQL's jsonb gives up near 10,000.
const MAX_DEPTH = 64;
// A `created` PostgreSQL can store as a timestamp: 1970 to 9999 (test clocks run ahead, not that far).
const MAX_CREATED = 253_402_300_799;

/**
 * The Stripe-Signature header's timestamp must be a whole number of seconds
 * within the tolerance of now, in either direction. The SDK only refuses old
 * ones, and lets `t=NaN` through when the HMAC matches.
 */
export function signatureTimeProblem(header: string, nowSeconds = Date.now() / 1000): string | null {
  const stamps = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('t='))
    .map((part) => part.slice(2));
  if (stamps.length === 0) return null; // constructEvent reports the malformed header
  if (stamps.length > 1 || !/^\d{1,12}$/.test(stamps[0]!)) return 'Signature timestamp is not an integer.';
  const age = nowSeconds - Number(stamps[0]);
  if (age > SIGNATURE_TOLERANCE_SECONDS) return 'Signature timestamp is too old.';
  if (age < -SIGNATURE_TOLERANCE_SECONDS) return 'Signature timestamp is in the future.';
  return null;
}

function badString(value: string): string | null {
  if (value.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (!value.isWellFormed()) return 'contains a lone UTF-16 surrogate';
  return null;
}

/**
 * Why PostgreSQL could not store this parsed event (or a value it carries),
 * or null when it can. One pass, no recursion (so deep nesting cannot
 * overflow the stack here).
 */
export function unstorableReason(event: unknown): string | null {
  if (!event || typeof event !== 'object' || Array.isArray(event))
    return 'malformed: the body is not a JSON object';
  const { id, type, created, data } = event as Record<string, unknown>;
  if (typeof id !== 'string' || typeof type !== 'string' || typeof created !== 'number')
    return 'malformed: missing id, type or created';
  if (id.length === 0 || id.length > MAX_ID_CHARS) return `id must be 1 to ${MAX_ID_CHARS} characters`;
  if (type.length === 0 || type.length > MAX_ID_CHARS) return `type must be 1 to ${MAX_ID_CHARS} characters`;
  if (!Number.isInteger(created) || created < 0 || created > MAX_CREATED)
    return 'created is not a Unix time PostgreSQL can store';
  const objectId = (data as { object?: { id?: unknown } } | undefined)?.object?.id;
  if (typeof objectId === 'string' && objectId.length > MAX_ID_CHARS)
    return `data.object.id is over ${MAX_ID_CHARS} characters`;

  const stack: Array<[unknown, number]> = [[event, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      const problem = badString(value);
      if (problem) return `a string ${problem}`;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return 'a number is out of range';
    } else if (value && typeof value === 'object') {
      if (depth >= MAX_DEPTH) return `nested deeper than ${MAX_DEPTH} levels`;
      if (Array.isArray(value)) for (const item of value) stack.push([item, depth + 1]);
      else
        for (const [key, item] of Object.entries(value)) {
          const problem = badString(key);
          if (problem) return `a key ${problem}`;
          stack.push([item, depth + 1]);
        }
    }
  }
  return null;
}

/** PostgreSQL errors that mean "this value cannot be stored", never "try again". */
export function unstorableError(error: unknown): string | null {
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  if (/^22/.test(code) || code === '54000' || code === '54001') {
    return error instanceof Error ? error.message : code;
  }
  return null;
}

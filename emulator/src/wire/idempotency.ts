import { createHash } from 'node:crypto';
import { idempotencyError } from './errors';

export interface SavedResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Entry {
  method: string;
  path: string;
  fingerprint: string;
  createdMs: number;
  response: SavedResponse | null;
}

const TTL_MS = 24 * 60 * 60 * 1000;
const MAX_ENTRIES = 20_000;

/** A stable hash of parsed parameters: key order in the form body does not matter. */
export function fingerprint(params: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries.map(([key, inner]) => [key, canonical(inner)]));
    }
    return value;
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(params)))
    .digest('hex');
}

/**
 * Stripe's idempotency layer: per API key, the first response to a key is saved for 24 hours and
 * replayed to later requests with the same key and parameters. A different request under the
 * same key is a 400; a duplicate that arrives while the first is still running is a 409.
 */
export class IdempotencyKeys {
  private entries = new Map<string, Entry>();

  /** Returns the saved response to replay, or null after reserving the key for this request. */
  begin(
    apiKey: string,
    key: string,
    method: string,
    path: string,
    params: unknown,
    nowMs: number,
  ): SavedResponse | null {
    const scoped = `${apiKey}\u0000${key}`;
    const print = fingerprint(params);
    const entry = this.entries.get(scoped);
    if (entry && nowMs - entry.createdMs < TTL_MS) {
      if (entry.method !== method || entry.path !== path) {
        throw idempotencyError(
          400,
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ` +
            `('${entry.method} ${entry.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (entry.fingerprint !== print) {
        throw idempotencyError(
          400,
          `Keys for idempotent requests can only be used with the same parameters they were first used with. ` +
            `Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      if (!entry.response) {
        throw idempotencyError(
          409,
          `There is currently another in-progress request using this Idempotent Key (that probably means you submitted ` +
            `twice, and the other request is still going through): ${key}. Please try again later.`,
        );
      }
      return entry.response;
    }
    this.entries.set(scoped, { method, path, fingerprint: print, createdMs: nowMs, response: null });
    this.prune(nowMs);
    return null;
  }

  /** Saves the response, or (response null) forgets the key so a corrected request can reuse it. */
  finish(apiKey: string, key: string, response: SavedResponse | null): void {
    const scoped = `${apiKey}\u0000${key}`;
    const entry = this.entries.get(scoped);
    if (!entry) return;
    if (response) entry.response = response;
    else this.entries.delete(scoped);
  }

  clear(): void {
    this.entries.clear();
  }

  private prune(nowMs: number): void {
    if (this.entries.size <= MAX_ENTRIES) return;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES * 0.9) break;
      if (entry.response || nowMs - entry.createdMs > TTL_MS) this.entries.delete(key);
    }
  }
}

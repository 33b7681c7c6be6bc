import type { Table } from '../store';
import { resourceMissing } from '../wire/errors';

/** Applies a metadata update: null clears everything, a key set to null is removed. */
export function mergeMetadata(
  current: Record<string, string> | null,
  update: Record<string, string | null> | null | undefined,
): Record<string, string> {
  if (update === undefined) return { ...(current ?? {}) };
  if (update === null) return {};
  const out: Record<string, string> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(update)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** The object in the URL: 404 when missing, like Stripe. */
export function fromPath<T extends { id: string }>(table: Table<T>, id: string, noun: string): T {
  const row = table.get(id);
  if (!row) throw resourceMissing(noun, id, 'id', 404);
  return row;
}

/** An object named by a parameter: 400 when missing. */
export function fromParam<T extends { id: string }>(
  table: Table<T>,
  id: string,
  noun: string,
  param: string,
): T {
  const row = table.get(id);
  if (!row) throw resourceMissing(noun, id, param, 400);
  return row;
}

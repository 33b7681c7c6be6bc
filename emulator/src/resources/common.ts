import type { Op } from '../op';
import type { Table } from '../store';
import type { Json } from '../types';
import { idOf } from '../values';
import { resourceMissing } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import { inRange, pagination, parseShape, range, str } from '../wire/params';

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

/** A plain retrieve: no parameters besides `expand`; 404 when missing. */
export function retrieve<T extends { id: string }>(
  table: Table<T>,
  id: string,
  input: { [key: string]: Json },
  noun: string,
): T {
  parseShape({}, input);
  return fromPath(table, id, noun);
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

/**
 * Deletes a row and keeps its tombstone `{ id, object, deleted: true }`: what DELETE answers
 * and what expanding the id still finds, as at Stripe.
 */
export function deleteWithTombstone<T extends { id: string }, O extends string>(
  op: Op,
  table: Table<T>,
  id: string,
  object: O,
): { id: string; object: O; deleted: true } {
  table.delete(id);
  const tombstone = { id, object, deleted: true } as const;
  op.store.internal.tombstone.set(tombstone);
  return tombstone;
}

type Ref = string | { id: string } | null;

/** A list of objects that belong to a charge (refunds, disputes): by charge, payment_intent, created. */
export function listOfCharges<T extends { id: string; created: number; charge: Ref; payment_intent: Ref }>(
  table: Table<T>,
  input: { [key: string]: Json },
  url: string,
) {
  const params = parseShape({ ...pagination, charge: str(), payment_intent: str(), created: range() }, input);
  const rows = table
    .values()
    .filter(
      (row) =>
        (params.charge === undefined || idOf(row.charge) === params.charge) &&
        (params.payment_intent === undefined || idOf(row.payment_intent) === params.payment_intent) &&
        inRange(row.created, params.created),
    );
  return paginate(newestFirst(rows), params, url);
}

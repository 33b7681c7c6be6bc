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

/** The id of an expandable field, whichever form it is in. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.id;
}

type AddressKey = 'city' | 'country' | 'line1' | 'line2' | 'postal_code' | 'state';
export interface AddressOut {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export function address(input: Partial<Record<AddressKey, string | null>> | null | undefined): AddressOut {
  return {
    city: input?.city ?? null,
    country: input?.country ?? null,
    line1: input?.line1 ?? null,
    line2: input?.line2 ?? null,
    postal_code: input?.postal_code ?? null,
    state: input?.state ?? null,
  };
}

export function formatAmount(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

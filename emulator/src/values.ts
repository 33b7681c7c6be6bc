// Small value helpers shared by resources, engines and pages (no state, no imports).

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

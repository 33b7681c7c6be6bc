export function formatDate(date: Date | null | undefined): string {
  if (!date) return '—';
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

const counts = new Intl.NumberFormat('en-US');

/** A whole count with thousands separators: 1,000 credits. */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** Minor units as money with thousands separators: 123456 usd → $1,234.56. */
export function formatMoney(cents: number, currency = 'usd'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(
    cents / 100,
  );
}

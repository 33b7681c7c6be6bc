// Formatters are built once and reused: constructing an Intl formatter costs far more than
// formatting with one, and a back-office page formats hundreds of dates and amounts.

const dates = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

export function formatDate(date: Date | null | undefined): string {
  if (!date) return '—';
  return dates.format(date);
}

const counts = new Intl.NumberFormat('en-US');

/** A whole count with thousands separators: 1,000 credits. */
export function formatCount(n: number): string {
  return counts.format(n);
}

const money = new Map<string, { format: Intl.NumberFormat; divisor: number }>();

function moneyFormat(currency: string) {
  const code = currency.toUpperCase();
  let entry = money.get(code);
  if (!entry) {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    // Stripe's amounts are in the currency's minor unit: cents for USD, yen for JPY (zero-decimal).
    entry = { format, divisor: 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2) };
    money.set(code, entry);
  }
  return entry;
}

/** Minor units as money with thousands separators: 123456 usd → $1,234.56; 5000 jpy → ¥5,000. */
export function formatMoney(amount: number, currency = 'usd'): string {
  const { format, divisor } = moneyFormat(currency);
  return format.format(amount / divisor);
}

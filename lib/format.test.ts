import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount, formatDate, formatMoney } from '@/lib/format';

describe('formatting', () => {
  it('formats money in the minor unit Stripe uses for each currency', () => {
    expect(formatMoney(123456)).toBe('$1,234.56');
    expect(formatMoney(-500, 'usd')).toBe('-$5.00');
    expect(formatMoney(999, 'EUR')).toBe('€9.99');
    expect(formatMoney(5000, 'jpy')).toBe('¥5,000');
    expect(formatMoney(5000, 'krw')).toBe('₩5,000');
  });

  it('gives the same text as a freshly built formatter, for any amount and currency (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.constantFrom('usd', 'eur', 'gbp', 'jpy'),
        (n, c) => {
          const fresh = new Intl.NumberFormat('en-US', { style: 'currency', currency: c.toUpperCase() });
          const digits = fresh.resolvedOptions().maximumFractionDigits ?? 2;
          expect(formatMoney(n, c)).toBe(fresh.format(n / 10 ** digits));
        },
      ),
    );
  });

  it('formats dates in UTC and counts with separators', () => {
    expect(formatDate(new Date('2026-11-30T23:30:00Z'))).toBe('Nov 30, 2026');
    expect(formatDate(null)).toBe('—');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PaymentStatus } from '@/lib/generated/prisma/enums';
import { clawbackTarget, deriveStatus } from './settle';

describe('deriveStatus: a payment status follows from its facts', () => {
  const paid = { completedAt: new Date('2026-01-01'), amount: 1000, status: 'pending' as PaymentStatus };

  it('is completed, partially refunded or refunded once paid, from Stripe’s refunded total', () => {
    expect(deriveStatus({ ...paid, amountRefunded: 0 })).toBe('completed');
    expect(deriveStatus({ ...paid, amountRefunded: 1 })).toBe('partially_refunded');
    expect(deriveStatus({ ...paid, amountRefunded: 999 })).toBe('partially_refunded');
    expect(deriveStatus({ ...paid, amountRefunded: 1000 })).toBe('refunded');
  });

  it('ignores an unpaid status once paid: a late "expired" never hides a payment', () => {
    expect(deriveStatus({ ...paid, amountRefunded: 0 }, 'expired')).toBe('completed');
    expect(deriveStatus({ ...paid, amountRefunded: 0, status: 'failed' }, 'canceled')).toBe('completed');
  });

  it('before payment, takes the unpaid status given, or keeps the current one', () => {
    const unpaid = { completedAt: null, amount: 1000, amountRefunded: 0, status: 'failed' as PaymentStatus };
    expect(deriveStatus(unpaid, 'expired')).toBe('expired');
    expect(deriveStatus(unpaid)).toBe('failed');
  });
});

describe('clawbackTarget: credits taken back for a refund', () => {
  it('takes back in proportion to the refunded amount', () => {
    expect(clawbackTarget(1000, 1000, 400)).toBe(400);
    expect(clawbackTarget(5000, 2500, 1250)).toBe(2500);
    expect(clawbackTarget(1000, 1000, 1000)).toBe(1000);
    expect(clawbackTarget(1000, 1000, 0)).toBe(0);
  });

  it('never takes back more than was granted, even when Stripe reports more refunded than paid', () => {
    expect(clawbackTarget(1000, 1000, 5000)).toBe(1000);
  });

  it('is between 0 and the credits granted, and grows with the refunded amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.integer({ min: 0, max: 20_000_000 }),
        (credits, amount, r1, r2) => {
          const [low, high] = r1 <= r2 ? [r1, r2] : [r2, r1];
          const a = clawbackTarget(credits, amount, low);
          const b = clawbackTarget(credits, amount, high);
          expect(a).toBeGreaterThanOrEqual(0);
          expect(b).toBeLessThanOrEqual(credits);
          expect(a).toBeLessThanOrEqual(b);
        },
      ),
    );
  });

  it('adds up over partial refunds: the sum of the steps equals the total for the final amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.integer({ min: 1, max: 50_000 }), { maxLength: 8 }),
        (credits, amount, refunds) => {
          let refunded = 0;
          let clawed = 0;
          for (const r of refunds) {
            refunded += r;
            clawed += clawbackTarget(credits, amount, refunded) - clawed;
          }
          expect(clawed).toBe(clawbackTarget(credits, amount, refunded));
        },
      ),
    );
  });
});

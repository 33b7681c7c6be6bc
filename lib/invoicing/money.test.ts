import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depositOf, dueNow, MAX_TAX_BPS, mulDivRound, statusOf, totalsOf } from './money';

const line = fc.record({
  quantity: fc.integer({ min: 1, max: 1_000 }),
  unitAmount: fc.integer({ min: 0, max: 99_999 }),
});
const deposit = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 1, max: 99 }) }),
  fc.record({ kind: fc.constant('amount' as const), value: fc.integer({ min: 1, max: 200_000_000 }) }),
);

describe('invoice totals', () => {
  it('deposit + balance is always the total, and each part is positive or the deposit is absent', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 20 }),
        fc.integer({ min: 0, max: MAX_TAX_BPS }),
        deposit,
        (lines, bps, dep) => {
          const t = totalsOf(lines, bps, dep);
          expect(t.depositAmount + t.balanceAmount).toBe(t.total);
          expect(t.subtotal + t.tax).toBe(t.total);
          expect(Number.isInteger(t.tax) && Number.isInteger(t.depositAmount)).toBe(true);
          if (t.depositAmount > 0) expect(t.balanceAmount).toBeGreaterThan(0);
          expect(t.depositAmount).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('tax is the exact rate rounded half up, at most half a cent off', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 20 }),
        fc.integer({ min: 0, max: MAX_TAX_BPS }),
        (lines, bps) => {
          const t = totalsOf(lines, bps, null);
          const exact = (t.subtotal * bps) / 10_000;
          expect(Math.abs(t.tax - exact)).toBeLessThanOrEqual(0.5);
          // Half up: an exact half rounds away from zero.
          if (exact - Math.floor(exact) === 0.5) expect(t.tax).toBe(Math.ceil(exact));
        },
      ),
    );
  });

  it('a percent deposit is the percent of the total rounded half up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 99_999_999 }), fc.integer({ min: 1, max: 99 }), (total, pct) => {
        const amount = depositOf(total, { kind: 'percent', value: pct });
        const exact = (total * pct) / 100;
        if (amount > 0) expect(Math.abs(amount - exact)).toBeLessThanOrEqual(0.5);
        else expect(Math.round(exact) === 0 || Math.round(exact) >= total).toBe(true);
      }),
    );
  });

  it('known figures', () => {
    // 3 × $33.33 + $0.01 at 8.25%: subtotal 10000, tax 825, deposit 30% of 10825 = 3247.5 → 3248.
    const t = totalsOf(
      [
        { quantity: 3, unitAmount: 3333 },
        { quantity: 1, unitAmount: 1 },
      ],
      825,
      { kind: 'percent', value: 30 },
    );
    expect(t).toEqual({ subtotal: 10000, tax: 825, total: 10825, depositAmount: 3248, balanceAmount: 7577 });
    expect(mulDivRound(5, 1, 2)).toBe(3);
    expect(depositOf(100, { kind: 'amount', value: 100 })).toBe(0);
    expect(depositOf(1, { kind: 'percent', value: 30 })).toBe(0);
  });
});

describe('what the pay link collects', () => {
  it('the deposit first, then the balance, and nothing once the total is in; the stages add up to the total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 99 }), (total, pct) => {
        const depositAmount = depositOf(total, pct ? { kind: 'percent', value: pct } : null);
        let amountPaid = 0;
        const stages: string[] = [];
        for (
          let due = dueNow({ total, depositAmount, amountPaid });
          due;
          due = dueNow({ total, depositAmount, amountPaid })
        ) {
          stages.push(due.stage);
          amountPaid += due.amount;
          expect(stages.length).toBeLessThanOrEqual(2);
        }
        expect(amountPaid).toBe(total);
        expect(stages).toEqual(depositAmount > 0 ? ['deposit', 'balance'] : ['balance']);
      }),
    );
  });
});

describe('status', () => {
  const base = {
    total: 1000,
    depositAmount: 300,
    amountPaid: 0,
    sentAt: new Date('2026-11-01T00:00:00Z'),
    voidedAt: null,
    dueDate: new Date('2026-11-30T00:00:00Z'),
  };
  const today = new Date('2026-11-30T15:00:00Z');
  it('follows the facts', () => {
    expect(statusOf({ ...base, sentAt: null }, today)).toBe('draft');
    expect(statusOf(base, today)).toBe('sent');
    expect(statusOf({ ...base, amountPaid: 300 }, today)).toBe('deposit_paid');
    expect(statusOf({ ...base, amountPaid: 1000 }, today)).toBe('paid');
    expect(statusOf({ ...base, amountPaid: 300 }, new Date('2026-12-01T00:00:00Z'))).toBe('overdue');
    expect(statusOf({ ...base, amountPaid: 1000 }, new Date('2027-01-01T00:00:00Z'))).toBe('paid');
    expect(statusOf({ ...base, voidedAt: today, amountPaid: 1000 }, today)).toBe('void');
  });
});

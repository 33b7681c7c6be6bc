import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dashboardMetrics, refreshTallies } from '@/lib/admin/metrics';
import { db } from '@/lib/db';
import type { SubscriptionStatus } from '@/lib/generated/prisma/enums';
import { createUser } from '@/lib/testing/fixtures';
import { tallyChecks } from '@/scripts/lib/tally-checks';

// The dashboard's tallies (RevenueDay, SubscriptionTally) are kept by triggers
// in the same transaction as each write. Whatever sequence of inserts,
// updates and deletes hits Payment, Refund and Subscription, and however many
// writers run at once (with a rebuild in the middle), the tallies equal the
// sums over their sources.

const DAY = 86_400_000;
const base = Date.now() - 20 * DAY;
const at = (offset: number) => new Date(base + offset * DAY + (offset % 7) * 3_600_000);
const id = (prefix: string) => `${prefix}_t${randomUUID().replace(/-/g, '').slice(0, 20)}`;
const STATUSES: SubscriptionStatus[] = ['active', 'trialing', 'past_due', 'canceled', 'unpaid'];
const KEYS = ['pro_monthly', 'starter_yearly', null] as const;

async function expectTalliesExact() {
  for (const [name, sql] of Object.entries(tallyChecks)) {
    expect(await db.$queryRawUnsafe(sql), name).toEqual([]);
  }
}

type Op =
  | { t: 'pay'; kind: 'credits' | 'subscription'; amount: number; credits: number; day: number | null }
  | { t: 'settle'; i: number; day: number | null; refunded: number }
  | { t: 'fail'; i: number; status: 'failed' | 'pending' | 'expired' }
  | { t: 'touch'; i: number }
  | { t: 'delPay'; i: number }
  | { t: 'refund'; i: number; amount: number; status: string; day: number }
  | { t: 'refundStatus'; j: number; status: string }
  | { t: 'sub'; status: SubscriptionStatus; key: number; quantity: number }
  | { t: 'subChange'; k: number; status: SubscriptionStatus; key: number; quantity: number }
  | { t: 'delSub'; k: number };

const dayArb = fc.option(fc.integer({ min: 0, max: 40 }), { nil: null });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constant('pay' as const),
    kind: fc.constantFrom('credits' as const, 'subscription' as const),
    amount: fc.integer({ min: 0, max: 50_000 }),
    credits: fc.integer({ min: 0, max: 10_000 }),
    day: dayArb,
  }),
  fc.record({ t: fc.constant('settle' as const), i: fc.nat(), day: dayArb, refunded: fc.nat(100) }),
  fc.record({
    t: fc.constant('fail' as const),
    i: fc.nat(),
    status: fc.constantFrom('failed' as const, 'pending' as const, 'expired' as const),
  }),
  fc.record({ t: fc.constant('touch' as const), i: fc.nat() }),
  fc.record({ t: fc.constant('delPay' as const), i: fc.nat() }),
  fc.record({
    t: fc.constant('refund' as const),
    i: fc.nat(),
    amount: fc.integer({ min: 1, max: 5_000 }),
    status: fc.constantFrom('succeeded', 'pending', 'failed'),
    day: fc.integer({ min: 0, max: 40 }),
  }),
  fc.record({
    t: fc.constant('refundStatus' as const),
    j: fc.nat(),
    status: fc.constantFrom('succeeded', 'failed', 'canceled'),
  }),
  fc.record({
    t: fc.constant('sub' as const),
    status: fc.constantFrom(...STATUSES),
    key: fc.nat(2),
    quantity: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({
    t: fc.constant('subChange' as const),
    k: fc.nat(),
    status: fc.constantFrom(...STATUSES),
    key: fc.nat(2),
    quantity: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({ t: fc.constant('delSub' as const), k: fc.nat() }),
);

async function apply(ops: Op[]) {
  const user = await createUser();
  const customer = await db.customer.create({
    data: { id: id('cus'), workspaceId: user.workspaceId, lastEventAt: new Date() },
  });
  const payments: string[] = [];
  const refunds: string[] = [];
  const subs: string[] = [];
  const pick = (list: string[], i: number) => (list.length ? list[i % list.length] : undefined);
  for (const op of ops) {
    switch (op.t) {
      case 'pay': {
        const p = await db.payment.create({
          data: {
            workspaceId: user.workspaceId,
            kind: op.kind,
            amount: op.amount,
            credits: op.credits,
            status: op.day === null ? 'failed' : 'completed',
            createdAt: at(op.day ?? op.amount % 40),
            completedAt: op.day === null ? null : at(op.day),
          },
        });
        payments.push(p.id);
        break;
      }
      case 'settle': {
        const pid = pick(payments, op.i);
        if (!pid) break;
        const p = await db.payment.findUniqueOrThrow({ where: { id: pid }, select: { amount: true } });
        await db.payment.update({
          where: { id: pid },
          data: {
            completedAt: op.day === null ? null : at(op.day),
            amountRefunded: Math.floor((p.amount * op.refunded) / 100),
          },
        });
        break;
      }
      case 'fail': {
        const pid = pick(payments, op.i);
        if (pid) await db.payment.update({ where: { id: pid }, data: { status: op.status } });
        break;
      }
      case 'touch': {
        const pid = pick(payments, op.i);
        if (pid) await db.payment.update({ where: { id: pid }, data: { lastEventAt: new Date() } });
        break;
      }
      case 'delPay': {
        const pid = pick(payments, op.i);
        if (!pid) break;
        await db.payment.delete({ where: { id: pid } }); // cascades to its refunds
        payments.splice(payments.indexOf(pid), 1);
        const gone = new Set(
          (await db.refund.findMany({ where: { id: { in: refunds } }, select: { id: true } })).map(
            (r) => r.id,
          ),
        );
        refunds.splice(0, refunds.length, ...refunds.filter((r) => gone.has(r)));
        break;
      }
      case 'refund': {
        const pid = pick(payments, op.i);
        if (!pid) break;
        const r = await db.refund.create({
          data: {
            id: id('re'),
            paymentId: pid,
            amount: op.amount,
            currency: 'usd',
            status: op.status,
            stripeCreated: at(op.day),
            lastEventAt: new Date(),
          },
        });
        refunds.push(r.id);
        break;
      }
      case 'refundStatus': {
        const rid = pick(refunds, op.j);
        if (rid) await db.refund.update({ where: { id: rid }, data: { status: op.status } });
        break;
      }
      case 'sub': {
        const s = await db.subscription.create({
          data: {
            id: id('sub'),
            customerId: customer.id,
            workspaceId: user.workspaceId,
            status: op.status,
            priceId: 'price_t',
            priceLookupKey: KEYS[op.key] ?? null,
            productId: 'prod_t',
            quantity: op.quantity,
            stripeCreated: new Date(),
            lastEventAt: new Date(),
          },
        });
        subs.push(s.id);
        break;
      }
      case 'subChange': {
        const sid = pick(subs, op.k);
        if (!sid) break;
        await db.subscription.update({
          where: { id: sid },
          data: { status: op.status, priceLookupKey: KEYS[op.key] ?? null, quantity: op.quantity },
        });
        break;
      }
      case 'delSub': {
        const sid = pick(subs, op.k);
        if (!sid) break;
        await db.subscription.delete({ where: { id: sid } });
        subs.splice(subs.indexOf(sid), 1);
        break;
      }
    }
  }
  return user;
}

describe('dashboard tallies kept by triggers', () => {
  it('equal the sums over Payment, Refund and Subscription after any sequence of writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
        await apply(ops);
        await expectTalliesExact();
      }),
      { numRuns: 12 },
    );
    // A user's deletion cascades to every payment, refund and subscription.
    const user = await apply([
      { t: 'pay', kind: 'credits', amount: 900, credits: 900, day: 3 },
      { t: 'refund', i: 0, amount: 100, status: 'succeeded', day: 4 },
      { t: 'sub', status: 'active', key: 0, quantity: 2 },
    ]);
    await db.user.delete({ where: { id: user.id } });
    await expectTalliesExact();
  });

  it('count every write exactly once with concurrent writers and a rebuild in the middle', async () => {
    const before = await dashboardMetrics();
    const user = await createUser();
    const customer = await db.customer.create({
      data: { id: id('cus'), workspaceId: user.workspaceId, lastEventAt: new Date() },
    });
    const amounts = Array.from({ length: 16 }, (_, i) => 100 * (i + 1));
    // Every payment completes today, so writers meet on the same day's slots.
    const writers = amounts.map((amount, i) =>
      db.$transaction(
        async (tx) => {
          await tx.payment.create({
            data: {
              workspaceId: user.workspaceId,
              kind: 'credits',
              amount,
              credits: amount,
              status: 'completed',
              completedAt: new Date(),
            },
          });
          if (i % 2 === 0)
            await tx.payment.create({
              data: { workspaceId: user.workspaceId, kind: 'credits', amount, status: 'failed' },
            });
          await tx.subscription.create({
            data: {
              id: id('sub'),
              customerId: customer.id,
              workspaceId: user.workspaceId,
              status: 'active',
              priceId: 'price_t',
              priceLookupKey: 'pro_monthly',
              productId: 'prod_t',
              quantity: 1 + (i % 3),
              stripeCreated: new Date(),
              lastEventAt: new Date(),
            },
          });
        },
        { maxWait: 30_000, timeout: 30_000 },
      ),
    );
    await Promise.all([...writers, refreshTallies(), refreshTallies()]);
    await expectTalliesExact();
    const after = await dashboardMetrics();
    const today = (m: typeof after) => m.revenueByDay[m.revenueByDay.length - 1]!.cents;
    const sum = amounts.reduce((a, b) => a + b, 0);
    expect(today(after) - today(before)).toBe(sum);
    expect(after.creditsSold30d - before.creditsSold30d).toBe(sum);
    expect(after.subscriptions.active - before.subscriptions.active).toBe(amounts.length);
    expect(after.failedPayments30d - before.failedPayments30d).toBe(amounts.length / 2);
  });
});

import 'server-only';
import { plans } from '@/lib/billing/catalog';
import { db } from '@/lib/db';

const DAY = 86_400_000;

/** Monthly amount of a plan price, in cents (yearly prices count as a twelfth). */
function monthlyCents(lookupKey: string | null, interval: string | null): number | null {
  for (const plan of plans) {
    for (const i of ['month', 'year'] as const) {
      if (plan.prices[i].lookupKey === lookupKey)
        return i === 'year' ? Math.round(plan.prices[i].amount / 12) : plan.prices[i].amount;
    }
  }
  return interval ? null : null;
}

export interface DashboardMetrics {
  mrr: number;
  subscriptions: { active: number; trialing: number; past_due: number };
  revenueByDay: Array<{ day: string; cents: number }>;
  revenue30d: number;
  failedPayments30d: number;
  creditsSold30d: number;
  refunds30d: { count: number; cents: number };
}

export async function dashboardMetrics(now = new Date()): Promise<DashboardMetrics> {
  const since = new Date(now.getTime() - 30 * DAY);
  const [subscriptions, paying, completed, failed, refunds] = await Promise.all([
    db.subscription.groupBy({
      by: ['status'],
      where: { status: { in: ['active', 'trialing', 'past_due'] } },
      _count: { _all: true },
    }),
    // MRR counts paying subscriptions: active and past_due (still billed), not trials.
    db.subscription.findMany({
      where: { status: { in: ['active', 'past_due'] } },
      select: { priceLookupKey: true, interval: true, quantity: true },
    }),
    db.payment.findMany({
      where: { completedAt: { gte: since } },
      select: { completedAt: true, amount: true, amountRefunded: true, kind: true, credits: true },
    }),
    db.payment.count({ where: { status: 'failed', updatedAt: { gte: since } } }),
    db.refund.aggregate({
      where: { status: 'succeeded', stripeCreated: { gte: since } },
      _count: { _all: true },
      _sum: { amount: true },
    }),
  ]);
  const count = (status: string) => subscriptions.find((s) => s.status === status)?._count._all ?? 0;
  const mrr = paying.reduce(
    (sum, s) => sum + (monthlyCents(s.priceLookupKey, s.interval) ?? 0) * s.quantity,
    0,
  );

  const byDay = new Map<string, number>();
  for (let i = 29; i >= 0; i -= 1) byDay.set(new Date(now.getTime() - i * DAY).toISOString().slice(0, 10), 0);
  for (const p of completed) {
    const day = p.completedAt!.toISOString().slice(0, 10);
    if (byDay.has(day)) byDay.set(day, byDay.get(day)! + p.amount - p.amountRefunded);
  }
  const revenueByDay = [...byDay.entries()].map(([day, cents]) => ({ day, cents }));
  return {
    mrr,
    subscriptions: { active: count('active'), trialing: count('trialing'), past_due: count('past_due') },
    revenueByDay,
    revenue30d: revenueByDay.reduce((sum, d) => sum + d.cents, 0),
    failedPayments30d: failed,
    creditsSold30d: completed.filter((p) => p.kind === 'credits').reduce((sum, p) => sum + p.credits, 0),
    refunds30d: { count: refunds._count._all, cents: refunds._sum.amount ?? 0 },
  };
}

import 'server-only';
import { plans } from '@/lib/billing/catalog';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { SAMPLE_USER_EMAIL } from './sample-data';

// The dashboard's figures, each one SQL aggregate over an index (or a handful
// of grouped rows): no request loads a table's rows into JS to sum them.

const DAY = 86_400_000;
export const REVENUE_DAYS = 30;

/** Monthly amount of a plan price, in cents (yearly prices count as a twelfth). */
export function monthlyCents(lookupKey: string | null): number {
  for (const plan of plans) {
    for (const i of ['month', 'year'] as const) {
      if (plan.prices[i].lookupKey === lookupKey)
        return i === 'year' ? Math.round(plan.prices[i].amount / 12) : plan.prices[i].amount;
    }
  }
  return 0;
}

/** The UTC days of the revenue window, oldest first: today and the 29 before it. */
export function revenueWindow(now: Date): { since: Date; days: string[] } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (REVENUE_DAYS - 1) * DAY);
  const days = Array.from({ length: REVENUE_DAYS }, (_, i) =>
    new Date(since.getTime() + i * DAY).toISOString().slice(0, 10),
  );
  return { since, days };
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
  const { since, days } = revenueWindow(now);
  const [subscriptions, paying, revenue, failed, refunds] = await Promise.all([
    db.subscription.groupBy({
      by: ['status'],
      where: { status: { in: ['active', 'trialing', 'past_due'] } },
      _count: { _all: true },
    }),
    // MRR counts paying subscriptions: active and past_due (still billed), not trials.
    // One row per price: the index on (status, priceLookupKey, quantity) answers it.
    db.subscription.groupBy({
      by: ['priceLookupKey'],
      where: { status: { in: ['active', 'past_due'] } },
      _sum: { quantity: true },
    }),
    // Net revenue by the UTC day each payment completed: an index-only scan of
    // Payment(completedAt, kind, amount, amountRefunded, credits) over the window.
    db.$queryRaw<Array<{ day: string; cents: bigint; credits: bigint }>>(Prisma.sql`
      SELECT to_char(date_trunc('day', "completedAt"), 'YYYY-MM-DD') AS day,
             sum("amount" - "amountRefunded")::bigint AS cents,
             sum(CASE WHEN "kind" = 'credits' THEN "credits" ELSE 0 END)::bigint AS credits
      FROM "Payment"
      WHERE "completedAt" >= ${since}
      GROUP BY 1`),
    db.payment.count({ where: { status: 'failed', createdAt: { gte: since } } }),
    db.refund.aggregate({
      where: { status: 'succeeded', stripeCreated: { gte: since } },
      _count: { _all: true },
      _sum: { amount: true },
    }),
  ]);
  const count = (status: string) => subscriptions.find((s) => s.status === status)?._count._all ?? 0;
  const mrr = paying.reduce((sum, p) => sum + monthlyCents(p.priceLookupKey) * (p._sum.quantity ?? 0), 0);
  const byDay = new Map(revenue.map((r) => [r.day, r]));
  const revenueByDay = days.map((day) => ({ day, cents: Number(byDay.get(day)?.cents ?? 0) }));
  return {
    mrr,
    subscriptions: { active: count('active'), trialing: count('trialing'), past_due: count('past_due') },
    revenueByDay,
    revenue30d: revenueByDay.reduce((sum, d) => sum + d.cents, 0),
    failedPayments30d: failed,
    creditsSold30d: revenue.reduce((sum, r) => sum + Number(r.credits), 0),
    refunds30d: { count: refunds._count._all, cents: refunds._sum.amount ?? 0 },
  };
}

/** The users count shown on the dashboard (an index-only count). */
export async function userCount(): Promise<number> {
  return db.user.count();
}

/** Whether the demo's sample data is loaded: one unique-index lookup, not a count of payments. */
export async function sampleDataLoaded(): Promise<boolean> {
  return (await db.user.findUnique({ where: { email: SAMPLE_USER_EMAIL }, select: { id: true } })) !== null;
}

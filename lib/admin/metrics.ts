import 'server-only';
import { plans } from '@/lib/billing/catalog';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { SAMPLE_USER_EMAIL } from './sample-data';

// The dashboard's figures. Revenue, refunds, credits sold, subscription counts
// and MRR come from RevenueDay and SubscriptionTally, which triggers keep in
// the same transaction as every payment, refund and subscription write (the
// back_office_tallies migration, ADR 0022): a few hundred rows at most, however
// large the history. No request loads a table's rows into JS to sum them.

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
  const { days } = revenueWindow(now);
  const [tally, revenue] = await Promise.all([
    // Counts and quantities by status and price, summed over their slots.
    db.subscriptionTally.groupBy({
      by: ['status', 'priceLookupKey'],
      where: { status: { in: ['active', 'trialing', 'past_due'] } },
      _sum: { count: true, quantity: true },
    }),
    // Net revenue by the UTC day each payment completed, failed payments by the day they
    // were created, refunds by the day Stripe made them.
    db.$queryRaw<
      Array<{
        day: string;
        cents: bigint;
        credits: bigint;
        refunds: bigint;
        refunded: bigint;
        failed: bigint;
      }>
    >(
      Prisma.sql`
        SELECT to_char("day", 'YYYY-MM-DD') AS day,
               sum("netCents")::bigint AS cents,
               sum("credits")::bigint AS credits,
               sum("refunds")::bigint AS refunds,
               sum("refundedCents")::bigint AS refunded,
               sum("failedPayments")::bigint AS failed
        FROM "RevenueDay"
        WHERE "day" >= ${days[0]}::date
        GROUP BY 1`,
    ),
  ]);
  const count = (status: string) =>
    tally.filter((t) => t.status === status).reduce((sum, t) => sum + (t._sum.count ?? 0), 0);
  // MRR counts paying subscriptions: active and past_due (still billed), not trials.
  const mrr = tally
    .filter((t) => t.status === 'active' || t.status === 'past_due')
    .reduce((sum, t) => sum + monthlyCents(t.priceLookupKey || null) * Number(t._sum.quantity ?? 0), 0);
  const byDay = new Map(revenue.map((r) => [r.day, r]));
  const revenueByDay = days.map((day) => ({ day, cents: Number(byDay.get(day)?.cents ?? 0) }));
  const total = (pick: (r: (typeof revenue)[number]) => bigint) =>
    revenue.reduce((sum, r) => sum + Number(pick(r)), 0);
  return {
    mrr,
    subscriptions: { active: count('active'), trialing: count('trialing'), past_due: count('past_due') },
    revenueByDay,
    revenue30d: revenueByDay.reduce((sum, d) => sum + d.cents, 0),
    failedPayments30d: total((r) => r.failed),
    creditsSold30d: total((r) => r.credits),
    refunds30d: { count: total((r) => r.refunds), cents: total((r) => r.refunded) },
  };
}

/** Rebuild the tallies from Payment, Refund and Subscription (a repair; the triggers keep them exact). */
export async function refreshTallies(): Promise<void> {
  await db.$executeRaw`SELECT refresh_billing_tallies()`;
}

// Below this many rows an exact count is cheap; above it, the planner's
// estimate (kept by autovacuum's ANALYZE) is shown as approximate.
const EXACT_COUNT_BELOW = 10_000;

/** The users count on the dashboard: exact when small, the planner's estimate at scale. */
export async function userCount(): Promise<{ count: number; exact: boolean }> {
  const [estimate] = await db.$queryRaw<Array<{ rows: number }>>(
    Prisma.sql`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = '"User"'::regclass`,
  );
  const rows = Math.round(estimate?.rows ?? -1);
  if (rows >= EXACT_COUNT_BELOW) return { count: rows, exact: false };
  return { count: await db.user.count(), exact: true };
}

/** Whether the demo's sample data is loaded: one unique-index lookup, not a count of payments. */
export async function sampleDataLoaded(): Promise<boolean> {
  return (await db.user.findUnique({ where: { email: SAMPLE_USER_EMAIL }, select: { id: true } })) !== null;
}

/** What staff must look at: payments held for review and disputes still open. */
export async function attentionCounts(): Promise<{ needsReview: number; openDisputes: number }> {
  const [needsReview, openDisputes] = await Promise.all([
    db.payment.count({ where: { status: 'needs_review' } }),
    db.dispute.count({
      where: { status: { in: ['needs_response', 'warning_needs_response', 'under_review'] } },
    }),
  ]);
  return { needsReview, openDisputes };
}

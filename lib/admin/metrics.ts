import 'server-only';
import { plans } from '@/lib/billing/catalog';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { OPEN_DISPUTES } from './disputes';
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
  /** What staff must look at: payments held for review and disputes still open. */
  attention: { needsReview: number; openDisputes: number };
  users: { count: number; exact: boolean };
  /** The demo's sample data is loaded. */
  sampleLoaded: boolean;
}

// Below this many rows an exact count is cheap; above it, the planner's
// estimate (kept by autovacuum's ANALYZE) is shown as approximate.
const EXACT_COUNT_BELOW = 10_000;

interface DashboardRow {
  tally: Array<{ status: string; key: string; count: number; quantity: number }>;
  revenue: Array<{
    day: string;
    cents: number;
    credits: number;
    refunds: number;
    refunded: number;
    failed: number;
  }>;
  needsReview: number;
  openDisputes: number;
  sampleLoaded: boolean;
  usersEstimate: number;
  usersExact: number | null;
}

/**
 * Every figure on the dashboard in one statement: each part reads a tally or an
 * index, and one round trip replaces seven (which were most of the page's time).
 */
export async function dashboardMetrics(now = new Date()): Promise<DashboardMetrics> {
  const { days } = revenueWindow(now);
  const [row] = await db.$queryRaw<DashboardRow[]>(Prisma.sql`
    WITH estimate AS (SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = '"User"'::regclass)
    SELECT
      -- Counts and quantities by status and price, summed over their slots.
      (SELECT coalesce(json_agg(t), '[]') FROM (
        SELECT status::text AS status, "priceLookupKey" AS key, sum(count)::int AS count,
               sum(quantity)::float8 AS quantity
        FROM "SubscriptionTally" WHERE status IN ('active', 'trialing', 'past_due') GROUP BY 1, 2) t) AS tally,
      -- Net revenue by the UTC day each payment completed, failed payments by the day they
      -- were created, refunds by the day Stripe made them.
      (SELECT coalesce(json_agg(r), '[]') FROM (
        SELECT to_char("day", 'YYYY-MM-DD') AS day, sum("netCents")::float8 AS cents,
               sum("credits")::float8 AS credits, sum("refunds")::float8 AS refunds,
               sum("refundedCents")::float8 AS refunded, sum("failedPayments")::float8 AS failed
        FROM "RevenueDay" WHERE "day" >= ${days[0]}::date GROUP BY 1) r) AS revenue,
      (SELECT count(*)::int FROM "Payment" WHERE status = 'needs_review') AS "needsReview",
      (SELECT count(*)::int FROM "Dispute" WHERE status::text = ANY(${OPEN_DISPUTES}::text[])) AS "openDisputes",
      EXISTS (SELECT 1 FROM "User" WHERE email = ${SAMPLE_USER_EMAIL}) AS "sampleLoaded",
      (SELECT rows FROM estimate) AS "usersEstimate",
      -- Counted only below the threshold: a scalar subquery runs only when its branch is taken.
      CASE WHEN (SELECT rows FROM estimate) >= ${EXACT_COUNT_BELOW} THEN NULL
           ELSE (SELECT count(*)::int FROM "User") END AS "usersExact"`);
  const { tally, revenue } = row!;
  const count = (status: string) =>
    tally.filter((t) => t.status === status).reduce((sum, t) => sum + t.count, 0);
  // MRR counts paying subscriptions: active and past_due (still billed), not trials.
  const mrr = tally
    .filter((t) => t.status === 'active' || t.status === 'past_due')
    .reduce((sum, t) => sum + monthlyCents(t.key || null) * t.quantity, 0);
  const byDay = new Map(revenue.map((r) => [r.day, r]));
  const revenueByDay = days.map((day) => ({ day, cents: byDay.get(day)?.cents ?? 0 }));
  const total = (pick: (r: DashboardRow['revenue'][number]) => number) =>
    revenue.reduce((sum, r) => sum + pick(r), 0);
  return {
    mrr,
    subscriptions: { active: count('active'), trialing: count('trialing'), past_due: count('past_due') },
    revenueByDay,
    revenue30d: revenueByDay.reduce((sum, d) => sum + d.cents, 0),
    failedPayments30d: total((r) => r.failed),
    creditsSold30d: total((r) => r.credits),
    refunds30d: { count: total((r) => r.refunds), cents: total((r) => r.refunded) },
    attention: { needsReview: row!.needsReview, openDisputes: row!.openDisputes },
    users:
      row!.usersExact === null
        ? { count: Math.round(row!.usersEstimate), exact: false }
        : { count: row!.usersExact, exact: true },
    sampleLoaded: row!.sampleLoaded,
  };
}

/** Rebuild the tallies from Payment, Refund and Subscription (a repair; the triggers keep them exact). */
export async function refreshTallies(): Promise<void> {
  await db.$executeRaw`SELECT refresh_billing_tallies()`;
}

/** The users count on the dashboard: exact when small, the planner's estimate at scale. */
export async function userCount(): Promise<{ count: number; exact: boolean }> {
  const [estimate] = await db.$queryRaw<Array<{ rows: number }>>(
    Prisma.sql`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = '"User"'::regclass`,
  );
  const rows = Math.round(estimate?.rows ?? -1);
  if (rows >= EXACT_COUNT_BELOW) return { count: rows, exact: false };
  return { count: await db.user.count(), exact: true };
}

// The dashboard's tallies against their sources (ADR 0022): each query returns
// the day or status:price where RevenueDay or SubscriptionTally differs from
// the sums over Payment, Refund and Subscription. Used by the bench
// generator's invariants, the tally tests and the storm's verdict.
const revenueByDay = (source: string) => `SELECT day::text AS id, sum(net) AS net, sum(cr) AS cr,
     sum(n) AS n, sum(cents) AS cents, sum(failed) AS failed FROM (${source}) x GROUP BY day
     HAVING sum(net) <> 0 OR sum(cr) <> 0 OR sum(n) <> 0 OR sum(cents) <> 0 OR sum(failed) <> 0`;
const revenueTally = revenueByDay(
  `SELECT day, "netCents" AS net, credits AS cr, refunds AS n, "refundedCents" AS cents,
     "failedPayments" AS failed FROM "RevenueDay"`,
);
const revenueSource = revenueByDay(
  `SELECT "completedAt"::date AS day, (amount - "amountRefunded")::bigint AS net,
     (CASE WHEN kind = 'credits' THEN credits ELSE 0 END)::bigint AS cr, 0 AS n, 0::bigint AS cents, 0 AS failed
   FROM "Payment" WHERE "completedAt" IS NOT NULL
   UNION ALL
   SELECT "createdAt"::date, 0, 0, 0, 0, 1 FROM "Payment" WHERE status = 'failed'
   UNION ALL
   SELECT "stripeCreated"::date, 0, 0, 1, amount, 0 FROM "Refund" WHERE status = 'succeeded'`,
);
const subscriptionsBy = (source: string) => `SELECT status || ':' || key AS id, sum(n) AS n, sum(q) AS q
     FROM (${source}) x GROUP BY status, key HAVING sum(n) <> 0 OR sum(q) <> 0`;
const subscriptionTally = subscriptionsBy(
  `SELECT status, "priceLookupKey" AS key, count AS n, quantity AS q FROM "SubscriptionTally"`,
);
const subscriptionSource = subscriptionsBy(
  `SELECT status, coalesce("priceLookupKey", '') AS key, 1 AS n, quantity::bigint AS q FROM "Subscription"`,
);

/**
 * The dashboard's tallies (RevenueDay, SubscriptionTally) equal the sums over
 * their source tables: each query returns a day or status:price that differs.
 */
export const tallyChecks: Record<string, string> = {
  'RevenueDay = sums over Payment and Refund': `(${revenueTally} EXCEPT ${revenueSource})
     UNION ALL (${revenueSource} EXCEPT ${revenueTally}) LIMIT 1`,
  'SubscriptionTally = counts over Subscription': `(${subscriptionTally} EXCEPT ${subscriptionSource})
     UNION ALL (${subscriptionSource} EXCEPT ${subscriptionTally}) LIMIT 1`,
};

// A mature SaaS's database, generated in SQL (generate_series, one statement
// per table) from a seed: deterministic for a given seed and scale. Scale 1 is
// the size `npm run bench:scale` measures (100k users, 60k customers, 49k
// subscriptions, 294k invoices, 200k payments, 22k refunds, 992k ledger rows of
// which one user owns 200k, 500k webhook events, 100k audit rows); the EXPLAIN
// tests use a small fraction. Invariants kept: every workspace's creditBalance is
// the sum of their ledger and each entry's balanceAfter its running sum; a
// payment's amountRefunded is its succeeded refunds' total; every foreign key
// points at a row.
import type pg from 'pg';
import { tallyChecks } from './tally-checks';

export interface ScaleCounts {
  users: number;
  customers: number;
  subscriptions: number;
  invoices: number;
  payments: number;
  refunds: number;
  ledger: number;
  heavyLedger: number;
  events: number;
  audit: number;
}

export function countsFor(scale: number): ScaleCounts {
  const n = (full: number) => Math.max(1, Math.round(full * scale));
  return {
    users: n(100_000),
    customers: n(60_000),
    subscriptions: n(49_000),
    invoices: n(294_000),
    payments: n(200_000),
    refunds: n(22_000),
    ledger: n(992_000),
    heavyLedger: n(200_000),
    events: n(500_000),
    audit: n(100_000),
  };
}

/** Ids shaped like the real ones (cuids for our rows, Stripe prefixes for Stripe's). */
export const benchIds = {
  user: (i: number) => `cbench${String(i).padStart(19, '0')}`,
  /** User i's personal workspace, which owns their billing. */
  workspace: (i: number) => `wbench${String(i).padStart(19, '0')}`,
  customer: (i: number) => `cus_bench${i}`,
  payment: (i: number) => `cbpay${String(i).padStart(20, '0')}`,
  paymentIntent: (i: number) => `pi_bench${i}`,
  refund: (i: number) => `re_bench${i}`,
};

/** The generated admin (user 1) and the user whose workspace owns `heavyLedger` ledger rows (user 2). */
export const ADMIN_USER = 1;
export const HEAVY_USER = 2;

const LAST = [
  'smith',
  'johnson',
  'williams',
  'brown',
  'jones',
  'garcia',
  'miller',
  'davis',
  'rodriguez',
  'martinez',
  'hernandez',
  'lopez',
  'gonzalez',
  'wilson',
  'anderson',
  'thomas',
  'taylor',
  'moore',
  'jackson',
  'martin',
  'lee',
  'perez',
  'thompson',
  'white',
  'harris',
  'sanchez',
  'clark',
  'ramirez',
  'lewis',
  'robinson',
  'walker',
  'young',
  'allen',
  'king',
  'wright',
  'scott',
  'torres',
  'nguyen',
  'hill',
  'flores',
  'green',
  'adams',
  'nelson',
  'baker',
  'hall',
  'rivera',
  'campbell',
  'mitchell',
  'carter',
  'roberts',
];
const FIRST = ['ada', 'alan', 'grace', 'linus', 'barbara', 'ken', 'dennis', 'margaret', 'edsger', 'frances'];
const DOMAINS = ['example.com', 'mail.test', 'corp.example', 'startup.io', 'agency.co'];

/**
 * Fill an empty, migrated database. `now` anchors every timestamp (payments
 * spread over the last 120 days, so about a quarter completed in the last 30).
 */
export async function generateDataset(
  client: pg.Client,
  options: { scale: number; seed: number; now: Date; priceLookupKeys: string[] },
  log: (line: string) => void = () => {},
): Promise<ScaleCounts> {
  const c = countsFor(options.scale);
  const q = async (label: string, sql: string, params: unknown[] = []) => {
    const started = Date.now();
    const result = await client.query(sql, params);
    log(`${label}: ${result.rowCount ?? 0} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  await client.query('SELECT setseed($1)', [((options.seed % 1000) + 1) / 1001]);
  // Bulk load: foreign-key triggers off and secondary indexes built once at
  // the end (both restored, and every key checked, before returning).
  await client.query(`SET session_replication_role = replica`);
  await client.query(`SET maintenance_work_mem = '256MB'`);
  const indexes = (
    await client.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes i
       WHERE schemaname = current_schema() AND tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [LOADED_TABLES],
    )
  ).rows;
  for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
  const now = options.now.toISOString();
  const arr = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;

  await q(
    'users',
    `INSERT INTO "User" (id, email, name, "referralCode", role, "createdAt", "updatedAt")
     SELECT 'cbench' || lpad(i::text, 19, '0'),
            f || '.' || l || i || '@' || d, initcap(f) || ' ' || initcap(l), 'RBENCH' || i,
            (CASE WHEN i = ${ADMIN_USER} THEN 'admin' ELSE 'user' END)::"Role", t, t
     FROM (SELECT i,
                  (${arr(FIRST)})[1 + (i * 7) % ${FIRST.length}] AS f,
                  (${arr(LAST)})[1 + (i * 13) % ${LAST.length}] AS l,
                  (${arr(DOMAINS)})[1 + i % ${DOMAINS.length}] AS d,
                  date_trunc('second', $1::timestamp - ((${c.users} - i) * interval '15 minutes')) AS t
           FROM generate_series(1, ${c.users}) AS i) s`,
    [now],
  );
  // The load runs without triggers, so each user's personal workspace (which the User trigger
  // makes) is made here: workspace i belongs to user i, who owns it.
  await q(
    'workspaces',
    `INSERT INTO "Workspace" (id, name, "personalOfId", "creditBalance", "createdAt", "updatedAt")
     SELECT 'wbench' || substr(id, 7), name, id, 0, "createdAt", "createdAt" FROM "User" WHERE id LIKE 'cbench%'`,
  );
  await q(
    'memberships',
    `INSERT INTO "Membership" ("workspaceId", "userId", role, "createdAt", "payerEmail")
     SELECT w.id, w."personalOfId", 'owner', w."createdAt", u.email
     FROM "Workspace" w JOIN "User" u ON u.id = w."personalOfId" WHERE w.id LIKE 'wbench%'`,
  );
  await q(
    'customers',
    `INSERT INTO "Customer" (id, "workspaceId", email, "lastEventAt", "createdAt", "updatedAt")
     SELECT 'cus_bench' || i, 'wbench' || lpad(i::text, 19, '0'), u.email, u."createdAt", u."createdAt", u."createdAt"
     FROM generate_series(1, ${c.customers}) AS i
     JOIN "User" u ON u.id = 'cbench' || lpad(i::text, 19, '0')`,
  );
  await q(
    'subscriptions',
    `INSERT INTO "Subscription" (id, "customerId", "workspaceId", status, "priceId", "priceLookupKey", "productId",
        "planKey", interval, quantity, "currentPeriodStart", "currentPeriodEnd", "stripeCreated", "lastEventAt",
        "createdAt", "updatedAt")
     SELECT 'sub_bench' || i, 'cus_bench' || i, 'wbench' || lpad(i::text, 19, '0'),
            (CASE WHEN r < 0.80 THEN 'active' WHEN r < 0.85 THEN 'trialing' WHEN r < 0.90 THEN 'past_due'
                  ELSE 'canceled' END)::"SubscriptionStatus",
            'price_bench_' || k, k, 'prod_bench', split_part(k, '_', 1),
            CASE WHEN k LIKE '%year%' THEN 'year' ELSE 'month' END, 1 + (i % 20 = 0)::int,
            $1::timestamp - interval '10 days', $1::timestamp + interval '20 days',
            $1::timestamp - (i % 700) * interval '1 day', $1::timestamp, $1::timestamp, $1::timestamp
     FROM (SELECT i, random() AS r, (${arr(options.priceLookupKeys)})[1 + i % ${options.priceLookupKeys.length}] AS k
           FROM generate_series(1, ${c.subscriptions}) AS i) s`,
    [now],
  );
  await q(
    'invoices',
    `INSERT INTO "Invoice" (id, "customerId", "subscriptionId", status, "amountDue", "amountPaid",
        "amountRemaining", currency, "paidAt", "stripeCreated", "lastEventAt", "createdAt", "updatedAt")
     SELECT 'in_bench' || i, 'cus_bench' || s, 'sub_bench' || s, 'paid', 2900, 2900, 0, 'usd', t, t, t, t, t
     FROM (SELECT i, 1 + (i - 1) % ${c.subscriptions} AS s,
                  $1::timestamp - ((i - 1) / ${c.subscriptions}) * interval '30 days' - (i % 1440) * interval '1 minute' AS t
           FROM generate_series(1, ${c.invoices}) AS i) x`,
    [now],
  );
  // Payments: the first ones pay invoices, the rest buy credits. Newest first
  // by id, spread over 120 days, with same-second ties.
  const subscriptionPayments = Math.min(c.invoices, Math.round(c.payments * 0.6));
  await q(
    'payments',
    `INSERT INTO "Payment" (id, "workspaceId", "buyerId", kind, status, amount, currency, credits, description,
        "checkoutSessionId", "paymentIntentId", "chargeId", "invoiceId", "completedAt", "lastEventAt",
        "createdAt", "updatedAt")
     SELECT 'cbpay' || lpad(i::text, 20, '0'), 'wbench' || lpad(u::text, 19, '0'),
            CASE WHEN sub THEN NULL ELSE 'cbench' || lpad(u::text, 19, '0') END,
            (CASE WHEN sub THEN 'subscription' ELSE 'credits' END)::"PaymentKind",
            (CASE WHEN r < 0.95 THEN 'completed' WHEN r < 0.98 THEN 'failed' ELSE 'expired' END)::"PaymentStatus",
            CASE WHEN sub THEN 2900 ELSE 1000 END, 'usd', CASE WHEN sub THEN 0 ELSE 1000 END,
            CASE WHEN sub THEN 'Pro plan' ELSE '1,000 credits' END,
            CASE WHEN sub THEN NULL ELSE 'cs_bench' || i END, 'pi_bench' || i,
            CASE WHEN r < 0.95 THEN 'ch_bench' || i END, CASE WHEN sub THEN 'in_bench' || i END,
            CASE WHEN r < 0.95 THEN t END, t, t, t
     FROM (SELECT i, i <= ${subscriptionPayments} AS sub, random() AS r,
                  CASE WHEN i <= ${subscriptionPayments} THEN 1 + (i - 1) % ${c.subscriptions}
                       ELSE 1 + (i * 7919) % ${c.customers} END AS u,
                  date_trunc('second', $1::timestamp - random() * interval '120 days') AS t
           FROM generate_series(1, ${c.payments}) AS i) s`,
    [now],
  );
  await q(
    'refunds',
    `INSERT INTO "Refund" (id, "paymentId", "chargeId", amount, currency, status, "stripeCreated",
        "lastEventAt", "createdAt", "updatedAt")
     SELECT 're_bench' || (n / 8), id, "chargeId", amount / 2, 'usd', 'succeeded',
            "completedAt" + interval '2 days', "completedAt" + interval '2 days', "completedAt", "completedAt"
     FROM (SELECT p.*, row_number() OVER (ORDER BY id) AS n FROM "Payment" p WHERE status = 'completed') p
     WHERE n % 8 = 0 AND n / 8 <= ${c.refunds}`,
  );
  await q(
    'refunded payments',
    `UPDATE "Payment" p SET "amountRefunded" = r.total,
        status = (CASE WHEN r.total >= p.amount THEN 'refunded' ELSE 'partially_refunded' END)::"PaymentStatus"
     FROM (SELECT "paymentId", sum(amount)::int AS total FROM "Refund" WHERE status = 'succeeded'
           GROUP BY "paymentId") r
     WHERE p.id = r."paymentId"`,
  );
  // Ledger: the heavy user's workspace's rows, then the rest spread over customers' workspaces.
  // Every fifth entry per workspace spends 10 credits after four grants of 50, so no
  // balance goes negative; balanceAfter is the running sum per workspace.
  await q(
    'ledger',
    `INSERT INTO "CreditLedger" (id, "workspaceId", kind, amount, "balanceAfter", "sourceKey", memo, "createdAt")
     SELECT 'cbled' || lpad(i::text, 20, '0'), uid,
            (CASE WHEN n % 5 = 0 THEN 'spend' ELSE 'purchase' END)::"LedgerKind",
            CASE WHEN n % 5 = 0 THEN -10 ELSE 50 END,
            sum(CASE WHEN n % 5 = 0 THEN -10 ELSE 50 END) OVER (PARTITION BY uid ORDER BY t, i),
            'bench:' || i, CASE WHEN n % 5 = 0 THEN 'Report' ELSE 'Credits' END, t
     FROM (SELECT i, uid, t, row_number() OVER (PARTITION BY uid ORDER BY t, i) AS n
           FROM (SELECT i,
                        'wbench' || lpad((CASE WHEN i <= ${c.heavyLedger} THEN ${HEAVY_USER}
                                               ELSE 3 + i % ${Math.max(1, c.customers - 2)} END)::text, 19, '0') AS uid,
                        date_trunc('second', $1::timestamp - random() * interval '365 days') AS t
                 FROM generate_series(1, ${c.ledger}) AS i) g) s`,
    [now],
  );
  await q(
    'balances',
    `UPDATE "Workspace" w SET "creditBalance" = l.total
     FROM (SELECT "workspaceId", sum(amount)::int AS total FROM "CreditLedger" GROUP BY "workspaceId") l
     WHERE w.id = l."workspaceId"`,
  );
  await q(
    'webhook events',
    `INSERT INTO "WebhookEvent" (id, type, livemode, "stripeCreated", "objectId", payload, status, attempts,
        outcome, error, "receivedAt", "processedAt")
     SELECT 'evt_bench' || i, ty, false, t, 'sub_bench' || (1 + i % ${c.subscriptions}),
            jsonb_build_object('id', 'evt_bench' || i, 'object', 'event', 'type', ty),
            (CASE WHEN i % 200 = 0 THEN 'failed' ELSE 'processed' END)::"WebhookEventStatus", 1,
            CASE WHEN i % 200 <> 0 THEN 'subscription sub_bench' || (1 + i % ${c.subscriptions}) || ' now active' END,
            CASE WHEN i % 200 = 0 THEN 'timeout' END, t, t
     FROM (SELECT i, (ARRAY['customer.subscription.updated','invoice.paid','checkout.session.completed',
                             'charge.refunded','customer.updated'])[1 + i % 5] AS ty,
                  date_trunc('second', $1::timestamp - random() * interval '120 days') AS t
           FROM generate_series(1, ${c.events}) AS i) s`,
    [now],
  );
  await q(
    'audit',
    `INSERT INTO "AuditLog" (id, "actorId", "actorEmail", action, "targetType", "targetId", "stripeIds",
        reason, "createdAt")
     SELECT 'cbaud' || lpad(i::text, 20, '0'), 'cbench' || lpad('${ADMIN_USER}', 19, '0'), 'admin@bench.test',
            CASE WHEN i % 2 = 0 THEN 'role.changed' ELSE 'refund.requested' END,
            CASE WHEN i % 2 = 0 THEN 'user' ELSE 'payment' END,
            CASE WHEN i % 2 = 0 THEN 'cbench' || lpad((3 + i % ${Math.max(1, c.users - 2)})::text, 19, '0')
                 ELSE 'cbpay' || lpad((1 + i % ${c.payments})::text, 20, '0') END,
            '{}', 'bench', date_trunc('second', $1::timestamp - random() * interval '365 days')
     FROM generate_series(1, ${c.audit}) AS i`,
    [now],
  );
  const started = Date.now();
  for (const index of indexes) await client.query(index.def);
  log(`indexes: ${indexes.length} rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await client.query(`RESET session_replication_role`);
  // The load bypassed the triggers that keep the dashboard's tallies: rebuild them.
  await client.query(`SELECT refresh_billing_tallies()`);
  return c;
}

const LOADED_TABLES = [
  'User',
  'Workspace',
  'Membership',
  'Customer',
  'Subscription',
  'Invoice',
  'Payment',
  'Refund',
  'CreditLedger',
  'WebhookEvent',
  'AuditLog',
];

/** The invariants the generator promises; each query returns the rows that break one. */
export const invariantChecks: Record<string, string> = {
  'foreign keys point at rows': `SELECT x.id FROM (
       SELECT id, "workspaceId" AS ref, 'Workspace' AS t FROM "Customer" UNION ALL
       SELECT id, "personalOfId", 'User' FROM "Workspace" UNION ALL
       SELECT id, "customerId", 'Customer' FROM "Subscription" UNION ALL
       SELECT id, "workspaceId", 'Workspace' FROM "Subscription" UNION ALL
       SELECT id, "customerId", 'Customer' FROM "Invoice" UNION ALL
       SELECT id, "workspaceId", 'Workspace' FROM "Payment" UNION ALL
       SELECT id, "buyerId", 'User' FROM "Payment" WHERE "buyerId" IS NOT NULL UNION ALL
       SELECT id, "paymentId", 'Payment' FROM "Refund" UNION ALL
       SELECT id, "workspaceId", 'Workspace' FROM "CreditLedger") x
     WHERE NOT EXISTS (SELECT 1 FROM "User" u WHERE x.t = 'User' AND u.id = x.ref)
       AND NOT EXISTS (SELECT 1 FROM "Workspace" w WHERE x.t = 'Workspace' AND w.id = x.ref)
       AND NOT EXISTS (SELECT 1 FROM "Customer" c WHERE x.t = 'Customer' AND c.id = x.ref)
       AND NOT EXISTS (SELECT 1 FROM "Payment" p WHERE x.t = 'Payment' AND p.id = x.ref)
     LIMIT 1`,
  'creditBalance = sum(ledger)': `SELECT w.id FROM "Workspace" w
     LEFT JOIN (SELECT "workspaceId", sum(amount) AS s FROM "CreditLedger" GROUP BY "workspaceId") l
       ON l."workspaceId" = w.id
     WHERE w."creditBalance" <> coalesce(l.s, 0) LIMIT 1`,
  'balanceAfter = running sum': `SELECT id FROM (SELECT id, "balanceAfter",
       sum(amount) OVER (PARTITION BY "workspaceId" ORDER BY "createdAt", id) AS s FROM "CreditLedger") x
     WHERE "balanceAfter" <> s LIMIT 1`,
  'no negative balance': `SELECT id FROM "CreditLedger" WHERE "balanceAfter" < 0 LIMIT 1`,
  "payerEmail = the paying member's email": `SELECT m."userId" FROM "Membership" m JOIN "User" u ON u.id = m."userId"
     WHERE m."payerEmail" IS DISTINCT FROM (CASE WHEN m.role IN ('owner', 'billing') THEN u.email END) LIMIT 1`,
  'amountRefunded = sum(refunds)': `SELECT p.id FROM "Payment" p
     LEFT JOIN (SELECT "paymentId", sum(amount) AS s FROM "Refund" WHERE status = 'succeeded' GROUP BY "paymentId") r
       ON r."paymentId" = p.id
     WHERE p."amountRefunded" <> coalesce(r.s, 0) LIMIT 1`,
  ...tallyChecks,
};

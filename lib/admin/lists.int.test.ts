import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardMetrics, userCount } from '@/lib/admin/metrics';
import {
  auditTrail,
  failedWebhookCount,
  listCoupons,
  listPayments,
  listWebhookEvents,
  searchUsers,
  userDetail,
} from '@/lib/admin/queries';
import { plans } from '@/lib/billing/catalog';
import { ledgerPage } from '@/lib/billing/credits/ledger';
import { paymentsPage } from '@/lib/billing/credits/payments';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { readCursor } from '@/lib/pagination';
import { applyMigrations } from '@/scripts/lib/schema-engine';
import { benchIds, generateDataset, HEAVY_USER, invariantChecks } from '@/scripts/lib/scale-data';

// Every list query's plan, on its own database filled by the bench:scale
// generator at 2% of full size and analysed. The queries are the ones Prisma
// really sends (captured from its query log); each is EXPLAINed with
// enable_seqscan = off, so a Seq Scan in the plan means no index can serve it.

const BIG_TABLES = [
  'User',
  'Customer',
  'Subscription',
  'Payment',
  'Refund',
  'CreditLedger',
  'WebhookEvent',
  'AuditLog',
];
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
const captured: Array<{ query: string; params: string }> = [];
let url = '';
let sql: pg.Client;
let prisma: PrismaClient;
let previous: PrismaClient | undefined;
const dbName = `lists_${Date.now().toString(36)}`;
const now = new Date();

async function serverQuery(statement: string) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  await serverQuery(`CREATE DATABASE "${dbName}"`);
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${dbName}`;
  url = u.toString();
  await applyMigrations(url);
  sql = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await sql.connect();
  await generateDataset(sql, {
    scale: 0.02,
    seed: 15,
    now,
    priceLookupKeys: plans.flatMap((p) => [p.prices.month.lookupKey, p.prices.year.lookupKey]),
  });
  await sql.query('ANALYZE');
  const logging = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: 2 }),
    log: [{ emit: 'event', level: 'query' }],
  });
  logging.$on('query', (e) => captured.push({ query: e.query, params: e.params }));
  prisma = logging;
  previous = globalForPrisma.prisma;
  globalForPrisma.prisma = prisma;
}, 120_000);

afterAll(async () => {
  globalForPrisma.prisma = previous;
  await prisma?.$disconnect();
  await sql?.end();
  await serverQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
});

/** The plans of every statement `run` sends, with sequential scans priced out. */
async function plans_(run: () => Promise<unknown>, options: { bitmap?: boolean } = {}): Promise<string[]> {
  captured.length = 0;
  await run();
  const statements = captured.filter((c) => /^\s*(SELECT|WITH)\b/i.test(c.query));
  expect(statements.length).toBeGreaterThan(0);
  const out: string[] = [];
  await sql.query('BEGIN');
  try {
    await sql.query('SET LOCAL enable_seqscan = off');
    // Text search: with plain index scans off too, only an index that can
    // answer the ILIKE (the trigram GIN) can serve the query.
    if (options.bitmap) await sql.query('SET LOCAL enable_indexscan = off');
    for (const s of statements) {
      const params = JSON.parse(s.params) as unknown[];
      const rows = (await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${s.query}`, params)).rows;
      out.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
  } finally {
    await sql.query('ROLLBACK');
  }
  return out;
}

function expectIndexed(planTexts: string[], indexes: string[], options: { sorted?: boolean } = {}) {
  const all = planTexts.join('\n---\n');
  for (const table of BIG_TABLES) expect(all, all).not.toMatch(new RegExp(`Seq Scan on "?${table}"?\\b`));
  for (const index of indexes) expect(all, all).toContain(index);
  // A list read in index order stops after a page: no Sort of every match.
  if (options.sorted) expect(all, all).not.toMatch(/\bSort\b/);
}

/** One user's whole email: text that matches a single row. */
async function rareEmail(): Promise<string> {
  return (await sql.query<{ email: string }>('SELECT email FROM "User" WHERE id = $1', [benchIds.user(7)]))
    .rows[0]!.email;
}

const cursorOf = (raw: string | null) => {
  const read = readCursor(raw);
  if (!read.ok || !read.cursor) throw new Error(`expected a cursor, got ${raw}`);
  return read.cursor;
};

describe('back-office lists at scale use their indexes (EXPLAIN)', () => {
  it('keeps the generator invariants: balance = ledger sum, refunds add up', async () => {
    for (const [name, check] of Object.entries(invariantChecks)) {
      expect((await sql.query(check)).rows, name).toEqual([]);
    }
  });

  it('users: first page, next page, text search (trigram) and exact ids', async () => {
    const first = await searchUsers(undefined, null);
    expect(first.data).toHaveLength(25);
    expectIndexed(await plans_(() => searchUsers(undefined, null)), ['User_createdAt_id_idx'], {
      sorted: true,
    });
    expectIndexed(
      await plans_(() => searchUsers('', cursorOf(first.nextCursor))),
      ['User_createdAt_id_idx'],
      {
        sorted: true,
      },
    );
    const smith = await searchUsers('Smith', null);
    expect(smith.data.length).toBeGreaterThan(0);
    for (const u of smith.data) expect(`${u.email} ${u.name}`.toLowerCase()).toContain('smith');
    // A common term reads the newest users in index order until a page matches;
    // a rare one goes through the trigram indexes. Either way, no full scan.
    expectIndexed(await plans_(() => searchUsers('smith', null)), ['User_']);
    const rare = await rareEmail();
    expect((await searchUsers(rare, null)).data.map((u) => u.id)).toEqual([benchIds.user(7)]);
    expectIndexed(await plans_(() => searchUsers(rare, null), { bitmap: true }), [
      'User_email_trgm_idx',
      'User_name_trgm_idx',
    ]);
    const byCustomer = await searchUsers('cus_bench7', null);
    expect(byCustomer.data.map((u) => u.id)).toEqual([benchIds.user(7)]);
    expectIndexed(await plans_(() => searchUsers('cus_bench7', null)), ['Customer_pkey', 'User_pkey']);
    const byPayment = await searchUsers(benchIds.paymentIntent(3), null);
    expect(byPayment.data).toHaveLength(1);
    expect((await searchUsers('cus_nobody', null)).data).toEqual([]);
  });

  it('user detail and its audit trail (targetType with targetId)', async () => {
    const id = benchIds.user(HEAVY_USER);
    expectIndexed(await plans_(() => userDetail(id)), [
      'User_pkey',
      'Membership_userId_idx',
      // A workspace's few payments: either of its (workspaceId, …) indexes serves them.
      'Payment_workspaceId_',
      'CreditLedger_workspaceId_createdAt_id_idx',
    ]);
    // The heavy user's workspace holds most of the ledger: each list stops at its page (a Limit in
    // SQL), never reads every row for Prisma to cut in memory.
    for (const plan of (await plans_(() => userDetail(id))).filter((p) => /CreditLedger|"Payment"/.test(p)))
      expect(plan, plan).toMatch(/^Limit/);
    expectIndexed(await plans_(() => auditTrail({ type: 'user', id }, null)), [
      'AuditLog_targetType_targetId_createdAt_id_idx',
    ]);
  });

  it('payments: pages, filters, email search and every kind of id', async () => {
    const first = await listPayments({}, null);
    const next = cursorOf(first.nextCursor);
    expectIndexed(await plans_(() => listPayments({}, null)), ['Payment_createdAt_id_idx'], { sorted: true });
    expectIndexed(await plans_(() => listPayments({}, next)), ['Payment_createdAt_id_idx'], { sorted: true });
    expectIndexed(
      await plans_(() => listPayments({ status: 'failed' }, next)),
      ['Payment_status_createdAt_id_idx'],
      { sorted: true },
    );
    expectIndexed(await plans_(() => listPayments({ kind: 'credits' }, next)), ['Payment_'], {
      sorted: true,
    });
    expectIndexed(await plans_(() => listPayments({ q: 'smith' }, null)), ['Payment_']);
    const rare = await rareEmail();
    expect((await listPayments({ q: rare }, null)).data.length).toBeGreaterThan(0);
    expectIndexed(await plans_(() => listPayments({ q: rare }, null), { bitmap: true }), [
      'Membership_payerEmail_trgm_idx',
    ]);
    const cases: Array<[string, string]> = [
      [benchIds.paymentIntent(5), 'Payment_paymentIntentId_key'],
      ['cs_bench3900', 'Payment_checkoutSessionId_key'],
      ['in_bench5', 'Payment_invoiceId_key'],
      ['cus_bench5', 'Customer_pkey'],
      [benchIds.payment(5), 'Payment_pkey'],
    ];
    for (const [q, index] of cases) {
      expect((await listPayments({ q }, null)).data.length, q).toBeGreaterThan(0);
      expectIndexed(await plans_(() => listPayments({ q }, null)), [index]);
    }
    const charge = await sql.query<{ chargeId: string }>(
      'SELECT "chargeId" FROM "Payment" WHERE "chargeId" IS NOT NULL LIMIT 1',
    );
    expect((await listPayments({ q: charge.rows[0]!.chargeId }, null)).data).toHaveLength(1);
    expectIndexed(await plans_(() => listPayments({ q: charge.rows[0]!.chargeId }, null)), [
      'Payment_chargeId_key',
    ]);
    const refund = await sql.query<{ id: string; paymentId: string }>(
      'SELECT id, "paymentId" FROM "Refund" LIMIT 1',
    );
    const byRefund = await listPayments({ q: refund.rows[0]!.id }, null);
    expect(byRefund.data.map((p) => p.id)).toEqual([refund.rows[0]!.paymentId]);
    expectIndexed(await plans_(() => listPayments({ q: refund.rows[0]!.id }, null)), ['Refund_pkey']);
  });

  it('webhook events, the audit log and coupons', async () => {
    const first = await listWebhookEvents(undefined, null);
    const next = cursorOf(first.nextCursor);
    expectIndexed(
      await plans_(() => listWebhookEvents(undefined, next)),
      ['WebhookEvent_receivedAt_id_idx'],
      {
        sorted: true,
      },
    );
    expectIndexed(
      await plans_(() => listWebhookEvents('failed', null)),
      ['WebhookEvent_status_receivedAt_id_idx'],
      { sorted: true },
    );
    expectIndexed(await plans_(() => failedWebhookCount()), ['WebhookEvent_status_receivedAt_id_idx']);
    const audit = await auditTrail(null, null);
    expectIndexed(
      await plans_(() => auditTrail(null, cursorOf(audit.nextCursor))),
      ['AuditLog_createdAt_id_idx'],
      {
        sorted: true,
      },
    );
    expectIndexed(await plans_(() => listCoupons(null)), ['Coupon_createdAt_id_idx'], { sorted: true });
  });

  it("a workspace's ledger and payments through the API's queries", async () => {
    const id = benchIds.workspace(HEAVY_USER);
    const ledger = await ledgerPage(id, { limit: 20, cursor: null });
    expectIndexed(
      await plans_(() => ledgerPage(id, { limit: 20, cursor: cursorOf(ledger.nextCursor) })),
      ['CreditLedger_workspaceId_createdAt_id_idx'],
      { sorted: true },
    );
    expectIndexed(await plans_(() => paymentsPage(id, { limit: 20, cursor: null })), [
      'Payment_workspaceId_',
    ]);
  });

  it('dashboard aggregates read indexes, never whole tables', async () => {
    // Every figure comes from the tallies (a few hundred rows); the big tables are only seeked:
    // payments held for review by their status index, the sample user by email.
    const metrics = await plans_(() => dashboardMetrics(now));
    expectIndexed(metrics, [
      'SubscriptionTally_pkey',
      'RevenueDay_pkey',
      'User_email_key',
      'Payment_status_',
    ]);
    // Below 10,000 users the figure is an exact count (here, over an index: never a Seq Scan).
    const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "User"');
    expect((await dashboardMetrics(now)).users).toEqual({ count: rows[0]!.n, exact: true });
    expectIndexed(await plans_(() => userCount()), []);
  });
});

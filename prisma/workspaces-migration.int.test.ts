// The move of billing from users to workspaces, on a database holding data in the old shape
// (issue #16): every row lands in its user's personal workspace, nothing is lost, balances stay
// equal to their ledger, and the old columns and the bridge are gone.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../scripts/lib/schema-engine';

const FIRST_WORKSPACE_MIGRATION = '20261130042235_workspaces';
const dbName = `ws_move_${Date.now().toString(36)}`;
let sql: pg.Client;

async function serverQuery(statement: string) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

const rows = async <T extends pg.QueryResultRow>(query: string, params: unknown[] = []) =>
  (await sql.query<T>(query, params)).rows;

/** Three users in the old shape: two with billing of every kind, one with none; a referral between them. */
async function insertOldShape() {
  const at = '2026-11-01T10:00:00Z';
  for (const [id, name, balance, trial] of [
    ['u_ada', 'Ada', 150, at],
    ['u_bo', 'Bo', 40, null],
    ['u_cy', '', 0, null],
  ] as const)
    await sql.query(
      `INSERT INTO "User" (id, email, name, "referralCode", "creditBalance", "trialUsedAt", "emailVerified", "createdAt", "updatedAt")
       VALUES ($1, $1 || '@example.com', $2, 'R' || $1, $3, $4, $5, $5, $5)`,
      [id, name, balance, trial, at],
    );
  for (const user of ['u_ada', 'u_bo'])
    await sql.query(
      `INSERT INTO "Customer" (id, "userId", email, "lastEventAt", "updatedAt") VALUES ('cus_' || $1, $1, $1 || '@example.com', $2, $2)`,
      [user, at],
    );
  await sql.query(
    `INSERT INTO "Subscription" (id, "customerId", "userId", status, "priceId", "priceLookupKey", "productId", "planKey",
       "trialStart", "stripeCreated", "lastEventAt", "updatedAt")
     VALUES ('sub_ada', 'cus_u_ada', 'u_ada', 'active', 'price_pro', 'pro_monthly', 'prod_pro', 'pro', $1, $1, $1, $1),
            ('sub_bo_old', 'cus_u_bo', 'u_bo', 'canceled', 'price_starter', 'starter_monthly', 'prod_s', 'starter', NULL, $1, $1, $1)`,
    [at],
  );
  await sql.query(
    `INSERT INTO "Payment" (id, "userId", kind, status, amount, credits, "idempotencyKey", "checkoutSessionId",
       "completedAt", "amountCollected", "collectedCurrency", "updatedAt")
     VALUES ('pay_ada', 'u_ada', 'credits', 'completed', 1000, 1000, 'key-1', 'cs_ada', $1, 1000, 'usd', $1),
            ('pay_ada_sub', 'u_ada', 'subscription', 'completed', 2900, 0, NULL, NULL, $1, 2900, 'usd', $1),
            ('pay_bo', 'u_bo', 'credits', 'pending', 500, 500, 'key-1', 'cs_bo', NULL, NULL, NULL, $1)`,
    [at],
  );
  // Ledgers whose running sums are the users' balances (Ada 150, Bo 40).
  await sql.query(
    `INSERT INTO "CreditLedger" (id, "userId", kind, amount, "balanceAfter", "sourceKey", "paymentId", "createdAt")
     VALUES ('l1', 'u_ada', 'purchase', 200, 200, 'purchase:pay_ada', 'pay_ada', '2026-11-01T10:00:00Z'),
            ('l2', 'u_ada', 'spend', -50, 150, 'spend:u_ada:r1', NULL, '2026-11-01T10:01:00Z'),
            ('l3', 'u_bo', 'coupon', 40, 40, 'coupon:red_bo', NULL, '2026-11-01T10:02:00Z')`,
  );
  await sql.query(
    `INSERT INTO "ApiKey" (id, "userId", name, prefix, hash) VALUES ('key_ada', 'u_ada', 'CI', 'tg_ada', 'hash_ada'),
       ('key_bo', 'u_bo', 'CLI', 'tg_bo', 'hash_bo')`,
  );
  await sql.query(
    `INSERT INTO "Coupon" (id, code, credits, "redemptionCount") VALUES ('cp', 'WELCOME', 40, 1)`,
  );
  await sql.query(
    `INSERT INTO "CouponRedemption" (id, "couponId", "userId") VALUES ('red_bo', 'cp', 'u_bo')`,
  );
  await sql.query(
    `INSERT INTO "Referral" (id, "referrerId", "referredId", "bonusPaidAt", "paymentId") VALUES ('ref', 'u_ada', 'u_bo', NULL, NULL)`,
  );
}

beforeAll(async () => {
  await serverQuery(`CREATE DATABASE "${dbName}"`);
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  const before = await applyMigrations(url, { before: FIRST_WORKSPACE_MIGRATION });
  expect(before.length).toBeGreaterThan(5);
  expect(before).not.toContain(FIRST_WORKSPACE_MIGRATION);
  sql = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await sql.connect();
  await insertOldShape();
  const rest = await applyMigrations(url);
  expect(rest[0]).toBe(FIRST_WORKSPACE_MIGRATION);
  expect(rest).toContain('20261130050000_workspaces_own_billing');
}, 180_000);

afterAll(async () => {
  await sql?.end();
  await serverQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
});

const personal = async (userId: string) =>
  (await rows<{ id: string }>(`SELECT id FROM "Workspace" WHERE "personalOfId" = $1`, [userId]))[0]!.id;

describe('the move of billing to workspaces', () => {
  it('gives every user a personal workspace they own, named after them', async () => {
    const found = await rows<{ userId: string; role: string; name: string }>(
      `SELECT m."userId", m.role, w.name FROM "Membership" m JOIN "Workspace" w ON w.id = m."workspaceId"
       WHERE w."personalOfId" = m."userId" ORDER BY m."userId"`,
    );
    expect(found).toEqual([
      { userId: 'u_ada', role: 'owner', name: 'Ada' },
      { userId: 'u_bo', role: 'owner', name: 'Bo' },
      { userId: 'u_cy', role: 'owner', name: 'u_cy' },
    ]);
    expect((await rows(`SELECT 1 FROM "Membership"`)).length).toBe(3);
  });

  it("moves each user's customer, subscriptions, payments, ledger and API keys to their personal workspace, losing none", async () => {
    const ada = await personal('u_ada');
    const bo = await personal('u_bo');
    const owners = async (table: string) =>
      Object.fromEntries(
        (
          await rows<{ id: string; workspaceId: string }>(
            `SELECT id, "workspaceId" FROM "${table}" ORDER BY id`,
          )
        ).map((r) => [r.id, r.workspaceId]),
      );
    expect(await owners('Customer')).toEqual({ cus_u_ada: ada, cus_u_bo: bo });
    expect(await owners('Subscription')).toEqual({ sub_ada: ada, sub_bo_old: bo });
    expect(await owners('Payment')).toEqual({ pay_ada: ada, pay_ada_sub: ada, pay_bo: bo });
    expect(await owners('CreditLedger')).toEqual({ l1: ada, l2: ada, l3: bo });
    expect(await owners('ApiKey')).toEqual({ key_ada: ada, key_bo: bo });
    expect(await owners('CouponRedemption')).toEqual({ red_bo: bo });
  });

  it('keeps who bought each payment, and each idempotency key per workspace', async () => {
    expect(
      await rows(`SELECT id, "buyerId", "idempotencyKey", amount, status FROM "Payment" ORDER BY id`),
    ).toEqual([
      { id: 'pay_ada', buyerId: 'u_ada', idempotencyKey: 'key-1', amount: 1000, status: 'completed' },
      { id: 'pay_ada_sub', buyerId: 'u_ada', idempotencyKey: null, amount: 2900, status: 'completed' },
      { id: 'pay_bo', buyerId: 'u_bo', idempotencyKey: 'key-1', amount: 500, status: 'pending' },
    ]);
  });

  it("moves balances (equal to each workspace's ledger sum) and the used trial to the workspace", async () => {
    const balances = await rows<{
      personalOfId: string;
      creditBalance: number;
      sum: number;
      trial: string | null;
    }>(
      `SELECT w."personalOfId", w."creditBalance", coalesce(sum(l.amount), 0)::int AS sum,
         to_char(w."trialUsedAt", 'YYYY-MM-DD HH24:MI') AS trial
       FROM "Workspace" w LEFT JOIN "CreditLedger" l ON l."workspaceId" = w.id
       GROUP BY w.id ORDER BY w."personalOfId"`,
    );
    expect(balances).toEqual([
      { personalOfId: 'u_ada', creditBalance: 150, sum: 150, trial: '2026-11-01 10:00' },
      { personalOfId: 'u_bo', creditBalance: 40, sum: 40, trial: null },
      { personalOfId: 'u_cy', creditBalance: 0, sum: 0, trial: null },
    ]);
  });

  it('keeps coupons, redemptions and referrals between users', async () => {
    expect(await rows(`SELECT "referrerId", "referredId" FROM "Referral"`)).toEqual([
      { referrerId: 'u_ada', referredId: 'u_bo' },
    ]);
    expect(await rows(`SELECT "userId" FROM "CouponRedemption"`)).toEqual([{ userId: 'u_bo' }]);
  });

  it('drops the old columns and the bridge: a billing row without a workspace is refused', async () => {
    const columns = await rows<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND (
         (table_name IN ('Customer', 'Subscription', 'CreditLedger', 'Payment') AND column_name = 'userId')
         OR (table_name = 'User' AND column_name IN ('creditBalance', 'trialUsedAt')))`,
    );
    expect(columns).toEqual([]);
    expect(await rows(`SELECT proname FROM pg_proc WHERE proname = 'workspace_from_user'`)).toEqual([]);
    await expect(
      sql.query(
        `INSERT INTO "ApiKey" (id, "userId", name, prefix, hash) VALUES ('k2', 'u_cy', 'x', 'tg_x', 'h2')`,
      ),
    ).rejects.toThrow(/workspaceId/);
    // A new user still gets a personal workspace from the trigger that stays.
    await sql.query(
      `INSERT INTO "User" (id, email, "referralCode", "updatedAt") VALUES ('u_new', 'new@example.com', 'RNEW', now())`,
    );
    expect(await rows(`SELECT role FROM "Membership" WHERE "userId" = 'u_new'`)).toEqual([{ role: 'owner' }]);
  });
});

// Billing belongs to workspaces (issue #16): another workspace's ids answer 404 on every billing,
// credits and API route, change nothing, and billing needs the billing right (owner, billing).
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { buyCreditsAction, generateReportAction } from '@/app/(app)/credits/actions';
import { changePlanAction } from '@/app/(app)/billing/actions';
import { revokeKeyAction } from '@/app/(app)/settings/api-keys/actions';
import { GET as getBalance } from '@/app/api/credits/balance/route';
import { GET as getLedger } from '@/app/api/credits/ledger/route';
import { GET as premiumReport } from '@/app/api/premium/report/route';
import { GET as getReceipt } from '@/app/api/receipts/[id]/route';
import { POST as startCheckout } from '@/app/api/stripe/checkout/route';
import { POST as createCheckoutSession } from '@/app/api/stripe/checkout-session/route';
import { GET as getCheckoutSession } from '@/app/api/stripe/checkout-session/[id]/route';
import { POST as createPaymentIntent } from '@/app/api/stripe/payment-intent/route';
import { GET as getPaymentIntent } from '@/app/api/stripe/payment-intent/[id]/route';
import { GET as listPayments } from '@/app/api/stripe/payments/route';
import { GET as getPayment } from '@/app/api/stripe/payments/[id]/route';
import { POST as openPortal } from '@/app/api/stripe/portal/route';
import { createApiKey } from '@/lib/api/keys';
import { subscriptionCheckoutOutcome } from '@/lib/billing/checkout';
import { postEntry } from '@/lib/billing/credits/ledger';
import { db } from '@/lib/db';
import { apiRequest, routeParams } from '@/lib/testing/api';
import { addMember, createUser } from '@/lib/testing/fixtures';

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock('@/lib/auth/config', () => ({
  auth: async () => (session.userId ? { user: { id: session.userId }, sessionVersion: 0 } : null),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

type Role = 'owner' | 'admin' | 'billing' | 'member';

/** A workspace (a user's personal one) with a completed credit purchase, a ledger entry and an API key. */
async function billedWorkspace() {
  const owner = await createUser();
  const tag = randomUUID().replaceAll('-', '').slice(0, 16);
  const payment = await db.payment.create({
    data: {
      workspaceId: owner.workspaceId,
      buyerId: owner.id,
      kind: 'credits',
      status: 'completed',
      amount: 1000,
      credits: 1000,
      checkoutSessionId: `cs_test_${tag}`,
      paymentIntentId: `pi_${tag}`,
      completedAt: new Date(),
    },
  });
  await db.$transaction((tx) =>
    postEntry(tx, { workspaceId: owner.workspaceId, kind: 'coupon', amount: 300, sourceKey: `idor:${tag}` }),
  );
  const { id: keyId, key } = await createApiKey({ workspaceId: owner.workspaceId, userId: owner.id }, 'k');
  return { owner, workspaceId: owner.workspaceId, payment, key, keyId };
}

/** A user with `role` in the workspace, and their key for it. */
async function memberOf(workspaceId: string, role: Role) {
  const user = await createUser();
  await addMember(workspaceId, user.id, role);
  const { key } = await createApiKey({ workspaceId, userId: user.id }, `${role} key`);
  return { user, key };
}

async function as<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  session.userId = userId;
  try {
    return await fn();
  } finally {
    session.userId = null;
  }
}

const cookieFor = (workspaceId: string) => ({
  cookie: `authjs.session-token=test; tollgate-workspace=${workspaceId}`,
  'sec-fetch-site': 'same-origin',
});

/** Submit a server action's form (a useActionState action, or a plain form action); a 404 (notFound) comes back as 'not found'. */
async function submit(
  action: ((s: object, f: FormData) => Promise<unknown>) | ((f: FormData) => Promise<void>),
  userId: string,
  fields: object,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, String(value));
  return as(userId, async () => {
    try {
      return action.length === 1
        ? await (action as (f: FormData) => Promise<void>)(form)
        : await (action as (s: object, f: FormData) => Promise<unknown>)({}, form);
    } catch (error) {
      const digest = String((error as { digest?: string }).digest ?? '');
      if (digest.includes('404')) return 'not found';
      if (digest.startsWith('NEXT_REDIRECT')) return `redirect ${digest.split(';')[2]}`;
      throw error;
    }
  });
}

const state = async (workspaceId: string) => ({
  payments: await db.payment.count({ where: { workspaceId } }),
  ledger: await db.creditLedger.count({ where: { workspaceId } }),
  customer: await db.customer.count({ where: { workspaceId } }),
  balance: (await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).creditBalance,
});

describe("another workspace's ids are a 404 and change nothing", () => {
  it('on every REST route, through an API key', async () => {
    const a = await billedWorkspace();
    const b = await billedWorkspace();
    const before = await state(b.workspaceId);
    const get = (path: string) => apiRequest(path, { key: a.key });
    expect(
      (await getPayment(get(`/api/stripe/payments/${b.payment.id}`), routeParams(b.payment.id))).status,
    ).toBe(404);
    const cs = b.payment.checkoutSessionId!;
    expect(
      (await getCheckoutSession(get(`/api/stripe/checkout-session/${cs}`), routeParams(cs))).status,
    ).toBe(404);
    const pi = b.payment.paymentIntentId!;
    expect((await getPaymentIntent(get(`/api/stripe/payment-intent/${pi}`), routeParams(pi))).status).toBe(
      404,
    );
    // Its own are found; lists and balances are its own only.
    expect(
      (await getPayment(get(`/api/stripe/payments/${a.payment.id}`), routeParams(a.payment.id))).status,
    ).toBe(200);
    const listed = (await (await listPayments(get('/api/stripe/payments'))).json()) as {
      data: { id: string }[];
    };
    expect(listed.data.map((p) => p.id)).toEqual([a.payment.id]);
    expect(await (await getBalance(get('/api/credits/balance'))).json()).toMatchObject({ balance: 300 });
    const ledger = (await (await getLedger(get('/api/credits/ledger'))).json()) as { data: unknown[] };
    expect(ledger.data).toHaveLength(1);
    // A purchase naming the other workspace is refused before anything is written.
    for (const route of [createCheckoutSession, createPaymentIntent]) {
      const response = await route(
        apiRequest('/api/stripe/x', {
          key: a.key,
          body: { pack: 'credits_1000', workspaceId: b.workspaceId },
        }),
      );
      expect(response.status).toBe(404);
    }
    expect(await state(b.workspaceId)).toEqual(before);
    expect((await state(a.workspaceId)).payments).toBe(1);
  });

  it('on session routes and forms: receipts, checkout, portal, credit purchases, plan changes, key revocation', async () => {
    const a = await billedWorkspace();
    const b = await billedWorkspace();
    const before = await state(b.workspaceId);
    const viaSession = (path: string, body?: unknown) =>
      apiRequest(path, { body, headers: cookieFor(a.workspaceId) });
    const receipt = await as(a.owner.id, () =>
      getReceipt(viaSession(`/api/receipts/${b.payment.id}`), routeParams(b.payment.id)),
    );
    expect(receipt.status).toBe(404);
    const own = await as(a.owner.id, () =>
      getReceipt(viaSession(`/api/receipts/${a.payment.id}`), routeParams(a.payment.id)),
    );
    expect(own.status).toBe(200);
    expect(Object.fromEntries(own.headers)).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': expect.stringMatching(/^attachment; filename="receipt-[\w-]+\.pdf"$/),
      'cache-control': 'private, no-store',
    });
    expect(
      Buffer.from(await own.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    for (const [route, body] of [
      [startCheckout, { lookupKey: 'starter_monthly', workspaceId: b.workspaceId }],
      [openPortal, { workspaceId: b.workspaceId }],
    ] as const) {
      const response = await as(a.owner.id, () => route(viaSession('/api/stripe/x', body)));
      expect(response.status).toBe(404);
    }
    // A cookie naming a workspace one is not a member of counts for nothing: the personal one acts.
    const cookieOfB = apiRequest('/api/credits/balance', { headers: cookieFor(b.workspaceId) });
    expect(await (await as(a.owner.id, () => getBalance(cookieOfB))).json()).toMatchObject({ balance: 300 });

    const buy = { pack: 'credits_1000', requestId: `pack-credits_1000-${randomUUID()}` };
    expect(await submit(buyCreditsAction, a.owner.id, { ...buy, workspaceId: b.workspaceId })).toBe(
      'not found',
    );
    expect(await submit(buyCreditsAction, a.owner.id, buy)).toBe('not found'); // no workspace named at all
    expect(await submit(generateReportAction, a.owner.id, { workspaceId: b.workspaceId })).toBe('not found');
    const quote = { lookupKey: 'pro_monthly', prorationDate: 1, issuedAt: 1, signature: 'x' };
    expect(await submit(changePlanAction, a.owner.id, { ...quote, workspaceId: b.workspaceId })).toBe(
      'not found',
    );
    await submit(revokeKeyAction, a.owner.id, { id: b.keyId, workspaceId: a.workspaceId });
    expect(await submit(revokeKeyAction, a.owner.id, { id: b.keyId, workspaceId: b.workspaceId })).toBe(
      'not found',
    );
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: b.keyId } })).revokedAt).toBeNull();
    expect(await subscriptionCheckoutOutcome(a.owner.id, b.payment.checkoutSessionId!)).toBeNull();
    expect(await state(b.workspaceId)).toEqual(before);
  });
});

describe('billing needs the billing right', () => {
  it.each(['admin', 'member'] as const)(
    'a %s gets 404 on billing routes and forms, yet uses the workspace’s credits and entitlements',
    async (role) => {
      const a = await billedWorkspace();
      const { user, key } = await memberOf(a.workspaceId, role);
      const before = await state(a.workspaceId);
      const keyed = (path: string, body?: unknown) => apiRequest(path, { key, body });
      expect((await createCheckoutSession(keyed('/x', { pack: 'credits_1000' }))).status).toBe(404);
      expect((await createPaymentIntent(keyed('/x', { pack: 'credits_1000' }))).status).toBe(404);
      expect((await listPayments(keyed('/api/stripe/payments'))).status).toBe(404);
      expect((await getPayment(keyed('/x'), routeParams(a.payment.id))).status).toBe(404);
      const inA = (path: string, body?: unknown) =>
        apiRequest(path, { body, headers: cookieFor(a.workspaceId) });
      for (const [route, body] of [
        [startCheckout, { lookupKey: 'starter_monthly' }],
        [openPortal, {}],
      ] as const)
        expect((await as(user.id, () => route(inA('/x', body)))).status).toBe(404);
      const receipt = await as(user.id, () => getReceipt(inA('/x'), routeParams(a.payment.id)));
      expect(receipt.status).toBe(404);
      const buy = { pack: 'credits_1000', requestId: `pack-credits_1000-${randomUUID()}` };
      expect(await submit(buyCreditsAction, user.id, { ...buy, workspaceId: a.workspaceId })).toBe(
        'not found',
      );
      expect(await state(a.workspaceId)).toEqual(before);

      // What every member may do: see and spend the workspace's credits, use its plan.
      expect(await (await getBalance(keyed('/api/credits/balance'))).json()).toMatchObject({ balance: 300 });
      const spent = await submit(generateReportAction, user.id, { workspaceId: a.workspaceId });
      expect(spent).toMatchObject({ ok: true });
      expect((await state(a.workspaceId)).balance).toBe(290);
      expect((await premiumReport(keyed('/api/premium/report'))).status).toBe(403);
      await db.customer.create({
        data: {
          id: `cus_${randomUUID()}`,
          workspaceId: a.workspaceId,
          lastEventAt: new Date(),
          entitlements: { create: { lookupKey: 'premium_reports', featureId: 'feat_x' } },
        },
      });
      expect((await premiumReport(keyed('/api/premium/report'))).status).toBe(200);
    },
  );

  it('a billing member may buy for the workspace; a key finds nothing once its maker leaves', async () => {
    const a = await billedWorkspace();
    const { user, key } = await memberOf(a.workspaceId, 'billing');
    const response = await createCheckoutSession(
      apiRequest('/x', { key, body: { pack: 'credits_1000' }, headers: { 'idempotency-key': randomUUID() } }),
    );
    expect(response.status).toBe(201);
    const { payment_id } = (await response.json()) as { payment_id: string };
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment_id } })).toMatchObject({
      workspaceId: a.workspaceId,
      buyerId: user.id,
    });
    await db.membership.delete({
      where: { workspaceId_userId: { workspaceId: a.workspaceId, userId: user.id } },
    });
    expect((await getBalance(apiRequest('/api/credits/balance', { key }))).status).toBe(404);
  });
});

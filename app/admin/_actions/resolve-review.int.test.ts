// Staff resolve a needs_review payment from /admin through the server action, as the
// form on /admin/payments/[id] submits it: staff only, audited, once per payment.
import { describe, expect, it, vi } from 'vitest';
import { stripe } from '@/lib/billing/stripe';
import { startCreditPaymentIntent } from '@/lib/billing/credits/purchase';
import { db } from '@/lib/db';
import { apiUser, balanceVia, deliverViaRoute, eventsAbout } from '@/lib/testing/api';
import { createUser, nowSeconds, payCheckout, actorOf } from '@/lib/testing/fixtures';
import { resolveReviewAction } from './payments';

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock('@/lib/auth/config', () => ({
  auth: async () => (session.userId ? { user: { id: session.userId }, sessionVersion: 0 } : null),
}));
// Outside a Next.js request there is no page cache to revalidate.
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

function submit(staffId: string, fields: Record<string, string>) {
  session.userId = staffId;
  const form = new FormData();
  for (const [name, value] of Object.entries({ token: crypto.randomUUID(), ...fields }))
    form.set(name, value);
  return resolveReviewAction({}, form);
}

/** A $200 payment whose id a $5 checkout carried: Stripe collected $5, so it awaits review. */
async function paymentUnderReview() {
  const { user, key } = await apiUser();
  const { payment } = await startCreditPaymentIntent(actorOf(user), { amount: 20000, currency: 'usd' });
  const since = nowSeconds() - 1;
  const checkout = await stripe().checkout.sessions.create({
    mode: 'payment',
    line_items: [
      { price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'x' } }, quantity: 1 },
    ],
    metadata: { payment_id: payment.id, user_id: user.id },
    payment_intent_data: { metadata: { payment_id: payment.id, user_id: user.id } },
    success_url: 'http://127.0.0.1/ok',
    cancel_url: 'http://127.0.0.1/no',
  });
  await payCheckout(checkout.id);
  await deliverViaRoute(await eventsAbout(since, payment.id));
  const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
  expect(row).toMatchObject({ status: 'needs_review', amountCollected: 500 });
  expect(await balanceVia(key)).toBe(0);
  return { user, key, payment: row };
}

const resolutions = (paymentId: string) =>
  db.auditLog.findMany({ where: { action: 'payment.review_resolved', targetId: paymentId } });

describe('resolving a needs_review payment', () => {
  it('grants credits for what Stripe collected, once, however often (and however concurrently) it is submitted', async () => {
    const { key, payment } = await paymentUnderReview();
    const finance = await createUser({ role: 'finance' });
    const fields = { paymentId: payment.id, resolution: 'grant', reason: 'Customer paid $5 only' };
    const answers = await Promise.all([1, 2, 3].map(() => submit(finance.id, fields)));
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(answers.filter((a) => a.message?.startsWith('Resolved: 500 credits granted'))).toHaveLength(1);
    expect(answers.filter((a) => a.message?.startsWith('Already resolved by'))).toHaveLength(2);
    expect(await balanceVia(key)).toBe(500);
    // The deciding form submitted again (its token) answers as it did; another form says who decided.
    const token = ((await resolutions(payment.id))[0]!.details as { token: string }).token;
    expect((await submit(finance.id, { ...fields, token })).message).toBe(
      'Resolved: 500 credits granted for the $5.00 Stripe collected.',
    );
    expect((await submit(finance.id, fields)).message).toBe(
      `Already resolved by ${finance.email} (credits granted); nothing changed.`,
    );
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      status: 'completed',
      amount: 500,
      credits: 500,
      reviewReason: null,
    });
    const [entry, ...more] = await resolutions(payment.id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actorEmail: finance.email, amount: 500, reason: 'Customer paid $5 only' });
    expect(entry!.details).toMatchObject({ resolution: 'grant', expectedAmount: 20000, credits: 500 });

    // The refund that follows takes back the credits granted, in proportion.
    const since = nowSeconds() - 1;
    await stripe().refunds.create({ charge: payment.chargeId!, amount: 500 });
    await deliverViaRoute(await eventsAbout(since, payment.chargeId!));
    expect(await balanceVia(key)).toBe(0);
  });

  it('refunds what Stripe collected and grants nothing; a later grant or repeat changes nothing', async () => {
    const { key, payment } = await paymentUnderReview();
    const admin = await createUser({ role: 'admin' });
    const finance = await createUser({ role: 'finance' });
    const since = nowSeconds() - 1;
    const refund = await submit(admin.id, {
      paymentId: payment.id,
      resolution: 'refund',
      reason: 'Refund it',
    });
    expect(refund).toMatchObject({ ok: true });
    expect(refund.message).toMatch(/^Resolved: refund re_\w+ of \$5\.00 requested; no credits granted\.$/);
    const grant = await submit(finance.id, { paymentId: payment.id, resolution: 'grant', reason: 'Grant' });
    expect(grant.message).toBe(`Already resolved by ${admin.email} (refunded); nothing changed.`);
    await deliverViaRoute(await eventsAbout(since, payment.chargeId!));
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      status: 'refunded',
      amountRefunded: 500,
      credits: 0,
    });
    expect(await balanceVia(key)).toBe(0);
    // Submitting the refund again makes no second refund.
    expect(
      (await submit(admin.id, { paymentId: payment.id, resolution: 'refund', reason: 'again' })).ok,
    ).toBe(true);
    expect((await stripe().refunds.list({ charge: payment.chargeId! })).data.map((r) => r.amount)).toEqual([
      500,
    ]);
    expect(await resolutions(payment.id)).toHaveLength(1);
  });

  it('a grant and a refund submitted at once: one decision, never both the money back and the credits', async () => {
    const { key, payment } = await paymentUnderReview();
    const admin = await createUser({ role: 'admin' });
    const finance = await createUser({ role: 'finance' });
    const since = nowSeconds() - 1;
    await Promise.all([
      submit(admin.id, { paymentId: payment.id, resolution: 'refund', reason: 'Refund the $5' }),
      submit(finance.id, { paymentId: payment.id, resolution: 'grant', reason: 'Grant the $5' }),
    ]);
    const entries = await resolutions(payment.id);
    expect(entries).toHaveLength(1);
    await deliverViaRoute(await eventsAbout(since, payment.chargeId!));
    const refunded = (await stripe().refunds.list({ charge: payment.chargeId! })).data.length > 0;
    expect(refunded).toBe((entries[0]!.details as { resolution: string }).resolution === 'refund');
    expect(await balanceVia(key)).toBe(refunded ? 0 : 500);
  });

  it('is staff-only, validates its input, and refuses a payment that needs no review', async () => {
    const { payment } = await paymentUnderReview();
    const user = await createUser();
    await expect(
      submit(user.id, { paymentId: payment.id, resolution: 'grant', reason: 'I want credits' }),
    ).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404/);
    const admin = await createUser({ role: 'admin' });
    const bad = await submit(admin.id, { paymentId: payment.id, resolution: 'both', reason: 'x' });
    expect(bad.ok).toBe(false);
    expect(bad.fieldErrors).toMatchObject({ resolution: 'Choose how to resolve it.' });
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('needs_review');
    expect(await resolutions(payment.id)).toEqual([]);

    const { payment: plain } = await startCreditPaymentIntent(actorOf(user), {
      amount: 1000,
      currency: 'usd',
    });
    const refused = await submit(admin.id, { paymentId: plain.id, resolution: 'grant', reason: 'No review' });
    expect(refused).toMatchObject({ ok: false, message: 'This payment does not need review.' });
  });
});

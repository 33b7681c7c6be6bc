// The storm driver's building blocks: a seeded generator, the world a life acts in, and the
// steps every life is made of (Stripe calls through the SDK, the app through its own routes).
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { PrismaClient } from '../../lib/generated/prisma/client';
import { hashPassword } from '../../lib/auth/password';

export const DAY = 86_400;

/** mulberry32: a small seeded generator (the storm must replay from its seed). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const KINDS = [
  'checkout',
  'trial',
  'dunning_cancel',
  'dunning_recover',
  'refunds_delete',
  'drafts',
] as const;
export type Kind = (typeof KINDS)[number];

export interface World {
  stripe: Stripe;
  db: PrismaClient;
  /** The app's base URL (either instance; the load balancer is only for webhooks). */
  appUrl: () => string;
  emulatorUrl: string;
  prices: Record<'starter_monthly' | 'pro_monthly' | 'seat', string>;
  staffCookie: () => Promise<string>;
  log: (line: string) => void;
}

export interface LifeResult {
  kind: Kind;
  customerId: string | null;
  steps: string[];
  error?: string;
}

export type Ctx = { world: World; rand: () => number; steps: string[]; life: number };

/** The driver's own database calls ride out the PostgreSQL restart, as a retrying client would. */
export async function patiently<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= 40) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export const pick = <T>(rand: () => number, items: readonly T[]): T =>
  items[Math.floor(rand() * items.length)]!;

export async function newUser(ctx: Ctx, password?: string) {
  const passwordHash = password ? await hashPassword(password) : null;
  const email = `storm-${ctx.life}-${randomUUID().slice(0, 8)}@example.com`;
  const user = await patiently(() =>
    ctx.world.db.user.create({
      data: {
        email,
        name: `Storm ${ctx.life}`,
        referralCode: `STORM${ctx.life}${randomUUID().slice(0, 6)}`.toUpperCase(),
        emailVerified: new Date(),
        passwordHash,
      },
    }),
  );
  ctx.steps.push('signup');
  return user;
}

/** A customer on its own test clock (Stripe time moves per life), with a working card. */
export async function clockCustomer(ctx: Ctx) {
  const s = ctx.world.stripe;
  const user = await newUser(ctx);
  const clock = await s.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000) });
  const customer = await s.customers.create({
    email: user.email,
    metadata: { user_id: user.id },
    test_clock: clock.id,
  });
  await setDefaultCard(ctx, customer.id, 'pm_card_visa');
  const advance = async (days: number) => {
    const current = await s.testHelpers.testClocks.retrieve(clock.id);
    await s.testHelpers.testClocks.advance(clock.id, { frozen_time: current.frozen_time + days * DAY });
    ctx.steps.push(`advance ${days}d`);
  };
  return { user, customer, advance };
}

export async function setDefaultCard(ctx: Ctx, customerId: string, card: string) {
  const s = ctx.world.stripe;
  const pm = await s.paymentMethods.attach(card, { customer: customerId });
  await s.customers.update(customerId, { invoice_settings: { default_payment_method: pm.id } });
}

export async function subscribe(ctx: Ctx, customerId: string, price: string, trialDays?: number) {
  const sub = await ctx.world.stripe.subscriptions.create({
    customer: customerId,
    items: [{ price }],
    ...(trialDays ? { trial_period_days: trialDays } : {}),
  });
  ctx.steps.push(trialDays ? 'trial' : 'subscribe');
  return sub;
}

export async function switchPlan(ctx: Ctx, sub: Stripe.Subscription, price: string) {
  const current = await ctx.world.stripe.subscriptions.retrieve(sub.id);
  const item = current.items.data.find((i) => i.price.id !== ctx.world.prices.seat)!;
  await ctx.world.stripe.subscriptions.update(sub.id, {
    items: [{ id: item.id, price }],
    proration_behavior: pick(ctx.rand, ['create_prorations', 'always_invoice', 'none'] as const),
  });
  ctx.steps.push('plan switch');
}

export async function seats(ctx: Ctx, sub: Stripe.Subscription) {
  const s = ctx.world.stripe;
  const quantity = 1 + Math.floor(ctx.rand() * 4);
  const item =
    ctx.rand() < 0.5
      ? await s.subscriptionItems.create({ subscription: sub.id, price: ctx.world.prices.seat, quantity })
      : (
          await s.subscriptions.update(sub.id, { items: [{ price: ctx.world.prices.seat, quantity }] })
        ).items.data.find((i) => i.price.id === ctx.world.prices.seat)!;
  ctx.steps.push('item add');
  if (ctx.rand() < 0.7) {
    if (ctx.rand() < 0.5) await s.subscriptionItems.del(item.id);
    else await s.subscriptions.update(sub.id, { items: [{ id: item.id, deleted: true }] });
    ctx.steps.push('item remove');
  }
}

/** The PaymentIntent that paid an invoice (subscription invoices are paid through one). */
export async function intentOf(ctx: Ctx, invoiceId: string): Promise<string | null> {
  const payments = await ctx.world.stripe.invoicePayments.list({ invoice: invoiceId, limit: 10 });
  const paid = payments.data.find((p) => p.status === 'paid');
  const intent = paid?.payment.payment_intent;
  return typeof intent === 'string' ? intent : (intent?.id ?? null);
}

export async function refundOutside(ctx: Ctx, invoiceId: string, full: boolean) {
  const intent = await intentOf(ctx, invoiceId);
  if (!intent) return;
  const pi = await ctx.world.stripe.paymentIntents.retrieve(intent);
  const amount = full ? undefined : Math.max(50, Math.floor(pi.amount_received * ctx.rand() * 0.5));
  await ctx.world.stripe.refunds.create({ payment_intent: intent, ...(amount ? { amount } : {}) });
  ctx.steps.push(full ? 'refund (Stripe, rest)' : 'refund (Stripe, partial)');
}

/** A staff refund through the app's own route, once the invoice's payment is mirrored. */
export async function refundInApp(ctx: Ctx, invoiceId: string) {
  let payment = null;
  for (let t = 0; t < 120 && !payment?.completedAt; t += 1) {
    payment = await patiently(() => ctx.world.db.payment.findUnique({ where: { invoiceId } }));
    if (!payment?.completedAt) await new Promise((r) => setTimeout(r, 250));
  }
  if (!payment?.completedAt) {
    ctx.steps.push('refund (app) skipped: payment not mirrored within 30 s');
    return;
  }
  const base = ctx.world.appUrl();
  const response = await fetch(`${base}/api/stripe/refund`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: base,
      cookie: await ctx.world.staffCookie(),
      'idempotency-key': `storm-${ctx.life}-${invoiceId}`,
    },
    body: JSON.stringify({
      paymentId: payment.id,
      amount: Math.max(50, Math.floor(payment.amount / 3)),
      reason: 'storm refund',
    }),
  });
  ctx.steps.push(`refund (app) ${response.status}`);
}

// The storm's traffic: customer lives drawn from a seeded generator, so a seed names one storm.
// Every kind of life is used in turn, so even a short storm covers every webhook handler.
import { signIn } from '../lib/bench-http';
import {
  type Ctx,
  KINDS,
  type Kind,
  type LifeResult,
  newUser,
  patiently,
  pick,
  random,
  refundInApp,
  refundOutside,
  seats,
  setDefaultCard,
  subscribe,
  switchPlan,
  clockCustomer,
  type World,
} from './driver';

export { KINDS, type LifeResult, type World } from './driver';

/** Sign up, then subscribe through the app's own checkout route and Stripe's hosted page. */
async function checkoutLife(ctx: Ctx): Promise<string | null> {
  const password = `storm-pass-${ctx.life}`;
  const user = await newUser(ctx, password);
  const base = ctx.world.appUrl();
  // A sign-in can lose to a busy machine (its 302 then carries no session): try again, as a person would.
  let cookie = '';
  for (let attempt = 1; !cookie; attempt += 1) {
    try {
      cookie = await signIn(base, user.email, password);
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  // Alternating, so the first checkout life always pays (Starter has no trial) and is refunded in the app.
  const lookupKey = Math.floor(ctx.life / KINDS.length) % 2 === 0 ? 'starter_monthly' : 'pro_monthly';
  let response = new Response(null, { status: 599 });
  for (let attempt = 1; attempt <= 5 && response.status >= 500; attempt += 1) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, 2000));
    response = await fetch(`${base}/api/stripe/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, cookie },
      body: JSON.stringify({ lookupKey }),
    });
  }
  const { url } = (await response.json()) as { url?: string };
  const sessionId = url ? /\/c\/pay\/(cs_[^/?#]+)/.exec(url)?.[1] : undefined;
  if (!sessionId) throw new Error(`checkout answered ${response.status}`);
  const paid = await fetch(`${ctx.world.emulatorUrl}/_emulator/checkout/sessions/${sessionId}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ card: '4242424242424242', email: user.email }),
  });
  if (!paid.ok) throw new Error(`checkout payment answered ${paid.status}`);
  ctx.steps.push(`checkout ${lookupKey}`);
  const session = await ctx.world.stripe.checkout.sessions.retrieve(sessionId);
  const customerId = typeof session.customer === 'string' ? session.customer : (session.customer?.id ?? null);
  const subId = typeof session.subscription === 'string' ? session.subscription : session.subscription?.id;
  if (!subId || !customerId) return customerId;
  const sub = await ctx.world.stripe.subscriptions.retrieve(subId);
  await seats(ctx, sub);
  const other = lookupKey === 'pro_monthly' ? ctx.world.prices.starter_monthly : ctx.world.prices.pro_monthly;
  await switchPlan(ctx, sub, other);
  const invoice = typeof sub.latest_invoice === 'string' ? sub.latest_invoice : sub.latest_invoice?.id;
  if (invoice && lookupKey === 'starter_monthly') await refundInApp(ctx, invoice);
  if (ctx.rand() < 0.5) {
    await ctx.world.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    ctx.steps.push('cancel at period end');
  }
  return customerId;
}

async function trialLife(ctx: Ctx) {
  const { customer, advance } = await clockCustomer(ctx);
  const sub = await subscribe(ctx, customer.id, ctx.world.prices.pro_monthly, 14);
  if (ctx.rand() < 0.5) await seats(ctx, sub);
  await advance(15); // the trial ends and the first invoice is paid
  await ctx.world.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
  ctx.steps.push('cancel at period end');
  await advance(32); // it ends
  return customer.id;
}

async function dunningLife(ctx: Ctx, recover: boolean) {
  const { customer, advance } = await clockCustomer(ctx);
  const sub = await subscribe(
    ctx,
    customer.id,
    pick(ctx.rand, [ctx.world.prices.starter_monthly, ctx.world.prices.pro_monthly]),
  );
  await setDefaultCard(ctx, customer.id, 'pm_card_chargeCustomerFail');
  await advance(31); // the renewal fails: past_due
  if (recover) {
    await setDefaultCard(ctx, customer.id, 'pm_card_visa');
    const open = (await ctx.world.stripe.invoices.list({ customer: customer.id, status: 'open', limit: 1 }))
      .data[0];
    if (open?.id) await ctx.world.stripe.invoices.pay(open.id);
    ctx.steps.push('recovered');
    if (ctx.rand() < 0.5) await switchPlan(ctx, sub, ctx.world.prices.starter_monthly);
  } else {
    for (const days of [3, 5, 7]) await advance(days); // every retry fails: canceled
  }
  return customer.id;
}

async function refundsAndDeletion(ctx: Ctx) {
  const { customer, advance } = await clockCustomer(ctx);
  const sub = await subscribe(ctx, customer.id, ctx.world.prices.pro_monthly);
  const first = typeof sub.latest_invoice === 'string' ? sub.latest_invoice : sub.latest_invoice?.id;
  if (first) {
    await refundOutside(ctx, first, false);
    if (ctx.rand() < 0.5) await refundOutside(ctx, first, true);
  }
  await seats(ctx, sub);
  if (ctx.rand() < 0.5) await advance(31);
  // Deleted once the app knows the customer: Stripe's tombstone of a customer deleted before any of
  // its events applied no longer names its user, so the mirror cannot link it (ADR 0017).
  for (
    let t = 0;
    t < 240 && !(await patiently(() => ctx.world.db.customer.findUnique({ where: { id: customer.id } })));
    t += 1
  )
    await new Promise((r) => setTimeout(r, 250));
  await ctx.world.stripe.customers.del(customer.id);
  ctx.steps.push('customer deleted');
  return customer.id;
}

async function draftsLife(ctx: Ctx) {
  const s = ctx.world.stripe;
  const { customer } = await clockCustomer(ctx);
  const sub = await subscribe(ctx, customer.id, ctx.world.prices.starter_monthly);
  await s.invoiceItems.create({
    customer: customer.id,
    amount: 700,
    currency: 'usd',
    description: 'Storm extra',
  });
  const draft = await s.invoices.create({ customer: customer.id, auto_advance: false });
  ctx.steps.push('draft invoice');
  if (draft.id && ctx.rand() < 0.8) {
    await s.invoices.del(draft.id);
    ctx.steps.push('draft deleted');
  }
  await s.subscriptions.cancel(sub.id, { prorate: ctx.rand() < 0.5 });
  ctx.steps.push('cancel now');
  return customer.id;
}

/** Runs life `index` of the storm seeded `seed`. Failures are reported, not thrown. */
export async function runLife(world: World, seed: number, index: number): Promise<LifeResult> {
  const kind = KINDS[index % KINDS.length]!;
  const ctx: Ctx = { world, rand: random(seed * 1_000_003 + index), steps: [], life: index };
  try {
    const run: Record<Kind, () => Promise<string | null>> = {
      checkout: () => checkoutLife(ctx),
      trial: () => trialLife(ctx),
      dunning_cancel: () => dunningLife(ctx, false),
      dunning_recover: () => dunningLife(ctx, true),
      refunds_delete: () => refundsAndDeletion(ctx),
      drafts: () => draftsLife(ctx),
    };
    const customerId = await run[kind]();
    return { kind, customerId, steps: ctx.steps };
  } catch (error) {
    return {
      kind,
      customerId: null,
      steps: ctx.steps,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

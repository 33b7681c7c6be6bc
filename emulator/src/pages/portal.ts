import { billChange, changeItem, previewChange } from '../billing/prorations';
import { announce, periodOf } from '../billing/subscriptions';
import { enterCustomerTime } from '../billing/time';
import type { Emulator } from '../emulator';
import { idOf } from '../values';
import { attachPaymentMethod } from '../resources/payment-methods';
import { html, redirect, type HttpCall, type HttpResult } from '../router';
import type { Json, PriceObject, SubscriptionObject } from '../types';
import { ApiError } from '../wire/errors';
import { cardFromForm } from './card-form';
import { layout } from './layout';
import {
  cancelPage,
  cardPage,
  confirmPage,
  overviewPage,
  plansPage,
  type PortalContext,
} from './portal-views';

const NOTICES: Record<string, string> = {
  plan_updated: 'Your plan has been updated.',
  canceled: 'Your plan has been canceled. It stays available until the end of the billing period.',
  renewed: 'Your plan has been renewed.',
  card_updated: 'Your payment method has been updated.',
};
const LIVE = ['trialing', 'active', 'past_due', 'unpaid', 'incomplete', 'paused'];
const text = (value: Json | undefined): string => (typeof value === 'string' ? value : '');
const notFound = () => html(layout('Not found', '<h1>This portal session is no longer available</h1>'), 404);

function contextOf(call: HttpCall): PortalContext | null {
  const session = call.emu.store.objects['billing_portal.session'].get(call.params.id ?? '');
  const customer = session ? call.emu.store.objects.customer.get(session.customer) : undefined;
  if (!session || !customer) return null;
  enterCustomerTime(call.op, customer);
  let host = 'the app';
  try {
    if (session.return_url) host = new URL(session.return_url).host;
  } catch {
    // Validated when the session was created.
  }
  return { op: call.op, session, customer, business: call.emu.billing.settings.business_name ?? host };
}

function liveSubscriptions(ctx: PortalContext): SubscriptionObject[] {
  return ctx.op.store.objects.subscription
    .values()
    .filter((s) => idOf(s.customer) === ctx.customer.id && LIVE.includes(s.status));
}

/** A live subscription of the portal's customer, named by a form or query field. */
function subscriptionOf(ctx: PortalContext, value: Json | undefined): SubscriptionObject | null {
  return liveSubscriptions(ctx).find((s) => s.id === text(value)) ?? null;
}

/** The plans on offer: active recurring prices of active products, in the subscription's currency. */
function plans(ctx: PortalContext, sub: SubscriptionObject): PriceObject[] {
  const store = ctx.op.store;
  return store.objects.price
    .values()
    .filter((p) => p.active && p.recurring && p.currency === sub.currency && !store.isUnlisted(p.id))
    .filter((p) => store.objects.product.get(idOf(p.product) ?? '')?.active)
    .sort((a, b) => (a.unit_amount ?? 0) - (b.unit_amount ?? 0));
}

type Handler = (call: HttpCall, ctx: PortalContext) => HttpResult;

export function registerPortalPages(emu: Emulator): void {
  const base = '/p/session/:id';
  const page = (method: 'GET' | 'POST', path: string, handler: Handler) =>
    emu.pages.add({
      method,
      path: `${base}${path}`,
      handler: (call) => {
        const ctx = contextOf(call);
        return ctx ? handler(call, ctx) : notFound();
      },
    });
  const home = (ctx: PortalContext, notice?: string) =>
    redirect(`/p/session/${ctx.session.id}${notice ? `?notice=${notice}` : ''}`);

  page('GET', '', (call, ctx) =>
    html(overviewPage(ctx, liveSubscriptions(ctx), NOTICES[text(call.query.notice)] ?? null)),
  );
  page('GET', '/plans', (call, ctx) => {
    const sub = subscriptionOf(ctx, call.query.subscription);
    return sub ? html(plansPage(ctx, sub, plans(ctx, sub))) : home(ctx);
  });
  page('GET', '/confirm', (call, ctx) => {
    const sub = subscriptionOf(ctx, call.query.subscription);
    const price = sub ? plans(ctx, sub).find((p) => p.id === text(call.query.price)) : undefined;
    const item = sub?.items.data[0];
    if (!sub || !price || !item) return home(ctx);
    const behavior = emu.billing.settings.portal_proration_behavior;
    return html(
      confirmPage(
        ctx,
        sub,
        price,
        previewChange(
          ctx.op,
          sub,
          { itemId: item.id, price, quantity: item.quantity ?? 1 },
          behavior,
          ctx.op.now(),
        ),
      ),
    );
  });
  page('POST', '/switch', (call, ctx) => {
    const sub = subscriptionOf(ctx, call.body.subscription);
    const price = sub ? plans(ctx, sub).find((p) => p.id === text(call.body.price)) : undefined;
    const item = sub?.items.data[0];
    if (!sub || !price || !item || item.price.id === price.id) return home(ctx);
    const before = structuredClone(sub);
    const behavior = emu.billing.settings.portal_proration_behavior;
    const invoice = changeItem(
      ctx.op,
      sub,
      { itemId: item.id, price, quantity: item.quantity ?? 1 },
      behavior,
      ctx.op.now(),
    );
    announce(ctx.op, 'customer.subscription.updated', sub, before);
    billChange(ctx.op, sub, invoice);
    return home(ctx, 'plan_updated');
  });
  page('GET', '/cancel', (call, ctx) => {
    const sub = subscriptionOf(ctx, call.query.subscription);
    return sub && sub.cancel_at === null ? html(cancelPage(ctx, sub)) : home(ctx);
  });
  page('POST', '/cancel', (call, ctx) => {
    const sub = subscriptionOf(ctx, call.body.subscription);
    if (!sub || sub.cancel_at !== null) return home(ctx);
    const before = structuredClone(sub);
    sub.cancel_at_period_end = true;
    sub.cancel_at = periodOf(sub).end;
    sub.canceled_at = ctx.op.now();
    sub.cancellation_details = {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: 'cancellation_requested',
    };
    announce(ctx.op, 'customer.subscription.updated', sub, before);
    return home(ctx, 'canceled');
  });
  page('POST', '/renew', (call, ctx) => {
    const sub = subscriptionOf(ctx, call.body.subscription);
    if (!sub || sub.cancel_at === null) return home(ctx);
    const before = structuredClone(sub);
    sub.cancel_at_period_end = false;
    sub.cancel_at = null;
    sub.canceled_at = null;
    sub.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: null };
    announce(ctx.op, 'customer.subscription.updated', sub, before);
    return home(ctx, 'renewed');
  });
  page('GET', '/payment-method', (_call, ctx) => html(cardPage(ctx, {})));
  page('POST', '/payment-method', (call, ctx) => {
    const card = cardFromForm(ctx.op, call.body);
    if ('error' in card) return html(cardPage(ctx, { ...card.state, error: card.error }), 400);
    try {
      attachPaymentMethod(ctx.op, card.paymentMethod, ctx.customer.id);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return html(cardPage(ctx, { ...card.state, error: error.message }), 402);
    }
    const before = structuredClone(ctx.customer);
    ctx.customer.invoice_settings.default_payment_method = card.paymentMethod.id;
    ctx.op.store.objects.customer.set(ctx.customer);
    ctx.op.emitUpdated('customer.updated', before, ctx.customer);
    for (const sub of liveSubscriptions(ctx)) {
      if (!sub.default_payment_method) continue;
      const previous = structuredClone(sub);
      sub.default_payment_method = card.paymentMethod.id;
      announce(ctx.op, 'customer.subscription.updated', sub, previous);
    }
    return home(ctx, 'card_updated');
  });
}

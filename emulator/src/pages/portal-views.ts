import type Stripe from 'stripe';
import type { ProrationPreview } from '../billing/prorations';
import { periodOf, productName } from '../billing/subscriptions';
import { formatDate } from '../billing/time';
import type { Op } from '../op';
import { formatAmount, idOf } from '../values';
import type { PriceObject, SubscriptionObject } from '../types';
import { cardFields, type CardFormState } from './card-form';
import { testCardHelp } from './checkout';
import { escapeHtml as e, layout } from './layout';

export interface PortalContext {
  op: Op;
  session: Stripe.BillingPortal.Session;
  customer: Stripe.Customer;
  business: string;
}

const STATUS: Record<string, [string, string]> = {
  trialing: ['Trial', 'ok'],
  active: ['Active', 'ok'],
  past_due: ['Past due', 'warn'],
  unpaid: ['Unpaid', 'bad'],
  incomplete: ['Incomplete', 'warn'],
  paused: ['Paused', 'warn'],
};

export function priceText(price: PriceObject): string {
  const count = price.recurring?.interval_count ?? 1;
  const interval = price.recurring?.interval ?? 'month';
  return `${formatAmount(price.unit_amount ?? 0, price.currency)} per ${count > 1 ? `${count} ${interval}s` : interval}`;
}

function page(ctx: PortalContext, title: string, body: string, options: { back?: boolean } = {}): string {
  const base = `/p/session/${e(ctx.session.id)}`;
  const nav = options.back
    ? `<p><a href="${base}">&larr; Back</a></p>`
    : ctx.session.return_url
      ? `<p><a href="${e(ctx.session.return_url)}">&larr; Return to ${e(ctx.business)}</a></p>`
      : '';
  return layout(title, `${nav}<span class="badge">TEST MODE</span>\n${body}`);
}

function subscriptionCard(ctx: PortalContext, sub: SubscriptionObject): string {
  const item = sub.items.data[0];
  if (!item) return '';
  const name = productName(ctx.op, item.price);
  const [label, tone] = STATUS[sub.status] ?? [sub.status, ''];
  const { end } = periodOf(sub);
  const base = `/p/session/${e(ctx.session.id)}`;
  const lines: string[] = [];
  if (sub.status === 'trialing' && sub.trial_end)
    lines.push(`<p>Your trial ends on ${formatDate(sub.trial_end)}.</p>`);
  if (sub.cancel_at !== null) {
    lines.push(
      `<p class="notice" data-testid="cancel-notice">Your plan will be canceled on ${formatDate(sub.cancel_at)}.</p>`,
    );
  } else if (['active', 'trialing', 'past_due'].includes(sub.status)) {
    lines.push(`<p>Your plan renews on ${formatDate(end)}.</p>`);
  }
  if (sub.status === 'past_due' || sub.status === 'unpaid') {
    const invoice = ctx.op.store.objects.invoice.get(idOf(sub.latest_invoice) ?? '');
    const link = invoice?.hosted_invoice_url
      ? ` <a href="${e(invoice.hosted_invoice_url)}">Pay the open invoice</a>.`
      : '';
    const retry = invoice?.next_payment_attempt
      ? ` We will try again on ${formatDate(invoice.next_payment_attempt)}.`
      : '';
    lines.push(`<p>Your last payment failed.${retry}${link}</p>`);
  }
  const post = (action: string, text: string, cls = '') =>
    `<form method="post" action="${base}/${action}"><input type="hidden" name="subscription" value="${e(sub.id)}"><button type="submit"${cls ? ` class="${cls}"` : ''}>${text}</button></form>`;
  const actions =
    sub.cancel_at !== null
      ? post('renew', 'Renew plan')
      : ['active', 'trialing', 'past_due'].includes(sub.status)
        ? `<a class="button" href="${base}/plans?subscription=${e(sub.id)}">Update plan</a><a class="button" href="${base}/cancel?subscription=${e(sub.id)}">Cancel plan</a>`
        : '';
  return `<article aria-label="${e(name)} subscription" data-testid="subscription">
<h3>${e(name)}</h3>
<p class="total" data-testid="plan-price">${priceText(item.price)}</p>
<p>Status: <span class="pill ${tone}" data-testid="plan-status">${e(label)}</span></p>
${lines.join('\n')}
${actions}
</article>`;
}

export function overviewPage(ctx: PortalContext, subs: SubscriptionObject[], notice: string | null): string {
  const pm = ctx.op.store.objects.payment_method.get(
    idOf(ctx.customer.invoice_settings.default_payment_method) ?? '',
  );
  const base = `/p/session/${e(ctx.session.id)}`;
  const card = pm?.card
    ? `<p data-testid="payment-method">${e(pm.card.brand)} •••• ${e(pm.card.last4)}<br><span class="note">Expires ${String(pm.card.exp_month).padStart(2, '0')}/${pm.card.exp_year}</span></p>`
    : '<p>No payment method on file.</p>';
  const invoices = ctx.op.store.objects.invoice
    .values()
    .filter((i) => idOf(i.customer) === ctx.customer.id && i.status !== 'draft')
    .sort((a, b) => b.created - a.created)
    .map(
      (i) =>
        `<tr><td>${formatDate(i.created)}</td><td class="num">${formatAmount(i.total, i.currency)}</td><td>${e(i.status ?? '')}</td><td>${i.hosted_invoice_url ? `<a href="${e(i.hosted_invoice_url)}">View invoice ${e(i.number ?? '')}</a>` : ''}</td></tr>`,
    )
    .join('');
  return page(
    ctx,
    `${ctx.business} – Billing`,
    `<h1>${e(ctx.business)}</h1>
${notice ? `<div role="status">${e(notice)}</div>` : ''}
<section aria-labelledby="plan-h"><h2 id="plan-h">Current plan</h2>
${subs.length ? subs.map((sub) => subscriptionCard(ctx, sub)).join('\n') : '<p>You have no active subscription.</p>'}
</section>
<section aria-labelledby="pm-h"><h2 id="pm-h">Payment method</h2>${card}
<a class="button" href="${base}/payment-method">${pm ? 'Update payment method' : 'Add payment method'}</a></section>
<section aria-labelledby="inv-h"><h2 id="inv-h">Invoice history</h2>
${invoices ? `<table aria-label="Invoice history"><thead><tr><th scope="col">Date</th><th scope="col" class="num">Amount</th><th scope="col">Status</th><th scope="col">Invoice</th></tr></thead><tbody>${invoices}</tbody></table>` : '<p>No invoices yet.</p>'}
</section>`,
  );
}

export function plansPage(ctx: PortalContext, sub: SubscriptionObject, prices: PriceObject[]): string {
  const current = sub.items.data[0]?.price.id;
  const base = `/p/session/${e(ctx.session.id)}`;
  const rows = prices
    .map((price) => {
      const name = productName(ctx.op, price);
      const action =
        price.id === current
          ? '<span class="pill ok">Current plan</span>'
          : `<a class="button" href="${base}/confirm?subscription=${e(sub.id)}&amp;price=${e(price.id)}" aria-label="Select ${e(name)} ${e(priceText(price))}">Select</a>`;
      return `<tr><td><strong>${e(name)}</strong><br>${priceText(price)}</td><td class="num">${action}</td></tr>`;
    })
    .join('');
  return page(
    ctx,
    'Update plan',
    `<h1>Update plan</h1><table aria-label="Available plans"><tbody>${rows}</tbody></table>`,
    { back: true },
  );
}

export function confirmPage(
  ctx: PortalContext,
  sub: SubscriptionObject,
  price: PriceObject,
  preview: ProrationPreview,
): string {
  const item = sub.items.data[0];
  const money = (amount: number) => formatAmount(amount, price.currency);
  const base = `/p/session/${e(ctx.session.id)}`;
  const net = preview.credit + preview.charge;
  const proration =
    preview.credit || preview.charge
      ? `<tr><td>Unused time on ${e(item ? productName(ctx.op, item.price) : '')}</td><td class="num">${money(preview.credit)}</td></tr>
<tr><td>Remaining time on ${e(productName(ctx.op, price))}</td><td class="num">${money(preview.charge)}</td></tr>`
      : '';
  const summary = preview.dueNow
    ? `Amount due today: ${money(Math.max(0, net))}`
    : net
      ? `${money(net)} will be added to your next invoice.`
      : 'Nothing is due today.';
  return page(
    ctx,
    'Confirm your new plan',
    `<h1>Confirm your new plan</h1>
<p>${e(item ? productName(ctx.op, item.price) : '')} → <strong>${e(productName(ctx.op, price))}</strong>, ${priceText(price)}</p>
${proration ? `<table aria-label="Proration"><tbody>${proration}</tbody></table>` : ''}
<p class="total" data-testid="proration-summary">${summary}</p>
<form method="post" action="${base}/switch"><input type="hidden" name="subscription" value="${e(sub.id)}"><input type="hidden" name="price" value="${e(price.id)}">
<button type="submit">Confirm</button></form>`,
    { back: true },
  );
}

export function cancelPage(ctx: PortalContext, sub: SubscriptionObject): string {
  const end = sub.status === 'trialing' && sub.trial_end ? sub.trial_end : periodOf(sub).end;
  const base = `/p/session/${e(ctx.session.id)}`;
  return page(
    ctx,
    'Cancel your plan',
    `<h1>Cancel your plan</h1>
<p>Your plan will be canceled, but is still available until the end of your billing period on ${formatDate(end)}.</p>
<form method="post" action="${base}/cancel"><input type="hidden" name="subscription" value="${e(sub.id)}"><button type="submit">Cancel plan</button></form>`,
    { back: true },
  );
}

export function cardPage(ctx: PortalContext, state: CardFormState & { error?: string }): string {
  const base = `/p/session/${e(ctx.session.id)}`;
  return page(
    ctx,
    'Update payment method',
    `<h1>Update payment method</h1>${state.error ? `<div role="alert">${e(state.error)}</div>` : ''}
<form method="post" action="${base}/payment-method" novalidate>${cardFields(state)}<button type="submit">Save card</button></form>${testCardHelp()}`,
    { back: true },
  );
}

import type Stripe from 'stripe';
import { applyPromotionCode, sessionPromotionCode, setSessionDiscount } from '../billing/checkout-discounts';
import { checkoutPaymentIntent } from '../billing/checkout-subscription';
import type { Emulator } from '../emulator';
import type { Op } from '../op';
import { knownEmail, submitCard, successUrl } from '../payments/checkout';
import { extrasOf } from '../payments/checkout-extras';
import { resolveThreeDSecure } from '../payments/engine';
import { formatAmount, idOf } from '../values';
import { html, redirect, type HttpCall, type HttpResult } from '../router';
import type { Json } from '../types';
import { ApiError } from '../wire/errors';
import { cardFields } from './card-form';
import { challengePage, escapeHtml as e, layout } from './layout';

interface FormState {
  error?: string;
  promotionError?: string;
  promotionCode?: string;
  email?: string;
  name?: string;
  number?: string;
  expiry?: string;
}

const text = (value: Json | undefined): string => (typeof value === 'string' ? value : '');

export function testCardHelp(): string {
  const rows = [
    ['4242 4242 4242 4242', 'Succeeds'],
    ['4000 0000 0000 0002', 'Declined (generic_decline)'],
    ['4000 0000 0000 9995', 'Declined (insufficient_funds)'],
    ['4000 0000 0000 0069', 'Declined (expired_card)'],
    ['4000 0025 0000 3155', 'Requires 3-D Secure'],
    ['4000 0000 0000 0341', 'Attaches, but every charge is declined'],
  ];
  const body = rows.map(([card, what]) => `<tr><td><code>${card}</code></td><td>${what}</td></tr>`).join('');
  return `<details class="note"><summary>Test cards</summary><table>${body}</table><p>Any future expiry date and any CVC.</p></details>`;
}

/** The trial a subscription-mode session starts with, in days (null: none). */
function trialDays(op: Op, session: Stripe.Checkout.Session): number | null {
  const data = session.mode === 'subscription' ? extrasOf(op, session).subscription_data : null;
  if (data?.trial_period_days) return data.trial_period_days;
  return data?.trial_end ? Math.ceil((data.trial_end - op.now()) / 86_400) : null;
}

function promotionForm(op: Op, session: Stripe.Checkout.Session, state: FormState): string {
  if (!session.allow_promotion_codes) return '';
  const action = `/c/pay/${e(session.id)}/promotion_code`;
  const applied = sessionPromotionCode(op, session);
  if (applied) {
    return `<form method="post" action="${action}" class="inline"><div><p>Promotion code <strong data-testid="promotion-code">${e(applied)}</strong> applied.</p></div>
<input type="hidden" name="remove" value="1"><button type="submit" class="secondary">Remove</button></form>`;
  }
  const alert = state.promotionError
    ? `<div role="alert" id="promotionError">${e(state.promotionError)}</div>`
    : '';
  return `<form method="post" action="${action}" class="inline" novalidate><div><label for="promotionCode">Promotion code</label>
<input id="promotionCode" name="code" autocomplete="off" value="${e(state.promotionCode ?? '')}"></div><button type="submit" class="secondary">Apply</button></form>${alert}`;
}

function payPage(op: Op, session: Stripe.Checkout.Session, state: FormState): string {
  const currency = session.currency ?? 'usd';
  const items = extrasOf(op, session).line_items;
  const rows = items
    .map((item) => {
      const interval = item.price?.recurring ? ` / ${item.price.recurring.interval}` : '';
      return `<tr><td>${e(item.description ?? 'Item')}${item.quantity && item.quantity > 1 ? ` &times; ${item.quantity}` : ''}</td><td class="num">${formatAmount(item.amount_subtotal, currency)}${interval}</td></tr>`;
    })
    .join('');
  const discount = session.total_details?.amount_discount ?? 0;
  const code = sessionPromotionCode(op, session);
  const discountRow = discount
    ? `<tr><td>Discount${code ? ` (${e(code)})` : ''}</td><td class="num" data-testid="discount">−${formatAmount(discount, currency)}</td></tr>`
    : '';
  const trial = trialDays(op, session);
  const trialRow = trial
    ? `<tr><td colspan="2">${trial} days free, then ${formatAmount(session.amount_total ?? 0, currency)} per ${e(items[0]?.price?.recurring?.interval ?? 'month')}</td></tr>`
    : '';
  const dueToday = trial ? 0 : (session.amount_total ?? 0);
  const total = formatAmount(dueToday, currency);
  const known = knownEmail(op, session);
  const email = known ?? state.email ?? '';
  // Stripe heads the page with the business name, linking back to the cancel URL.
  const business = op.emu.billing.settings.business_name ?? 'Back';
  const back = session.cancel_url
    ? `<p><a href="${e(session.cancel_url)}">&larr; ${e(business)}</a></p>`
    : '';
  const alert = state.error ? `<div role="alert">${e(state.error)}</div>` : '';
  const setup = session.mode === 'setup';
  const action =
    session.mode === 'subscription'
      ? trial
        ? 'Start trial'
        : 'Subscribe'
      : setup
        ? 'Save card'
        : `Pay ${total}`;
  // Setup mode charges nothing: the page only collects the card (no order summary).
  const summary = setup
    ? '<p>Save your card for future payments. You will not be charged now.</p>'
    : `<table aria-label="Order summary"><tbody>${rows}${discountRow}${trialRow}</tbody>
<tfoot><tr><th scope="row">${session.mode === 'subscription' ? 'Total due today' : 'Total due'}</th><td class="num total" data-testid="total">${total}</td></tr></tfoot></table>`;
  return layout(
    setup ? 'Checkout – save your card' : `Checkout – ${total}`,
    `${back}
<span class="badge">TEST MODE</span>
<h1>Checkout</h1>
${summary}
${promotionForm(op, session, state)}
${alert}
<form method="post" action="/c/pay/${e(session.id)}" novalidate>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" value="${e(email)}"${known ? ' readonly' : ' required'}>
${cardFields(state)}
<button type="submit">${e(action)}</button>
</form>
${testCardHelp()}`,
  );
}

function closedPage(session: Stripe.Checkout.Session): string {
  const back = session.cancel_url ? `<p><a href="${e(session.cancel_url)}">&larr; Back</a></p>` : '';
  return layout(
    'Checkout session expired',
    `${back}<h1>This Checkout Session is no longer available</h1><p>It expired before it was paid.</p>`,
  );
}

function sessionFor(call: HttpCall): Stripe.Checkout.Session | null {
  return call.emu.store.objects['checkout.session'].get(call.params.id ?? '') ?? null;
}

/** A session page: the form while open, the success URL once complete. */
function show(call: HttpCall, session: Stripe.Checkout.Session, state: FormState, status = 200): HttpResult {
  if (session.status === 'complete') return redirect(successUrl(call.emu, session));
  if (session.status !== 'open') return html(closedPage(session), 410);
  return html(payPage(call.op, session, state), status);
}

const notFound = () => html(layout('Not found', '<h1>No such Checkout Session</h1>'), 404);

export function registerCheckoutPages(emu: Emulator): void {
  emu.pages.add({
    method: 'GET',
    path: '/c/pay/:id',
    handler: (call) => {
      const session = sessionFor(call);
      return session ? show(call, session, {}) : notFound();
    },
  });
  emu.pages.add({
    method: 'POST',
    path: '/c/pay/:id',
    handler: (call) => {
      const session = sessionFor(call);
      if (!session) return notFound();
      if (session.status !== 'open') return show(call, session, {});
      const form = {
        email: text(call.body.email),
        name: text(call.body.billingName),
        number: text(call.body.cardNumber),
        expiry: text(call.body.cardExpiry),
      };
      let result;
      try {
        result = submitCard(call.op, session, { ...form, cvc: text(call.body.cardCvc) });
      } catch (error) {
        // A mode the emulator cannot complete yet, or a session that changed meanwhile.
        if (!(error instanceof ApiError)) throw error;
        return show(call, session, { ...form, error: error.message }, error.status);
      }
      if (result.status === 'complete') return redirect(successUrl(emu, session));
      if (result.status === 'requires_action') return redirect(result.url);
      return show(
        call,
        session,
        { ...form, error: result.error.message },
        result.status === 'failed' ? 402 : 400,
      );
    },
  });
  emu.pages.add({
    method: 'POST',
    path: '/c/pay/:id/promotion_code',
    handler: (call) => {
      const session = sessionFor(call);
      if (!session) return notFound();
      if (session.status !== 'open') return show(call, session, {});
      if (call.body.remove) {
        setSessionDiscount(call.op, session, null);
        return redirect(`/c/pay/${session.id}`);
      }
      const code = text(call.body.code);
      const problem = applyPromotionCode(call.op, session, code);
      if (!problem) return redirect(`/c/pay/${session.id}`);
      return show(call, session, { promotionError: problem, promotionCode: code }, 400);
    },
  });
  // Where the 3-D Secure page sends the payer back to.
  emu.pages.add({
    method: 'GET',
    path: '/c/pay/:id/return',
    handler: (call) => {
      const session = sessionFor(call);
      if (!session) return notFound();
      const pi =
        emu.store.objects.payment_intent.get(idOf(session.payment_intent) ?? '') ??
        checkoutPaymentIntent(call.op, session);
      // A trial or setup-mode session authenticates its card through its SetupIntent.
      const si = emu.store.objects.setup_intent.get(idOf(session.setup_intent) ?? '');
      const failed =
        pi?.last_payment_error?.code === 'payment_intent_authentication_failure' ||
        si?.last_setup_error?.code === 'setup_intent_authentication_failure';
      const error = failed
        ? 'We are unable to authenticate your payment method. Please choose a different payment method and try again.'
        : (pi?.last_payment_error?.message ?? si?.last_setup_error?.message);
      return show(call, session, { error });
    },
  });
  emu.pages.add({
    method: 'GET',
    path: '/3ds/:id',
    handler: (call) => {
      const pi = emu.store.objects.payment_intent.get(call.params.id ?? '');
      if (!pi) return html(layout('Not found', '<h1>No such PaymentIntent</h1>'), 404);
      const amount = formatAmount(pi.amount, pi.currency);
      return html(
        challengePage(`/3ds/${pi.id}`, pi.status, `a payment of <strong>${amount}</strong>`, 'payment'),
      );
    },
  });
  emu.pages.add({
    method: 'POST',
    path: '/3ds/:id',
    handler: (call) => {
      const pi = emu.store.objects.payment_intent.get(call.params.id ?? '');
      if (!pi) return html(layout('Not found', '<h1>No such PaymentIntent</h1>'), 404);
      if (pi.status !== 'requires_action') return redirect(`/3ds/${pi.id}`);
      const outcome = call.body.outcome === 'complete' ? 'complete' : 'fail';
      const next = resolveThreeDSecure(call.op, pi, outcome);
      if (next) return redirect(next);
      return html(
        layout(
          'Authentication finished',
          `<h1>Authentication ${outcome === 'complete' ? 'completed' : 'failed'}</h1><p>You can close this page.</p>`,
        ),
      );
    },
  });
  emu.pages.add({
    method: 'GET',
    path: '/receipts/:id',
    handler: (call) => {
      const charge = emu.store.objects.charge.get(call.params.id ?? '');
      if (!charge) return html(layout('Not found', '<h1>No such receipt</h1>'), 404);
      const card = charge.payment_method_details?.card;
      return html(
        layout(
          'Receipt',
          `<span class="badge">TEST MODE</span><h1>Receipt</h1><table><tbody>
<tr><th scope="row">Amount paid</th><td class="num">${formatAmount(charge.amount, charge.currency)}</td></tr>
<tr><th scope="row">Refunded</th><td class="num">${formatAmount(charge.amount_refunded, charge.currency)}</td></tr>
<tr><th scope="row">Date</th><td class="num">${new Date(charge.created * 1000).toISOString().slice(0, 10)}</td></tr>
<tr><th scope="row">Payment method</th><td class="num">${e(card?.brand ?? 'card')} •••• ${e(card?.last4 ?? '')}</td></tr>
</tbody></table>`,
        ),
      );
    },
  });
}

import type Stripe from 'stripe';
import type { Op } from '../op';
import { extrasOf } from '../payments/checkout-extras';
import { idOf } from '../values';
import { discountLines, promotionByCode, promotionProblem, redeem, type Redeemable } from './discounts';

/** Recomputes a session's totals (and its line items') for its discounts. */
export function priceSession(op: Op, session: Stripe.Checkout.Session): void {
  const extras = extrasOf(op, session);
  const coupons = (session.discounts ?? [])
    .map((d) => op.store.objects.coupon.get(idOf(d.coupon) ?? ''))
    .filter((c): c is Stripe.Coupon => c !== undefined)
    .map((coupon) => ({ id: coupon.id, coupon }));
  const { perLine, total } = discountLines(
    coupons,
    extras.line_items.map((item) => ({ amount: item.amount_subtotal, discountable: true })),
  );
  extras.line_items.forEach((item, index) => {
    const off = (perLine[index] ?? []).reduce((sum, a) => sum + a.amount, 0);
    item.amount_discount = off;
    item.amount_total = item.amount_subtotal - off;
  });
  op.store.internal.checkout_extras.set(extras);
  session.amount_total = (session.amount_subtotal ?? 0) - total;
  session.total_details = {
    amount_discount: total,
    amount_shipping: session.total_details?.amount_shipping ?? 0,
    amount_tax: 0,
  };
  op.store.objects['checkout.session'].set(session);
}

/** Puts a coupon (and its promotion code) on a session. */
export function setSessionDiscount(
  op: Op,
  session: Stripe.Checkout.Session,
  target: Redeemable | null,
): void {
  session.discounts = target
    ? [{ coupon: target.coupon.id, promotion_code: target.promotion?.id ?? null }]
    : [];
  priceSession(op, session);
}

/** What the hosted page's promotion code field does: null on success, else the message to show. */
export function applyPromotionCode(op: Op, session: Stripe.Checkout.Session, code: string): string | null {
  if (!session.allow_promotion_codes) return 'Promotion codes are not accepted for this purchase.';
  const promotion = code.trim() ? promotionByCode(op, code) : null;
  if (!promotion) return 'This code is invalid.';
  const context = {
    customer: idOf(session.customer),
    amount: session.amount_subtotal ?? 0,
    currency: session.currency ?? 'usd',
  };
  const problem = promotionProblem(op, promotion, context);
  if (problem) return problem;
  const coupon = op.store.objects.coupon.get(idOf(promotion.promotion.coupon) ?? '');
  if (!coupon) return 'This code is invalid.';
  setSessionDiscount(op, session, { coupon, promotion });
  return null;
}

/** The session's discount, checked again at payment time (limits may have been reached since). */
export function sessionDiscount(
  op: Op,
  session: Stripe.Checkout.Session,
): Redeemable | { problem: string } | null {
  const entry = session.discounts?.[0];
  if (!entry) return null;
  const coupon = op.store.objects.coupon.get(idOf(entry.coupon) ?? '');
  const promotion = entry.promotion_code
    ? (op.store.objects.promotion_code.get(idOf(entry.promotion_code) ?? '') ?? null)
    : null;
  if (!coupon) return { problem: 'This code is invalid.' };
  if (promotion) {
    const problem = promotionProblem(op, promotion, {
      customer: idOf(session.customer),
      amount: session.amount_subtotal ?? 0,
      currency: session.currency ?? 'usd',
    });
    if (problem) return { problem };
  }
  return { coupon, promotion };
}

/** Payment mode: the redemption is counted when the session completes. */
export function redeemSessionDiscount(op: Op, session: Stripe.Checkout.Session): void {
  const found = sessionDiscount(op, session);
  if (found && 'coupon' in found) redeem(op, found);
}

/** A promotion code name for display. */
export function sessionPromotionCode(op: Op, session: Stripe.Checkout.Session): string | null {
  const id = idOf(session.discounts?.[0]?.promotion_code ?? null);
  return id ? (op.store.objects.promotion_code.get(id)?.code ?? null) : null;
}

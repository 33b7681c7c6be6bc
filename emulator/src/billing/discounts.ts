import type Stripe from 'stripe';
import { newId } from '../ids';
import type { Op } from '../op';
import { idOf } from '../values';
import { invalidRequest, resourceMissing } from '../wire/errors';
import { addMonths } from './time';

/** A coupon, and the promotion code it came through (if any). */
export interface Redeemable {
  coupon: Stripe.Coupon;
  promotion: Stripe.PromotionCode | null;
}

export function couponValid(op: Op, coupon: Stripe.Coupon): boolean {
  if (coupon.redeem_by !== null && coupon.redeem_by <= op.now()) return false;
  return coupon.max_redemptions === null || coupon.times_redeemed < coupon.max_redemptions;
}

/** Keeps `coupon.valid` current (it changes with time and redemptions). */
export function refreshCoupon(op: Op, coupon: Stripe.Coupon): Stripe.Coupon {
  const valid = couponValid(op, coupon);
  if (coupon.valid !== valid) {
    coupon.valid = valid;
    op.store.objects.coupon.set(coupon);
  }
  return coupon;
}

/** Why a promotion code cannot be used now by this customer for this amount (null: it can). */
export function promotionProblem(
  op: Op,
  promotion: Stripe.PromotionCode,
  context: { customer: string | null; amount: number; currency: string },
): string | null {
  const coupon = op.store.objects.coupon.get(idOf(promotion.promotion.coupon) ?? '');
  if (!coupon || !promotion.active) return 'This code is invalid.';
  if (promotion.expires_at !== null && promotion.expires_at <= op.now()) return 'This code has expired.';
  if (promotion.max_redemptions !== null && promotion.times_redeemed >= promotion.max_redemptions) {
    return 'This code has reached its redemption limit.';
  }
  if (!couponValid(op, coupon)) return 'This code is no longer valid.';
  const owner = idOf(promotion.customer);
  if (owner && owner !== context.customer) return 'This code is not valid for this customer.';
  const r = promotion.restrictions;
  if (
    r.minimum_amount !== null &&
    (r.minimum_amount_currency ?? context.currency) === context.currency &&
    context.amount < r.minimum_amount
  ) {
    return 'This code requires a larger order.';
  }
  if (r.first_time_transaction && context.customer) {
    const paid = op.store.objects.charge
      .values()
      .some((c) => idOf(c.customer) === context.customer && c.status === 'succeeded');
    if (paid) return 'This code is only valid for first-time customers.';
  }
  if (coupon.amount_off !== null && coupon.currency !== context.currency) return 'This code is invalid.';
  return null;
}

/** A promotion code by the text a customer types (case-insensitive, like Stripe). */
export function promotionByCode(op: Op, code: string): Stripe.PromotionCode | null {
  const wanted = code.trim().toUpperCase();
  const matches = op.store.objects.promotion_code.values().filter((p) => p.code.toUpperCase() === wanted);
  return matches.find((p) => p.active) ?? matches[0] ?? null;
}

export interface DiscountParam {
  coupon?: string;
  promotion_code?: string;
  discount?: string;
}

/** Resolves `discounts[i][coupon|promotion_code]` parameters, as Stripe validates them. */
export function resolveDiscounts(
  op: Op,
  params: DiscountParam[] | undefined,
  context: { customer: string | null; amount: number; currency: string },
  param = 'discounts',
): Redeemable[] {
  return (params ?? []).map((entry, index) => {
    const where = `${param}[${index}]`;
    if (entry.promotion_code) {
      const promotion = op.store.objects.promotion_code.get(entry.promotion_code);
      if (!promotion)
        throw resourceMissing('promotion_code', entry.promotion_code, `${where}[promotion_code]`);
      const problem = promotionProblem(op, promotion, context);
      if (problem)
        throw invalidRequest(`Promotion code ${promotion.code} cannot be redeemed: ${problem}`, {
          param: `${where}[promotion_code]`,
        });
      const coupon = op.store.objects.coupon.get(idOf(promotion.promotion.coupon) ?? '');
      if (!coupon)
        throw resourceMissing('coupon', String(promotion.promotion.coupon), `${where}[promotion_code]`);
      return { coupon, promotion };
    }
    if (entry.coupon) {
      const coupon = op.store.objects.coupon.get(entry.coupon);
      if (!coupon) throw resourceMissing('coupon', entry.coupon, `${where}[coupon]`);
      if (!couponValid(op, coupon))
        throw invalidRequest(`Coupon expired: ${coupon.id}`, {
          param: `${where}[coupon]`,
          code: 'coupon_expired',
        });
      if (coupon.amount_off !== null && coupon.currency !== context.currency) {
        throw invalidRequest(
          `Coupon ${coupon.id} is in ${coupon.currency}; it cannot apply to ${context.currency} amounts.`,
          { param: `${where}[coupon]` },
        );
      }
      return { coupon, promotion: null };
    }
    throw invalidRequest(`You must pass one of coupon or promotion_code in ${where}.`, { param: where });
  });
}

/** Counts a redemption (coupon and promotion code). */
export function redeem(op: Op, { coupon, promotion }: Redeemable): void {
  coupon.times_redeemed += 1;
  refreshCoupon(op, coupon);
  op.store.objects.coupon.set(coupon);
  if (promotion) {
    promotion.times_redeemed += 1;
    op.store.objects.promotion_code.set(promotion);
  }
}

/** A Discount object applying a coupon to a subscription (redeems it). */
export function createDiscount(
  op: Op,
  target: Redeemable,
  owner: { customer: string | null; subscription: string | null; checkout_session: string | null },
): Stripe.Discount {
  redeem(op, target);
  const start = op.now();
  const { coupon, promotion } = target;
  const discount: Stripe.Discount = {
    id: newId('di'),
    object: 'discount',
    checkout_session: owner.checkout_session,
    customer: owner.customer,
    customer_account: null,
    end:
      coupon.duration === 'repeating' && coupon.duration_in_months
        ? addMonths(start, coupon.duration_in_months)
        : null,
    invoice: null,
    invoice_item: null,
    promotion_code: promotion?.id ?? null,
    source: { coupon: coupon.id, type: 'coupon' },
    start,
    subscription: owner.subscription,
    subscription_item: null,
  };
  return op.store.objects.discount.set(discount);
}

export function couponOf(op: Op, discount: Stripe.Discount): Stripe.Coupon | null {
  return op.store.objects.coupon.get(idOf(discount.source.coupon) ?? '') ?? null;
}

/**
 * What each coupon takes off each discountable line: percentages line by line, fixed amounts
 * spread over the positive lines (never below zero). Returns per-line amounts and the total.
 */
export function discountLines(
  coupons: Array<{ id: string; coupon: Stripe.Coupon }>,
  lines: Array<{ amount: number; discountable: boolean }>,
): { perLine: Array<Array<{ amount: number; discount: string }>>; total: number } {
  const perLine = lines.map(() => [] as Array<{ amount: number; discount: string }>);
  const remaining = lines.map((line) => (line.discountable ? line.amount : 0));
  let total = 0;
  for (const { id, coupon } of coupons) {
    if (coupon.percent_off !== null) {
      remaining.forEach((amount, index) => {
        const off = Math.round((amount * (coupon.percent_off ?? 0)) / 100);
        if (!off) return;
        perLine[index]?.push({ amount: off, discount: id });
        remaining[index] = amount - off;
        total += off;
      });
    } else if (coupon.amount_off !== null) {
      const positive = remaining.reduce((sum, amount) => sum + Math.max(0, amount), 0);
      let left = Math.min(coupon.amount_off, positive);
      remaining.forEach((amount, index) => {
        if (amount <= 0 || left <= 0) return;
        const off = Math.min(amount, left);
        perLine[index]?.push({ amount: off, discount: id });
        remaining[index] = amount - off;
        left -= off;
        total += off;
      });
    }
  }
  return { perLine, total };
}

/** The Discount objects of a subscription that still apply at `time`. */
export function activeDiscounts(
  op: Op,
  ids: Array<string | { id: string }>,
  time: number,
): Stripe.Discount[] {
  return ids
    .map((ref) => op.store.objects.discount.get(idOf(ref) ?? ''))
    .filter((d): d is Stripe.Discount => !!d && (d.end === null || d.end > time));
}

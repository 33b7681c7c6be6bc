import type Stripe from 'stripe';
import { refreshCoupon } from '../billing/discounts';
import type { Emulator } from '../emulator';
import { newId, randomString } from '../ids';
import type { Op } from '../op';
import type { Full } from '../types';
import { invalidRequest, paramError } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import {
  bool,
  inRange,
  int,
  list,
  metadata,
  nullableStr,
  obj,
  oneOf,
  pagination,
  parseShape,
  range,
  req,
  str,
} from '../wire/params';
import { fromParam, fromPath, mergeMetadata, deleteWithTombstone, retrieve } from './common';
import { idOf } from '../values';

const couponShape = {
  id: str({ max: 200 }),
  name: str({ max: 40 }),
  percent_off: str(),
  amount_off: int({ min: 1 }),
  currency: str(),
  duration: oneOf(['once', 'repeating', 'forever']),
  duration_in_months: int({ min: 1 }),
  max_redemptions: int({ min: 1 }),
  redeem_by: int(),
  metadata: metadata(),
  applies_to: obj({ products: list(str()) }),
};

function createCoupon(op: Op, params: ReturnType<typeof parseShape<typeof couponShape>>): Stripe.Coupon {
  if ((params.percent_off === undefined) === (params.amount_off === undefined)) {
    throw invalidRequest('You must pass exactly one of percent_off or amount_off.', { validation: true });
  }
  const percent = params.percent_off === undefined ? null : Number(params.percent_off);
  if (percent !== null && !(percent > 0 && percent <= 100))
    throw paramError('Invalid percent_off: must be greater than 0 and at most 100.', 'percent_off');
  if (params.amount_off !== undefined && !params.currency)
    throw paramError('Missing required param: currency.', 'currency', 'parameter_missing');
  const duration = params.duration ?? 'once';
  if (duration === 'repeating' && !params.duration_in_months) {
    throw paramError(
      'Missing required param: duration_in_months.',
      'duration_in_months',
      'parameter_missing',
    );
  }
  if (duration !== 'repeating' && params.duration_in_months !== undefined) {
    throw paramError('duration_in_months can only be set when duration is repeating.', 'duration_in_months');
  }
  if (params.redeem_by !== undefined && params.redeem_by <= op.now())
    throw paramError('redeem_by must be in the future.', 'redeem_by');
  const id = params.id ?? randomString(8);
  if (op.store.objects.coupon.has(id) || op.store.internal.tombstone.has(id)) {
    throw invalidRequest('Coupon already exists.', { param: 'id', code: 'resource_already_exists' });
  }
  const coupon: Full<Stripe.Coupon, 'applies_to' | 'currency_options' | 'deleted'> = {
    id,
    object: 'coupon',
    amount_off: params.amount_off ?? null,
    created: op.now(),
    currency: params.currency?.toLowerCase() ?? null,
    duration,
    duration_in_months: params.duration_in_months ?? null,
    livemode: false,
    max_redemptions: params.max_redemptions ?? null,
    metadata: mergeMetadata({}, params.metadata),
    name: params.name ?? null,
    percent_off: percent,
    redeem_by: params.redeem_by ?? null,
    times_redeemed: 0,
    valid: true,
  };
  const stored: Stripe.Coupon = params.applies_to?.products
    ? { ...coupon, applies_to: { products: params.applies_to.products } }
    : coupon;
  op.store.objects.coupon.set(stored);
  op.emit('coupon.created', stored);
  return stored;
}

function registerCoupons(emu: Emulator): void {
  const table = emu.store.objects.coupon;
  emu.api.add({
    method: 'POST',
    path: '/v1/coupons',
    handler: ({ op, input }) => createCoupon(op, parseShape(couponShape, input)),
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/coupons/:id',
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      return op.store.internal.tombstone.get(id) ?? refreshCoupon(op, fromPath(table, id, 'coupon'));
    },
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/coupons/:id',
    handler: ({ op, id, input }) => {
      const coupon = fromPath(table, id, 'coupon');
      const params = parseShape({ name: nullableStr(), metadata: metadata() }, input);
      const before = structuredClone(coupon);
      if (params.name !== undefined) coupon.name = params.name;
      coupon.metadata = mergeMetadata(coupon.metadata, params.metadata);
      table.set(coupon);
      op.emitUpdated('coupon.updated', before, coupon);
      return coupon;
    },
  });
  emu.api.add({
    method: 'DELETE',
    path: '/v1/coupons/:id',
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      const coupon = fromPath(table, id, 'coupon');
      const tombstone = deleteWithTombstone(op, table, id, 'coupon');
      op.emit('coupon.deleted', coupon);
      return tombstone;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/coupons',
    handler: ({ op, input }) => {
      const params = parseShape({ ...pagination, created: range() }, input);
      const rows = table
        .values()
        .filter((c) => inRange(c.created, params.created))
        .map((c) => refreshCoupon(op, c));
      return paginate(newestFirst(rows), params, '/v1/coupons');
    },
  });
}

const promotionShape = {
  promotion: req(obj({ type: req(oneOf(['coupon'])), coupon: req(str()) })),
  code: str({ max: 500 }),
  active: bool(),
  customer: str(),
  expires_at: int(),
  max_redemptions: int({ min: 1 }),
  metadata: metadata(),
  restrictions: obj({
    first_time_transaction: bool(),
    minimum_amount: int({ min: 1 }),
    minimum_amount_currency: str(),
  }),
};

function registerPromotionCodes(emu: Emulator): void {
  const table = emu.store.objects.promotion_code;
  emu.api.add({
    method: 'POST',
    path: '/v1/promotion_codes',
    handler: ({ op, input }) => {
      const params = parseShape(promotionShape, input);
      const coupon = fromParam(
        op.store.objects.coupon,
        params.promotion.coupon,
        'coupon',
        'promotion[coupon]',
      );
      if (params.customer) fromParam(op.store.objects.customer, params.customer, 'customer', 'customer');
      const code = params.code ?? randomString(8).toUpperCase();
      if (!/^[a-zA-Z0-9_-]+$/.test(code))
        throw paramError('Promotion codes can only contain letters, digits, dashes and underscores.', 'code');
      if (table.values().some((p) => p.active && p.code.toUpperCase() === code.toUpperCase())) {
        throw invalidRequest('An active promotion code with `code` already exists.', {
          param: 'code',
          code: 'resource_already_exists',
        });
      }
      if (
        params.expires_at !== undefined &&
        coupon.redeem_by !== null &&
        params.expires_at > coupon.redeem_by
      ) {
        throw paramError(
          "The promotion code's expires_at cannot be after the coupon's redeem_by.",
          'expires_at',
        );
      }
      const r = params.restrictions;
      if (r?.minimum_amount !== undefined && !r.minimum_amount_currency) {
        throw paramError(
          'Missing required param: restrictions[minimum_amount_currency].',
          'restrictions[minimum_amount_currency]',
          'parameter_missing',
        );
      }
      const promotion: Stripe.PromotionCode = {
        id: newId('promo'),
        object: 'promotion_code',
        active: params.active ?? true,
        code,
        created: op.now(),
        customer: params.customer ?? null,
        customer_account: null,
        expires_at: params.expires_at ?? null,
        livemode: false,
        max_redemptions: params.max_redemptions ?? null,
        metadata: mergeMetadata({}, params.metadata),
        promotion: { type: 'coupon', coupon: coupon.id },
        restrictions: {
          first_time_transaction: r?.first_time_transaction ?? false,
          minimum_amount: r?.minimum_amount ?? null,
          minimum_amount_currency: r?.minimum_amount_currency?.toLowerCase() ?? null,
        },
        times_redeemed: 0,
      };
      table.set(promotion);
      op.emit('promotion_code.created', promotion);
      return promotion;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/promotion_codes/:id',
    handler: ({ id, input }) => retrieve(table, id, input, 'promotion_code'),
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/promotion_codes/:id',
    handler: ({ op, id, input }) => {
      const promotion = fromPath(table, id, 'promotion_code');
      const params = parseShape({ active: bool(), metadata: metadata() }, input);
      const before = structuredClone(promotion);
      if (params.active !== undefined) promotion.active = params.active;
      promotion.metadata = mergeMetadata(promotion.metadata, params.metadata);
      table.set(promotion);
      op.emitUpdated('promotion_code.updated', before, promotion);
      return promotion;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/promotion_codes',
    handler: ({ input }) => {
      const params = parseShape(
        { ...pagination, code: str(), active: bool(), coupon: str(), customer: str(), created: range() },
        input,
      );
      const rows = table
        .values()
        .filter(
          (p) =>
            (params.code === undefined || p.code.toUpperCase() === params.code.toUpperCase()) &&
            (params.active === undefined || p.active === params.active) &&
            (params.coupon === undefined || idOf(p.promotion.coupon) === params.coupon) &&
            (params.customer === undefined || idOf(p.customer) === params.customer) &&
            inRange(p.created, params.created),
        );
      return paginate(newestFirst(rows), params, '/v1/promotion_codes');
    },
  });
}

export function registerCouponsAndPromotionCodes(emu: Emulator): void {
  registerCoupons(emu);
  registerPromotionCodes(emu);
}

import type Stripe from 'stripe';
import { createDiscount, resolveDiscounts } from '../billing/discounts';
import {
  cancelNow,
  createSubscription,
  finishCreation,
  resume,
  startSubscription,
} from '../billing/lifecycle';
import { applyItemChanges, planItemChanges } from '../billing/item-changes';
import { createPendingSetup } from '../billing/pending-setup';
import { billChange } from '../billing/prorations';
import { announce, periodOf, saveSubscription, stateOf } from '../billing/subscriptions';
import { DAY, enterCustomerTime } from '../billing/time';
import type { Emulator } from '../emulator';
import type { Op } from '../op';
import type { PriceObject, SubscriptionObject } from '../types';
import { ApiError, invalidRequest, paramError } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import {
  bool,
  type Infer,
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
import { fromParam, fromPath, mergeMetadata, retrieve } from './common';
import { idOf } from '../values';

const discountsParam = list(obj({ coupon: str(), promotion_code: str(), discount: str() }));
const prorationBehavior = oneOf(['create_prorations', 'always_invoice', 'none']);

const createShape = {
  customer: req(str()),
  items: req(list(obj({ price: req(str()), quantity: int({ min: 1 }), metadata: metadata() }))),
  default_payment_method: str(),
  trial_period_days: int({ min: 0, max: 730 }),
  trial_end: str(),
  trial_from_plan: bool(),
  metadata: metadata(),
  description: str(),
  discounts: discountsParam,
  payment_behavior: oneOf(['allow_incomplete', 'default_incomplete', 'error_if_incomplete']),
  off_session: bool(),
  cancel_at_period_end: bool(),
  collection_method: oneOf(['charge_automatically']),
  proration_behavior: prorationBehavior,
  trial_settings: obj({
    end_behavior: obj({ missing_payment_method: oneOf(['cancel', 'create_invoice', 'pause']) }),
  }),
  payment_settings: obj({
    save_default_payment_method: oneOf(['off', 'on_subscription']),
    payment_method_types: list(oneOf(['card'])),
  }),
};

const updateShape = {
  items: list(
    obj({
      id: str(),
      price: str(),
      quantity: int({ min: 1 }),
      metadata: metadata(),
      deleted: bool(),
      clear_usage: bool(),
    }),
  ),
  proration_behavior: prorationBehavior,
  proration_date: int(),
  cancel_at_period_end: bool(),
  metadata: metadata(),
  default_payment_method: nullableStr(),
  description: nullableStr(),
  discounts: discountsParam,
  payment_behavior: oneOf([
    'allow_incomplete',
    'default_incomplete',
    'error_if_incomplete',
    'pending_if_incomplete',
  ]),
  off_session: bool(),
  cancellation_details: obj({ comment: nullableStr(), feedback: nullableStr() }),
};

/** An active recurring price, as subscription items require. */
export function recurringPrice(op: Op, id: string, param: string): PriceObject {
  const price = fromParam(op.store.objects.price, id, 'price', param);
  if (!price.active)
    throw invalidRequest('The price specified is inactive. This field only accepts active prices.', {
      param,
    });
  if (!price.recurring) {
    throw invalidRequest(
      'The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.',
      { param },
    );
  }
  return price;
}

/** A payment method that must already belong to the customer. */
export function ownedPaymentMethod(op: Op, id: string, customer: string, param: string): string {
  const pm = op.store.objects.payment_method.get(id);
  if (!pm || idOf(pm.customer) !== customer) {
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${id}. The payment method must be attached to the customer.`,
      { param, code: 'resource_missing' },
    );
  }
  return pm.id;
}

function trialEnd(op: Op, params: Infer<typeof createShape>, prices: PriceObject[]): number | null {
  if (params.trial_end !== undefined && params.trial_period_days !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: trial_end, trial_period_days.', {
      validation: true,
    });
  }
  const now = op.now();
  if (params.trial_end === 'now') return null;
  if (params.trial_end !== undefined) {
    const end = int().parse(params.trial_end, 'trial_end');
    if (end <= now)
      throw paramError('Invalid timestamp: must be an integer Unix timestamp in the future.', 'trial_end');
    return end;
  }
  if (params.trial_period_days) return now + params.trial_period_days * DAY;
  const fromPlan = prices[0]?.recurring?.trial_period_days;
  return params.trial_from_plan && fromPlan ? now + fromPlan * DAY : null;
}

function create(op: Op, params: Infer<typeof createShape>): SubscriptionObject {
  const customer = fromParam(op.store.objects.customer, params.customer, 'customer', 'customer');
  enterCustomerTime(op, customer);
  if (!params.items.length) throw paramError('Missing required param: items.', 'items', 'parameter_missing');
  const prices = params.items.map((item, i) => recurringPrice(op, item.price, `items[${i}][price]`));
  const first = prices[0];
  if (
    prices.some((p) => p.currency !== first?.currency || p.recurring?.interval !== first?.recurring?.interval)
  ) {
    throw invalidRequest(
      'All prices on a subscription must have the same `recurring.interval` and currency.',
      { param: 'items' },
    );
  }
  const pm = params.default_payment_method
    ? ownedPaymentMethod(op, params.default_payment_method, customer.id, 'default_payment_method')
    : null;
  const amount = params.items.reduce(
    (sum, item, i) => sum + (prices[i]?.unit_amount ?? 0) * (item.quantity ?? 1),
    0,
  );
  const discounts = resolveDiscounts(op, params.discounts, {
    customer: customer.id,
    amount,
    currency: first?.currency ?? 'usd',
  });
  const sub = createSubscription(op, {
    customer,
    items: params.items.map((item, i) => ({
      price: prices[i] as PriceObject,
      quantity: item.quantity ?? 1,
      metadata: mergeMetadata({}, item.metadata),
    })),
    metadata: mergeMetadata({}, params.metadata),
    description: params.description ?? null,
    default_payment_method: pm,
    trial_end: trialEnd(op, params, prices),
    cancel_at_period_end: params.cancel_at_period_end ?? false,
    discounts,
    checkout_session: null,
    missing_payment_method: params.trial_settings?.end_behavior?.missing_payment_method ?? 'create_invoice',
  });
  if (params.payment_settings?.save_default_payment_method)
    sub.payment_settings = {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: params.payment_settings.save_default_payment_method,
    };
  const behavior = params.payment_behavior ?? 'allow_incomplete';
  const { invoice, outcome } = startSubscription(op, sub, {
    behavior,
    offSession: params.off_session ?? false,
    returnUrl: null,
  });
  if (behavior === 'error_if_incomplete' && outcome && outcome.status !== 'succeeded') {
    op.emu.billing.creating.delete(sub.id);
    sub.status = 'incomplete_expired';
    saveSubscription(op, sub);
    if (outcome.status === 'failed') throw new ApiError(402, outcome.error);
    throw invalidRequest(
      outcome.status === 'no_payment_method'
        ? outcome.message
        : 'This payment requires additional user action before it can be completed successfully.',
      {
        code:
          outcome.status === 'no_payment_method'
            ? 'resource_missing'
            : 'invoice_payment_intent_requires_action',
      },
    );
  }
  if (behavior === 'default_incomplete' && invoice.status === 'paid') createPendingSetup(op, sub);
  finishCreation(op, sub);
  return sub;
}

function update(op: Op, sub: SubscriptionObject, params: Infer<typeof updateShape>): SubscriptionObject {
  const customer = idOf(sub.customer) ?? '';
  enterCustomerTime(op, customer);
  const ended = sub.status === 'canceled' || sub.status === 'incomplete_expired';
  const allowedWhenEnded = ['metadata', 'cancellation_details'];
  if (ended && Object.keys(params).some((key) => !allowedWhenEnded.includes(key))) {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
  }
  const itemPlan = planItemChanges(op, sub, params.items ?? []);
  const before = structuredClone(sub);
  const now = op.now();
  sub.metadata = mergeMetadata(sub.metadata, params.metadata);
  if (params.description !== undefined) sub.description = params.description;
  if (params.default_payment_method !== undefined) {
    sub.default_payment_method = params.default_payment_method
      ? ownedPaymentMethod(op, params.default_payment_method, customer, 'default_payment_method')
      : null;
  }
  if (params.cancellation_details) {
    const details = sub.cancellation_details ?? {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: null,
    };
    if (params.cancellation_details.comment !== undefined)
      details.comment = params.cancellation_details.comment;
    if (params.cancellation_details.feedback !== undefined)
      details.feedback = params.cancellation_details
        .feedback as Stripe.Subscription.CancellationDetails.Feedback | null;
    sub.cancellation_details = details;
  }
  if (params.cancel_at_period_end !== undefined) {
    sub.cancel_at_period_end = params.cancel_at_period_end;
    sub.cancel_at = params.cancel_at_period_end ? periodOf(sub).end : null;
    sub.canceled_at = params.cancel_at_period_end ? now : null;
    const details = sub.cancellation_details ?? {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: null,
    };
    sub.cancellation_details = {
      ...details,
      reason: params.cancel_at_period_end ? 'cancellation_requested' : null,
    };
  }
  if (params.discounts !== undefined) {
    const amount = sub.items.data.reduce(
      (sum, item) => sum + (item.price.unit_amount ?? 0) * (item.quantity ?? 1),
      0,
    );
    const resolved = resolveDiscounts(op, params.discounts, { customer, amount, currency: sub.currency });
    sub.discounts = resolved.map(
      (d) => createDiscount(op, d, { customer, subscription: sub.id, checkout_session: null }).id,
    );
  }
  const invoice = applyItemChanges(op, sub, itemPlan, {
    behavior: params.proration_behavior ?? 'create_prorations',
    at: params.proration_date ?? now,
  });
  if (stateOf(op, sub).announced) announce(op, 'customer.subscription.updated', sub, before);
  else saveSubscription(op, sub);
  billChange(op, sub, invoice);
  return sub;
}

export function registerSubscriptions(emu: Emulator): void {
  const table = emu.store.objects.subscription;
  const url = '/v1/subscriptions';

  emu.includes.set('customer:subscriptions', (owner) => {
    const rows = table.values().filter((s) => s.customer === owner.id && s.status !== 'canceled');
    return paginate(newestFirst(rows), { limit: 100 }, `/v1/customers/${String(owner.id)}/subscriptions`);
  });

  emu.api.add({
    method: 'POST',
    path: url,
    handler: ({ op, input }) => create(op, parseShape(createShape, input)),
  });
  emu.api.add({
    method: 'GET',
    path: `${url}/:id`,
    handler: ({ id, input }) => retrieve(table, id, input, 'subscription'),
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id`,
    handler: ({ op, id, input }) =>
      update(op, fromPath(table, id, 'subscription'), parseShape(updateShape, input)),
  });
  emu.api.add({
    method: 'DELETE',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      const sub = fromPath(table, id, 'subscription');
      const params = parseShape(
        {
          invoice_now: bool(),
          prorate: bool(),
          cancellation_details: obj({ comment: nullableStr(), feedback: nullableStr() }),
        },
        input,
      );
      if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
        throw invalidRequest(
          `This subscription is already ${sub.status === 'canceled' ? 'canceled' : 'expired'}.`,
          { code: 'resource_missing' },
        );
      }
      enterCustomerTime(op, sub.customer);
      if (params.cancellation_details?.comment !== undefined) {
        sub.cancellation_details = {
          comment: params.cancellation_details.comment,
          feedback: null,
          feedback_option: null,
          reason: null,
        };
      }
      cancelNow(op, sub, { prorate: params.prorate ?? false, invoiceNow: params.invoice_now ?? false });
      return sub;
    },
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id/resume`,
    handler: ({ op, id, input }) => {
      const sub = fromPath(table, id, 'subscription');
      parseShape(
        {
          billing_cycle_anchor: oneOf(['now', 'unchanged']),
          proration_behavior: prorationBehavior,
          payment_behavior: oneOf(['resume_on_payment_attempt', 'resume_on_payment_success']),
        },
        input,
      );
      if (sub.status !== 'paused')
        throw invalidRequest('Subscription must be paused to be resumed.', {
          code: 'subscription_unexpected_state',
        });
      enterCustomerTime(op, sub.customer);
      resume(op, sub);
      return sub;
    },
  });
  emu.api.add({
    method: 'GET',
    path: url,
    handler: ({ input }) => {
      const statuses = [
        'active',
        'all',
        'canceled',
        'ended',
        'incomplete',
        'incomplete_expired',
        'past_due',
        'paused',
        'trialing',
        'unpaid',
      ] as const;
      const params = parseShape(
        {
          ...pagination,
          customer: str(),
          price: str(),
          plan: str(),
          status: oneOf(statuses),
          created: range(),
          test_clock: str(),
          collection_method: oneOf(['charge_automatically', 'send_invoice']),
        },
        input,
      );
      const statusOk = (status: string) => {
        if (params.status === undefined) return status !== 'canceled';
        if (params.status === 'all') return true;
        if (params.status === 'ended') return status === 'canceled' || status === 'incomplete_expired';
        return status === params.status;
      };
      const rows = table
        .values()
        .filter(
          (s) =>
            statusOk(s.status) &&
            (params.customer === undefined || idOf(s.customer) === params.customer) &&
            (params.price === undefined || s.items.data.some((i) => i.price.id === params.price)) &&
            (params.plan === undefined || s.items.data.some((i) => i.price.id === params.plan)) &&
            (params.test_clock === undefined || idOf(s.test_clock) === params.test_clock) &&
            inRange(s.created, params.created),
        );
      return paginate(newestFirst(rows), params, url);
    },
  });
}

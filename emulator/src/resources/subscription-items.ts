import {
  addItem,
  assertAddable,
  assertChangeable,
  assertNoClearUsage,
  assertNotLast,
  findItem,
  prorationInvoice,
  removeItem,
} from '../billing/items';
import { billChange, changeItem } from '../billing/prorations';
import { changed } from '../billing/subscriptions';
import { enterCustomerTime } from '../billing/time';
import type { Emulator } from '../emulator';
import type { Op } from '../op';
import type { InvoiceObject, SubscriptionItemObject, SubscriptionObject } from '../types';
import { invalidRequest, resourceMissing } from '../wire/errors';
import { paginate } from '../wire/list';
import { bool, int, metadata, oneOf, pagination, parseShape, req, str } from '../wire/params';
import { fromParam, mergeMetadata } from './common';
import { recurringPrice } from './subscriptions';

// `/v1/subscription_items`: an item lives inside its subscription; every change here is a
// subscription change (`customer.subscription.updated`, prorations, entitlements).

const prorationBehavior = oneOf(['create_prorations', 'always_invoice', 'none']);
const paymentBehavior = oneOf([
  'allow_incomplete',
  'default_incomplete',
  'error_if_incomplete',
  'pending_if_incomplete',
]);

function itemFromPath(op: Op, id: string): { sub: SubscriptionObject; item: SubscriptionItemObject } {
  const found = findItem(op, id);
  if (!found) throw resourceMissing('subscription_item', id, 'id', 404);
  return found;
}

/** Runs a change to a subscription's items as one subscription update. */
function change<T>(
  op: Op,
  sub: SubscriptionObject,
  apply: () => { result: T; invoice: InvoiceObject | null },
): T {
  assertChangeable(sub);
  enterCustomerTime(op, sub.customer);
  const before = structuredClone(sub);
  const { result, invoice } = apply();
  changed(op, sub, before);
  billChange(op, sub, invoice);
  return result;
}

export function registerSubscriptionItems(emu: Emulator): void {
  const url = '/v1/subscription_items';

  emu.api.add({
    method: 'POST',
    path: url,
    handler: ({ op, input }) => {
      const params = parseShape(
        {
          subscription: req(str()),
          price: req(str()),
          quantity: int({ min: 1 }),
          metadata: metadata(),
          proration_behavior: prorationBehavior,
          proration_date: int(),
          payment_behavior: paymentBehavior,
        },
        input,
      );
      const sub = fromParam(
        op.store.objects.subscription,
        params.subscription,
        'subscription',
        'subscription',
      );
      const price = recurringPrice(op, params.price, 'price');
      assertChangeable(sub);
      assertAddable(sub, price, sub.items.data, 'price');
      return change(op, sub, () => {
        const behavior = params.proration_behavior ?? 'create_prorations';
        const at = params.proration_date ?? op.now();
        const input = { price, quantity: params.quantity ?? 1, metadata: mergeMetadata({}, params.metadata) };
        const { item, prorated } = addItem(op, sub, input, behavior, at);
        const invoice = prorated && behavior === 'always_invoice' ? prorationInvoice(op, sub, at) : null;
        return { result: item, invoice };
      });
    },
  });

  emu.api.add({
    method: 'GET',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      return itemFromPath(op, id).item;
    },
  });

  emu.api.add({
    method: 'POST',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      const params = parseShape(
        {
          price: str(),
          quantity: int({ min: 1 }),
          metadata: metadata(),
          proration_behavior: prorationBehavior,
          proration_date: int(),
          payment_behavior: paymentBehavior,
          off_session: bool(),
        },
        input,
      );
      const { sub, item } = itemFromPath(op, id);
      const price = params.price ? recurringPrice(op, params.price, 'price') : item.price;
      if (price.id !== item.price.id) {
        const others = sub.items.data.filter((i) => i.id !== item.id);
        if (others.length) assertAddable(sub, price, others, 'price');
      }
      return change(op, sub, () => {
        item.metadata = mergeMetadata(item.metadata, params.metadata);
        const invoice = changeItem(
          op,
          sub,
          { itemId: item.id, price, quantity: params.quantity ?? item.quantity ?? 1 },
          params.proration_behavior ?? 'create_prorations',
          params.proration_date ?? op.now(),
        );
        return { result: item, invoice };
      });
    },
  });

  emu.api.add({
    method: 'DELETE',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      const params = parseShape(
        {
          clear_usage: bool(),
          proration_behavior: prorationBehavior,
          proration_date: int(),
          payment_behavior: paymentBehavior,
        },
        input,
      );
      const { sub, item } = itemFromPath(op, id);
      assertChangeable(sub);
      assertNoClearUsage(params.clear_usage, 'clear_usage');
      assertNotLast(sub.items.data.length - 1, 'id');
      return change(op, sub, () => {
        const behavior = params.proration_behavior ?? 'create_prorations';
        const at = params.proration_date ?? op.now();
        const prorated = removeItem(op, sub, item.id, behavior, at);
        const invoice = prorated && behavior === 'always_invoice' ? prorationInvoice(op, sub, at) : null;
        return {
          result: { id: item.id, object: 'subscription_item' as const, deleted: true as const },
          invoice,
        };
      });
    },
  });

  emu.api.add({
    method: 'GET',
    path: url,
    handler: ({ op, input }) => {
      const params = parseShape({ ...pagination, subscription: req(str()) }, input);
      const sub = op.store.objects.subscription.get(params.subscription);
      if (!sub)
        throw invalidRequest(`No such subscription: '${params.subscription}'`, {
          param: 'subscription',
          code: 'resource_missing',
        });
      return paginate(sub.items.data, params, `${url}?subscription=${sub.id}`);
    },
  });
}

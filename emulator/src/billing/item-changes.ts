import type { Op } from '../op';
import { idOf } from '../values';
import type { InvoiceObject, PriceObject, SubscriptionObject } from '../types';
import { invalidRequest } from '../wire/errors';
import { recurringPrice } from '../resources/subscriptions';
import { mergeMetadata } from '../resources/common';
import {
  addItem,
  assertAddable,
  assertNoClearUsage,
  assertNotLast,
  prorationInvoice,
  removeItem,
} from './items';
import { pendingItems } from './invoice-build';
import { changeItem, type ProrationBehavior } from './prorations';

// `items` on a subscription update: `{id, deleted: true}` removes an item, `{price}` without an id
// adds one, `{id, price?, quantity?}` changes one. Everything is checked before anything changes;
// then adds, changes and removals apply together, and `always_invoice` bills all their prorations on
// one invoice.

export interface ItemParam {
  id?: string;
  price?: string;
  quantity?: number;
  metadata?: Record<string, string | null> | null;
  deleted?: boolean;
  clear_usage?: boolean;
}

type Planned =
  | { kind: 'add'; price: PriceObject; quantity: number; metadata: Record<string, string> }
  | { kind: 'change'; id: string; price: PriceObject; quantity: number; metadata: ItemParam['metadata'] }
  | { kind: 'remove'; id: string };

/** Validates every entry (Stripe's messages); throws before the subscription is touched. */
export function planItemChanges(op: Op, sub: SubscriptionObject, items: ItemParam[]): Planned[] {
  const plan: Planned[] = items.map((change, index) => {
    const param = `items[${index}]`;
    assertNoClearUsage(change.clear_usage, `${param}[clear_usage]`);
    if (!change.id) {
      if (change.deleted)
        throw invalidRequest('Missing required param: items[id] when deleting an item.', {
          param: `${param}[id]`,
        });
      if (!change.price)
        throw invalidRequest('Missing required param: price.', {
          param: `${param}[price]`,
          code: 'parameter_missing',
        });
      return {
        kind: 'add',
        price: recurringPrice(op, change.price, `${param}[price]`),
        quantity: change.quantity ?? 1,
        metadata: mergeMetadata({}, change.metadata),
      };
    }
    const item = sub.items.data.find((i) => i.id === change.id);
    if (!item)
      throw invalidRequest(
        `Invalid subscription_item id: ${change.id}. The item does not belong to this subscription.`,
        { param: `${param}[id]`, code: 'resource_missing' },
      );
    if (change.deleted) return { kind: 'remove', id: item.id };
    return {
      kind: 'change',
      id: item.id,
      price: change.price ? recurringPrice(op, change.price, `${param}[price]`) : item.price,
      quantity: change.quantity ?? item.quantity ?? 1,
      metadata: change.metadata,
    };
  });
  const removed = new Set(plan.flatMap((p) => (p.kind === 'remove' ? [p.id] : [])));
  const kept = sub.items.data.filter((i) => !removed.has(i.id));
  // What the subscription will hold: each price once, one interval and currency.
  const prices: PriceObject[] = kept.map((i) => {
    const changed = plan.find((p) => p.kind === 'change' && p.id === i.id);
    return changed && changed.kind === 'change' ? changed.price : i.price;
  });
  plan.forEach((p, index) => {
    if (p.kind !== 'add') return;
    assertAddable(
      sub,
      p.price,
      prices.map((price) => ({ price })),
      `items[${index}][price]`,
    );
    prices.push(p.price);
  });
  // A changed price must fit the other items too (a lone item may move to another interval).
  if (prices.length > 1)
    prices.slice(1).forEach((price) => assertAddable(sub, price, [{ price: prices[0]! }], `items`));
  if (plan.some((p) => p.kind !== 'change')) assertNotLast(prices.length, 'items');
  return plan;
}

/** Applies a checked plan. Returns the invoice to issue after the update is announced, if any. */
export function applyItemChanges(
  op: Op,
  sub: SubscriptionObject,
  plan: Planned[],
  options: { behavior: ProrationBehavior; at: number },
): InvoiceObject | null {
  // Prorations pile up as pending items; `always_invoice` then bills them on one invoice.
  const pendingBehavior = options.behavior === 'always_invoice' ? 'create_prorations' : options.behavior;
  const customer = idOf(sub.customer) ?? '';
  const pendingBefore = pendingItems(op, customer, sub.id).length;
  let invoice: InvoiceObject | null = null;
  for (const p of plan) {
    if (p.kind === 'add') {
      addItem(op, sub, p, pendingBehavior, options.at);
    } else if (p.kind === 'change') {
      const item = sub.items.data.find((i) => i.id === p.id);
      if (!item) continue;
      item.metadata = mergeMetadata(item.metadata, p.metadata);
      const samePrice = item.price.id === p.price.id && (item.quantity ?? 1) === p.quantity;
      if (samePrice) continue;
      invoice =
        changeItem(
          op,
          sub,
          { itemId: item.id, price: p.price, quantity: p.quantity },
          pendingBehavior,
          options.at,
        ) ?? invoice;
    }
  }
  for (const p of plan) if (p.kind === 'remove') removeItem(op, sub, p.id, pendingBehavior, options.at);
  if (invoice) return invoice;
  const prorated = pendingItems(op, customer, sub.id).length > pendingBefore;
  return prorated && options.behavior === 'always_invoice' ? prorationInvoice(op, sub, options.at) : null;
}

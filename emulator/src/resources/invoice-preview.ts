import type Stripe from 'stripe';
import { previewInvoice, previewNewSubscription } from '../billing/preview';
import type { ItemChange } from '../billing/prorations';
import { enterCustomerTime } from '../billing/time';
import type { Emulator } from '../emulator';
import type { Op } from '../op';
import { idOf } from '../values';
import { invalidRequest, paramError } from '../wire/errors';
import { bool, int, list, metadata, obj, oneOf, parseShape, str, type Infer } from '../wire/params';
import { fromParam } from './common';
import { recurringPrice } from './subscriptions';

const previewShape = {
  customer: str(),
  subscription: str(),
  subscription_details: obj({
    items: list(
      obj({ id: str(), price: str(), quantity: int({ min: 1 }), metadata: metadata(), deleted: bool() }),
    ),
    proration_behavior: oneOf(['create_prorations', 'always_invoice', 'none']),
    proration_date: int(),
    trial_end: str(),
  }),
};

function preview(op: Op, params: Infer<typeof previewShape>) {
  if (!params.customer && !params.subscription) {
    throw invalidRequest(
      'Missing required param: customer. You must provide a customer or a subscription to preview an invoice.',
      { param: 'customer', code: 'parameter_missing', validation: true },
    );
  }
  const sub = params.subscription
    ? fromParam(op.store.objects.subscription, params.subscription, 'subscription', 'subscription')
    : null;
  const customerId = params.customer ?? idOf(sub?.customer) ?? '';
  const customer = fromParam(op.store.objects.customer, customerId, 'customer', 'customer');
  if (sub && idOf(sub.customer) !== customer.id)
    throw paramError(
      `The subscription ${sub.id} does not belong to customer ${customer.id}.`,
      'subscription',
    );
  const details = params.subscription_details ?? {};
  enterCustomerTime(op, customer);
  if (!sub && details.items?.length) return newSubscription(op, customer, details);
  if (details.trial_end !== undefined)
    throw paramError(
      'The emulator previews `trial_end` for a new subscription only.',
      'subscription_details[trial_end]',
    );
  const changes: ItemChange[] = (details.items ?? []).map((change, index) => {
    const item = sub?.items.data.find((i) => i.id === change.id);
    if (!change.id || !item)
      throw paramError(
        'The emulator can only preview changes to existing subscription items (pass items[i][id]).',
        `subscription_details[items][${index}][id]`,
      );
    if (change.deleted)
      throw paramError(
        'The emulator cannot delete subscription items; change the price instead.',
        `subscription_details[items][${index}][deleted]`,
      );
    const price = change.price
      ? recurringPrice(op, change.price, `subscription_details[items][${index}][price]`)
      : item.price;
    return { itemId: item.id, price, quantity: change.quantity ?? item.quantity ?? 1 };
  });
  return previewInvoice(op, {
    customer,
    subscription: sub,
    changes,
    behavior: details.proration_behavior ?? 'create_prorations',
    prorationDate: details.proration_date ?? null,
  });
}

type Details = NonNullable<Infer<typeof previewShape>['subscription_details']>;

/** The first invoice of a subscription the customer would start now with these items. */
function newSubscription(op: Op, customer: Stripe.Customer, details: Details) {
  const items = (details.items ?? []).map((item, index) => {
    const param = `subscription_details[items][${index}]`;
    if (item.id !== undefined || item.deleted !== undefined)
      throw paramError(
        'A new subscription has no items to change yet (leave out id and deleted).',
        `${param}[id]`,
      );
    if (!item.price)
      throw paramError(`Missing required param: ${param}[price].`, `${param}[price]`, 'parameter_missing');
    return { price: recurringPrice(op, item.price, `${param}[price]`), quantity: item.quantity ?? 1 };
  });
  const first = items[0]?.price;
  if (
    items.some(
      ({ price }) =>
        price.currency !== first?.currency || price.recurring?.interval !== first?.recurring?.interval,
    )
  )
    throw invalidRequest(
      'All prices on a subscription must have the same `recurring.interval` and currency.',
      {
        param: 'subscription_details[items]',
      },
    );
  let trialEnd: number | null = null;
  if (details.trial_end !== undefined && details.trial_end !== 'now') {
    trialEnd = int().parse(details.trial_end, 'subscription_details[trial_end]');
    if (trialEnd <= op.now())
      throw paramError(
        'Invalid timestamp: must be an integer Unix timestamp in the future.',
        'subscription_details[trial_end]',
      );
  }
  return previewNewSubscription(op, customer, items, trialEnd);
}

export function registerInvoicePreview(emu: Emulator): void {
  // Before `registerInvoices`: `/v1/invoices/create_preview` is not `/v1/invoices/:id`.
  emu.api.add({
    method: 'POST',
    path: '/v1/invoices/create_preview',
    handler: ({ op, input }) => preview(op, parseShape(previewShape, input)),
  });
}

import { previewInvoice } from '../billing/preview';
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
  if (!sub && details.items?.length)
    throw paramError(
      'The emulator previews changes to an existing subscription only (pass subscription).',
      'subscription_details[items]',
    );
  enterCustomerTime(op, customer);
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

export function registerInvoicePreview(emu: Emulator): void {
  // Before `registerInvoices`: `/v1/invoices/create_preview` is not `/v1/invoices/:id`.
  emu.api.add({
    method: 'POST',
    path: '/v1/invoices/create_preview',
    handler: ({ op, input }) => preview(op, parseShape(previewShape, input)),
  });
}

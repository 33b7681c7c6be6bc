import { createInvoiceItem } from '../billing/invoice-build';
import { enterCustomerTime } from '../billing/time';
import type { Emulator } from '../emulator';
import { invalidRequest, paramError } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import {
  bool,
  inRange,
  int,
  metadata,
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

/** `invoice_payment` objects: how (and whether) each invoice got paid. */
export function registerInvoicePayments(emu: Emulator): void {
  const table = emu.store.objects.invoice_payment;
  emu.api.add({
    method: 'GET',
    path: '/v1/invoice_payments/:id',
    handler: ({ id, input }) => retrieve(table, id, input, 'invoice_payment'),
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/invoice_payments',
    handler: ({ input }) => {
      const params = parseShape(
        {
          ...pagination,
          invoice: str(),
          status: oneOf(['canceled', 'open', 'paid']),
          created: range(),
          payment: obj({ type: req(oneOf(['payment_intent', 'payment_record'])), payment_intent: str() }),
        },
        input,
      );
      const rows = table
        .values()
        .filter(
          (p) =>
            (params.invoice === undefined || idOf(p.invoice) === params.invoice) &&
            (params.status === undefined || p.status === params.status) &&
            (params.payment === undefined ||
              (p.payment.type === params.payment.type &&
                (params.payment.payment_intent === undefined ||
                  idOf(p.payment.payment_intent) === params.payment.payment_intent))) &&
            inRange(p.created, params.created),
        );
      return paginate(newestFirst(rows), params, '/v1/invoice_payments');
    },
  });
}

/** Invoice items: prorations and one-off charges waiting for the next invoice. */
export function registerInvoiceItems(emu: Emulator): void {
  const table = emu.store.objects.invoiceitem;
  const url = '/v1/invoiceitems';
  emu.api.add({
    method: 'POST',
    path: url,
    handler: ({ op, input }) => {
      const params = parseShape(
        {
          customer: req(str()),
          amount: int(),
          currency: str(),
          pricing: obj({ price: str() }),
          quantity: int({ min: 1 }),
          description: str(),
          metadata: metadata(),
          subscription: str(),
          period: obj({ start: req(int()), end: req(int()) }),
        },
        input,
      );
      const customer = fromParam(op.store.objects.customer, params.customer, 'customer', 'customer');
      enterCustomerTime(op, customer);
      const price = params.pricing?.price
        ? fromParam(op.store.objects.price, params.pricing.price, 'price', 'pricing[price]')
        : null;
      if (!price && (params.amount === undefined || !params.currency))
        throw paramError(
          'Missing required param: amount (with currency) or pricing[price].',
          'amount',
          'parameter_missing',
        );
      if (params.subscription)
        fromParam(op.store.objects.subscription, params.subscription, 'subscription', 'subscription');
      const quantity = params.quantity ?? 1;
      return createInvoiceItem(op, {
        customer,
        subscription: params.subscription ?? null,
        subscriptionItem: null,
        amount: price ? (price.unit_amount ?? 0) * quantity : (params.amount ?? 0),
        currency: price?.currency ?? (params.currency ?? 'usd').toLowerCase(),
        description:
          params.description ??
          (price ? (op.store.objects.product.get(idOf(price.product) ?? '')?.name ?? 'Item') : 'Item'),
        period: params.period ?? { start: op.now(), end: op.now() },
        price,
        quantity,
        proration: false,
        metadata: mergeMetadata({}, params.metadata),
      });
    },
  });
  emu.api.add({
    method: 'GET',
    path: `${url}/:id`,
    handler: ({ id, input }) => retrieve(table, id, input, 'invoiceitem'),
  });
  emu.api.add({
    method: 'DELETE',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      const item = fromPath(table, id, 'invoiceitem');
      const invoice = item.invoice ? op.store.objects.invoice.get(idOf(item.invoice) ?? '') : undefined;
      if (invoice && invoice.status !== 'draft')
        throw invalidRequest('This invoice item is on a finalized invoice and cannot be deleted.', {
          code: 'invoice_not_editable',
        });
      const tombstone = deleteWithTombstone(op, table, id, 'invoiceitem');
      op.emit('invoiceitem.deleted', item);
      return tombstone;
    },
  });
  emu.api.add({
    method: 'GET',
    path: url,
    handler: ({ input }) => {
      const params = parseShape(
        { ...pagination, customer: str(), invoice: str(), pending: bool(), created: range() },
        input,
      );
      const rows = table
        .values()
        .filter(
          (i) =>
            (params.customer === undefined || idOf(i.customer) === params.customer) &&
            (params.invoice === undefined || idOf(i.invoice) === params.invoice) &&
            (params.pending === undefined || (i.invoice === null) === params.pending) &&
            inRange(i.date, params.created),
        );
      const ordered = [...rows].reverse().sort((a, b) => b.date - a.date);
      return paginate(ordered, params, url);
    },
  });
}

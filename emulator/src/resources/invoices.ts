import {
  collectInvoice,
  createInvoice,
  finalizeInvoice,
  markPaid,
  markUncollectible,
  saveInvoice,
  voidInvoice,
} from '../billing/invoices';
import { paymentIntentOf } from '../billing/lifecycle';
import { paymentMethodOf } from '../billing/subscriptions';
import { enterCustomerTime } from '../billing/time';
import type { Emulator } from '../emulator';
import type { Op } from '../op';
import type { InvoiceObject } from '../types';
import { ApiError, invalidRequest } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import {
  bool,
  inRange,
  metadata,
  nullableStr,
  oneOf,
  pagination,
  parseShape,
  range,
  req,
  str,
} from '../wire/params';
import { fromParam, fromPath, mergeMetadata, deleteWithTombstone, retrieve } from './common';
import { idOf } from '../values';
import { ownedPaymentMethod } from './subscriptions';

const HOUR = 60 * 60;

/** The card an invoice is charged to when none is named: its own, its subscription's, the customer's. */
function defaultCard(op: Op, invoice: InvoiceObject): string | null {
  const own = idOf(invoice.default_payment_method);
  if (own) return own;
  const sub = op.store.objects.subscription.get(
    idOf(invoice.parent?.subscription_details?.subscription ?? null) ?? '',
  );
  if (sub) return paymentMethodOf(op, sub);
  return (
    idOf(
      op.store.objects.customer.get(idOf(invoice.customer) ?? '')?.invoice_settings.default_payment_method,
    ) ?? null
  );
}

/** Finalizes through the API: auto-advancing invoices are collected about an hour later. */
function finalize(op: Op, invoice: InvoiceObject, autoAdvance: boolean | undefined): InvoiceObject {
  if (autoAdvance !== undefined) invoice.auto_advance = autoAdvance;
  invoice.automatically_finalizes_at = null;
  finalizeInvoice(op, invoice);
  if (invoice.status === 'open' && invoice.auto_advance) {
    invoice.next_payment_attempt = op.now() + HOUR;
    saveInvoice(op, invoice);
  }
  return invoice;
}

export function registerInvoices(emu: Emulator): void {
  const table = emu.store.objects.invoice;
  const url = '/v1/invoices';
  const live = (op: Op, id: string) => {
    const invoice = fromPath(table, id, 'invoice');
    enterCustomerTime(op, invoice.customer);
    return invoice;
  };

  emu.includes.set('invoice:payments', (owner) => {
    const rows = emu.store.objects.invoice_payment.values().filter((p) => p.invoice === owner.id);
    return paginate(newestFirst(rows), { limit: 100 }, `/v1/invoice_payments?invoice=${String(owner.id)}`);
  });
  emu.includes.set('invoice:confirmation_secret', (owner) => {
    const invoice = table.get(String(owner.id));
    const pi = invoice ? paymentIntentOf(emu.op(), invoice) : undefined;
    return pi?.client_secret ? { client_secret: pi.client_secret, type: 'payment_intent' } : null;
  });

  emu.api.add({
    method: 'POST',
    path: url,
    handler: ({ op, input }) => {
      const params = parseShape(
        {
          customer: req(str()),
          auto_advance: bool(),
          collection_method: oneOf(['charge_automatically']),
          currency: str(),
          description: str(),
          metadata: metadata(),
          default_payment_method: str(),
          pending_invoice_items_behavior: oneOf(['include', 'exclude']),
        },
        input,
      );
      const customer = fromParam(op.store.objects.customer, params.customer, 'customer', 'customer');
      enterCustomerTime(op, customer);
      const currency = (params.currency ?? 'usd').toLowerCase();
      const invoice = createInvoice(
        op,
        {
          customer,
          subscription: null,
          billing_reason: 'manual',
          currency,
          lines: [],
          discounts: [],
          period: { start: op.now(), end: op.now() },
          description: params.description ?? null,
          metadata: mergeMetadata({}, params.metadata),
          auto_advance: params.auto_advance ?? false,
        },
        { takePending: params.pending_invoice_items_behavior === 'include' },
      );
      if (params.default_payment_method)
        invoice.default_payment_method = ownedPaymentMethod(
          op,
          params.default_payment_method,
          customer.id,
          'default_payment_method',
        );
      if (invoice.auto_advance) invoice.automatically_finalizes_at = invoice.created + HOUR;
      saveInvoice(op, invoice);
      op.emit('invoice.created', invoice);
      return invoice;
    },
  });
  emu.api.add({
    method: 'GET',
    path: `${url}/:id`,
    handler: ({ id, input }) => retrieve(table, id, input, 'invoice'),
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      const invoice = live(op, id);
      const params = parseShape(
        {
          metadata: metadata(),
          description: nullableStr(),
          footer: nullableStr(),
          auto_advance: bool(),
          default_payment_method: nullableStr(),
        },
        input,
      );
      const before = structuredClone(invoice);
      invoice.metadata = mergeMetadata(invoice.metadata, params.metadata);
      if (params.description !== undefined) invoice.description = params.description;
      if (params.footer !== undefined) invoice.footer = params.footer;
      if (params.auto_advance !== undefined) invoice.auto_advance = params.auto_advance;
      if (params.default_payment_method !== undefined) {
        invoice.default_payment_method = params.default_payment_method
          ? ownedPaymentMethod(
              op,
              params.default_payment_method,
              idOf(invoice.customer) ?? '',
              'default_payment_method',
            )
          : null;
      }
      saveInvoice(op, invoice);
      op.emitUpdated('invoice.updated', before, invoice);
      return invoice;
    },
  });
  emu.api.add({
    method: 'DELETE',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      const invoice = live(op, id);
      if (invoice.status !== 'draft')
        throw invalidRequest('You can only delete draft invoices.', { code: 'invoice_not_editable' });
      for (const item of op.store.objects.invoiceitem.values())
        if (item.invoice === id) op.store.objects.invoiceitem.set({ ...item, invoice: null });
      const tombstone = deleteWithTombstone(op, table, id, 'invoice');
      op.emit('invoice.deleted', invoice);
      return tombstone;
    },
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id/finalize`,
    handler: ({ op, id, input }) =>
      finalize(op, live(op, id), parseShape({ auto_advance: bool() }, input).auto_advance),
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id/pay`,
    handler: ({ op, id, input }) => {
      const invoice = live(op, id);
      const params = parseShape(
        { payment_method: str(), off_session: bool(), paid_out_of_band: bool(), forgive: bool() },
        input,
      );
      if (invoice.status === 'draft') finalize(op, invoice, undefined);
      if (invoice.status === 'paid')
        throw invalidRequest('Invoice is already paid', { code: 'invoice_not_editable' });
      if (invoice.status === 'void')
        throw invalidRequest('This invoice has been voided and cannot be paid.', {
          code: 'invoice_not_editable',
        });
      if (params.paid_out_of_band) {
        markPaid(op, invoice, null);
        return invoice;
      }
      const customer = idOf(invoice.customer) ?? '';
      const card = params.payment_method
        ? ownedPaymentMethod(op, params.payment_method, customer, 'payment_method')
        : defaultCard(op, invoice);
      const outcome = collectInvoice(op, invoice, {
        paymentMethod: card,
        offSession: params.off_session ?? true,
      });
      if (outcome.status === 'failed') throw new ApiError(402, outcome.error);
      if (outcome.status === 'no_payment_method')
        throw invalidRequest(outcome.message, { code: 'invoice_no_payment_method_types' });
      if (outcome.status === 'requires_action') {
        throw invalidRequest(
          'This payment requires additional user action before it can be completed successfully.',
          { code: 'invoice_payment_intent_requires_action' },
        );
      }
      return table.get(id) ?? invoice;
    },
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id/void`,
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      const invoice = live(op, id);
      voidInvoice(op, invoice);
      return invoice;
    },
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id/mark_uncollectible`,
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      const invoice = live(op, id);
      markUncollectible(op, invoice);
      return invoice;
    },
  });
  emu.api.add({
    method: 'GET',
    path: `${url}/:id/lines`,
    handler: ({ id, input }) => {
      const invoice = fromPath(table, id, 'invoice');
      return paginate(invoice.lines.data, parseShape(pagination, input), `${url}/${id}/lines`);
    },
  });
  emu.api.add({
    method: 'GET',
    path: url,
    handler: ({ input }) => {
      const params = parseShape(
        {
          ...pagination,
          customer: str(),
          subscription: str(),
          status: oneOf(['draft', 'open', 'paid', 'uncollectible', 'void']),
          created: range(),
          collection_method: oneOf(['charge_automatically', 'send_invoice']),
        },
        input,
      );
      const rows = table
        .values()
        .filter(
          (i) =>
            (params.customer === undefined || idOf(i.customer) === params.customer) &&
            (params.subscription === undefined ||
              idOf(i.parent?.subscription_details?.subscription ?? null) === params.subscription) &&
            (params.status === undefined || i.status === params.status) &&
            (params.collection_method === undefined || i.collection_method === params.collection_method) &&
            inRange(i.created, params.created),
        );
      return paginate(newestFirst(rows), params, url);
    },
  });
}

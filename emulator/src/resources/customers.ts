import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import { newId, randomString } from '../ids';
import type { Op } from '../op';
import type { Full } from '../types';
import { invalidRequest, resourceMissing } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import {
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
  str,
} from '../wire/params';
import { endSubscription } from '../billing/subscriptions';
import { enterCustomerTime } from '../billing/time';
import { fromPath, mergeMetadata, deleteWithTombstone } from './common';
import { address } from '../values';
import { assertAttachable, attachPaymentMethod, resolvePaymentMethod } from './payment-methods';

const addressShape = obj({
  city: nullableStr(),
  country: nullableStr(),
  line1: nullableStr(),
  line2: nullableStr(),
  postal_code: nullableStr(),
  state: nullableStr(),
});

const fields = {
  email: nullableStr(),
  name: nullableStr(),
  description: nullableStr(),
  phone: nullableStr(),
  metadata: metadata(),
  address: addressShape,
  balance: int(),
  preferred_locales: list(str()),
  tax_exempt: oneOf(['none', 'exempt', 'reverse']),
  invoice_settings: obj({ default_payment_method: nullableStr(), footer: nullableStr() }),
};
const createShape = { ...fields, payment_method: str(), invoice_prefix: str(), test_clock: str() };
type CustomerFields = Infer<typeof fields>;

type Omitted =
  | 'deleted'
  | 'business_name'
  | 'individual_name'
  | 'cash_balance'
  | 'invoice_credit_balance'
  | 'sources'
  | 'subscriptions'
  | 'tax'
  | 'tax_ids';

function buildCustomer(op: Op): Stripe.Customer {
  const customer: Full<Stripe.Customer, Omitted> = {
    id: newId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: op.now(),
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: randomString(8).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
  return customer;
}

/** A customer made by Checkout; emits `customer.created`. */
export function createCustomer(
  op: Op,
  input: { email?: string | null; name?: string | null },
): Stripe.Customer {
  const customer = buildCustomer(op);
  customer.email = input.email ?? null;
  customer.name = input.name ?? null;
  op.store.objects.customer.set(customer);
  op.emit('customer.created', customer);
  return customer;
}

function applyFields(op: Op, customer: Stripe.Customer, input: CustomerFields): void {
  if (input.email !== undefined) customer.email = input.email;
  if (input.name !== undefined) customer.name = input.name;
  if (input.description !== undefined) customer.description = input.description;
  if (input.phone !== undefined) customer.phone = input.phone;
  if (input.balance !== undefined) customer.balance = input.balance;
  if (input.preferred_locales !== undefined) customer.preferred_locales = input.preferred_locales;
  if (input.tax_exempt !== undefined) customer.tax_exempt = input.tax_exempt;
  if (input.address !== undefined) customer.address = address({ ...customer.address, ...input.address });
  customer.metadata = mergeMetadata(customer.metadata, input.metadata);
  const settings = input.invoice_settings;
  if (settings?.footer !== undefined) customer.invoice_settings.footer = settings.footer;
  const pmId = settings?.default_payment_method;
  if (pmId) {
    const param = 'invoice_settings[default_payment_method]';
    const pm = op.store.objects.payment_method.get(pmId);
    if (!pm) throw resourceMissing('PaymentMethod', pmId, param);
    if (pm.customer !== customer.id) {
      throw invalidRequest(
        `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
        { param, code: 'resource_missing' },
      );
    }
  }
  if (pmId !== undefined) customer.invoice_settings.default_payment_method = pmId;
}

function live(op: Op, id: string): Stripe.Customer {
  return fromPath(op.store.objects.customer, id, 'customer');
}

export function registerCustomers(emu: Emulator): void {
  const table = emu.store.objects.customer;

  emu.api.add({
    method: 'POST',
    path: '/v1/customers',
    handler: ({ op, input }) => {
      const params = parseShape(createShape, input);
      if (params.test_clock) {
        const clock = op.store.objects['test_helpers.test_clock'].get(params.test_clock);
        if (!clock) throw resourceMissing('test_clock', params.test_clock, 'test_clock');
        op.setTime(clock.frozen_time);
      }
      const pm = params.payment_method
        ? resolvePaymentMethod(op, params.payment_method, 'payment_method')
        : null;
      if (pm) assertAttachable(op, pm);
      const customer = buildCustomer(op);
      if (params.invoice_prefix) customer.invoice_prefix = params.invoice_prefix;
      customer.test_clock = params.test_clock ?? null;
      const { invoice_settings, test_clock: _clock, ...rest } = params;
      applyFields(op, customer, rest);
      if (invoice_settings?.footer !== undefined) customer.invoice_settings.footer = invoice_settings.footer;
      const defaultPm = invoice_settings?.default_payment_method;
      if (defaultPm) {
        // On create, the default can only be the card given as `payment_method` (by id or token).
        if (!pm || (defaultPm !== pm.id && defaultPm !== params.payment_method)) {
          throw invalidRequest(
            `The customer does not have a payment method with the ID ${defaultPm}. The payment method must be attached to the customer.`,
            { param: 'invoice_settings[default_payment_method]', code: 'resource_missing' },
          );
        }
        customer.invoice_settings.default_payment_method = pm.id;
      }
      table.set(customer);
      op.emit('customer.created', customer);
      if (pm) attachPaymentMethod(op, pm, customer.id);
      return customer;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/customers/:id',
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      return op.store.internal.tombstone.get(id) ?? live(op, id);
    },
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/customers/:id',
    handler: ({ op, id, input }) => {
      const customer = live(op, id);
      const params = parseShape(fields, input);
      enterCustomerTime(op, customer);
      const before = structuredClone(customer);
      applyFields(op, customer, params);
      table.set(customer);
      op.emitUpdated('customer.updated', before, customer);
      return customer;
    },
  });
  emu.api.add({
    method: 'DELETE',
    path: '/v1/customers/:id',
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      const customer = live(op, id);
      enterCustomerTime(op, customer);
      // Deleting a customer cancels its subscriptions first, as at Stripe.
      for (const sub of op.store.objects.subscription.values()) {
        if (sub.customer === id && sub.status !== 'canceled' && sub.status !== 'incomplete_expired')
          endSubscription(op, sub, 'cancellation_requested');
      }
      const tombstone = deleteWithTombstone(op, table, id, 'customer');
      op.emit('customer.deleted', customer);
      return tombstone;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/customers',
    handler: ({ input }) => {
      const params = parseShape(
        { ...pagination, email: str({ max: 512 }), created: range(), test_clock: str() },
        input,
      );
      const rows = table
        .values()
        .filter(
          (c) =>
            (params.email === undefined || c.email === params.email) &&
            inRange(c.created, params.created) &&
            (params.test_clock === undefined || c.test_clock === params.test_clock),
        );
      return paginate(newestFirst(rows), params, '/v1/customers');
    },
  });
}

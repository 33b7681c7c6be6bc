import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import { newId } from '../ids';
import type { Op } from '../op';
import { cardFor, paymentMethodCard, TEST_TOKENS } from '../payments/cards';
import type { Json, With } from '../types';
import { cardError, invalidRequest, resourceMissing } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import { metadata, nullableStr, obj, oneOf, pagination, parseShape, req, str } from '../wire/params';
import { fromParam, fromPath, mergeMetadata } from './common';
import { address } from '../values';

/** A card PaymentMethod; the card number stays in the emulator's vault, as it would at Stripe. */
export function createCardPaymentMethod(
  op: Op,
  input: { number: string; expMonth: number; expYear: number; email?: string | null; name?: string | null },
): Stripe.PaymentMethod {
  const pm: With<Stripe.PaymentMethod, 'allow_redisplay' | 'card'> = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: address(null),
      email: input.email ?? null,
      name: input.name ?? null,
      phone: null,
      tax_id: null,
    },
    card: paymentMethodCard(input.number, input.expMonth, input.expYear),
    created: op.now(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
  op.store.internal.card_vault.set({ id: pm.id, number: input.number });
  return op.store.objects.payment_method.set(pm);
}

/** A `pm_...` id or one of Stripe's test tokens (`pm_card_visa`), which creates a new PaymentMethod. */
export function resolvePaymentMethod(op: Op, ref: string, param: string): Stripe.PaymentMethod {
  const token = TEST_TOKENS[ref];
  if (token) {
    return createCardPaymentMethod(op, {
      number: token,
      expMonth: 12,
      expYear: new Date().getFullYear() + 3,
    });
  }
  const pm = op.store.objects.payment_method.get(ref);
  if (!pm) throw resourceMissing('PaymentMethod', ref, param);
  return pm;
}

export function cardNumberOf(op: Op, pm: Stripe.PaymentMethod): string {
  return op.store.internal.card_vault.get(pm.id)?.number ?? '4242424242424242';
}

/** Attaching verifies the card: declining cards fail here, 4000000000000341 only when charged. */
export function assertAttachable(op: Op, pm: Stripe.PaymentMethod): void {
  const behaviour = cardFor(cardNumberOf(op, pm)).behaviour;
  if (behaviour.kind === 'decline' && behaviour.onAttach) {
    throw cardError({
      code: behaviour.code,
      decline_code: behaviour.decline_code,
      message: behaviour.message,
    });
  }
}

export function attachPaymentMethod(
  op: Op,
  pm: Stripe.PaymentMethod,
  customerId: string,
): Stripe.PaymentMethod {
  if (pm.customer === customerId) return pm;
  if (pm.customer) {
    throw invalidRequest('The payment method you provided has already been attached to a customer.', {
      code: 'payment_method_unexpected_state',
    });
  }
  assertAttachable(op, pm);
  pm.customer = customerId;
  op.store.objects.payment_method.set(pm);
  op.emit('payment_method.attached', pm);
  return pm;
}

const updateShape = {
  metadata: metadata(),
  billing_details: obj({
    email: nullableStr(),
    name: nullableStr(),
    phone: nullableStr(),
    address: obj({
      city: nullableStr(),
      country: nullableStr(),
      line1: nullableStr(),
      line2: nullableStr(),
      postal_code: nullableStr(),
      state: nullableStr(),
    }),
  }),
  allow_redisplay: oneOf(['always', 'limited', 'unspecified']),
};

export function registerPaymentMethods(emu: Emulator): void {
  const table = emu.store.objects.payment_method;
  const listShape = { ...pagination, type: str(), customer: str() };
  const list = (input: Record<string, Json>, url: string, customer: string | undefined) => {
    const params = parseShape(listShape, input);
    const owner = customer ?? params.customer;
    const rows = table
      .values()
      .filter(
        (pm) =>
          (owner === undefined || pm.customer === owner) &&
          (params.type === undefined || pm.type === params.type),
      );
    return paginate(newestFirst(rows), params, url);
  };

  emu.api.add({
    method: 'GET',
    path: '/v1/payment_methods/:id',
    handler: ({ op, id }) =>
      TEST_TOKENS[id] ? resolvePaymentMethod(op, id, 'id') : fromPath(table, id, 'PaymentMethod'),
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/payment_methods/:id',
    handler: ({ op, id, input }) => {
      const pm = fromPath(table, id, 'PaymentMethod');
      const changes = parseShape(updateShape, input);
      const before = structuredClone(pm);
      pm.metadata = mergeMetadata(pm.metadata, changes.metadata);
      if (changes.allow_redisplay) pm.allow_redisplay = changes.allow_redisplay;
      const details = changes.billing_details;
      if (details) {
        if (details.email !== undefined) pm.billing_details.email = details.email;
        if (details.name !== undefined) pm.billing_details.name = details.name;
        if (details.phone !== undefined) pm.billing_details.phone = details.phone;
        if (details.address)
          pm.billing_details.address = address({ ...pm.billing_details.address, ...details.address });
      }
      table.set(pm);
      op.emitUpdated('payment_method.updated', before, pm);
      return pm;
    },
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/payment_methods/:id/attach',
    handler: ({ op, id, input }) => {
      const { customer } = parseShape({ customer: req(str()) }, input);
      fromParam(op.store.objects.customer, customer, 'customer', 'customer');
      const pm = TEST_TOKENS[id] ? resolvePaymentMethod(op, id, 'id') : fromPath(table, id, 'PaymentMethod');
      return attachPaymentMethod(op, pm, customer);
    },
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/payment_methods/:id/detach',
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      const pm = fromPath(table, id, 'PaymentMethod');
      if (!pm.customer) {
        throw invalidRequest(
          'The payment method you provided is not attached to a customer so detachment is impossible.',
          { code: 'payment_method_unexpected_state' },
        );
      }
      const customerId = typeof pm.customer === 'string' ? pm.customer : pm.customer.id;
      const customer = op.store.objects.customer.get(customerId);
      if (customer && customer.invoice_settings.default_payment_method === pm.id) {
        const before = structuredClone(customer);
        customer.invoice_settings.default_payment_method = null;
        op.store.objects.customer.set(customer);
        op.emitUpdated('customer.updated', before, customer);
      }
      pm.customer = null;
      table.set(pm);
      op.emit('payment_method.detached', pm);
      return pm;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/payment_methods',
    handler: ({ input }) => list(input, '/v1/payment_methods', undefined),
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/customers/:id/payment_methods',
    handler: ({ op, id, input }) => {
      const customer = fromPath(op.store.objects.customer, id, 'customer');
      return list(input, `/v1/customers/${customer.id}/payment_methods`, customer.id);
    },
  });
}

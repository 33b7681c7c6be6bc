import type { Emulator } from '../emulator';
import type { Op } from '../op';
import { cancelSetupIntent, confirmSetup, createSetupIntent } from '../payments/setup';
import { enterCustomerTime } from '../billing/time';
import { idOf } from '../values';
import { ApiError, invalidRequest } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import {
  bool,
  inRange,
  list,
  metadata,
  nullableStr,
  oneOf,
  pagination,
  parseShape,
  range,
  str,
} from '../wire/params';
import type Stripe from 'stripe';
import { fromParam, fromPath, mergeMetadata } from './common';
import { resolvePaymentMethod } from './payment-methods';

const createShape = {
  customer: str(),
  payment_method: str(),
  confirm: bool(),
  usage: oneOf(['off_session', 'on_session']),
  return_url: str(),
  description: str(),
  metadata: metadata(),
  payment_method_types: list(oneOf(['card'])),
};

/** Confirms and turns a failure into Stripe's 402 (the SetupIntent keeps `last_setup_error`). */
function confirm(op: Op, si: Stripe.SetupIntent, returnUrl: string | null): Stripe.SetupIntent {
  const outcome = confirmSetup(op, si, { returnUrl });
  if (outcome.status === 'failed') throw new ApiError(402, outcome.error);
  return si;
}

export function registerSetupIntents(emu: Emulator): void {
  const table = emu.store.objects.setup_intent;
  const url = '/v1/setup_intents';

  emu.api.add({
    method: 'POST',
    path: url,
    handler: ({ op, input }) => {
      const params = parseShape(createShape, input);
      const customer = params.customer
        ? fromParam(op.store.objects.customer, params.customer, 'customer', 'customer').id
        : null;
      if (customer) enterCustomerTime(op, customer);
      const pm = params.payment_method
        ? resolvePaymentMethod(op, params.payment_method, 'payment_method').id
        : null;
      if (params.confirm && !pm)
        throw invalidRequest('You must provide a payment_method when confirm=true.', {
          param: 'payment_method',
          validation: true,
        });
      const si = createSetupIntent(op, {
        customer,
        description: params.description ?? null,
        metadata: mergeMetadata({}, params.metadata),
        usage: params.usage ?? 'off_session',
        payment_method: pm,
      });
      return params.confirm ? confirm(op, si, params.return_url ?? null) : si;
    },
  });
  emu.api.add({
    method: 'GET',
    path: `${url}/:id`,
    handler: ({ id, input }) => {
      parseShape({ client_secret: str() }, input);
      return fromPath(table, id, 'setup_intent');
    },
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      const si = fromPath(table, id, 'setup_intent');
      const params = parseShape(
        { metadata: metadata(), description: nullableStr(), payment_method: str(), customer: str() },
        input,
      );
      si.metadata = mergeMetadata(si.metadata ?? {}, params.metadata);
      if (params.description !== undefined) si.description = params.description;
      if (params.customer)
        si.customer = fromParam(op.store.objects.customer, params.customer, 'customer', 'customer').id;
      if (params.payment_method) {
        si.payment_method = resolvePaymentMethod(op, params.payment_method, 'payment_method').id;
        if (si.status === 'requires_payment_method') si.status = 'requires_confirmation';
      }
      table.set(si);
      return si;
    },
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id/confirm`,
    handler: ({ op, id, input }) => {
      const si = fromPath(table, id, 'setup_intent');
      const params = parseShape({ payment_method: str(), return_url: str(), client_secret: str() }, input);
      if (!['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(si.status)) {
        throw invalidRequest(`You cannot confirm this SetupIntent because it has a status of ${si.status}.`, {
          code: 'setup_intent_unexpected_state',
        });
      }
      enterCustomerTime(op, si.customer);
      if (params.payment_method)
        si.payment_method = resolvePaymentMethod(op, params.payment_method, 'payment_method').id;
      return confirm(op, si, params.return_url ?? null);
    },
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id/cancel`,
    handler: ({ op, id, input }) => {
      const si = fromPath(table, id, 'setup_intent');
      const params = parseShape(
        { cancellation_reason: oneOf(['abandoned', 'duplicate', 'requested_by_customer']) },
        input,
      );
      cancelSetupIntent(op, si, params.cancellation_reason ?? null);
      return si;
    },
  });
  emu.api.add({
    method: 'GET',
    path: url,
    handler: ({ input }) => {
      const params = parseShape(
        { ...pagination, customer: str(), payment_method: str(), created: range(), attach_to_self: bool() },
        input,
      );
      const rows = table
        .values()
        .filter(
          (si) =>
            (params.customer === undefined || idOf(si.customer) === params.customer) &&
            (params.payment_method === undefined || idOf(si.payment_method) === params.payment_method) &&
            inRange(si.created, params.created),
        );
      return paginate(newestFirst(rows), params, url);
    },
  });
}

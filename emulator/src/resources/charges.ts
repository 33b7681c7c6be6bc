import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import type { Op } from '../op';
import { newestFirst, paginate } from '../wire/list';
import { inRange, metadata, nullableStr, pagination, parseShape, range, str } from '../wire/params';
import { fromPath, mergeMetadata, retrieve } from './common';
import { idOf } from '../values';

/** Keeps `charge.refunds` (the list Stripe embeds) in step with the refunds that exist. */
export function syncChargeRefunds(op: Op, charge: Stripe.Charge): void {
  const refunds = newestFirst(op.store.objects.refund.values().filter((r) => r.charge === charge.id));
  charge.refunds = {
    object: 'list',
    data: refunds.slice(0, 10),
    has_more: refunds.length > 10,
    url: `/v1/charges/${charge.id}/refunds`,
  };
}

export function registerCharges(emu: Emulator): void {
  const table = emu.store.objects.charge;

  emu.api.add({
    method: 'GET',
    path: '/v1/charges/:id',
    handler: ({ id, input }) => retrieve(table, id, input, 'charge'),
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/charges/:id',
    handler: ({ op, id, input }) => {
      const charge = fromPath(table, id, 'charge');
      const params = parseShape(
        { metadata: metadata(), description: nullableStr(), receipt_email: nullableStr() },
        input,
      );
      const before = structuredClone(charge);
      if (params.description !== undefined) charge.description = params.description;
      if (params.receipt_email !== undefined) charge.receipt_email = params.receipt_email;
      charge.metadata = mergeMetadata(charge.metadata, params.metadata);
      table.set(charge);
      op.emitUpdated('charge.updated', before, charge);
      return charge;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/charges',
    handler: ({ input }) => {
      const params = parseShape(
        { ...pagination, customer: str(), payment_intent: str(), created: range() },
        input,
      );
      const rows = table
        .values()
        .filter(
          (c) =>
            (params.customer === undefined || idOf(c.customer) === params.customer) &&
            (params.payment_intent === undefined || idOf(c.payment_intent) === params.payment_intent) &&
            inRange(c.created, params.created),
        );
      return paginate(newestFirst(rows), params, '/v1/charges');
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/charges/:id/refunds',
    handler: ({ op, id, input }) => {
      const charge = fromPath(table, id, 'charge');
      const params = parseShape(pagination, input);
      const rows = op.store.objects.refund.values().filter((r) => r.charge === charge.id);
      return paginate(newestFirst(rows), params, `/v1/charges/${charge.id}/refunds`);
    },
  });
}

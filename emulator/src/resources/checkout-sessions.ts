import type { Emulator } from '../emulator';
import { expireSession } from '../payments/checkout';
import { extrasOf } from '../payments/checkout-extras';
import { invalidRequest } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import { inRange, metadata, obj, oneOf, pagination, parseShape, range, str } from '../wire/params';
import { createSession } from './checkout-create';
import { createShape } from './checkout-params';
import { fromPath, mergeMetadata, retrieve } from './common';
import { idOf } from '../values';

/** Checkout Sessions: the API. Creation rules live in checkout_create, payment in payments/checkout. */
export function registerCheckoutSessions(emu: Emulator): void {
  const table = emu.store.objects['checkout.session'];
  const url = '/v1/checkout/sessions';

  emu.includes.set('checkout.session:line_items', (owner) => {
    const extras = emu.store.internal.checkout_extras.get(typeof owner.id === 'string' ? owner.id : '');
    return paginate(extras?.line_items ?? [], {}, `${url}/${String(owner.id)}/line_items`);
  });

  emu.api.add({
    method: 'POST',
    path: url,
    handler: ({ op, input }) => createSession(op, parseShape(createShape, input)),
  });
  emu.api.add({
    method: 'GET',
    path: `${url}/:id`,
    handler: ({ id, input }) => retrieve(table, id, input, 'checkout.session'),
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id`,
    handler: ({ id, input }) => {
      const session = fromPath(table, id, 'checkout.session');
      const params = parseShape({ metadata: metadata() }, input);
      session.metadata = mergeMetadata(session.metadata, params.metadata);
      return table.set(session);
    },
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id/expire`,
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      const session = fromPath(table, id, 'checkout.session');
      if (session.status !== 'open') {
        throw invalidRequest(
          `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
          { code: 'checkout_session_unexpected_state' },
        );
      }
      expireSession(op, session);
      return session;
    },
  });
  emu.api.add({
    method: 'GET',
    path: `${url}/:id/line_items`,
    handler: ({ op, id, input }) => {
      const session = fromPath(table, id, 'checkout.session');
      const params = parseShape(pagination, input);
      return paginate(extrasOf(op, session).line_items, params, `${url}/${session.id}/line_items`);
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
          payment_intent: str(),
          subscription: str(),
          status: oneOf(['open', 'complete', 'expired']),
          customer_details: obj({ email: str() }),
          created: range(),
        },
        input,
      );
      const rows = table
        .values()
        .filter(
          (s) =>
            (params.customer === undefined || idOf(s.customer) === params.customer) &&
            (params.payment_intent === undefined || idOf(s.payment_intent) === params.payment_intent) &&
            (params.subscription === undefined || idOf(s.subscription) === params.subscription) &&
            (params.status === undefined || s.status === params.status) &&
            (params.customer_details?.email === undefined ||
              s.customer_details?.email === params.customer_details.email) &&
            inRange(s.created, params.created),
        );
      return paginate(newestFirst(rows), params, url);
    },
  });
}

import type Stripe from 'stripe';
import { enterCustomerTime } from '../billing/time';
import type { Emulator } from '../emulator';
import { newId, randomString } from '../ids';
import type { Op } from '../op';
import { invalidRequest, paramError } from '../wire/errors';
import { oneOf, parseShape, req, str } from '../wire/params';
import { fromParam } from './common';

/** The account's default portal configuration (`bpc_...`), made on first use. */
function configuration(op: Op): string {
  const existing = op.store.internal.portal_configuration.values()[0];
  if (existing) return existing.id;
  return op.store.internal.portal_configuration.set({ id: newId('bpc') }).id;
}

export function registerBillingPortal(emu: Emulator): void {
  const table = emu.store.objects['billing_portal.session'];
  const url = '/v1/billing_portal/sessions';

  emu.api.add({
    method: 'POST',
    path: url,
    handler: ({ op, input }) => {
      const params = parseShape(
        { customer: req(str()), return_url: str(), configuration: str(), locale: str(), on_behalf_of: str() },
        input,
      );
      if ('flow_data' in input)
        throw paramError('The emulator does not support portal deep links (flow_data) yet.', 'flow_data');
      const customer = fromParam(op.store.objects.customer, params.customer, 'customer', 'customer');
      enterCustomerTime(op, customer);
      if (params.return_url !== undefined) {
        try {
          new URL(params.return_url);
        } catch {
          throw paramError('Not a valid URL', 'return_url', 'url_invalid');
        }
      }
      const config = configuration(op);
      if (params.configuration !== undefined && params.configuration !== config) {
        throw invalidRequest(`No such configuration: '${params.configuration}'`, {
          param: 'configuration',
          code: 'resource_missing',
        });
      }
      const id = `bps_${randomString(24)}`;
      const session: Stripe.BillingPortal.Session = {
        id,
        object: 'billing_portal.session',
        configuration: config,
        created: op.now(),
        customer: customer.id,
        customer_account: null,
        flow: null,
        livemode: false,
        locale: params.locale ? oneOf(['auto', 'en']).parse(params.locale, 'locale') : null,
        on_behalf_of: params.on_behalf_of ?? null,
        return_url: params.return_url ?? null,
        url: `${op.emu.baseUrl}/p/session/${id}`,
      };
      table.set(session);
      op.emit('billing_portal.session.created', session);
      return session;
    },
  });
}

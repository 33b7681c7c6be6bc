import Stripe from 'stripe';
import type { Harness } from './helpers';
import { sdk } from './helpers';

/** A standalone account with its own keys, from `POST /_emulator/accounts`. */
export interface Standalone {
  id: string;
  secret_key: string;
  restricted_key: string;
  publishable_key: string;
}

export async function standalone(h: Harness, body: Record<string, string> = {}): Promise<Standalone> {
  const { status, body: created } = await h.post('/_emulator/accounts', body);
  if (status !== 201) throw new Error(`could not create an account: ${JSON.stringify(created)}`);
  return {
    id: String(created.id),
    secret_key: String(created.secret_key),
    restricted_key: String(created.restricted_key),
    publishable_key: String(created.publishable_key),
  };
}

/** The SDK authenticated with another key (an account's own restricted key). */
export function sdkWith(h: Harness, key: string): Stripe {
  return sdk(h.emulator.port, key);
}

/** A connected account of the harness's platform, onboarded or not. */
export async function connected(h: Harness, email = 'shop@example.com'): Promise<Stripe.Account> {
  return h.stripe.accounts.create({ type: 'standard', email });
}

/** Creates a one-time price on an account and a payment-mode Checkout Session for it. */
export async function sessionOn(
  stripe: Stripe,
  options: Stripe.RequestOptions,
  extra: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Promise<Stripe.Checkout.Session> {
  const product = await stripe.products.create(
    { name: 'Invoice INV-1', default_price_data: { currency: 'usd', unit_amount: 10_000 } },
    options,
  );
  return stripe.checkout.sessions.create(
    {
      mode: 'payment',
      line_items: [{ price: String(product.default_price), quantity: 1 }],
      success_url: 'https://app.example/pay/done',
      ...extra,
    },
    options,
  );
}

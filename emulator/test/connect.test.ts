import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { connected, sdkWith, sessionOn, standalone } from './connect-helpers';
import { harnessPerTest, pay, Receiver, stripeError, submitForm } from './helpers';

const h = harnessPerTest();

describe('accounts with their own keys', () => {
  it('issues keys whose requests act on that account only', async () => {
    const shop = await standalone(h, { email: 'owner@shop.example', business_name: 'Shop' });
    expect(shop.id).toMatch(/^acct_1[A-Za-z0-9]{15}$/);
    expect(shop.secret_key).toMatch(/^sk_test_/);
    expect(shop.restricted_key).toMatch(/^rk_test_/);
    expect(shop.publishable_key).toMatch(/^pk_test_/);
    const own = sdkWith(h, shop.restricted_key);
    const account = await own.accounts.retrieveCurrent();
    expect(account).toMatchObject({
      id: shop.id,
      object: 'account',
      email: 'owner@shop.example',
      charges_enabled: true,
      details_submitted: true,
      business_profile: { name: 'Shop' },
    });
    const customer = await own.customers.create({ email: 'client@example.com' });
    // The same object through the account's secret key, but not through the platform's.
    expect((await sdkWith(h, shop.secret_key).customers.retrieve(customer.id)).id).toBe(customer.id);
    const missing = await stripeError(h.stripe.customers.retrieve(customer.id));
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect((await h.stripe.customers.list()).data).toEqual([]);
    // The platform's own account is a different one.
    expect((await h.stripe.accounts.retrieveCurrent()).id).not.toBe(shop.id);
  });

  it('keeps two accounts apart, lists, events and all', async () => {
    const [a, b] = [await standalone(h), await standalone(h)];
    const [sa, sb] = [sdkWith(h, a.restricted_key), sdkWith(h, b.restricted_key)];
    const product = await sa.products.create({ name: 'Only in A' });
    expect((await sb.products.list()).data).toEqual([]);
    expect(await stripeError(sb.products.retrieve(product.id))).toMatchObject({ statusCode: 404 });
    expect((await sa.events.list()).data.map((e) => e.type)).toEqual(['product.created']);
    expect((await sb.events.list()).data).toEqual([]);
  });

  it('answers a revoked key with 401 api_key_expired, and only that key', async () => {
    const shop = await standalone(h);
    const own = sdkWith(h, shop.restricted_key);
    await own.customers.create();
    const revoked = await h.post('/_emulator/keys/revoke', { key: shop.restricted_key });
    expect(revoked.status).toBe(200);
    expect(String(revoked.body.key)).not.toContain(shop.restricted_key.slice(12));
    const error = await stripeError(own.customers.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error).toMatchObject({ statusCode: 401, code: 'api_key_expired' });
    expect(error.message).toMatch(/^Expired API Key provided: rk_test_\*+/);
    expect((await sdkWith(h, shop.secret_key).customers.list()).data).toHaveLength(1);
  });

  it('rejects a malformed revoke request and changes nothing', async () => {
    expect((await h.post('/_emulator/keys/revoke', {})).status).toBe(400);
    expect((await h.post('/_emulator/keys/revoke', { key: 'sk_live_abc' })).status).toBe(400);
    expect((await h.post('/_emulator/accounts', { email: 5 })).status).toBe(400);
    expect((await h.post('/_emulator/accounts', { plan: 'x' })).status).toBe(400);
    expect((await h.stripe.customers.list()).data).toEqual([]);
  });

  it('still treats any other test key as the platform', async () => {
    const customer = await h.stripe.customers.create();
    const other = sdkWith(h, 'sk_test_someOtherPlatformKey1');
    expect((await other.customers.retrieve(customer.id)).id).toBe(customer.id);
  });
});

describe('Stripe-Account', () => {
  it('acts on a connected account, whose objects the platform does not see', async () => {
    const account = await connected(h);
    expect(account).toMatchObject({ object: 'account', type: 'standard', charges_enabled: false });
    const as = { stripeAccount: account.id };
    const customer = await h.stripe.customers.create({ email: 'c@example.com' }, as);
    expect((await h.stripe.customers.retrieve(customer.id, {}, as)).id).toBe(customer.id);
    expect(await stripeError(h.stripe.customers.retrieve(customer.id))).toMatchObject({ statusCode: 404 });
    expect((await h.stripe.customers.list()).data).toEqual([]);
    expect((await h.stripe.accounts.retrieveCurrent(undefined, as)).id).toBe(account.id);
    expect((await h.stripe.accounts.list()).data.map((a) => a.id)).toEqual([account.id]);
    // Events read through Connect name the account they happened on.
    const events = await h.stripe.events.list({}, as);
    expect(events.data.map((e) => [e.type, e.account])).toEqual([['customer.created', account.id]]);
  });

  it('refuses an unknown account, another platform’s account and its own keys’ foreign accounts', async () => {
    const unknown = await stripeError(
      h.stripe.customers.list({}, { stripeAccount: 'acct_1NoSuchAccount00' }),
    );
    expect(unknown).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect(unknown).toMatchObject({ statusCode: 403, code: 'account_invalid' });
    expect(unknown.message).toContain("does not have access to account 'acct_1NoSuchAccount00'");
    const shop = await standalone(h);
    const notMine = await stripeError(h.stripe.customers.list({}, { stripeAccount: shop.id }));
    expect(notMine).toMatchObject({ statusCode: 403, code: 'account_invalid' });
    const account = await connected(h);
    const foreign = await stripeError(
      sdkWith(h, shop.secret_key).customers.list({}, { stripeAccount: account.id }),
    );
    expect(foreign).toMatchObject({ statusCode: 403, code: 'account_invalid' });
    expect(await stripeError(h.stripe.accounts.retrieve(shop.id))).toMatchObject({ statusCode: 403 });
  });

  it('keeps idempotency keys per account', async () => {
    const account = await connected(h);
    const key = 'same-key-two-accounts';
    const a = await h.stripe.customers.create({}, { idempotencyKey: key });
    const b = await h.stripe.customers.create({}, { idempotencyKey: key, stripeAccount: account.id });
    expect(a.id).not.toBe(b.id);
    const again = await h.stripe.customers.create({}, { idempotencyKey: key, stripeAccount: account.id });
    expect(again.id).toBe(b.id);
  });

  it('updates, retrieves and deletes connected accounts', async () => {
    const account = await connected(h);
    const updated = await h.stripe.accounts.update(account.id, {
      business_profile: { name: 'Renamed' },
      metadata: { workspace: 'ws_1' },
    });
    expect(updated).toMatchObject({ business_profile: { name: 'Renamed' }, metadata: { workspace: 'ws_1' } });
    expect((await h.stripe.accounts.retrieve(account.id)).business_profile?.name).toBe('Renamed');
    const deleted = await h.stripe.accounts.del(account.id);
    expect(deleted).toMatchObject({ id: account.id, deleted: true });
    const gone = await stripeError(h.stripe.customers.list({}, { stripeAccount: account.id }));
    expect(gone).toMatchObject({ statusCode: 403, code: 'account_invalid' });
    expect((await h.stripe.accounts.list()).data).toEqual([]);
  });
});

describe('webhook endpoints per account', () => {
  it('sends connected accounts’ events to connect endpoints with event.account, and nowhere else', async () => {
    const connectReceiver = new Receiver();
    const ownReceiver = new Receiver();
    try {
      const connectEndpoint = await h.stripe.webhookEndpoints.create({
        url: await connectReceiver.start(),
        enabled_events: ['customer.created'],
        connect: true,
      });
      connectReceiver.secret = connectEndpoint.secret ?? '';
      const account = await connected(h);
      const own = await h.stripe.webhookEndpoints.create(
        { url: await ownReceiver.start(), enabled_events: ['*'] },
        { stripeAccount: account.id },
      );
      ownReceiver.secret = own.secret ?? '';
      // The secret is shown on create only.
      expect((await h.stripe.webhookEndpoints.retrieve(connectEndpoint.id)).secret).toBeUndefined();
      expect((await h.stripe.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([
        connectEndpoint.id,
        h.endpoint.id,
      ]);
      h.receiver.deliveries.length = 0;

      const onAccount = await h.stripe.customers.create({}, { stripeAccount: account.id });
      const onPlatform = await h.stripe.customers.create();
      await h.flush();
      expect(
        connectReceiver.deliveries.map((d) => [d.verified, d.event.account, d.event.data.object]),
      ).toEqual([[true, account.id, expect.objectContaining({ id: onAccount.id })]]);
      expect(ownReceiver.deliveries.map((d) => [d.verified, d.event.type, d.event.account])).toEqual([
        [true, 'customer.created', undefined],
      ]);
      expect(h.receiver.deliveries.map((d) => [d.event.account, d.event.data.object])).toEqual([
        [undefined, expect.objectContaining({ id: onPlatform.id })],
      ]);
      // The delivery log and the dashboard say which account a Connect delivery was for.
      const log = await fetch(`${h.emulator.url}/_emulator/deliveries?endpoint_id=${connectEndpoint.id}`);
      const { data } = (await log.json()) as { data: Array<{ account: string | null }> };
      expect(data.map((attempt) => attempt.account)).toEqual([account.id]);
      const dashboard = await (await fetch(`${h.emulator.url}/_emulator`)).text();
      expect(dashboard).toContain(`<code>${account.id}</code>`);
      expect(dashboard).toContain(`<code>${own.id}</code> on <code>${account.id}</code>`);
    } finally {
      await connectReceiver.stop();
      await ownReceiver.stop();
    }
  });

  it('sends a standalone account’s events to its own endpoints only', async () => {
    const [a, b] = [await standalone(h), await standalone(h)];
    const receivers = [new Receiver(), new Receiver()];
    try {
      for (const [index, shop] of [a, b].entries()) {
        const receiver = receivers[index] as Receiver;
        const endpoint = await sdkWith(h, shop.restricted_key).webhookEndpoints.create({
          url: await receiver.start(),
          enabled_events: ['customer.created'],
        });
        receiver.secret = endpoint.secret ?? '';
      }
      h.receiver.deliveries.length = 0;
      const customer = await sdkWith(h, a.restricted_key).customers.create();
      await h.flush();
      expect(
        receivers[0]?.deliveries.map((d) => [
          d.verified,
          d.event.account,
          (d.event.data.object as Stripe.Customer).id,
        ]),
      ).toEqual([[true, undefined, customer.id]]);
      expect(receivers[1]?.deliveries).toEqual([]);
      expect(h.receiver.deliveries).toEqual([]);
      // Deleting an endpoint stops its deliveries.
      const list = await sdkWith(h, b.restricted_key).webhookEndpoints.list();
      const removed = await sdkWith(h, b.restricted_key).webhookEndpoints.del(list.data[0]?.id ?? '');
      expect(removed.deleted).toBe(true);
    } finally {
      for (const receiver of receivers) await receiver.stop();
    }
  });
});

describe('Checkout on other accounts', () => {
  it('pays a connected account’s session on the hosted page route and tells the connect endpoint', async () => {
    const connectReceiver = new Receiver();
    try {
      const endpoint = await h.stripe.webhookEndpoints.create({
        url: await connectReceiver.start(),
        enabled_events: ['checkout.session.completed', 'payment_intent.succeeded'],
        connect: true,
      });
      connectReceiver.secret = endpoint.secret ?? '';
      const account = await connected(h);
      const as = { stripeAccount: account.id };
      const session = await sessionOn(h.stripe, as);
      expect(session.url).toBe(`${h.emulator.url}/c/pay/${session.id}`);
      const page = await fetch(session.url ?? '');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Invoice INV-1');
      const paid = await pay(h, session.id, '4242424242424242');
      expect(paid).toMatchObject({ status: 200, body: { status: 'complete' } });
      await h.flush();
      expect(
        connectReceiver.deliveries.map((d) => [d.verified, d.event.type, d.event.account]).sort(),
      ).toEqual([
        [true, 'checkout.session.completed', account.id],
        [true, 'payment_intent.succeeded', account.id],
      ]);
      expect((await h.stripe.checkout.sessions.retrieve(session.id, {}, as)).status).toBe('complete');
      expect(await stripeError(h.stripe.checkout.sessions.retrieve(session.id))).toMatchObject({
        statusCode: 404,
      });
      expect((await h.stripe.paymentIntents.list()).data).toEqual([]);
      expect((await h.stripe.charges.list({}, as)).data.map((c) => c.amount)).toEqual([10_000]);
    } finally {
      await connectReceiver.stop();
    }
  });

  it('pays a standalone account’s session through the hosted page form', async () => {
    const shop = await standalone(h);
    const own = sdkWith(h, shop.restricted_key);
    const session = await sessionOn(own, {});
    const response = await submitForm(session.url ?? '', {
      email: 'client@example.com',
      billingName: 'Client',
      cardNumber: '4242 4242 4242 4242',
      cardExpiry: '12 / 40',
      cardCvc: '123',
    });
    expect(response).toMatchObject({ status: 303, location: 'https://app.example/pay/done' });
    const after = await own.checkout.sessions.retrieve(session.id);
    expect(after).toMatchObject({ status: 'complete', payment_status: 'paid' });
  });
});

import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connected } from './connect-helpers';
import { harnessPerTest, Receiver, stripeError } from './helpers';

const h = harnessPerTest();
const connectReceiver = new Receiver();
let connectUrl = '';

beforeEach(async () => {
  connectUrl = await connectReceiver.start();
  const endpoint = await h.stripe.webhookEndpoints.create({
    url: connectUrl,
    enabled_events: ['account.updated', 'account.application.deauthorized'],
    connect: true,
  });
  connectReceiver.secret = endpoint.secret ?? '';
  connectReceiver.deliveries.length = 0;
});
afterEach(() => connectReceiver.stop());

const link = (account: string) =>
  h.stripe.accountLinks.create({
    account,
    type: 'account_onboarding',
    refresh_url: 'https://app.example/workspace/stripe?refresh=1',
    return_url: 'https://app.example/workspace/stripe?return=1',
  });

const submit = (url: string) => fetch(url, { method: 'POST', redirect: 'manual' });

describe('Account Links and the hosted onboarding page', () => {
  it('onboards an account: form, Agree and submit, account.updated, back to return_url', async () => {
    const account = await connected(h);
    const created = await link(account.id);
    expect(created).toMatchObject({ object: 'account_link' });
    expect(created.expires_at - created.created).toBe(300);
    expect(created.url.startsWith(`${h.emulator.url}/setup/s/${account.id}/`)).toBe(true);

    const page = await fetch(created.url);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('Agree and submit');
    expect(body).toContain('<form method="post"');

    const done = await submit(created.url);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('https://app.example/workspace/stripe?return=1');
    const after = await h.stripe.accounts.retrieve(account.id);
    expect(after).toMatchObject({
      details_submitted: true,
      charges_enabled: true,
      payouts_enabled: true,
      capabilities: { card_payments: 'active', transfers: 'active' },
      requirements: { currently_due: [], disabled_reason: null },
    });
    await h.flush();
    const events = connectReceiver.ofType('account.updated');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      account: account.id,
      data: {
        object: { id: account.id, charges_enabled: true },
        previous_attributes: { charges_enabled: false, details_submitted: false },
      },
    });
    // The platform's ordinary endpoint hears nothing of it.
    expect(h.receiver.types()).not.toContain('account.updated');
  });

  it('sends a visited, used or expired link to refresh_url and changes nothing', async () => {
    const account = await connected(h);
    const visited = await link(account.id);
    await fetch(visited.url);
    const again = await fetch(visited.url, { redirect: 'manual' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('https://app.example/workspace/stripe?refresh=1');

    const expired = await link(account.id);
    await h.post('/_emulator/clock/advance', { seconds: 301 });
    const late = await fetch(expired.url, { redirect: 'manual' });
    expect(late.headers.get('location')).toBe('https://app.example/workspace/stripe?refresh=1');
    expect((await h.stripe.accounts.retrieve(account.id)).charges_enabled).toBe(false);

    // A submitted form submits once.
    const fresh = await link(account.id);
    await fetch(fresh.url);
    expect((await submit(fresh.url)).headers.get('location')).toContain('return=1');
    expect((await submit(fresh.url)).headers.get('location')).toContain('refresh=1');
    await h.flush();
    expect(connectReceiver.ofType('account.updated')).toHaveLength(1);
    const unknown = await fetch(`${h.emulator.url}/setup/s/${account.id}/nope`);
    expect(unknown.status).toBe(404);
  });

  it('refuses links for accounts that are not the caller’s, and bad parameters', async () => {
    const missing = await stripeError(link('acct_1NoSuchAccount00'));
    expect(missing).toMatchObject({ statusCode: 403, code: 'account_invalid' });
    const account = await connected(h);
    const noReturn = await stripeError(
      h.stripe.accountLinks.create({
        account: account.id,
        type: 'account_onboarding',
        refresh_url: 'https://app.example/r',
      } as Stripe.AccountLinkCreateParams),
    );
    expect(noReturn).toMatchObject({ statusCode: 400, param: 'return_url' });
    const badUrl = await stripeError(
      h.stripe.accountLinks.create({
        account: account.id,
        type: 'account_onboarding',
        refresh_url: 'not a url',
        return_url: 'https://app.example/r',
      }),
    );
    expect(badUrl).toMatchObject({ statusCode: 400, param: 'refresh_url' });
  });
});

describe('deauthorization', () => {
  it('tells the platform, then refuses Stripe-Account for the account', async () => {
    const account = await connected(h);
    await h.stripe.customers.create({}, { stripeAccount: account.id });
    const result = await h.post(`/_emulator/accounts/${account.id}/deauthorize`);
    expect(result).toMatchObject({ status: 200, body: { id: account.id, deauthorized: true } });
    await h.flush();
    const events = connectReceiver.ofType('account.application.deauthorized');
    expect(events.map((e) => [e.account, e.data.object.object])).toEqual([[account.id, 'application']]);
    expect(connectReceiver.deliveries.every((d) => d.verified)).toBe(true);
    const refused = await stripeError(h.stripe.customers.list({}, { stripeAccount: account.id }));
    expect(refused).toMatchObject({ statusCode: 403, code: 'account_invalid' });
    expect((await h.stripe.accounts.list()).data).toEqual([]);
    expect((await h.post(`/_emulator/accounts/${account.id}/deauthorize`)).status).toBe(400);
    expect((await h.post('/_emulator/accounts/acct_1NoSuchAccount00/deauthorize')).status).toBe(404);
  });
});

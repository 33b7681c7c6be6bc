import { describe, expect, it } from 'vitest';
import { connectedAccountOf, stripeFor } from '@/lib/billing/connections';
import { ACCOUNT_ACCESS_LOST, stripe, toBillingError } from '@/lib/billing/stripe';
import { processEvent } from '@/lib/billing/webhooks/process';
import { receiveConnectWebhook } from '@/lib/billing/webhooks/connected-intake';
import { db } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { addMember, createUser } from '@/lib/testing/fixtures';
import { signedRequest } from '@/lib/testing/webhooks';
import { disconnectStripe } from './disconnect';
import { feeSchema, setApplicationFee } from './fee';
import { connectWithKey } from './key';
import { isOnboardingUrl, startOnboarding } from './onboard';

const emulator = () => process.env.STRIPE_API_URL!;

/** A standalone Stripe account with its own keys (the emulator's control endpoint). */
async function standaloneAccount() {
  const response = await fetch(`${emulator()}/_emulator/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ business_name: 'Client Co' }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; secret_key: string; restricted_key: string };
}

async function revoke(key: string) {
  const response = await fetch(`${emulator()}/_emulator/keys/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
  expect(response.ok).toBe(true);
}

const keyClient = (key: string) => stripe({ secretKey: key, apiUrl: emulator() });
const rowOf = (workspaceId: string) => db.stripeConnection.findUnique({ where: { workspaceId } });

/** The error a workspace's member would see for a failed call through stripeFor. */
async function failureOf(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    return toBillingError(error);
  }
  throw new Error('expected the call to fail');
}

/** A workspace owner whose Connect account (standard) has finished onboarding. */
async function onboardedOwner() {
  const owner = await createUser();
  const started = await startOnboarding(owner, owner.workspaceId, 'standard');
  if (!started.ok) throw new Error(started.message);
  await db.stripeConnection.update({
    where: { workspaceId: owner.workspaceId },
    data: { status: 'connected' },
  });
  return owner;
}

describe('connecting a workspace by a restricted key', () => {
  it('checks the key, registers the workspace’s endpoint, and binds stripeFor to that account only', async () => {
    const owner = await createUser();
    const account = await standaloneAccount();
    const outcome = await connectWithKey(owner, owner.workspaceId, account.restricted_key);
    expect(outcome).toEqual({ ok: true, accountId: account.id, livemode: false });

    const row = await rowOf(owner.workspaceId);
    expect(row).toMatchObject({
      via: 'key',
      status: 'connected',
      accountId: account.id,
      chargesEnabled: true,
    });
    const endpoints = await keyClient(account.restricted_key).webhookEndpoints.list();
    expect(endpoints.data.map((e) => e.url)).toEqual([
      `${process.env.APP_URL}/api/stripe/webhook/w/${row!.webhookToken}`,
    ]);

    const { stripe: client, account: connected } = await stripeFor(owner.workspaceId);
    expect(connected).toMatchObject({ accountId: account.id, via: 'key', applicationFeePercent: null });
    expect((await client.accounts.retrieveCurrent()).id).toBe(account.id);
    const customer = await client.customers.create({ email: 'client@example.com' });
    // The platform never sees the workspace's objects.
    await expect(stripe().customers.retrieve(customer.id)).rejects.toThrow(/No such customer/);
  });

  it('a member without the billing right gets a 404 and nothing is stored', async () => {
    const owner = await createUser();
    const member = await createUser();
    await addMember(owner.workspaceId, member.id, 'member');
    const account = await standaloneAccount();
    expect(await connectWithKey(member, owner.workspaceId, account.restricted_key)).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await rowOf(owner.workspaceId)).toBeNull();
    expect((await keyClient(account.restricted_key).webhookEndpoints.list()).data).toHaveLength(0);
  });

  it('one account cannot be connected to two workspaces', async () => {
    const a = await createUser();
    const b = await createUser();
    const account = await standaloneAccount();
    expect((await connectWithKey(a, a.workspaceId, account.restricted_key)).ok).toBe(true);
    expect(await connectWithKey(b, b.workspaceId, account.restricted_key)).toEqual({
      ok: false,
      status: 409,
      message: 'This Stripe account is already connected to another workspace.',
    });
    expect(await rowOf(b.workspaceId)).toBeNull();
    // Only A's endpoint is registered on the account.
    expect((await keyClient(account.restricted_key).webhookEndpoints.list()).data).toHaveLength(1);
  });

  it('a production server without TOLLGATE_ENCRYPTION_KEYS refuses to store a key, clearly', async () => {
    const owner = await createUser();
    const account = await standaloneAccount();
    const saved = { NODE_ENV: process.env.NODE_ENV, keys: process.env.TOLLGATE_ENCRYPTION_KEYS };
    Object.assign(process.env, { NODE_ENV: 'production' });
    delete process.env.TOLLGATE_ENCRYPTION_KEYS;
    resetEnvCache();
    try {
      expect(await connectWithKey(owner, owner.workspaceId, account.restricted_key)).toEqual({
        ok: false,
        status: 409,
        message: 'This server cannot store Stripe keys yet: its operator must set TOLLGATE_ENCRYPTION_KEYS.',
      });
    } finally {
      Object.assign(process.env, { NODE_ENV: saved.NODE_ENV });
      if (saved.keys !== undefined) process.env.TOLLGATE_ENCRYPTION_KEYS = saved.keys;
      resetEnvCache();
    }
    expect(await rowOf(owner.workspaceId)).toBeNull();
    expect((await keyClient(account.restricted_key).webhookEndpoints.list()).data).toHaveLength(0);
  });

  it('a key revoked mid-way gives the clear error, a 502, and no row changes', async () => {
    const owner = await createUser();
    const account = await standaloneAccount();
    await connectWithKey(owner, owner.workspaceId, account.restricted_key);
    const before = await rowOf(owner.workspaceId);
    const { stripe: client } = await stripeFor(owner.workspaceId);
    await client.customers.create({ email: 'first@example.com' });

    await revoke(account.restricted_key);
    const error = await failureOf(() => client.customers.create({ email: 'second@example.com' }));
    expect(error.status).toBe(502);
    expect(error.publicMessage).toBe(ACCOUNT_ACCESS_LOST);
    expect(await rowOf(owner.workspaceId)).toEqual(before);

    // Pasting the revoked key again is refused with a reason, and changes nothing either.
    expect(await connectWithKey(owner, owner.workspaceId, account.restricted_key)).toEqual({
      ok: false,
      status: 400,
      message: 'Stripe does not accept this key: it is mistyped, expired or revoked.',
    });
    expect(await rowOf(owner.workspaceId)).toEqual(before);
  });

  it('a new key replaces the old connection and its endpoint; disconnect removes the endpoint', async () => {
    const owner = await createUser();
    const first = await standaloneAccount();
    const second = await standaloneAccount();
    await connectWithKey(owner, owner.workspaceId, first.restricted_key);
    await connectWithKey(owner, owner.workspaceId, second.restricted_key);
    expect((await keyClient(first.restricted_key).webhookEndpoints.list()).data).toHaveLength(0);
    expect((await rowOf(owner.workspaceId))?.accountId).toBe(second.id);

    expect(await disconnectStripe(owner, owner.workspaceId)).toEqual({ ok: true, endpointRemoved: true });
    expect(await rowOf(owner.workspaceId)).toBeNull();
    expect((await keyClient(second.restricted_key).webhookEndpoints.list()).data).toHaveLength(0);
    expect(await connectedAccountOf(owner.workspaceId)).toBeNull();
    const audits = await db.auditLog.findMany({
      where: { targetId: owner.workspaceId, action: { startsWith: 'stripe.' } },
      select: { action: true },
      orderBy: { createdAt: 'asc' },
    });
    expect(audits.map((a) => a.action)).toEqual([
      'stripe.connected',
      'stripe.connected',
      'stripe.disconnected',
    ]);
  });
});

describe('connecting a workspace through Stripe Connect', () => {
  it('onboards through an Account Link; account.updated on the Connect endpoint connects it', async () => {
    const owner = await createUser();
    const started = await startOnboarding(owner, owner.workspaceId, 'express');
    if (!started.ok) throw new Error(started.message);
    expect(isOnboardingUrl(started.url)).toBe(true);
    expect(await rowOf(owner.workspaceId)).toMatchObject({ via: 'connect', status: 'pending' });
    // A second click continues with the same account.
    const again = await startOnboarding(owner, owner.workspaceId, 'express');
    expect(again.ok && again.accountId).toBe(started.accountId);
    expect(await connectedAccountOf(owner.workspaceId)).toBeNull();

    // The member agrees on Stripe's hosted page; Stripe sends account.updated to the Connect endpoint.
    const submitted = await fetch(again.ok ? again.url : '', {
      method: 'POST',
      body: new URLSearchParams({ submit: 'agree' }),
      redirect: 'manual',
    });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toContain('/workspace/stripe?onboarding=returned');
    const events = await stripe().events.list(
      { type: 'account.updated', limit: 5 },
      { stripeAccount: started.accountId },
    );
    const event = events.data[0]!;
    expect(event.account).toBe(started.accountId);
    const response = await receiveConnectWebhook(
      signedRequest(JSON.stringify(event), { secret: process.env.STRIPE_CONNECT_WEBHOOK_SECRET }),
    );
    expect(response.status).toBe(200);
    await processEvent(event.id);
    expect(await connectedAccountOf(owner.workspaceId)).toMatchObject({
      accountId: started.accountId,
      via: 'connect',
      chargesEnabled: true,
    });

    // The resolver acts on the connected account with the platform's key.
    const { stripe: client } = await stripeFor(owner.workspaceId);
    const customer = await client.customers.create({ email: 'client@example.com' });
    await expect(stripe().customers.retrieve(customer.id)).rejects.toThrow(/No such customer/);
    expect((await client.customers.retrieve(customer.id)).id).toBe(customer.id);

    // The account disconnects the platform in Stripe: calls give the clear 502, the row is unchanged.
    const before = await rowOf(owner.workspaceId);
    const deauthorized = await fetch(`${emulator()}/_emulator/accounts/${started.accountId}/deauthorize`, {
      method: 'POST',
    });
    expect(deauthorized.ok).toBe(true);
    const error = await failureOf(() => client.customers.list());
    expect(error.status).toBe(502);
    expect(error.publicMessage).toBe(ACCOUNT_ACCESS_LOST);
    expect(await rowOf(owner.workspaceId)).toEqual(before);
  });

  it('the application fee: the env default, a per-workspace override, none for a pasted key', async () => {
    const owner = await onboardedOwner();
    process.env.STRIPE_APPLICATION_FEE_PERCENT = '2.5';
    resetEnvCache();
    try {
      expect((await connectedAccountOf(owner.workspaceId))?.applicationFeePercent).toBe(2.5);
      await db.stripeConnection.update({
        where: { workspaceId: owner.workspaceId },
        data: { applicationFeePercent: 7.25 },
      });
      expect((await connectedAccountOf(owner.workspaceId))?.applicationFeePercent).toBe(7.25);
    } finally {
      delete process.env.STRIPE_APPLICATION_FEE_PERCENT;
      resetEnvCache();
    }
    expect((await connectedAccountOf(owner.workspaceId))?.applicationFeePercent).toBe(7.25);
  });

  it('the back office overrides the fee for a Connect workspace, audited; not for a pasted key', async () => {
    const admin = await createUser({ role: 'admin' });
    const owner = await onboardedOwner();
    const input = feeSchema.parse({ workspaceId: owner.workspaceId, percent: '3.75' });
    expect(await setApplicationFee(admin, input)).toEqual({ ok: true, message: 'The fee is now 3.75%.' });
    expect((await connectedAccountOf(owner.workspaceId))?.applicationFeePercent).toBe(3.75);
    const blank = feeSchema.parse({ workspaceId: owner.workspaceId, percent: '' });
    expect((await setApplicationFee(admin, blank)).ok).toBe(true);
    expect((await connectedAccountOf(owner.workspaceId))?.applicationFeePercent).toBeNull();
    expect(
      await db.auditLog.count({ where: { targetId: owner.workspaceId, action: 'stripe.fee_changed' } }),
    ).toBe(2);
    for (const percent of ['-1', '101', '2.555', 'abc'])
      expect(feeSchema.safeParse({ workspaceId: owner.workspaceId, percent }).success).toBe(false);

    const keyed = await createUser();
    await connectWithKey(keyed, keyed.workspaceId, (await standaloneAccount()).restricted_key);
    const refused = await setApplicationFee(admin, { workspaceId: keyed.workspaceId, percent: 5 });
    expect(refused.ok).toBe(false);
    expect((await rowOf(keyed.workspaceId))?.applicationFeePercent).toBeNull();
  });

  it('a workspace connected by key must disconnect before onboarding', async () => {
    const owner = await createUser();
    const account = await standaloneAccount();
    await connectWithKey(owner, owner.workspaceId, account.restricted_key);
    expect(await startOnboarding(owner, owner.workspaceId, 'standard')).toMatchObject({
      ok: false,
      status: 409,
    });
  });
});

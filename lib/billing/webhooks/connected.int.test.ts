import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  connectedAccountOf,
  keyContext,
  StripeNotConfiguredError,
  stripeFor,
  webhookSecretContext,
} from '@/lib/billing/connections';
import { newWebhookToken } from '@/lib/billing/connect/shared';
import { encryptSecret } from '@/lib/crypto/secrets';
import { db } from '@/lib/db';
import { createUser } from '@/lib/testing/fixtures';
import { fakeEvent, signedRequest } from '@/lib/testing/webhooks';
import { receiveConnectWebhook, receiveWorkspaceWebhook } from './connected-intake';
import { processEvent } from './process';

const rand = () => randomBytes(9).toString('hex');

async function keyConnection() {
  const { workspaceId } = await createUser();
  const accountId = `acct_${rand()}`;
  const token = newWebhookToken();
  const secret = `whsec_${rand()}`;
  const key = `rk_test_${rand()}`;
  await db.stripeConnection.create({
    data: {
      workspaceId,
      accountId,
      via: 'key',
      status: 'connected',
      restrictedKeyCipher: encryptSecret(key, keyContext(workspaceId)),
      webhookSecretCipher: encryptSecret(secret, webhookSecretContext(workspaceId)),
      webhookEndpointId: `we_${rand()}`,
      webhookToken: token,
    },
  });
  return { workspaceId, accountId, token, secret, key };
}

async function connectConnection() {
  const { workspaceId } = await createUser();
  const accountId = `acct_${rand()}`;
  await db.stripeConnection.create({ data: { workspaceId, accountId, via: 'connect', status: 'pending' } });
  return { workspaceId, accountId };
}

const accountObject = (id: string, ready: boolean) => ({
  id,
  object: 'account',
  charges_enabled: ready,
  details_submitted: ready,
  payouts_enabled: ready,
});

const rowOf = (workspaceId: string) => db.stripeConnection.findUniqueOrThrow({ where: { workspaceId } });

/** Post a Connect event signed with the platform's Connect secret, then apply it as its job would. */
async function deliverConnect(event: ReturnType<typeof fakeEvent>, secret?: string) {
  const request = signedRequest(JSON.stringify(event), {
    secret: secret ?? process.env.STRIPE_CONNECT_WEBHOOK_SECRET!,
  });
  const response = await receiveConnectWebhook(request);
  if (response.status === 200) await processEvent(event.id);
  return response;
}

async function deliverToWorkspace(token: string, event: ReturnType<typeof fakeEvent>, secret: string) {
  const response = await receiveWorkspaceWebhook(signedRequest(JSON.stringify(event), { secret }), token);
  if (response.status === 200) await processEvent(event.id);
  return response;
}

async function mirrorCounts() {
  const [customers, subscriptions, payments, invoices] = await Promise.all([
    db.customer.count(),
    db.subscription.count(),
    db.payment.count(),
    db.invoice.count(),
  ]);
  return { customers, subscriptions, payments, invoices };
}

describe('webhooks of workspaces’ own Stripe accounts', () => {
  it('the Connect endpoint is configured in tests', () => {
    expect(process.env.STRIPE_CONNECT_WEBHOOK_SECRET).toMatch(/^whsec_/);
  });

  it('a Connect event for workspace A updates A and never touches B', async () => {
    const a = await connectConnection();
    const b = await connectConnection();
    const before = await rowOf(b.workspaceId);
    const event = fakeEvent('account.updated', accountObject(a.accountId, true), { account: a.accountId });
    expect((await deliverConnect(event)).status).toBe(200);

    const recorded = await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(recorded).toMatchObject({ account: a.accountId, workspaceId: a.workspaceId, status: 'processed' });
    expect(await rowOf(a.workspaceId)).toMatchObject({
      status: 'connected',
      chargesEnabled: true,
      detailsSubmitted: true,
    });
    expect(await rowOf(b.workspaceId)).toEqual(before);
    expect(await connectedAccountOf(a.workspaceId)).toMatchObject({ accountId: a.accountId, via: 'connect' });
    expect(await connectedAccountOf(b.workspaceId)).toBeNull();
  });

  it('a connected account’s payment events never reach the platform mirror', async () => {
    const a = await connectConnection();
    const before = await mirrorCounts();
    const session = {
      id: `cs_${rand()}`,
      object: 'checkout.session',
      mode: 'payment',
      status: 'complete',
      payment_status: 'paid',
      customer: `cus_${rand()}`,
      amount_total: 5000,
      currency: 'usd',
      metadata: { workspaceId: a.workspaceId },
    };
    const event = fakeEvent('checkout.session.completed', session, { account: a.accountId });
    expect((await deliverConnect(event)).status).toBe(200);
    const row = await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(row.status).toBe('processed');
    // Handed to invoicing (no invoice of the workspace has this session), never to the mirror.
    expect(row.outcome).toMatch(/^ignored/);
    expect(await mirrorCounts()).toEqual(before);
  });

  it('refuses a Connect event without an account (400) and one signed with another secret', async () => {
    const plain = fakeEvent('account.updated', accountObject(`acct_${rand()}`, true));
    const response = await deliverConnect(plain);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'A Connect event must name its account.' });
    const a = await connectConnection();
    const forged = fakeEvent('account.updated', accountObject(a.accountId, true), { account: a.accountId });
    expect((await deliverConnect(forged, process.env.STRIPE_WEBHOOK_SECRET)).status).toBe(400);
    expect(await db.webhookEvent.count({ where: { id: { in: [plain.id, forged.id] } } })).toBe(0);
    expect((await rowOf(a.workspaceId)).status).toBe('pending');
  });

  it('an event of an account no workspace has is recorded and ignored', async () => {
    const event = fakeEvent('account.updated', accountObject('acct_nobody', true), {
      account: 'acct_nobody',
    });
    expect((await deliverConnect(event)).status).toBe(200);
    const row = await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(row.outcome).toBe('ignored: no workspace is connected to acct_nobody');
  });

  it('a signature made with A’s secret posted to B’s URL is a 400 and changes nothing', async () => {
    const a = await keyConnection();
    const b = await keyConnection();
    const before = await rowOf(b.workspaceId);
    const event = fakeEvent('account.updated', accountObject(b.accountId, false));
    const response = await deliverToWorkspace(b.token, event, a.secret);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Invalid signature.' });
    expect(await db.webhookEvent.findUnique({ where: { id: event.id } })).toBeNull();
    expect(await rowOf(b.workspaceId)).toEqual(before);

    // The same event with B's own secret is accepted and recorded as B's.
    expect((await deliverToWorkspace(b.token, event, b.secret)).status).toBe(200);
    const recorded = await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(recorded).toMatchObject({ account: b.accountId, workspaceId: b.workspaceId });
    expect((await rowOf(b.workspaceId)).chargesEnabled).toBe(false);
    expect((await rowOf(a.workspaceId)).chargesEnabled).toBe(false);
  });

  it('an unknown webhook token is a 404; an event naming another account is a 400', async () => {
    const a = await keyConnection();
    const event = fakeEvent('account.updated', accountObject(a.accountId, true));
    expect((await deliverToWorkspace(newWebhookToken(), event, a.secret)).status).toBe(404);
    expect((await deliverToWorkspace('../../etc', event, a.secret)).status).toBe(404);
    const other = fakeEvent('account.updated', accountObject('acct_other', true), { account: 'acct_other' });
    expect((await deliverToWorkspace(a.token, other, a.secret)).status).toBe(400);
  });

  it('duplicated and shuffled account.updated events leave the newest state', async () => {
    const a = await connectConnection();
    const now = Math.floor(Date.now() / 1000);
    const older = fakeEvent('account.updated', accountObject(a.accountId, false), {
      account: a.accountId,
      created: now - 60,
    });
    const newer = fakeEvent('account.updated', accountObject(a.accountId, true), {
      account: a.accountId,
      created: now,
    });
    for (const event of [newer, older, newer, older]) expect((await deliverConnect(event)).status).toBe(200);
    expect(await rowOf(a.workspaceId)).toMatchObject({ status: 'connected', chargesEnabled: true });
    const skipped = await db.webhookEvent.findUniqueOrThrow({ where: { id: older.id } });
    expect(skipped.outcome).toMatch(/^skipped: older/);
  });

  it('a deauthorization disconnects the workspace for good: stripeFor then refuses clearly', async () => {
    const a = await connectConnection();
    const now = Math.floor(Date.now() / 1000);
    await deliverConnect(
      fakeEvent('account.updated', accountObject(a.accountId, true), {
        account: a.accountId,
        created: now - 5,
      }),
    );
    expect(await connectedAccountOf(a.workspaceId)).not.toBeNull();
    const application = { id: 'ca_tollgate', object: 'application', name: 'Tollgate' };
    await deliverConnect(
      fakeEvent('account.application.deauthorized', application, { account: a.accountId, created: now }),
    );
    expect(await rowOf(a.workspaceId)).toMatchObject({ status: 'disconnected', chargesEnabled: false });
    expect(await connectedAccountOf(a.workspaceId)).toBeNull();
    await expect(stripeFor(a.workspaceId)).rejects.toThrow(StripeNotConfiguredError);
    await expect(stripeFor(a.workspaceId)).rejects.toThrow('Stripe is not connected for this workspace');
    // A later account.updated does not revive it.
    await deliverConnect(
      fakeEvent('account.updated', accountObject(a.accountId, true), {
        account: a.accountId,
        created: now + 1,
      }),
    );
    expect((await rowOf(a.workspaceId)).status).toBe('disconnected');
  });

  it('keys and webhook secrets are encrypted at rest', async () => {
    const a = await keyConnection();
    const [stored] = await db.$queryRaw<Array<{ text: string }>>`
      SELECT row_to_json(s)::text AS text FROM "StripeConnection" s WHERE "workspaceId" = ${a.workspaceId}`;
    expect(stored!.text).not.toContain(a.key);
    expect(stored!.text).not.toContain(a.secret);
    expect(stored!.text).not.toContain(a.key.slice(8));
    expect(stored!.text).not.toContain(a.secret.slice(6));
    // And they still work: the resolver decrypts the key, the URL verifies with the secret.
    const { account } = await stripeFor(a.workspaceId);
    expect(account).toEqual({
      workspaceId: a.workspaceId,
      accountId: a.accountId,
      via: 'key',
      livemode: false,
      chargesEnabled: false,
      applicationFeePercent: null,
    });
  });
});

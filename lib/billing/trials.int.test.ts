import { describe, expect, it } from 'vitest';
import { startSubscriptionCheckout } from '@/lib/billing/checkout';
import { stripe } from '@/lib/billing/stripe';
import { trialAvailable } from '@/lib/billing/subscription-queries';
import { db } from '@/lib/db';
import {
  actorOf,
  addMember,
  createUser,
  createWorkspace,
  eventsSince,
  nowSeconds,
  payCheckout,
} from '@/lib/testing/fixtures';
import { deliver, signedRequest } from '@/lib/testing/webhooks';

const sessionOf = (url: string) => /cs_test_[A-Za-z0-9]+/.exec(url)![0];

async function deliverSince(since: number, needle: string) {
  for (const event of await eventsSince(since, (e) => JSON.stringify(e.data.object).includes(needle)))
    await deliver(signedRequest(JSON.stringify(event)));
}

describe('one free trial per billing owner', () => {
  it('gives Pro’s trial once: after canceling, a new checkout (even in the same minute) is a new session without a trial', async () => {
    const user = await createUser();
    const since = nowSeconds() - 1;
    const first = await startSubscriptionCheckout(actorOf(user), 'pro_monthly');
    expect(first.kind).toBe('checkout');
    expect((await payCheckout(sessionOf(first.url))).status).toBe('complete');
    const customer = await db.customer.findUnique({ where: { workspaceId: user.workspaceId } });
    await deliverSince(since, customer?.id ?? user.id);
    const trialing = await db.subscription.findFirstOrThrow({ where: { workspaceId: user.workspaceId } });
    expect(trialing.status).toBe('trialing');
    expect(await trialAvailable(user.workspaceId, user.id)).toBe(false);

    const canceledAt = nowSeconds() - 1;
    await stripe().subscriptions.cancel(trialing.id);
    await deliverSince(canceledAt, trialing.id);
    expect((await db.subscription.findUniqueOrThrow({ where: { id: trialing.id } })).status).toBe('canceled');

    const again = await startSubscriptionCheckout(actorOf(user), 'pro_monthly');
    expect(again.kind).toBe('checkout');
    expect(sessionOf(again.url)).not.toBe(sessionOf(first.url));
    const session = await stripe().checkout.sessions.retrieve(sessionOf(again.url));
    expect(session.status).toBe('open');
    expect(session.metadata?.trial_days).toBe('0');
    const paidSince = nowSeconds() - 1;
    expect((await payCheckout(session.id)).status).toBe('complete');
    await deliverSince(paidSince, customer!.id);
    const second = await db.subscription.findFirstOrThrow({
      where: { workspaceId: user.workspaceId, id: { not: trialing.id } },
    });
    expect(second).toMatchObject({ status: 'active', trialStart: null });
  });

  it('sends a second checkout in the same minute as a completed one to a new session (no trial plan)', async () => {
    const user = await createUser();
    const since = nowSeconds() - 1;
    const first = await startSubscriptionCheckout(actorOf(user), 'starter_monthly');
    expect((await payCheckout(sessionOf(first.url))).status).toBe('complete');
    const customer = (await db.customer.findUniqueOrThrow({ where: { workspaceId: user.workspaceId } })).id;
    await deliverSince(since, customer);
    const sub = await db.subscription.findFirstOrThrow({ where: { workspaceId: user.workspaceId } });
    const canceledAt = nowSeconds() - 1;
    await stripe().subscriptions.cancel(sub.id);
    await deliverSince(canceledAt, sub.id);
    const again = await startSubscriptionCheckout(actorOf(user), 'starter_monthly');
    expect(sessionOf(again.url)).not.toBe(sessionOf(first.url));
    expect((await stripe().checkout.sessions.retrieve(sessionOf(again.url))).status).toBe('open');
  });

  it('is not reopened by making workspaces: an owner who had a trial gets none in a new one, where others still can', async () => {
    const user = await createUser();
    const since = nowSeconds() - 1;
    const first = await startSubscriptionCheckout(actorOf(user), 'pro_monthly');
    expect((await payCheckout(sessionOf(first.url))).status).toBe('complete');
    const customer = await db.customer.findUniqueOrThrow({ where: { workspaceId: user.workspaceId } });
    await deliverSince(since, customer.id);
    expect(
      (await db.workspace.findUniqueOrThrow({ where: { id: user.workspaceId } })).trialUsedAt,
    ).not.toBeNull();

    const team = await createWorkspace([[user.id, 'owner']], 'New team');
    expect(await trialAvailable(team.id, user.id)).toBe(false);
    const inTeam = await startSubscriptionCheckout(
      { workspace: team, user: { id: user.id, email: user.email, name: user.name } },
      'pro_monthly',
    );
    const session = await stripe().checkout.sessions.retrieve(sessionOf(inTeam.url));
    expect(session.metadata).toMatchObject({ trial_days: '0', workspace_id: team.id });
    expect(session.client_reference_id).toBe(team.id);

    // Someone who never had one still gets the team's first trial (the workspace has had none)...
    const other = await createUser();
    const theirs = await createWorkspace([[other.id, 'owner']], 'Their team');
    expect(await trialAvailable(theirs.id, other.id)).toBe(true);
    // ...but not by joining, as billing member, a workspace whose trial is used.
    await addMember(user.workspaceId, other.id, 'billing');
    expect(await trialAvailable(user.workspaceId, other.id)).toBe(false);
  });
});

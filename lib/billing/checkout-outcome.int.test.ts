import { describe, expect, it } from 'vitest';
import { planForLookupKey } from '@/lib/billing/catalog';
import { startSubscriptionCheckout, subscriptionCheckoutOutcome } from '@/lib/billing/checkout';
import { featureArriving, hasEntitlement } from '@/lib/billing/entitlements';
import { db } from '@/lib/db';
import { actorOf, createUser, eventsSince, nowSeconds, payCheckout, shuffle } from '@/lib/testing/fixtures';
import { deliver, signedRequest } from '@/lib/testing/webhooks';

// The success page says "You're subscribed" and links to the plan's features. A user who follows
// the link must find them: Stripe sends the entitlement summary as its own event, which may be
// applied after the subscription's (CI once caught the link landing on /upgrade).

const sessionOf = (url: string) => /cs_test_[A-Za-z0-9]+/.exec(url)![0];

async function paidCheckout(lookupKey: string) {
  const user = await createUser();
  const since = nowSeconds() - 1;
  const { url } = await startSubscriptionCheckout(actorOf(user), lookupKey);
  const sessionId = sessionOf(url);
  expect((await payCheckout(sessionId)).status).toBe('complete');
  const customer = await db.customer.findUniqueOrThrow({ where: { workspaceId: user.workspaceId } });
  const events = await eventsSince(since, (e) => JSON.stringify(e.data.object).includes(customer.id));
  return { user, sessionId, events };
}

describe('the subscription success page', () => {
  it('a workspace without a subscription has no feature arriving', async () => {
    const user = await createUser();
    expect(await featureArriving(user.workspaceId, 'premium_reports')).toBe(false);
  });

  it('keeps saying "processing" until the plan’s features are usable, whatever order the events arrive in', async () => {
    for (const lookupKey of ['starter_monthly', 'pro_monthly']) {
      const { user, sessionId, events } = await paidCheckout(lookupKey);
      const features = planForLookupKey(lookupKey)!.plan.features;
      const order = shuffle(events);
      const seen: string[] = [];
      for (const event of order) {
        const outcome = await subscriptionCheckoutOutcome(user.id, sessionId);
        if (outcome?.state === 'complete') {
          expect(outcome.status, seen.join(', ')).not.toBe('incomplete');
          for (const feature of features)
            expect(
              await hasEntitlement(user.workspaceId, feature),
              `${feature} after ${seen.join(', ')}`,
            ).toBe(true);
        }
        await deliver(signedRequest(JSON.stringify(event)));
        const row = await db.webhookEvent.findUnique({ where: { id: event.id }, select: { outcome: true } });
        seen.push(`${event.type}@${event.created} → ${row?.outcome}`);
      }
      expect(await subscriptionCheckoutOutcome(user.id, sessionId)).toMatchObject({ state: 'complete' });
      for (const feature of features)
        expect(await hasEntitlement(user.workspaceId, feature), `${feature} after\n${seen.join('\n')}`).toBe(
          true,
        );
    }
  });

  it('says "processing" while the subscription is mirrored but its entitlements are not', async () => {
    const { user, sessionId, events } = await paidCheckout('starter_monthly');
    const summary = (e: { type: string }) => e.type === 'entitlements.active_entitlement_summary.updated';
    expect(events.some(summary)).toBe(true);
    // The subscription as created (incomplete) is not yet what the user will find.
    const created = events.find((e) => e.type === 'customer.subscription.created')!;
    await deliver(signedRequest(JSON.stringify(created)));
    expect(
      await db.subscription.count({ where: { workspaceId: user.workspaceId, status: 'incomplete' } }),
    ).toBe(1);
    expect(await subscriptionCheckoutOutcome(user.id, sessionId)).toEqual({ state: 'processing' });
    for (const event of events.filter((e) => !summary(e) && e !== created))
      await deliver(signedRequest(JSON.stringify(event)));
    expect(await db.subscription.count({ where: { workspaceId: user.workspaceId, status: 'active' } })).toBe(
      1,
    );
    expect(await hasEntitlement(user.workspaceId, 'premium_reports')).toBe(false);
    expect(await subscriptionCheckoutOutcome(user.id, sessionId)).toEqual({ state: 'processing' });
    // /upgrade says the plan's feature is being switched on, not "upgrade"; a feature Starter
    // lacks is still an upgrade.
    expect(await featureArriving(user.workspaceId, 'premium_reports')).toBe(true);
    expect(await featureArriving(user.workspaceId, 'api_access')).toBe(false);
    for (const event of events.filter(summary)) await deliver(signedRequest(JSON.stringify(event)));
    expect(await featureArriving(user.workspaceId, 'premium_reports')).toBe(false);
    expect(await subscriptionCheckoutOutcome(user.id, sessionId)).toMatchObject({
      state: 'complete',
      planName: 'Starter',
      status: 'active',
    });
  });
});

// A customer with a mixed history of events, for the job-queue tests.
import { stripe } from '@/lib/billing/stripe';
import { createUser, customerOnClock, priceId } from '@/lib/testing/fixtures';

/** A customer whose subscription renews, switches plan, cancels at period end and ends. */
export async function customerWithHistory() {
  const user = await createUser();
  const { customer, advanceDays } = await customerOnClock(user.id);
  const s = stripe();
  const subscription = await s.subscriptions.create({
    customer: customer.id,
    items: [{ price: await priceId('starter_monthly') }],
  });
  await advanceDays(31.1);
  await s.subscriptions.update(subscription.id, {
    items: [{ id: subscription.items.data[0]!.id, price: await priceId('pro_monthly') }],
  });
  await s.subscriptions.update(subscription.id, { cancel_at_period_end: true });
  await advanceDays(3);
  return { user, customer, subscriptionId: subscription.id };
}

// Test helpers for seats: a team workspace subscribed to the per-seat plan, members joining
// and leaving as the members code does (the change and membershipChanged in one transaction),
// and what Stripe bills.
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { createUser, customerOnClock, priceId } from '@/lib/testing/fixtures';
import { catchUp } from '@/lib/testing/webhooks';
import { membershipChanged } from '@/lib/workspaces/seats';

/**
 * A workspace of `members` members (the first the owner) on Team, paid for `members` seats,
 * on its own test clock, mirrored. The mirror rows are moved to the team workspace as
 * workspace-scoped checkout will do.
 */
export async function teamSubscriber(members: number, lookupKey = 'team_monthly') {
  const owner = await createUser();
  const workspace = await db.workspace.create({
    data: { name: `Team ${owner.id.slice(-6)}`, members: { create: { userId: owner.id, role: 'owner' } } },
    select: { id: true, name: true },
  });
  for (let i = 1; i < members; i += 1) {
    const user = await createUser();
    await db.membership.create({ data: { workspaceId: workspace.id, userId: user.id } });
  }
  const onClock = await customerOnClock(owner.id);
  const subscription = await stripe().subscriptions.create({
    customer: onClock.customer.id,
    items: [{ price: await priceId(lookupKey), quantity: members }],
  });
  await catchUp(onClock.customer.id);
  await db.customer.update({ where: { id: onClock.customer.id }, data: { workspaceId: workspace.id } });
  await db.subscription.update({ where: { id: subscription.id }, data: { workspaceId: workspace.id } });
  return { owner, workspace, subscription, ...onClock };
}

/** A new user joins the workspace (as accepting an invitation does). */
export async function join(workspaceId: string): Promise<string> {
  const user = await createUser();
  await db.$transaction(async (tx) => {
    await tx.membership.create({ data: { workspaceId, userId: user.id } });
    await membershipChanged(tx, workspaceId);
  });
  return user.id;
}

/** A member leaves (or is removed). */
export async function leave(workspaceId: string, userId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.membership.delete({ where: { workspaceId_userId: { workspaceId, userId } } });
    await membershipChanged(tx, workspaceId);
  });
}

/** The quantity Stripe bills now. */
export async function stripeSeats(subscriptionId: string): Promise<number> {
  const subscription = await stripe().subscriptions.retrieve(subscriptionId);
  return subscription.items.data[0]!.quantity ?? 1;
}

/** Invoices a quantity change billed at once (`always_invoice`), oldest first. */
export async function seatInvoices(subscriptionId: string) {
  const invoices = await stripe().invoices.list({ subscription: subscriptionId, limit: 100 });
  return invoices.data.filter((i) => i.billing_reason === 'subscription_update').reverse();
}

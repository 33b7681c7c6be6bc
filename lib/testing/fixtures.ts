// Integration-test helpers: real users in the test database, and the Stripe
// emulator driven through its test-only endpoints and the official SDK.
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { newReferralCode } from '@/lib/auth/referral-code';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';

/**
 * A user whose email is verified unless `verified: false`, with `workspaceId`: their personal
 * workspace (made by a trigger with the user), which owns their billing.
 */
export async function createUser(
  overrides: { role?: 'user' | 'finance' | 'admin'; verified?: boolean } = {},
) {
  const user = await db.user.create({
    data: {
      email: `t-${randomUUID()}@example.com`,
      name: 'Test',
      referralCode: newReferralCode(),
      role: overrides.role ?? 'user',
      emailVerified: overrides.verified === false ? null : new Date(),
    },
    select: { id: true, email: true, name: true, role: true, personalWorkspace: { select: { id: true } } },
  });
  const { personalWorkspace, ...rest } = user;
  return { ...rest, workspaceId: personalWorkspace!.id };
}

/** Another workspace with `members` in the given roles (the first is usually its owner). */
export async function createWorkspace(
  members: Array<[userId: string, role: 'owner' | 'admin' | 'billing' | 'member']>,
  name = 'Team',
) {
  return db.workspace.create({
    data: { name, members: { create: members.map(([userId, role]) => ({ userId, role })) } },
    select: { id: true, name: true },
  });
}

/** Add a user to a workspace in a role. */
export async function addMember(
  workspaceId: string,
  userId: string,
  role: 'owner' | 'admin' | 'billing' | 'member',
) {
  await db.membership.create({ data: { workspaceId, userId, role } });
}

function emulatorUrl(): string {
  const url = process.env.STRIPE_API_URL;
  if (!url) throw new Error('integration tests expect the Stripe emulator (STRIPE_API_URL)');
  return url;
}

/** Complete a hosted checkout with a test card, as the hosted page would. */
export async function payCheckout(sessionId: string, card = '4242424242424242'): Promise<{ status: string }> {
  const response = await fetch(`${emulatorUrl()}/_emulator/checkout/sessions/${sessionId}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ card, email: 'payer@example.com' }),
  });
  return (await response.json()) as { status: string };
}

/** Every event the emulator created since `since` (unix seconds), oldest first. */
export async function eventsSince(
  since: number,
  filter: (event: Stripe.Event) => boolean = () => true,
): Promise<Stripe.Event[]> {
  const events: Stripe.Event[] = [];
  for await (const event of stripe().events.list({ created: { gte: since }, limit: 100 })) events.push(event);
  return events.filter(filter).reverse();
}

export function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

const DAY = 86_400;

/**
 * A Stripe customer on its own test clock, linked to a Tollgate user's personal workspace (by the
 * `user_id` metadata customers made before workspaces carry), with a default card.
 */
export async function customerOnClock(userId: string, card = 'pm_card_visa') {
  const s = stripe();
  const clock = await s.testHelpers.testClocks.create({ frozen_time: nowSeconds() });
  const customer = await s.customers.create({
    email: `c-${userId}@example.com`,
    metadata: { user_id: userId },
    test_clock: clock.id,
  });
  const pm = await s.paymentMethods.attach(card, { customer: customer.id });
  await s.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return {
    clock,
    customer,
    /** Renewal invoices are finalized and charged an hour after the period end, as Stripe does:
     * advance a little past a whole month (31.1 days) to see a renewal's outcome. */
    async advanceDays(days: number) {
      const current = await s.testHelpers.testClocks.retrieve(clock.id);
      await s.testHelpers.testClocks.advance(clock.id, {
        frozen_time: current.frozen_time + Math.round(days * DAY),
      });
    },
  };
}

/**
 * A customer on its own clock, subscribed to Starter and paid with a working card,
 * whose default card then becomes `card`: the next renewal meets it.
 */
export async function starterRenewingWith(userId: string, card: string) {
  const onClock = await customerOnClock(userId);
  const s = stripe();
  const subscription = await s.subscriptions.create({
    customer: onClock.customer.id,
    items: [{ price: await priceId('starter_monthly') }],
  });
  const pm = await s.paymentMethods.attach(card, { customer: onClock.customer.id });
  await s.customers.update(onClock.customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return { ...onClock, subscription };
}

export async function priceId(lookupKey: string): Promise<string> {
  const price = (await stripe().prices.list({ lookup_keys: [lookupKey], limit: 1 })).data[0];
  if (!price) throw new Error(`no price ${lookupKey}`);
  return price.id;
}

/** Every event about this customer, oldest first (Stripe time under a test clock). */
export async function eventsOfCustomer(customerId: string): Promise<Stripe.Event[]> {
  const events: Stripe.Event[] = [];
  for await (const event of stripe().events.list({ limit: 100 })) {
    if (JSON.stringify(event.data.object).includes(customerId)) events.push(event);
  }
  return events.reverse();
}

/** A test user acting for their personal workspace, as billing code takes it. */
export function actorOf(user: { id: string; email: string; name: string | null; workspaceId: string }) {
  return {
    workspace: { id: user.workspaceId, name: user.name ?? 'Test' },
    user: { id: user.id, email: user.email, name: user.name },
  };
}

/** A workspace's credit balance. */
export async function workspaceBalance(workspaceId: string): Promise<number> {
  return (
    await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { creditBalance: true } })
  ).creditBalance;
}

// Integration-test helpers: real users in the test database, and the Stripe
// emulator driven through its test-only endpoints and the official SDK.
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { newReferralCode } from '@/lib/auth/referral-code';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';

export async function createUser(overrides: { role?: 'user' | 'finance' | 'admin' } = {}) {
  return db.user.create({
    data: { email: `t-${randomUUID()}@example.com`, name: 'Test', referralCode: newReferralCode(), role: overrides.role ?? 'user' },
    select: { id: true, email: true, name: true, role: true },
  });
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
export async function eventsSince(since: number, filter: (event: Stripe.Event) => boolean = () => true): Promise<Stripe.Event[]> {
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

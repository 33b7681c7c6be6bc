import 'server-only';
import { db } from '@/lib/db';
import { BillingError } from '@/lib/billing/errors';
import { callStripe } from '@/lib/billing/stripe';
import { env } from '@/lib/env';

/** A Billing Portal session for the workspace's customer, returning to the billing page. */
export async function openPortal(workspaceId: string): Promise<string> {
  const customer = await db.customer.findUnique({ where: { workspaceId }, select: { id: true } });
  if (!customer) throw new BillingError(404, 'You have no billing account yet. Choose a plan first.');
  const session = await callStripe((s) =>
    s.billingPortal.sessions.create({ customer: customer.id, return_url: `${env().APP_URL}/billing` }),
  );
  return session.url;
}

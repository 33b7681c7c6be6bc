import 'server-only';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { callStripe, retryWhileInFlight } from '@/lib/billing/stripe';

/** Who pays: the workspace, and the member acting for it (whose email becomes the billing contact). */
export interface BillingActor {
  workspace: { id: string; name: string };
  user: { id: string; email: string; name: string | null };
}

/**
 * The workspace's Stripe customer id, creating the customer on first use. The
 * idempotency key is the workspace's, so a double click, two tabs or two
 * members at once create one customer.
 */
export async function ensureStripeCustomer({ workspace, user }: BillingActor): Promise<string> {
  const existing = await db.customer.findUnique({
    where: { workspaceId: workspace.id },
    select: { id: true },
  });
  if (existing) return existing.id;
  const customer = await retryWhileInFlight(() =>
    callStripe((s) =>
      s.customers.create(
        { email: user.email, name: workspace.name, metadata: { workspace_id: workspace.id } },
        { idempotencyKey: `ensure-customer-${workspace.id}` },
      ),
    ),
  );
  const now = new Date(customer.created * 1000);
  try {
    await db.customer.create({
      data: {
        id: customer.id,
        workspaceId: workspace.id,
        email: customer.email,
        livemode: customer.livemode,
        lastEventAt: now,
        observedAt: now,
      },
    });
  } catch (error) {
    // A concurrent request (or the customer.created webhook) stored it first.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
  }
  return (await db.customer.findUniqueOrThrow({ where: { workspaceId: workspace.id }, select: { id: true } }))
    .id;
}

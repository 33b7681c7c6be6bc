import 'server-only';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { callStripe, retryWhileInFlight } from '@/lib/billing/stripe';

/**
 * The user's Stripe customer id, creating the customer on first use. The
 * idempotency key makes a double click (or two tabs) create one customer.
 */
export async function ensureStripeCustomer(user: {
  id: string;
  email: string;
  name: string | null;
}): Promise<string> {
  const existing = await db.customer.findUnique({ where: { userId: user.id }, select: { id: true } });
  if (existing) return existing.id;
  const customer = await retryWhileInFlight(() =>
    callStripe((s) =>
      s.customers.create(
        { email: user.email, name: user.name ?? undefined, metadata: { user_id: user.id } },
        { idempotencyKey: `ensure-customer-${user.id}` },
      ),
    ),
  );
  const now = new Date(customer.created * 1000);
  try {
    await db.customer.create({
      data: {
        id: customer.id,
        userId: user.id,
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
  return (await db.customer.findUniqueOrThrow({ where: { userId: user.id }, select: { id: true } })).id;
}

import type Stripe from 'stripe';
import type { Prisma } from '@/lib/generated/prisma/client';

export type Tx = Prisma.TransactionClient;

export interface HandlerContext {
  tx: Tx;
  /** The Stripe client, to re-read an object or fetch a missing parent. */
  stripe: Stripe;
  /** When Stripe created the event. */
  eventAt: Date;
}

/** Applies one event inside its transaction and says what it did, in one line. */
export type Handler<E extends Stripe.Event = Stripe.Event> = (
  event: E,
  ctx: HandlerContext,
) => Promise<string>;

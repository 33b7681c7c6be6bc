import type Stripe from 'stripe';
import type { HandlerContext } from '@/lib/billing/mirror/context';

// Tx and HandlerContext live beside their owners now; re-exported for code that still imports them here.
export type { Tx } from '@/lib/db';
export type { HandlerContext };

/** Applies one event inside its transaction and says what it did, in one line. */
export type Handler<E extends Stripe.Event = Stripe.Event> = (
  event: E,
  ctx: HandlerContext,
) => Promise<string>;

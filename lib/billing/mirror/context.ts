import type Stripe from 'stripe';
import type { Tx } from '@/lib/db';

/** What every mirror write gets: the open transaction, the Stripe client and the event's time. */
export interface HandlerContext {
  tx: Tx;
  /** The Stripe client, to re-read an object or fetch a missing parent. */
  stripe: Stripe;
  /** When Stripe created the event. */
  eventAt: Date;
}

import type Stripe from 'stripe';
import { applyDispute } from '@/lib/billing/mirror/dispute';
import type { Handler } from '../types';

export const disputeChanged: Handler<
  | Stripe.ChargeDisputeCreatedEvent
  | Stripe.ChargeDisputeUpdatedEvent
  | Stripe.ChargeDisputeClosedEvent
  | Stripe.ChargeDisputeFundsWithdrawnEvent
  | Stripe.ChargeDisputeFundsReinstatedEvent
> = (event, ctx) => applyDispute(ctx, event.data.object);

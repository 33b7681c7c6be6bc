import type Stripe from 'stripe';
import { applyRefund } from '@/lib/billing/mirror/refund';
import type { Handler } from '../types';

export const refundChanged: Handler<
  | Stripe.RefundCreatedEvent
  | Stripe.RefundUpdatedEvent
  | Stripe.RefundFailedEvent
  | Stripe.ChargeRefundUpdatedEvent
> = (event, ctx) => applyRefund(ctx, event.data.object);

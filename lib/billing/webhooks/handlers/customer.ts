import type Stripe from 'stripe';
import { applyCustomer } from '@/lib/billing/mirror/customer';
import type { Handler } from '../types';

export const customerChanged: Handler<
  Stripe.CustomerCreatedEvent | Stripe.CustomerUpdatedEvent | Stripe.CustomerDeletedEvent
> = (event, ctx) => applyCustomer(ctx, event.data.object, event.type === 'customer.deleted');

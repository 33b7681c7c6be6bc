import 'server-only';
import { notFound } from 'next/navigation';
import { billingEnabled } from '@/lib/env';

/** Billing pages do not exist without a Stripe key. */
export function requireBilling(): void {
  if (!billingEnabled()) notFound();
}

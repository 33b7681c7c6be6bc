import 'server-only';
import type Stripe from 'stripe';

// Stub from the connect-app branch: the invoicing branch replaces this file (the seam agreed in
// issue 17). Applies an event of a workspace's own Stripe account; returns a one-line outcome.
export async function applyInvoicingEvent(event: Stripe.Event, workspaceId: string): Promise<string> {
  void event;
  void workspaceId;
  return 'ignored';
}

// Test helpers for client invoicing: a connected workspace with a client, and invoices.
import type Stripe from 'stripe';
import { connectWithKey } from '@/lib/billing/connect/key';
import { stripeFor } from '@/lib/billing/connections';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { checkoutUrlFor } from '@/lib/invoicing/pay';
import { createClient } from '@/lib/invoicing/clients';
import { invoiceSchema } from '@/lib/invoicing/inputs';
import { applyInvoicingEvent } from '@/lib/invoicing/events';
import { createInvoice, sendInvoice } from '@/lib/invoicing/service';
import { createUser, payCheckout } from '@/lib/testing/fixtures';

/** A standalone Stripe account in the emulator, with its own keys (as its Dashboard would give). */
export async function emulatorAccount(businessName = 'Client account') {
  const response = await fetch(`${process.env.STRIPE_API_URL}/_emulator/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ business_name: businessName }),
  });
  if (!response.ok) throw new Error(`POST /_emulator/accounts answered ${response.status}`);
  return (await response.json()) as { id: string; secret_key: string; restricted_key: string };
}

/**
 * A user whose personal workspace has its own Stripe account connected (by a pasted restricted
 * key, or through Connect with an optional fee), and a client.
 */
export async function connectedWorkspace(options: { feePercent?: number; via?: 'connect' | 'key' } = {}) {
  const user = await createUser();
  if ((options.via ?? 'key') === 'key') {
    const account = await emulatorAccount();
    const outcome = await connectWithKey(user, user.workspaceId, account.restricted_key);
    if (!outcome.ok) throw new Error(`connecting failed: ${JSON.stringify(outcome)}`);
  } else {
    const account = await stripe().accounts.create({ type: 'standard', email: user.email });
    await db.stripeConnection.create({
      data: {
        workspaceId: user.workspaceId,
        accountId: account.id,
        via: 'connect',
        status: 'connected',
        chargesEnabled: true,
        detailsSubmitted: true,
        applicationFeePercent: options.feePercent ?? null,
        connectedAt: new Date(),
      },
    });
  }
  const client = await createClient(user.workspaceId, {
    name: 'Acme Client',
    email: `client-${user.id}@example.com`,
    address: '1 Main St\nSpringfield',
  });
  return { user, workspaceId: user.workspaceId, client };
}

export const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** An invoice input as the editor would send it, parsed by the real schema. */
export function invoiceInput(clientId: string, overrides: Record<string, unknown> = {}) {
  return invoiceSchema.parse({
    clientId,
    currency: 'usd',
    dueDate: inFuture(14),
    taxRate: '10',
    depositKind: 'percent',
    depositValue: '30',
    notes: 'Thanks!',
    lines: [
      { description: 'Design', quantity: '2', unitAmount: '150' },
      { description: 'Hosting', quantity: '1', unitAmount: '100' },
    ],
    ...overrides,
  });
}

/** A draft: 2 × $150 + $100, 10% tax = $440, 30% deposit = $132. */
export async function draftInvoice(
  workspaceId: string,
  clientId: string,
  overrides: Record<string, unknown> = {},
) {
  return createInvoice(workspaceId, invoiceInput(clientId, overrides));
}

/** Every event of the workspace's account about the invoice since `since` (unix seconds), oldest first. */
export async function invoiceEvents(
  workspaceId: string,
  invoiceId: string,
  since: number,
): Promise<Stripe.Event[]> {
  const { stripe } = await stripeFor(workspaceId);
  const events: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ created: { gte: since }, limit: 100 })) events.push(event);
  const piIds = new Set<string>();
  for (const event of events) {
    const text = JSON.stringify(event.data.object);
    const match = /"payment_intent":"(pi_[A-Za-z0-9]+)"/.exec(text);
    if (text.includes(invoiceId) && match) piIds.add(match[1]!);
    if (text.includes(invoiceId) && /^pi_/.test((event.data.object as { id: string }).id))
      piIds.add((event.data.object as { id: string }).id);
  }
  return events
    .filter((event) => {
      const text = JSON.stringify(event.data.object);
      return text.includes(invoiceId) || [...piIds].some((id) => text.includes(id));
    })
    .reverse();
}

/** The client opens the pay link and pays what is due with 4242 on the hosted page; returns the events it made. */
export async function payInvoice(workspaceId: string, token: string, card = '4242424242424242') {
  const since = Math.floor(Date.now() / 1000) - 1;
  await checkoutUrlFor(token);
  const invoice = await db.clientInvoice.findUniqueOrThrow({ where: { payToken: token } });
  const result = await payCheckout(invoice.checkoutSessionId!, card);
  return {
    result,
    events: await invoiceEvents(workspaceId, invoice.id, since),
    sessionId: invoice.checkoutSessionId!,
  };
}

/** A connected workspace whose client has paid a sent invoice's deposit, its events applied. */
export async function paidDeposit(options: Parameters<typeof connectedWorkspace>[0] = {}) {
  const ws = await connectedWorkspace(options);
  const { id } = await draftInvoice(ws.workspaceId, ws.client.id);
  await sendInvoice(ws.workspaceId, id);
  const invoice = await db.clientInvoice.findUniqueOrThrow({ where: { id } });
  const { events } = await payInvoice(ws.workspaceId, invoice.payToken);
  for (const event of events) await applyInvoicingEvent(event, ws.workspaceId);
  const payment = await db.clientPayment.findFirstOrThrow({ where: { invoiceId: id } });
  return { ...ws, invoice, payment };
}

// Test helpers for client invoicing: a connected workspace with a client, and invoices.
import { connectForTests } from '@/lib/billing/connections';
import { createClient } from '@/lib/invoicing/clients';
import { invoiceSchema } from '@/lib/invoicing/inputs';
import { createInvoice } from '@/lib/invoicing/service';
import { createUser } from '@/lib/testing/fixtures';

/** A user whose personal workspace has a connected Stripe account (the emulator's), and a client. */
export async function connectedWorkspace(options: { feePercent?: number; via?: 'connect' | 'key' } = {}) {
  const user = await createUser();
  connectForTests({
    workspaceId: user.workspaceId,
    accountId: 'acct_test_platform',
    via: options.via ?? 'key',
    livemode: false,
    chargesEnabled: true,
    applicationFeePercent: options.feePercent ?? null,
  });
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

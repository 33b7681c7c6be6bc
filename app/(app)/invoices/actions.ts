'use server';

import { notFound, redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { validatedAction } from '@/lib/action';
import { audit } from '@/lib/audit';
import { createClient } from '@/lib/invoicing/clients';
import { invoicingEnabled } from '@/lib/invoicing/gate';
import { clientSchema, invoiceFields, invoiceFormSchema, invoiceSchema } from '@/lib/invoicing/inputs';
import { expireSession } from '@/lib/invoicing/pay';
import { clientRefundSchema, refundClientPayment } from '@/lib/invoicing/refunds';
import { createInvoice, sendInvoice, updateDraft, voidInvoice } from '@/lib/invoicing/service';
import { formatMoney } from '@/lib/format';

// Invoicing actions act for the workspace the form was rendered for, with the billing right
// there, and only while it has a connected Stripe account (else 404).

async function connected(workspaceId: string) {
  if (!(await invoicingEnabled(workspaceId))) notFound();
}

const invoiceId = z.object({ invoiceId: z.string().trim().min(1).max(64) });

export const createClientAction = validatedAction(
  {
    schema: clientSchema,
    who: 'user',
    workspace: 'billing',
    invalid: 'fields',
    echo: ['name', 'email', 'address'],
  },
  async (input, { workspace }) => {
    await connected(workspace!.id);
    const client = await createClient(workspace!.id, input);
    revalidatePath('/invoices');
    return { ok: true, message: `Client ${client.name} added.` };
  },
);

export const createInvoiceAction = validatedAction(
  { schema: invoiceFormSchema, who: 'user', workspace: 'billing' },
  async (input, { workspace }) => {
    await connected(workspace!.id);
    const invoice = await createInvoice(workspace!.id, input);
    redirect(`/invoices/${invoice.id}`);
  },
);

const draftSchema = z.preprocess(
  (raw) => {
    const fields = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    return { invoiceId: fields.invoiceId, invoice: invoiceFields(fields) };
  },
  z.object({ invoiceId: z.string().trim().min(1).max(64), invoice: invoiceSchema }),
);

export const updateInvoiceAction = validatedAction(
  { schema: draftSchema, who: 'user', workspace: 'billing' },
  async (input, { workspace }) => {
    await connected(workspace!.id);
    await updateDraft(workspace!.id, input.invoiceId, input.invoice);
    redirect(`/invoices/${input.invoiceId}`);
  },
);

export const sendInvoiceAction = validatedAction(
  { schema: invoiceId, who: 'user', workspace: 'billing' },
  async (input, { workspace, user }) => {
    await connected(workspace!.id);
    const result = await sendInvoice(workspace!.id, input.invoiceId);
    if (result === 'sent')
      await audit({
        actor: user,
        action: 'client_invoice.sent',
        dedupeKey: `client_invoice.sent:${input.invoiceId}`,
        targetType: 'client_invoice',
        targetId: input.invoiceId,
      });
    revalidatePath(`/invoices/${input.invoiceId}`);
    return {
      ok: true,
      message: result === 'sent' ? 'Invoice sent to the client.' : 'This invoice was already sent.',
    };
  },
);

export const voidInvoiceAction = validatedAction(
  {
    schema: invoiceId.extend({
      reason: z.string().trim().min(3, 'Say why (at least 3 characters).').max(500),
    }),
    who: 'user',
    workspace: 'billing',
  },
  async (input, { workspace, user }) => {
    await connected(workspace!.id);
    const { openSession } = await voidInvoice(workspace!.id, input.invoiceId);
    if (openSession) await expireSession(workspace!.id, openSession);
    await audit({
      actor: user,
      action: 'client_invoice.voided',
      dedupeKey: `client_invoice.voided:${input.invoiceId}`,
      targetType: 'client_invoice',
      targetId: input.invoiceId,
      reason: input.reason,
    });
    revalidatePath(`/invoices/${input.invoiceId}`);
    return { ok: true, message: 'Invoice voided: its pay link no longer works.' };
  },
);

export const refundClientPaymentAction = validatedAction(
  { schema: clientRefundSchema, who: 'user', workspace: 'billing', echo: ['amount', 'reason'] },
  async (input, { workspace, user }) => {
    await connected(workspace!.id);
    const refund = await refundClientPayment(workspace!.id, user, input);
    revalidatePath('/invoices', 'layout');
    return {
      ok: true,
      message: `Refund of ${formatMoney(refund.amount, refund.currency)} ${refund.status}.`,
    };
  },
);

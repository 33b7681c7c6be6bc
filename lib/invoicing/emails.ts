import { formatDate, formatMoney } from '@/lib/format';
import { invoiceNumber } from './inputs';

// The emails a client receives. Subjects carry the invoice number and the workspace's name in
// quotes, as text the workspace chose (it bills under its own name, not ours).

interface InvoiceFacts {
  number: number;
  currency: string;
  total: number;
  depositAmount: number;
  amountPaid: number;
  dueDate: Date;
  client: { name: string };
  workspace: { name: string };
  url: string;
}

function dueLine(invoice: InvoiceFacts): string {
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  if (invoice.depositAmount > 0 && invoice.amountPaid < invoice.depositAmount)
    return `A deposit of ${money(invoice.depositAmount - invoice.amountPaid)} is due now; the balance of ${money(invoice.total - invoice.depositAmount)} follows.`;
  return `${money(invoice.total - invoice.amountPaid)} is due by ${formatDate(invoice.dueDate)}.`;
}

export function invoiceEmail(invoice: InvoiceFacts) {
  const number = invoiceNumber(invoice.number);
  return {
    subject: `Invoice ${number} from “${invoice.workspace.name}”`,
    text:
      `Hello ${invoice.client.name},\n\n` +
      `“${invoice.workspace.name}” sent you invoice ${number} for ${formatMoney(invoice.total, invoice.currency)}, ` +
      `due ${formatDate(invoice.dueDate)}.\n${dueLine(invoice)}\n\n` +
      `View and pay it (no account needed): ${invoice.url}\n\n` +
      `The invoice is attached as a PDF. Payments are processed by Stripe.`,
  };
}

export function reminderEmail(invoice: InvoiceFacts) {
  const number = invoiceNumber(invoice.number);
  return {
    subject: `Reminder: invoice ${number} from “${invoice.workspace.name}” is overdue`,
    text:
      `Hello ${invoice.client.name},\n\n` +
      `Invoice ${number} from “${invoice.workspace.name}” was due ${formatDate(invoice.dueDate)} and ` +
      `${formatMoney(invoice.total - invoice.amountPaid, invoice.currency)} of ${formatMoney(invoice.total, invoice.currency)} is still open.\n\n` +
      `Pay it here (no account needed): ${invoice.url}\n\n` +
      `If you have already paid, please ignore this reminder.`,
  };
}

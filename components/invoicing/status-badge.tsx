import { Badge, type BadgeTone } from '@/components/ui/badge';

const tones: Record<string, BadgeTone> = {
  draft: 'gray',
  sent: 'blue',
  deposit_paid: 'yellow',
  paid: 'green',
  void: 'gray',
  overdue: 'red',
};

const labels: Record<string, string> = {
  draft: 'Draft',
  sent: 'Sent',
  deposit_paid: 'Deposit paid',
  paid: 'Paid',
  void: 'Void',
  overdue: 'Overdue',
};

export function InvoiceStatusBadge({ status }: { status: string }) {
  return (
    <span data-testid="invoice-status">
      <Badge tone={tones[status] ?? 'gray'}>{labels[status] ?? status}</Badge>
    </span>
  );
}

import { Badge, type BadgeTone } from '@/components/ui/badge';

const tones: Record<string, BadgeTone> = {
  pending: 'yellow',
  completed: 'green',
  failed: 'red',
  expired: 'gray',
  canceled: 'gray',
  refunded: 'blue',
  partially_refunded: 'blue',
};

const labels: Record<string, string> = { partially_refunded: 'partially refunded' };

export function PaymentStatusBadge({ status }: { status: string }) {
  return <Badge tone={tones[status] ?? 'gray'}>{labels[status] ?? status}</Badge>;
}

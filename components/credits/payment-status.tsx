import { Badge, type BadgeTone } from '@/components/ui/badge';

const tones: Record<string, BadgeTone> = {
  pending: 'yellow',
  completed: 'green',
  failed: 'red',
  expired: 'gray',
  canceled: 'gray',
  refunded: 'blue',
  partially_refunded: 'blue',
  needs_review: 'red',
};

const labels: Record<string, string> = {
  partially_refunded: 'partially refunded',
  needs_review: 'needs review',
};

export function PaymentStatusBadge({ status }: { status: string }) {
  return <Badge tone={tones[status] ?? 'gray'}>{labels[status] ?? status}</Badge>;
}

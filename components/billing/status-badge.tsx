import { Badge, type BadgeTone } from '@/components/ui/badge';

const tones: Record<string, BadgeTone> = {
  active: 'green',
  trialing: 'blue',
  past_due: 'red',
  unpaid: 'red',
  canceled: 'gray',
  incomplete: 'yellow',
  incomplete_expired: 'gray',
  paused: 'yellow',
  paid: 'green',
  // Refunds
  succeeded: 'green',
  pending: 'yellow',
  failed: 'red',
  requires_action: 'yellow',
  open: 'yellow',
  void: 'gray',
  uncollectible: 'red',
  draft: 'gray',
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={tones[status] ?? 'gray'}>{status.replaceAll('_', ' ')}</Badge>;
}

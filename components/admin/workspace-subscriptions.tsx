import { StatusBadge } from '@/components/billing/status-badge';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { formatDate } from '@/lib/format';

interface SubscriptionRow {
  id: string;
  status: string;
  planKey: string | null;
  priceLookupKey: string | null;
  priceId?: string;
  interval: string | null;
  quantity: number;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

/** A workspace's newest subscriptions in the back office (the workspace page adds their seats). */
export function WorkspaceSubscriptions({
  label,
  subscriptions,
  seats = false,
}: {
  label: string;
  subscriptions: SubscriptionRow[];
  seats?: boolean;
}) {
  return (
    <Card>
      <CardTitle>Subscriptions</CardTitle>
      <Table
        label={label}
        headers={['Id', 'Plan', ...(seats ? ['Seats'] : []), 'Status', 'Period end', 'Cancels']}
        empty={subscriptions.length === 0 && 'No subscriptions.'}
      >
        {subscriptions.map((s) => (
          <tr key={s.id}>
            <Td className="font-mono text-xs">{s.id}</Td>
            <Td>
              {s.planKey ?? s.priceLookupKey ?? s.priceId ?? 'custom'} {s.interval ? `/ ${s.interval}` : ''}
            </Td>
            {seats ? <Td>{s.quantity}</Td> : null}
            <Td>
              <StatusBadge status={s.status} />
            </Td>
            <Td>{formatDate(s.currentPeriodEnd)}</Td>
            <Td>{s.cancelAtPeriodEnd ? 'at period end' : '—'}</Td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}

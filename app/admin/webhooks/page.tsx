import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { eventTones } from '@/components/admin/event-status';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { Pager } from '@/components/ui/pager';
import { Table, Td } from '@/components/ui/table';
import { failedWebhookCount, listWebhookEvents, TAB_COUNT_CAP } from '@/lib/admin/queries';
import { requireRole } from '@/lib/auth/session';
import { requireBilling } from '@/lib/billing/gate';
import { WebhookEventStatus } from '@/lib/generated/prisma/enums';
import { cursorOrFirstPage } from '@/lib/pagination';

export const metadata: Metadata = { title: 'Webhooks · Admin' };

const statuses = Object.values(WebhookEventStatus);

export default async function AdminWebhooksPage({
  searchParams,
}: {
  searchParams: Promise<{ status?: string; cursor?: string }>;
}) {
  requireBilling();
  await requireRole(['admin', 'finance'], '/admin/webhooks');
  const params = await searchParams;
  const status = statuses.find((s) => s === params.status);
  if (params.status && !status) notFound();
  const [events, failedCount] = await Promise.all([
    listWebhookEvents(status, cursorOrFirstPage(params.cursor)),
    failedWebhookCount(),
  ]);
  const tab = (value: string | undefined, label: string) => (
    <Link
      href={value ? `/admin/webhooks?status=${value}` : '/admin/webhooks'}
      aria-current={status === value ? 'page' : undefined}
      className={cn(
        'rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-slate-200',
        status === value ? 'bg-indigo-600 text-white' : 'bg-white',
      )}
    >
      {label}
    </Link>
  );
  return (
    <Card>
      <h1 className="text-xl font-bold">Webhook events</h1>
      <nav aria-label="Filter by status" className="mt-4 flex flex-wrap gap-2">
        {tab(undefined, 'All')}
        {tab(
          'failed',
          `Failed (${failedCount > TAB_COUNT_CAP ? `${TAB_COUNT_CAP.toLocaleString('en-US')}+` : failedCount})`,
        )}
        {tab('received', 'Not yet applied')}
        {tab('processed', 'Processed')}
        {tab('ignored', 'Ignored')}
      </nav>
      <Table
        label="Webhook events"
        headers={['Received', 'Type', 'Status', 'Attempts', 'Outcome or error']}
        empty={events.data.length === 0 && 'No events.'}
      >
        {events.data.map((e) => (
          <tr key={e.id} className={e.status === 'failed' ? 'bg-red-50' : undefined}>
            <Td className="whitespace-nowrap">
              <span data-testid="received-at">
                {e.receivedAt.toISOString().replace('T', ' ').slice(0, 19)}
              </span>
            </Td>
            <Td>
              <Link href={`/admin/webhooks/${e.id}`} className="text-indigo-600 hover:text-indigo-500">
                {e.type}
              </Link>
            </Td>
            <Td>
              <Badge tone={eventTones[e.status] ?? 'gray'}>{e.status}</Badge>
            </Td>
            <Td>{e.attempts}</Td>
            <Td className="max-w-md truncate">{e.error ?? e.outcome ?? ''}</Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/admin/webhooks" params={{ status }} nextCursor={events.nextCursor} />
    </Card>
  );
}

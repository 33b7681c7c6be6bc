import type { Metadata } from 'next';
import Link from 'next/link';
import { SearchForm } from '@/components/admin/search-form';
import { Card } from '@/components/ui/card';
import { Pager } from '@/components/ui/pager';
import { Table, Td } from '@/components/ui/table';
import { listWorkspaces } from '@/lib/admin/workspaces';
import { requireRole } from '@/lib/auth/session';
import { formatMoney } from '@/lib/billing/catalog';
import { formatDate } from '@/lib/format';
import { cursorOrFirstPage } from '@/lib/pagination';

export const metadata: Metadata = { title: 'Workspaces · Admin' };

export default async function AdminWorkspacesPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string; cursor?: string }>;
}) {
  await requireRole(['admin', 'finance'], '/admin/workspaces');
  const params = await searchParams;
  const workspaces = await listWorkspaces(params.q, cursorOrFirstPage(params.cursor));
  return (
    <Card>
      <h1 className="text-xl font-bold">Workspaces</h1>
      <SearchForm label="Search workspaces" placeholder="Workspace name" q={params.q} />
      <Table
        label="Workspaces"
        headers={['Name', 'Plan', 'Seats', 'MRR', 'Created']}
        empty={workspaces.data.length === 0 && 'No workspaces match.'}
      >
        {workspaces.data.map((w) => (
          <tr key={w.id}>
            <Td>
              <Link
                href={`/admin/workspaces/${w.id}`}
                className="font-medium text-indigo-600 hover:text-indigo-500"
              >
                {w.name}
              </Link>
              {w.personalOfId ? <span className="ml-2 text-xs text-slate-500">personal</span> : null}
            </Td>
            <Td>
              {w.subscription
                ? `${w.subscription.planKey ?? w.subscription.priceLookupKey ?? 'custom'} (${w.subscription.status})`
                : 'Free'}
            </Td>
            <Td>
              {w.members}
              {w.subscription && w.subscription.quantity !== w.members
                ? ` (${w.subscription.quantity} billed)`
                : ''}
            </Td>
            <Td>{formatMoney(w.mrr)}</Td>
            <Td>{formatDate(w.createdAt)}</Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/admin/workspaces" params={{ q: params.q }} nextCursor={workspaces.nextCursor} />
    </Card>
  );
}

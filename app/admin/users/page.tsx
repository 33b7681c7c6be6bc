import type { Metadata } from 'next';
import Link from 'next/link';
import { SearchForm } from '@/components/admin/search-form';
import { Card } from '@/components/ui/card';
import { Pager } from '@/components/ui/pager';
import { Table, Td } from '@/components/ui/table';
import { searchUsers } from '@/lib/admin/queries';
import { requireRole } from '@/lib/auth/session';
import { formatDate } from '@/lib/format';
import { cursorOrFirstPage } from '@/lib/pagination';

export const metadata: Metadata = { title: 'Users · Admin' };

export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string; cursor?: string }>;
}) {
  await requireRole(['admin', 'finance'], '/admin/users');
  const params = await searchParams;
  const users = await searchUsers(params.q, cursorOrFirstPage(params.cursor));
  return (
    <Card>
      <h1 className="text-xl font-bold">Users and customers</h1>
      <SearchForm label="Search users" placeholder="Email, name or cus_…" q={params.q} />
      <Table
        label="Users"
        headers={['Email', 'Name', 'Role', 'Credits', 'Stripe customer', 'Joined']}
        empty={users.data.length === 0 && 'No users match.'}
      >
        {users.data.map((u) => (
          <tr key={u.id}>
            <Td>
              <Link
                href={`/admin/users/${u.id}`}
                className="font-medium text-indigo-600 hover:text-indigo-500"
              >
                {u.email}
              </Link>
            </Td>
            <Td>{u.name ?? '—'}</Td>
            <Td>{u.role}</Td>
            <Td>{(u.personalWorkspace?.creditBalance ?? 0).toLocaleString('en-US')}</Td>
            <Td className="font-mono text-xs">{u.personalWorkspace?.customer?.id ?? '—'}</Td>
            <Td>{formatDate(u.createdAt)}</Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/admin/users" params={{ q: params.q }} nextCursor={users.nextCursor} />
    </Card>
  );
}

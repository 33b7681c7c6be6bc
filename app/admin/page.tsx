import type { Metadata } from 'next';
import { Card, CardTitle } from '@/components/ui/card';
import { requireRole } from '@/lib/auth/session';
import { db } from '@/lib/db';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage() {
  await requireRole(['admin', 'finance'], '/admin');
  const [users, staff] = await Promise.all([db.user.count(), db.user.count({ where: { role: { in: ['admin', 'finance'] } } })]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Admin</h1>
      <div className="grid gap-4 sm:grid-cols-3">
        <Card>
          <CardTitle>Users</CardTitle>
          <p className="mt-2 text-3xl font-semibold">{users}</p>
        </Card>
        <Card>
          <CardTitle>Staff</CardTitle>
          <p className="mt-2 text-3xl font-semibold">{staff}</p>
        </Card>
      </div>
    </div>
  );
}

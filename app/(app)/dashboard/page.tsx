import type { Metadata } from 'next';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const user = await requireUser('/dashboard');
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Welcome{user.name ? `, ${user.name}` : ''}</h1>
      <div className="grid gap-4 sm:grid-cols-2">
        <Card>
          <CardTitle>Your account</CardTitle>
          <dl className="mt-3 space-y-1 text-sm text-slate-700">
            <div>
              <dt className="inline font-medium">Email: </dt>
              <dd className="inline">{user.email}</dd>
            </div>
            <div>
              <dt className="inline font-medium">Role: </dt>
              <dd className="inline">{user.role}</dd>
            </div>
          </dl>
        </Card>
      </div>
    </div>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { loadSampleDataAction, removeSampleDataAction } from '@/app/admin/_actions/sample-data';
import { RevenueChart } from '@/components/admin/revenue-chart';
import { SampleDataPanel } from '@/components/admin/sample-data-panel';
import { Card, CardTitle } from '@/components/ui/card';
import { dashboardMetrics, userCount } from '@/lib/admin/metrics';
import { requireRole } from '@/lib/auth/session';
import { formatMoney } from '@/lib/billing/catalog';
import { stripeMode } from '@/lib/billing/stripe';
import { billingEnabled } from '@/lib/env';

export const metadata: Metadata = { title: 'Admin' };

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Card>
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold" data-testid={testId}>
        {value}
      </p>
    </Card>
  );
}

/** An estimate (large tables) reads as approximate. */
function usersText(users: { count: number; exact: boolean }): string {
  return `${users.exact ? '' : '≈ '}${users.count.toLocaleString('en-US')}`;
}

export default async function AdminPage() {
  const user = await requireRole(['admin', 'finance'], '/admin');
  if (!billingEnabled()) {
    const users = await userCount();
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-bold">Admin</h1>
        <div className="grid gap-4 sm:grid-cols-3">
          <Stat label="Users" value={usersText(users)} />
        </div>
      </div>
    );
  }
  const mode = stripeMode();
  const m = await dashboardMetrics();
  const { needsReview, openDisputes } = m.attention;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Admin</h1>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="MRR" value={formatMoney(m.mrr)} testId="metric-mrr" />
        <Stat label="Active subscriptions" value={String(m.subscriptions.active)} testId="metric-active" />
        <Stat label="Trialing" value={String(m.subscriptions.trialing)} testId="metric-trialing" />
        <Stat label="Past due" value={String(m.subscriptions.past_due)} testId="metric-past-due" />
        <Stat label="Revenue (30 days, net)" value={formatMoney(m.revenue30d)} testId="metric-revenue" />
        <Stat label="Failed payments (30 days)" value={String(m.failedPayments30d)} />
        <Stat label="Credits sold (30 days)" value={m.creditsSold30d.toLocaleString('en-US')} />
        <Stat
          label="Refunds (30 days)"
          value={`${m.refunds30d.count} · ${formatMoney(m.refunds30d.cents)}`}
        />
      </div>
      {needsReview + openDisputes > 0 ? (
        <Card>
          <CardTitle>Needs attention</CardTitle>
          <ul className="mt-2 space-y-1 text-sm" data-testid="needs-attention">
            {needsReview > 0 ? (
              <li>
                <Link className="text-red-700 underline" href="/admin/payments?status=needs_review">
                  {needsReview} payment{needsReview === 1 ? '' : 's'} need review (Stripe collected another
                  amount)
                </Link>
              </li>
            ) : null}
            {openDisputes > 0 ? (
              <li>
                <Link className="text-red-700 underline" href="/admin/disputes">
                  {openDisputes} open dispute{openDisputes === 1 ? '' : 's'}
                </Link>
              </li>
            ) : null}
          </ul>
        </Card>
      ) : null}
      <Card>
        <CardTitle>Revenue, last 30 days</CardTitle>
        <RevenueChart data={m.revenueByDay} />
      </Card>
      <Card>
        <CardTitle>Users</CardTitle>
        <p className="mt-1 text-2xl font-semibold">{usersText(m.users)}</p>
      </Card>
      {mode !== 'live' && user.role === 'admin' ? (
        <SampleDataPanel
          loaded={m.sampleLoaded}
          load={loadSampleDataAction}
          remove={removeSampleDataAction}
        />
      ) : null}
    </div>
  );
}

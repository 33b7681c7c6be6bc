import type { Metadata } from 'next';
import Link from 'next/link';
import { PostButton } from '@/components/billing/post-button';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { currentUser } from '@/lib/auth/session';
import { formatMoney, plans, type Interval } from '@/lib/billing/catalog';
import { requireBilling } from '@/lib/billing/gate';
import { liveSubscription, trialAvailable } from '@/lib/billing/subscription-queries';
import { currentWorkspace } from '@/lib/workspaces/current';
import { can } from '@/lib/workspaces/roles';

export const metadata: Metadata = { title: 'Pricing' };

export default async function PricingPage({
  searchParams,
}: {
  searchParams: Promise<{ interval?: string; canceled?: string }>;
}) {
  requireBilling();
  const params = await searchParams;
  const interval: Interval = params.interval === 'year' ? 'year' : 'month';
  const user = await currentUser();
  // Plans are bought for the current workspace, by its owners and billing members.
  const workspace = user ? await currentWorkspace(user) : null;
  const mayBuy = workspace ? can(workspace.role, 'billing') : false;
  const current = workspace ? await liveSubscription(workspace.id) : null;
  // One free trial per workspace, ever, and none in a new workspace of an owner who had one.
  const trial = workspace ? await trialAvailable(workspace.id, user!.id) : true;

  return (
    <main className="mx-auto max-w-5xl px-4 py-12">
      <div className="mb-4">
        <Link href={user ? '/dashboard' : '/'} className="text-sm font-semibold text-indigo-600">
          ← {user ? 'Dashboard' : 'Home'}
        </Link>
      </div>
      <h1 className="text-3xl font-bold tracking-tight">Pricing</h1>
      <p className="mt-2 text-slate-600">Pick a plan. Change or cancel any time from the billing portal.</p>
      {params.canceled ? (
        <Alert tone="info" className="mt-6">
          Checkout was canceled. You have not been charged.
        </Alert>
      ) : null}

      <nav
        aria-label="Billing interval"
        className="mt-8 inline-flex rounded-lg bg-slate-200 p-1 text-sm font-medium"
      >
        {(['month', 'year'] as const).map((value) => (
          <Link
            key={value}
            href={value === 'year' ? '/pricing?interval=year' : '/pricing'}
            aria-current={interval === value ? 'page' : undefined}
            className={cn(
              'rounded-md px-4 py-1.5',
              interval === value ? 'bg-white shadow-sm' : 'text-slate-600 hover:text-slate-900',
            )}
          >
            {value === 'month' ? 'Monthly' : 'Yearly'}
          </Link>
        ))}
      </nav>

      <ul className="mt-8 grid gap-6 md:grid-cols-3">
        {plans.map((plan) => {
          const price = plan.prices[interval];
          const isCurrent = current?.planKey === plan.key;
          return (
            <li
              key={plan.key}
              aria-label={plan.name}
              className={cn(
                'rounded-xl bg-white p-8 shadow-sm ring-1',
                isCurrent ? 'ring-2 ring-indigo-600' : 'ring-slate-200',
              )}
            >
              <div className="flex items-center justify-between gap-2">
                <h2 className="text-xl font-semibold">{plan.name}</h2>
                {isCurrent ? (
                  <Badge tone="blue">Current plan</Badge>
                ) : plan.trialDays > 0 && trial ? (
                  <Badge tone="green">{plan.trialDays}-day free trial</Badge>
                ) : plan.trialDays > 0 ? (
                  <Badge tone="gray">Free trial already used</Badge>
                ) : null}
              </div>
              <p className="mt-2 text-sm text-slate-600">{plan.description}</p>
              <p className="mt-6">
                <span className="text-4xl font-bold">{formatMoney(price.amount)}</span>
                <span className="text-slate-600">
                  {plan.perSeat ? ' / seat' : ''} / {interval}
                </span>
              </p>
              <ul className="mt-6 space-y-2 text-sm text-slate-700">
                {plan.highlights
                  // Once the trial is used, no card promises it.
                  .filter((line) => trial || !/free trial/i.test(line))
                  .map((line) => (
                    <li key={line}>✓ {line}</li>
                  ))}
              </ul>
              <div className="mt-8">
                {!user ? (
                  <Link href="/sign-up" className={buttonClasses('primary', 'w-full')}>
                    Get started
                  </Link>
                ) : !mayBuy ? (
                  <p className="text-sm text-slate-600" data-testid="billing-not-allowed">
                    Ask an owner or billing member of {workspace?.name} to change the plan.
                  </p>
                ) : current ? (
                  <PostButton
                    action="/api/stripe/portal"
                    fields={{ workspaceId: workspace!.id }}
                    pendingLabel="Opening portal…"
                    variant={isCurrent ? 'secondary' : 'primary'}
                    className="w-full"
                  >
                    {isCurrent ? 'Manage plan' : `Switch to ${plan.name}`}
                  </PostButton>
                ) : (
                  <PostButton
                    action="/api/stripe/checkout"
                    fields={{ lookupKey: price.lookupKey, workspaceId: workspace!.id }}
                    pendingLabel="Redirecting to checkout…"
                    className="w-full"
                  >
                    {plan.trialDays > 0 && trial
                      ? `Start ${plan.trialDays}-day trial`
                      : `Subscribe to ${plan.name}`}
                  </PostButton>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </main>
  );
}

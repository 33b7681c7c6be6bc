import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { ChangePlanDialog } from '@/components/billing/change-plan';
import { PlanOptions } from '@/components/billing/plan-options';
import { PostButton } from '@/components/billing/post-button';
import { StatusBadge } from '@/components/billing/status-badge';
import { Alert } from '@/components/ui/alert';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { SeatsCard } from '@/components/workspaces/seats-card';
import { requireWorkspace } from '@/lib/workspaces/current';
import { formatMoney, planByKey, planForLookupKey } from '@/lib/billing/catalog';
import { accessOf } from '@/lib/billing/entitlements';
import { planChangeView, planOptions } from '@/lib/billing/plan-change-view';
import { requireBilling } from '@/lib/billing/gate';
import { displaySubscription, invoicesOf } from '@/lib/billing/subscription-queries';
import { formatDate } from '@/lib/format';
import { changePlanAction } from './actions';

export const metadata: Metadata = { title: 'Billing' };

const query = z.object({
  change: z.string().max(100).optional().catch(undefined),
  changed: z.string().max(100).optional().catch(undefined),
  unpaid: z.literal('1').optional().catch(undefined),
});

export default async function BillingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  requireBilling();
  // Owners and billing members only: for anyone else in this workspace the page does not exist.
  const { workspace } = await requireWorkspace('billing', '/billing');
  const params = query.parse(await searchParams);
  const [subscription, invoices, access] = await Promise.all([
    displaySubscription(workspace.id),
    invoicesOf(workspace.id),
    accessOf(workspace.id),
  ]);
  const plan = subscription?.planKey ? planByKey(subscription.planKey) : undefined;
  const live = subscription && !['canceled', 'incomplete_expired'].includes(subscription.status);
  const changeable = live && (subscription.status === 'active' || subscription.status === 'trialing');
  const dialog = params.change ? await planChangeView(workspace.id, params.change) : null;
  const changedTo = planForLookupKey(params.changed);
  const toAuthenticate = invoices.find(
    (invoice) => invoice.status === 'open' && invoice.paymentActionRequired,
  );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Billing</h1>
          <p className="text-sm text-slate-600" data-testid="billing-workspace">
            {workspace.name}
          </p>
        </div>
        {subscription ? (
          <PostButton
            action="/api/stripe/portal"
            fields={{ workspaceId: workspace.id }}
            pendingLabel="Opening portal…"
            variant="secondary"
          >
            Manage billing
          </PostButton>
        ) : null}
      </div>

      {dialog ? <ChangePlanDialog {...dialog} confirm={changePlanAction} workspaceId={workspace.id} /> : null}
      {changedTo ? (
        <Alert tone={params.unpaid ? 'warning' : 'success'}>
          {params.unpaid
            ? `Your plan changed to ${changedTo.plan.name}, but the payment did not go through. Pay the open invoice below.`
            : `Your plan is changing to ${changedTo.plan.name} (${changedTo.interval === 'year' ? 'yearly' : 'monthly'}).`}
        </Alert>
      ) : null}

      {toAuthenticate?.hostedInvoiceUrl ? (
        <div
          role="alert"
          data-testid="sca-banner"
          className="flex flex-wrap items-center justify-between gap-4 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200"
        >
          <p>
            <strong>Your bank asks you to confirm your payment.</strong>{' '}
            {access.downgraded
              ? 'Your premium features are paused until you confirm it.'
              : `Confirm it to keep your premium features after ${formatDate(access.graceEndsAt)}.`}
          </p>
          <a
            href={toAuthenticate.hostedInvoiceUrl}
            className="rounded-md bg-amber-600 px-3 py-2 font-semibold text-white hover:bg-amber-500"
          >
            Confirm payment
          </a>
        </div>
      ) : subscription?.status === 'past_due' || subscription?.status === 'unpaid' ? (
        <div
          role="alert"
          className="flex flex-wrap items-center justify-between gap-4 rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200"
        >
          <p>
            <strong>Your last payment failed.</strong>{' '}
            {access.downgraded
              ? 'Your premium features are paused until the payment goes through.'
              : `Your premium features stay on until ${formatDate(access.graceEndsAt)} while we retry.`}
          </p>
          <PostButton
            action="/api/stripe/portal"
            fields={{ workspaceId: workspace.id }}
            pendingLabel="Opening portal…"
            variant="danger"
          >
            Update payment method
          </PostButton>
        </div>
      ) : null}

      <Card>
        <CardTitle>Your plan</CardTitle>
        {subscription && live ? (
          <dl className="mt-4 grid gap-4 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-slate-500">Plan</dt>
              <dd className="mt-1 text-lg font-semibold" data-testid="plan-name">
                {plan?.name ?? subscription.priceLookupKey ?? 'Custom'}{' '}
                {subscription.interval ? `(${subscription.interval === 'year' ? 'yearly' : 'monthly'})` : ''}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Status</dt>
              <dd className="mt-1" data-testid="subscription-status">
                <StatusBadge status={subscription.status} />
              </dd>
            </div>
            {subscription.status === 'trialing' ? (
              <div>
                <dt className="text-slate-500">Trial ends</dt>
                <dd className="mt-1">{formatDate(subscription.trialEnd)}</dd>
              </div>
            ) : null}
            {/* A trial's period ends when the trial does: one date, not the same one twice. */}
            {subscription.status === 'trialing' &&
            formatDate(subscription.trialEnd) === formatDate(subscription.currentPeriodEnd) ? null : (
              <div>
                <dt className="text-slate-500">
                  {subscription.cancelAtPeriodEnd ? 'Access until' : 'Renews on'}
                </dt>
                <dd className="mt-1">{formatDate(subscription.currentPeriodEnd)}</dd>
              </div>
            )}
          </dl>
        ) : (
          <div className="mt-3 text-sm text-slate-600">
            <p>
              {subscription
                ? `Your ${plan?.name ?? ''} subscription ended on ${formatDate(subscription.endedAt ?? subscription.canceledAt)}.`
                : 'You are on the free plan.'}
            </p>
            <Link
              href="/pricing"
              className="mt-3 inline-block font-semibold text-indigo-600 hover:text-indigo-500"
            >
              See plans →
            </Link>
          </div>
        )}
        {subscription?.cancelAtPeriodEnd && live ? (
          <Alert tone="warning" className="mt-4">
            Your subscription is set to cancel on{' '}
            {formatDate(subscription.cancelAt ?? subscription.currentPeriodEnd)}. You keep access until then;
            resume it from the billing portal.
          </Alert>
        ) : null}
      </Card>

      {live ? <SeatsCard workspaceId={workspace.id} /> : null}

      {changeable && !subscription.cancelAtPeriodEnd ? (
        <Card>
          <CardTitle>Change plan</CardTitle>
          <PlanOptions options={planOptions(subscription.priceLookupKey)} />
        </Card>
      ) : null}

      <Card>
        <CardTitle>Invoices</CardTitle>
        <Table
          label="Invoices"
          headers={['Date', 'Number', 'Amount', 'Status', { label: 'Link', srOnly: true }]}
          empty={invoices.length === 0 && 'No invoices yet.'}
        >
          {invoices.map((invoice) => (
            <tr key={invoice.id}>
              <Td>{formatDate(invoice.stripeCreated)}</Td>
              <Td>{invoice.number ?? '—'}</Td>
              <Td>
                {formatMoney(
                  invoice.status === 'paid' ? invoice.amountPaid : invoice.amountDue,
                  invoice.currency,
                )}
              </Td>
              <Td>
                <StatusBadge status={invoice.status} />
              </Td>
              <Td className="text-right">
                {invoice.hostedInvoiceUrl ? (
                  <a
                    href={invoice.hostedInvoiceUrl}
                    className="font-semibold text-indigo-600 hover:text-indigo-500"
                  >
                    View
                  </a>
                ) : null}
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}

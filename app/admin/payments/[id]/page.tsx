import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { refundAction, resolveReviewAction } from '@/app/admin/_actions/payments';
import { ActionForm } from '@/components/admin/action-form';
import { StatusBadge } from '@/components/billing/status-badge';
import { PaymentStatusBadge } from '@/components/credits/payment-status';
import { Card, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Table, Td } from '@/components/ui/table';
import { auditTrail, paymentDetail } from '@/lib/admin/queries';
import { requireRole } from '@/lib/auth/session';
import { formatMoney } from '@/lib/billing/catalog';
import { reviewResolution } from '@/lib/billing/credits/resolve';
import { requireBilling } from '@/lib/billing/gate';
import { refundableAmount } from '@/lib/billing/refunds';
import { formatCount, formatDate } from '@/lib/format';

export const metadata: Metadata = { title: 'Payment · Admin' };

export default async function AdminPaymentPage({ params }: { params: Promise<{ id: string }> }) {
  requireBilling();
  await requireRole(['admin', 'finance'], '/admin/payments');
  const payment = await paymentDetail((await params).id);
  if (!payment) notFound();
  const [refundable, trail, resolution] = await Promise.all([
    refundableAmount(payment.id),
    auditTrail({ type: 'payment', id: payment.id }, null),
    reviewResolution(payment.id),
  ]);
  const needsReview = payment.status === 'needs_review';
  // A payment under review is refunded through its resolution (what Stripe collected), not this form.
  const canRefund = Boolean(
    payment.completedAt && payment.paymentIntentId && !payment.sample && refundable > 0 && !needsReview,
  );
  return (
    <div className="space-y-6">
      <Link href="/admin/payments" className="text-sm font-semibold text-indigo-600">
        ← Payments
      </Link>
      <Card>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-bold">{payment.description ?? payment.kind}</h1>
          <PaymentStatusBadge status={payment.status} />
        </div>
        <dl className="mt-4 grid gap-3 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-slate-500">Customer</dt>
            <dd>
              {payment.workspace.name}
              {payment.buyer ? (
                <>
                  {' · bought by '}
                  <Link href={`/admin/users/${payment.buyer.id}`} className="text-indigo-600">
                    {payment.buyer.email}
                  </Link>
                </>
              ) : payment.workspace.personalOfId ? (
                <>
                  {' · '}
                  <Link href={`/admin/users/${payment.workspace.personalOfId}`} className="text-indigo-600">
                    owner
                  </Link>
                </>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Amount</dt>
            <dd>{formatMoney(payment.amount, payment.currency)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Refunded</dt>
            <dd data-testid="amount-refunded">{formatMoney(payment.amountRefunded, payment.currency)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Refundable</dt>
            <dd data-testid="refundable">{formatMoney(refundable, payment.currency)}</dd>
          </div>
          {payment.reviewReason ? (
            <div>
              <dt className="text-slate-500">Needs review</dt>
              <dd data-testid="review-reason" className="text-red-700">
                Stripe {payment.reviewReason}; no credits were granted.
              </dd>
            </div>
          ) : null}
          <div>
            <dt className="text-slate-500">Credits</dt>
            <dd>{formatCount(payment.credits)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Paid</dt>
            <dd>{formatDate(payment.completedAt)}</dd>
          </div>
          <div className="sm:col-span-3">
            <dt className="text-slate-500">Stripe</dt>
            <dd className="font-mono text-xs">
              {[payment.checkoutSessionId, payment.paymentIntentId, payment.chargeId, payment.invoiceId]
                .filter(Boolean)
                .join(' · ') || '—'}
            </dd>
          </div>
        </dl>
      </Card>

      {needsReview && payment.amountCollected !== null && payment.collectedCurrency ? (
        <Card>
          <CardTitle>Resolve the review</CardTitle>
          <p className="mt-2 text-sm text-slate-600">
            Stripe collected {formatMoney(payment.amountCollected, payment.collectedCurrency)}; the payment
            expected {formatMoney(payment.amount, payment.currency)} ({formatCount(payment.credits)} credits).
            Grant credits for what was collected, or refund it in full.
          </p>
          <ActionForm
            action={resolveReviewAction}
            submitLabel="Resolve"
            pendingLabel="Resolving…"
            hidden={{ paymentId: payment.id }}
          >
            <div className="mt-3 space-y-1">
              <label htmlFor="resolution" className="block text-sm font-medium">
                Resolution
              </label>
              <select
                id="resolution"
                name="resolution"
                className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-slate-300"
              >
                <option value="grant">Grant credits for what Stripe collected</option>
                <option value="refund">Refund what Stripe collected</option>
              </select>
            </div>
            <Field label="Reason" name="reason" required hint="Recorded in the audit log." />
          </ActionForm>
        </Card>
      ) : null}
      {resolution ? (
        <Card>
          <CardTitle>Review</CardTitle>
          <p className="mt-2 text-sm text-slate-600" data-testid="review-resolution">
            Resolved by {resolution.by} on {formatDate(resolution.at)}: {resolution.outcome}.
          </p>
        </Card>
      ) : null}
      {payment.completedAt && !canRefund && !needsReview && refundable <= 0 ? (
        <Card>
          <CardTitle>Refund</CardTitle>
          <p className="mt-2 text-sm text-slate-600">Fully refunded: nothing left to refund.</p>
        </Card>
      ) : null}
      {canRefund ? (
        <Card>
          <CardTitle>Refund</CardTitle>
          <ActionForm
            action={refundAction}
            submitLabel="Issue refund"
            pendingLabel="Refunding…"
            variant="danger"
            hidden={{ paymentId: payment.id }}
          >
            <div className="mt-3 grid gap-4 sm:grid-cols-2">
              <Field
                // A new remaining amount after each refund: the field shows it afresh.
                key={refundable}
                label="Amount (USD)"
                name="dollars"
                inputMode="decimal"
                defaultValue={(refundable / 100).toFixed(2)}
                hint={`At most ${formatMoney(refundable, payment.currency)}.`}
              />
              <div className="space-y-1">
                <label htmlFor="stripeReason" className="block text-sm font-medium">
                  Category
                </label>
                <select
                  id="stripeReason"
                  name="stripeReason"
                  className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-slate-300"
                >
                  <option value="requested_by_customer">Requested by customer</option>
                  <option value="duplicate">Duplicate</option>
                  <option value="fraudulent">Fraudulent</option>
                </select>
              </div>
            </div>
            <Field label="Reason" name="reason" required hint="Recorded in the audit log." />
          </ActionForm>
        </Card>
      ) : null}

      <Card>
        <CardTitle>Refunds</CardTitle>
        <Table
          label="Refunds"
          headers={['Refund', 'Amount', 'Status', 'Reason', 'Date']}
          empty={payment.refunds.length === 0 && 'No refunds.'}
        >
          {payment.refunds.map((r) => (
            <tr key={r.id}>
              <Td className="font-mono text-xs">{r.id}</Td>
              <Td>{formatMoney(r.amount, r.currency)}</Td>
              <Td>
                <StatusBadge status={r.status} />
              </Td>
              <Td>{r.note ?? r.stripeReason ?? '—'}</Td>
              <Td>{formatDate(r.stripeCreated)}</Td>
            </tr>
          ))}
        </Table>
      </Card>

      <Card>
        <CardTitle>Audit trail</CardTitle>
        <Table
          label="Audit trail"
          headers={['When', 'Who', 'Action', 'Amount', 'Reason']}
          empty={trail.data.length === 0 && 'Nothing recorded.'}
        >
          {trail.data.map((a) => (
            <tr key={a.id}>
              <Td>{a.createdAt.toISOString().replace('T', ' ').slice(0, 16)}</Td>
              <Td>{a.actorEmail}</Td>
              <Td>{a.action}</Td>
              <Td>{a.amount != null ? formatMoney(a.amount, a.currency ?? 'usd') : '—'}</Td>
              <Td>{a.reason ?? ''}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}

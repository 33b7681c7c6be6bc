import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AutoRefresh } from '@/components/billing/auto-refresh';
import { PaymentStatusBadge } from '@/components/credits/payment-status';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/session';
import { paymentForBillingMember } from '@/lib/billing/credits/payments';
import { requireBilling } from '@/lib/billing/gate';
import { formatCount } from '@/lib/format';

export const metadata: Metadata = { title: 'Credit purchase' };

// Shows the purchase as the webhook recorded it; it never writes billing state.
export default async function CreditSuccessPage({
  searchParams,
}: {
  searchParams: Promise<{ session_id?: string }>;
}) {
  requireBilling();
  const user = await requireUser('/credits');
  const { session_id: sessionId } = await searchParams;
  const payment = sessionId ? await paymentForBillingMember(user.id, { checkoutSessionId: sessionId }) : null;
  if (!payment) notFound();
  const done = payment.completedAt !== null;
  return (
    <Card className="mx-auto max-w-lg text-center">
      {done ? (
        <>
          <h1 className="text-2xl font-bold">{formatCount(payment.credits)} credits added</h1>
          <p className="mt-3">
            <PaymentStatusBadge status={payment.status} />
          </p>
          <Link href="/credits" className={buttonClasses('primary', 'mt-6')}>
            Back to credits
          </Link>
        </>
      ) : (
        <div role="status" aria-live="polite">
          <h1 className="text-2xl font-bold">Processing your payment…</h1>
          <p className="mt-3 text-slate-600">
            Your credits appear as soon as Stripe confirms the payment. This page updates by itself.
          </p>
          <AutoRefresh />
        </div>
      )}
    </Card>
  );
}

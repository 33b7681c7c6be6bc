import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AutoRefresh } from '@/components/billing/auto-refresh';
import { StatusBadge } from '@/components/billing/status-badge';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/session';
import { subscriptionCheckoutOutcome } from '@/lib/billing/checkout';
import { requireBilling } from '@/lib/billing/gate';

export const metadata: Metadata = { title: 'Subscription' };

export default async function CheckoutSuccessPage({
  searchParams,
}: {
  searchParams: Promise<{ session_id?: string }>;
}) {
  requireBilling();
  const user = await requireUser('/billing');
  const { session_id: sessionId } = await searchParams;
  const outcome = sessionId ? await subscriptionCheckoutOutcome(user.id, sessionId) : null;
  if (!outcome) notFound();

  return (
    <Card className="mx-auto max-w-lg text-center">
      {outcome.state === 'complete' ? (
        <>
          <h1 className="text-2xl font-bold">You&apos;re subscribed to {outcome.planName}</h1>
          <p className="mt-3 text-slate-600">
            Status: <StatusBadge status={outcome.status} />
          </p>
          <div className="mt-6 flex justify-center gap-3">
            <Link href="/premium" className={buttonClasses('primary')}>
              Open premium reports
            </Link>
            <Link href="/billing" className={buttonClasses('secondary')}>
              Billing
            </Link>
          </div>
        </>
      ) : outcome.state === 'processing' ? (
        <div role="status" aria-live="polite">
          <h1 className="text-2xl font-bold">Processing your subscription…</h1>
          <p className="mt-3 text-slate-600">
            Payment received. We are waiting for Stripe to confirm it; this page updates by itself.
          </p>
          <AutoRefresh />
        </div>
      ) : (
        <>
          <h1 className="text-2xl font-bold">
            {outcome.state === 'expired' ? 'This checkout expired' : 'Checkout not finished'}
          </h1>
          <Link href="/pricing" className={buttonClasses('primary', 'mt-6')}>
            Back to pricing
          </Link>
        </>
      )}
    </Card>
  );
}

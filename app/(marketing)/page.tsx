import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { currentUser } from '@/lib/auth/session';
import { billingEnabled } from '@/lib/env';

export default async function HomePage() {
  const user = await currentUser();
  return (
    <main className="mx-auto flex min-h-[80vh] max-w-3xl flex-col justify-center gap-8 px-6 py-16">
      <p className="text-sm font-semibold uppercase tracking-wide text-indigo-600">Tollgate</p>
      <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">
        Ship your SaaS with billing that is done right.
      </h1>
      <p className="text-lg text-slate-600">
        Subscriptions, credits, refunds and a back office, mirrored from Stripe with deduplicated, order-safe
        webhooks.
      </p>
      <div className="flex gap-3">
        {user ? (
          <Link href="/dashboard" className={buttonClasses('primary')}>
            Go to dashboard
          </Link>
        ) : (
          <>
            <Link href="/sign-up" className={buttonClasses('primary')}>
              Get started
            </Link>
            {billingEnabled() ? (
              <Link href="/pricing" className={buttonClasses('secondary')}>
                See pricing
              </Link>
            ) : null}
          </>
        )}
      </div>
    </main>
  );
}

import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';

/** The visitors' header on the home and pricing pages: where to look, and how to get in. */
export function MarketingHeader({ billing, signedIn }: { billing: boolean; signedIn: boolean }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Site" className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3">
        <Link href="/" className="text-lg font-bold text-indigo-600">
          Tollgate
        </Link>
        <ul className="flex flex-1 gap-4 text-sm font-medium text-slate-700">
          {billing ? (
            <li>
              <Link href="/pricing" className="hover:text-indigo-600">
                Pricing
              </Link>
            </li>
          ) : null}
        </ul>
        {signedIn ? (
          <Link href="/dashboard" className={buttonClasses('secondary')}>
            Dashboard
          </Link>
        ) : (
          <>
            <Link href="/sign-in" className="text-sm font-medium text-slate-700 hover:text-indigo-600">
              Sign in
            </Link>
            <Link href="/sign-up" className={buttonClasses('primary')}>
              Get started
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}

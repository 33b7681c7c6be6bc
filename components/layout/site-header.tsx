import Link from 'next/link';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';

export interface NavLink {
  href: string;
  label: string;
}

/**
 * The signed-in header: the workspace switcher and product links on the left, who is signed in
 * and sign-out on the right.
 */
export function SiteHeader({
  links,
  email,
  signOut,
  workspace,
}: {
  links: NavLink[];
  email: string;
  signOut: (formData: FormData) => Promise<void>;
  workspace?: ReactNode;
}) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav
        aria-label="Main"
        className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3"
      >
        <Link href="/dashboard" className="text-lg font-bold text-indigo-600">
          Tollgate
        </Link>
        {workspace}
        <ul className="flex flex-1 flex-wrap gap-4 text-sm font-medium text-slate-700">
          {links.map((link) => (
            <li key={link.href}>
              <Link href={link.href} className="hover:text-indigo-600">
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
        <span className="text-sm text-slate-500" data-testid="signed-in-as">
          {email}
        </span>
        <form action={signOut}>
          <Button variant="secondary" type="submit">
            Sign out
          </Button>
        </form>
      </nav>
    </header>
  );
}

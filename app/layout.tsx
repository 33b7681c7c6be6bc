import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { APP_NAME } from '@/lib/brand';
import './globals.css';

// Every page depends on the session or on runtime configuration (billing is
// opt-in by env), so nothing is prerendered at build time: builds need no
// secrets, no database and no network.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: APP_NAME, template: `%s · ${APP_NAME}` },
  description: 'A SaaS starter with Stripe billing done right.',
  icons: { icon: { url: '/favicon.svg', type: 'image/svg+xml' } },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}

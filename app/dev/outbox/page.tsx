import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Card } from '@/components/ui/card';
import { recentEmails } from '@/lib/email/outbox';
import { env } from '@/lib/env';
import { formatDate } from '@/lib/format';

export const metadata: Metadata = { title: 'Dev outbox' };
export const dynamic = 'force-dynamic';

// Development only: the emails the app recorded instead of sending (no SMTP_URL).
export default async function OutboxPage() {
  const { NODE_ENV, DEV_OUTBOX } = env();
  if (DEV_OUTBOX === 'off' || (NODE_ENV === 'production' && DEV_OUTBOX !== 'on')) notFound();
  const emails = await recentEmails();
  return (
    <main className="mx-auto max-w-4xl space-y-4 px-4 py-8">
      <h1 className="text-2xl font-bold">Dev outbox</h1>
      <p className="text-sm text-slate-600">
        Emails recorded by the app. Set SMTP_URL to send them for real.
      </p>
      {emails.length === 0 ? <p className="text-sm text-slate-600">No emails yet.</p> : null}
      {emails.map((email) => (
        <Card key={email.id} aria-label={email.subject}>
          <p className="text-xs text-slate-500">
            {formatDate(email.createdAt)} · to {email.to} · {email.status}
          </p>
          <h2 className="mt-1 font-semibold">{email.subject}</h2>
          <pre className="mt-2 whitespace-pre-wrap font-sans text-sm text-slate-700">{email.text}</pre>
        </Card>
      ))}
    </main>
  );
}

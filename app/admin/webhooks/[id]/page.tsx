import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { replayWebhookAction } from '@/app/admin/_actions/webhooks';
import { ActionForm } from '@/components/admin/action-form';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { requireRole } from '@/lib/auth/session';
import { requireBilling } from '@/lib/billing/gate';
import { recordedEvent } from '@/lib/billing/webhooks/process';
import { isoOrDash, payloadText } from '@/lib/admin/webhook-view';
import { eventTones } from '@/components/admin/event-status';

export const metadata: Metadata = { title: 'Webhook event · Admin' };

export default async function AdminWebhookPage({ params }: { params: Promise<{ id: string }> }) {
  requireBilling();
  const viewer = await requireRole(['admin', 'finance'], '/admin/webhooks');
  const event = await recordedEvent((await params).id);
  if (!event) notFound();
  return (
    <div className="space-y-6">
      <Link href="/admin/webhooks" className="text-sm font-semibold text-indigo-600">
        ← Webhook events
      </Link>
      <Card>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-bold">{event.type}</h1>
          <Badge tone={eventTones[event.status] ?? 'gray'}>{event.status}</Badge>
        </div>
        <p className="mt-2 font-mono text-xs">{event.id}</p>
        <dl className="mt-4 grid gap-3 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-slate-500">Created at Stripe</dt>
            <dd>{isoOrDash(event.stripeCreated)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Received</dt>
            <dd>{isoOrDash(event.receivedAt)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Processed</dt>
            <dd>{isoOrDash(event.processedAt)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Attempts</dt>
            <dd>{event.attempts}</dd>
          </div>
        </dl>
        {event.outcome ? (
          <p className="mt-4 text-sm">
            <strong>Outcome:</strong> {event.outcome}
          </p>
        ) : null}
        {event.error ? (
          <Alert tone="error" className="mt-4">
            {event.error}
          </Alert>
        ) : null}
        {viewer.role === 'admin' ? (
          <div className="mt-4">
            <ActionForm
              action={replayWebhookAction}
              submitLabel="Re-process event"
              pendingLabel="Re-processing…"
              variant="secondary"
              hidden={{ eventId: event.id }}
            />
          </div>
        ) : null}
      </Card>
      <Card>
        <CardTitle>Payload</CardTitle>
        <pre className="mt-3 max-h-[32rem] overflow-auto rounded bg-slate-900 p-4 text-xs text-slate-100">
          {payloadText(event.payload)}
        </pre>
      </Card>
    </div>
  );
}

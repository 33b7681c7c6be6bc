'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClasses } from '@/components/ui/button';
import type { FormAction } from '@/lib/action-state';

export interface PreviewView {
  lookupKey: string;
  title: string;
  dueNow: string;
  credit: string | null;
  next: string;
  nextDate: string;
  prorationDate: number;
  issuedAt: number;
  signature: string;
}

/** The confirmation step of a plan change: what it costs now and next, then one submit. */
export function ChangePlanDialog({
  preview,
  error,
  confirm,
  workspaceId,
}: {
  preview: PreviewView | null;
  error: string | null;
  confirm: FormAction;
  /** The workspace the preview was made for: the change applies there, whatever another tab switched to. */
  workspaceId: string;
}) {
  const [state, action, pending] = useActionState(confirm, {});
  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/40 p-4">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="change-plan-title"
        className="w-full max-w-md space-y-4 rounded-lg bg-white p-6 shadow-xl"
      >
        <h2 id="change-plan-title" className="text-lg font-semibold">
          {preview ? `Switch to ${preview.title}` : 'Change plan'}
        </h2>
        {error ? <Alert tone="error">{error}</Alert> : null}
        {preview ? (
          <>
            <dl className="space-y-2 text-sm">
              <div className="flex justify-between gap-4">
                <dt className="text-slate-600">Due today</dt>
                <dd className="font-semibold" data-testid="due-now">
                  {preview.dueNow}
                </dd>
              </div>
              {preview.credit ? (
                <div className="flex justify-between gap-4">
                  <dt className="text-slate-600">Credit for unused time</dt>
                  <dd data-testid="credit">{preview.credit}</dd>
                </div>
              ) : null}
              <div className="flex justify-between gap-4">
                <dt className="text-slate-600">Next invoice on {preview.nextDate}</dt>
                <dd className="font-semibold" data-testid="next-invoice">
                  {preview.next}
                </dd>
              </div>
            </dl>
            <p className="text-xs text-slate-500">
              Today&apos;s amount covers the rest of this billing period on the new plan, less what is left of
              your current plan. It is charged to your card on file.
            </p>
            <form action={action} className="flex justify-end gap-3">
              <input type="hidden" name="workspaceId" value={workspaceId} />
              <input type="hidden" name="lookupKey" value={preview.lookupKey} />
              <input type="hidden" name="prorationDate" value={preview.prorationDate} />
              <input type="hidden" name="issuedAt" value={preview.issuedAt} />
              <input type="hidden" name="signature" value={preview.signature} />
              <Link href="/billing" className={buttonClasses('secondary')}>
                Cancel
              </Link>
              <Button type="submit" disabled={pending} aria-busy={pending}>
                {pending ? 'Changing plan…' : 'Confirm change'}
              </Button>
            </form>
            {state.message ? <Alert tone="error">{state.message}</Alert> : null}
          </>
        ) : (
          <div className="flex justify-end">
            <Link href="/billing" className={buttonClasses('secondary')}>
              Close
            </Link>
          </div>
        )}
      </div>
    </div>
  );
}

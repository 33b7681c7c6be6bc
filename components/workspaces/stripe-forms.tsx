'use client';

import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { FormAction } from '@/lib/action-state';

// Settings → Stripe: the two ways a workspace connects its own Stripe account.

/** Paste a restricted key. The key is never echoed back into the form. */
export function ConnectKeyForm({ connect, workspaceId }: { connect: FormAction; workspaceId: string }) {
  const [state, action, pending] = useActionState(connect, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="workspaceId" value={workspaceId} />
      {state.message ? <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
      <Field
        label="Restricted key"
        name="key"
        type="password"
        autoComplete="off"
        spellCheck={false}
        required
        placeholder="rk_test_…"
        hint="Needs read access to Account, and write access to Webhook Endpoints, Checkout Sessions, Payment Intents and Refunds."
        error={state.fieldErrors?.key}
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Checking the key…' : 'Connect key'}
      </Button>
    </form>
  );
}

/** Start (or continue) Stripe's hosted onboarding for a connected account. */
export function StartConnectForm({
  start,
  workspaceId,
  label,
  chooseType,
}: {
  start: FormAction;
  workspaceId: string;
  label: string;
  chooseType: boolean;
}) {
  const [state, action, pending] = useActionState(start, {});
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      {state.message ? <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
      {chooseType ? (
        <fieldset className="space-y-2 text-sm">
          <legend className="font-medium text-slate-800">Account type</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="type" value="standard" defaultChecked /> Standard: the workspace manages
            its own Stripe Dashboard
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="type" value="express" /> Express: a light Stripe-hosted dashboard
          </label>
        </fieldset>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? 'Opening Stripe…' : label}
      </Button>
    </form>
  );
}

'use client';

import { useActionState, useState, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import type { FormAction } from '@/lib/action-state';
import { Button, type ButtonVariant } from '@/components/ui/button';

/**
 * A staff form bound to a server action: shows the action's message, disables
 * itself while pending, and carries a one-time token so a double click or a
 * resubmission is one request.
 */
export function ActionForm({
  action,
  submitLabel,
  pendingLabel,
  variant,
  children,
  hidden,
}: {
  action: FormAction;
  submitLabel: string;
  pendingLabel: string;
  variant?: ButtonVariant;
  children?: ReactNode;
  hidden?: Record<string, string>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  // One token per request: submitting it again (double click, retry,
  // resubmission) repeats the same request. After a success the next
  // submission is a new request, so it gets a fresh token.
  const [token, setToken] = useState(() => crypto.randomUUID());
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    if (state.ok) setToken(crypto.randomUUID());
  }
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <Button type="submit" variant={variant} disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </Button>
      {state.message ? <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
    </form>
  );
}

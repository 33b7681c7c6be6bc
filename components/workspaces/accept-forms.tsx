'use client';

import { useActionState } from 'react';
import { NameField, NewPasswordField } from '@/components/auth/account-fields';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { FormAction } from '@/lib/action-state';

export function AcceptInvitationForm({
  accept,
  token,
  label,
}: {
  accept: FormAction;
  token: string;
  label: string;
}) {
  const [state, action, pending] = useActionState(accept, {});
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      {state.message ? <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Joining…' : label}
      </Button>
    </form>
  );
}

/** Sign up as the invited address (fixed by the invitation) and join in one step. */
export function SignUpAndAcceptForm({
  signUp,
  token,
  email,
}: {
  signUp: FormAction;
  token: string;
  email: string;
}) {
  const [state, action, pending] = useActionState(signUp, {});
  return (
    <form action={action} className="space-y-5" noValidate>
      <input type="hidden" name="token" value={token} />
      {state.message ? <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
      <Field label="Email" name="email-shown" type="email" value={email} readOnly disabled />
      <NameField defaultValue={state.values?.name} error={state.fieldErrors?.name} />
      <NewPasswordField error={state.fieldErrors?.password} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Creating account…' : 'Create account and join'}
      </Button>
    </form>
  );
}

'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { NameField, NewPasswordField } from '@/components/auth/account-fields';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { FormAction } from '@/lib/action-state';

export function SignUpForm({ signUp, referralCode }: { signUp: FormAction; referralCode?: string }) {
  const [state, action, pending] = useActionState(signUp, {});
  if (state.ok && state.message) {
    return (
      <div className="space-y-5">
        <Alert tone="success">{state.message}</Alert>
        <p className="text-center text-sm text-slate-600">
          <Link href="/sign-in" className="font-semibold text-indigo-600 hover:text-indigo-500">
            Sign in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-5" noValidate>
      {state.message ? <Alert tone="error">{state.message}</Alert> : null}
      {referralCode ? (
        <>
          <input type="hidden" name="ref" value={referralCode} />
          <p className="rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-800">
            You were invited: you both get 1,000 credits after your first purchase of $10 or more.
          </p>
        </>
      ) : null}
      <NameField defaultValue={state.values?.name} error={state.fieldErrors?.name} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
        error={state.fieldErrors?.email}
      />
      <NewPasswordField error={state.fieldErrors?.password} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Creating account…' : 'Create account'}
      </Button>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{' '}
        <Link href="/sign-in" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Sign in
        </Link>
      </p>
    </form>
  );
}

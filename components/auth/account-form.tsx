'use client';

import { useActionState, type ReactNode } from 'react';
import type { FormState } from '@/app/(auth)/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

export interface AccountField {
  label: string;
  name: string;
  type?: 'email' | 'password' | 'text';
  autoComplete?: string;
  hint?: string;
}

/** A small account form (forgot, reset, change password…): errors announced, a notice in a status region. */
export function AccountForm({
  action,
  fields,
  hidden = {},
  submitLabel,
  pendingLabel,
  variant,
  footer,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  fields: AccountField[];
  hidden?: Record<string, string>;
  submitLabel: string;
  pendingLabel: string;
  variant?: 'primary' | 'secondary';
  footer?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  return (
    <form action={formAction} className="space-y-5" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.notice ? <Alert tone="success">{state.notice}</Alert> : null}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((field) => (
        <Field
          key={field.name}
          label={field.label}
          name={field.name}
          type={field.type ?? 'text'}
          autoComplete={field.autoComplete}
          hint={field.hint}
          required
          defaultValue={field.type === 'password' ? undefined : state.values?.[field.name]}
          error={state.fieldErrors?.[field.name]}
        />
      ))}
      <Button type="submit" className="w-full" variant={variant} disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </Button>
      {footer}
    </form>
  );
}

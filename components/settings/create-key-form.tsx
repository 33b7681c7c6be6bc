'use client';

import { useActionState } from 'react';
import { createKeyAction, type CreateKeyState } from '@/app/(app)/settings/api-keys/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

export function CreateKeyForm() {
  const [state, action, pending] = useActionState<CreateKeyState, FormData>(createKeyAction, {});
  return (
    <div className="space-y-4">
      <form action={action} className="flex flex-wrap items-end gap-3">
        <Field
          label="Key name"
          name="name"
          placeholder="CI server"
          error={state.error}
          className="min-w-64 flex-1"
        />
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create key'}
        </Button>
      </form>
      {state.key ? (
        <Alert tone="success">
          <p className="font-semibold">
            Key “{state.name}” created. Copy it now: it will not be shown again.
          </p>
          <code
            className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono"
            data-testid="new-api-key"
          >
            {state.key}
          </code>
        </Alert>
      ) : null}
    </div>
  );
}

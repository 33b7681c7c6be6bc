'use client';

import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { FormAction } from '@/lib/action-state';

export function CreateKeyForm({
  createKey,
  workspaceId,
}: {
  createKey: FormAction<{ key: string; name: string }>;
  /** The workspace the page was rendered for: the key is made there, whatever another tab switched to. */
  workspaceId: string;
}) {
  const [state, action, pending] = useActionState(createKey, {});
  return (
    <div className="space-y-4">
      <form action={action} className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="workspaceId" value={workspaceId} />
        <Field
          label="Key name"
          name="name"
          placeholder="CI server"
          error={state.fieldErrors?.name}
          className="min-w-64 flex-1"
        />
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create key'}
        </Button>
      </form>
      {state.data ? (
        <Alert tone="success">
          <p className="font-semibold">
            Key “{state.data.name}” created. Copy it now: it will not be shown again.
          </p>
          <code
            className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono"
            data-testid="new-api-key"
          >
            {state.data.key}
          </code>
        </Alert>
      ) : null}
    </div>
  );
}

'use client';

import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { FormAction } from '@/lib/action-state';

export function PayButton({ pay, token, label }: { pay: FormAction; token: string; label: string }) {
  const [state, action, pending] = useActionState(pay, {});
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      {state.message ? <Alert tone="error">{state.message}</Alert> : null}
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? 'Opening the payment page…' : label}
      </Button>
    </form>
  );
}

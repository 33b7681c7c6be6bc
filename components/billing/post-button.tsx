'use client';

import { useState, type ReactNode } from 'react';
import { Button, type ButtonVariant } from '@/components/ui/button';

/**
 * A form that POSTs to a billing route and disables itself once submitted, so
 * a double click sends one request. Works without JavaScript too.
 */
export function PostButton({
  action,
  fields,
  children,
  pendingLabel,
  variant,
  className,
}: {
  action: string;
  fields?: Record<string, string>;
  children: ReactNode;
  pendingLabel: string;
  variant?: ButtonVariant;
  className?: string;
}) {
  const [pending, setPending] = useState(false);
  return (
    <form action={action} method="post" onSubmit={(e) => (pending ? e.preventDefault() : setPending(true))}>
      {Object.entries(fields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant={variant} className={className} disabled={pending} aria-busy={pending}>
        {pending ? pendingLabel : children}
      </Button>
    </form>
  );
}

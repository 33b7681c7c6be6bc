'use client';

import { useActionState, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { ActionState, FormAction } from '@/lib/action-state';

function Result({ state }: { state: ActionState }) {
  if (!state.message) return null;
  return <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>;
}

/** A fresh id per rendered form: resubmitting the same form is one request. */
function useRequestId() {
  const [id] = useState(() => crypto.randomUUID());
  return id;
}

/** The workspace the page was rendered for: the server acts there, whatever another tab switched to. */
function WorkspaceField({ id }: { id: string }) {
  return <input type="hidden" name="workspaceId" value={id} />;
}

export function GenerateReportForm({
  generate,
  cost,
  workspaceId,
}: {
  generate: FormAction;
  cost: number;
  workspaceId: string;
}) {
  const [state, action, pending] = useActionState(generate, {});
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  return (
    <form
      action={(data) => {
        action(data);
        setRequestId(crypto.randomUUID());
      }}
      className="space-y-3"
    >
      <WorkspaceField id={workspaceId} />
      <input type="hidden" name="requestId" value={requestId} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Generating…' : `Generate report (${cost} credits)`}
      </Button>
      <Result state={state} />
    </form>
  );
}

export function BuyPackForm({
  buy,
  pack,
  label,
  workspaceId,
}: {
  buy: FormAction;
  pack: string;
  label: string;
  workspaceId: string;
}) {
  const [state, action, pending] = useActionState(buy, {});
  const requestId = useRequestId();
  return (
    <form action={action} className="space-y-2">
      <WorkspaceField id={workspaceId} />
      <input type="hidden" name="pack" value={pack} />
      <input type="hidden" name="requestId" value={`pack-${pack}-${requestId}`} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Redirecting…' : label}
      </Button>
      <Result state={state} />
    </form>
  );
}

export function CustomAmountForm({
  buy,
  min,
  max,
  workspaceId,
}: {
  buy: FormAction;
  min: number;
  max: number;
  workspaceId: string;
}) {
  const [state, action, pending] = useActionState(buy, {});
  // A key is bound to its amount: another amount is another request, with a fresh id.
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  return (
    <form action={action} onChange={() => setRequestId(crypto.randomUUID())} className="space-y-3" noValidate>
      <WorkspaceField id={workspaceId} />
      <input type="hidden" name="requestId" value={`custom-${requestId}`} />
      <Field
        label="Custom amount (USD)"
        name="dollars"
        inputMode="decimal"
        placeholder="25.00"
        hint={`Between $${min / 100} and $${max / 100}. $1 buys 100 credits.`}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Redirecting…' : 'Buy credits'}
      </Button>
      <Result state={state} />
    </form>
  );
}

export function RedeemCouponForm({ redeem, workspaceId }: { redeem: FormAction; workspaceId: string }) {
  const [state, action, pending] = useActionState(redeem, {});
  return (
    <form action={action} className="space-y-3">
      <WorkspaceField id={workspaceId} />
      <Field label="Coupon code" name="code" autoComplete="off" />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Redeeming…' : 'Redeem'}
      </Button>
      <Result state={state} />
    </form>
  );
}

'use client';

import { useActionState, useState } from 'react';
import {
  buyCreditsAction,
  generateReportAction,
  redeemCouponAction,
  type ActionState,
} from '@/app/(app)/credits/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

function Result({ state }: { state: ActionState }) {
  if (!state.message) return null;
  return <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>;
}

/** A fresh id per rendered form: resubmitting the same form is one request. */
function useRequestId() {
  const [id] = useState(() => crypto.randomUUID());
  return id;
}

export function GenerateReportForm({ cost }: { cost: number }) {
  const [state, action, pending] = useActionState(generateReportAction, {});
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  return (
    <form
      action={(data) => {
        action(data);
        setRequestId(crypto.randomUUID());
      }}
      className="space-y-3"
    >
      <input type="hidden" name="requestId" value={requestId} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Generating…' : `Generate report (${cost} credits)`}
      </Button>
      <Result state={state} />
    </form>
  );
}

export function BuyPackForm({ pack, label }: { pack: string; label: string }) {
  const [state, action, pending] = useActionState(buyCreditsAction, {});
  const requestId = useRequestId();
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="pack" value={pack} />
      <input type="hidden" name="requestId" value={`pack-${pack}-${requestId}`} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Redirecting…' : label}
      </Button>
      <Result state={state} />
    </form>
  );
}

export function CustomAmountForm({ min, max }: { min: number; max: number }) {
  const [state, action, pending] = useActionState(buyCreditsAction, {});
  // A key is bound to its amount: another amount is another request, with a fresh id.
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  return (
    <form action={action} onChange={() => setRequestId(crypto.randomUUID())} className="space-y-3" noValidate>
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

export function RedeemCouponForm() {
  const [state, action, pending] = useActionState(redeemCouponAction, {});
  return (
    <form action={action} className="space-y-3">
      <Field label="Coupon code" name="code" autoComplete="off" />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Redeeming…' : 'Redeem'}
      </Button>
      <Result state={state} />
    </form>
  );
}

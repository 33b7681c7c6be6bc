'use client';

import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { FormAction } from '@/lib/action-state';

export interface InvoiceFormValues {
  clientId: string;
  currency: string;
  dueDate: string;
  taxRate: string;
  depositKind: string;
  depositValue: string;
  notes: string;
  lines: { description: string; quantity: string; unitAmount: string }[];
}

const selectClass = 'block w-full rounded-md px-3 py-2 text-sm ring-1 ring-slate-300';

/** The invoice editor: a plain form (works without JavaScript), with spare line rows left blank. */
export function InvoiceForm({
  submit,
  workspaceId,
  invoiceId,
  clients,
  currencies,
  rows,
  initial,
  submitLabel,
}: {
  submit: FormAction;
  workspaceId: string;
  invoiceId?: string;
  clients: { id: string; name: string; email: string }[];
  currencies: readonly string[];
  rows: number;
  initial: InvoiceFormValues;
  submitLabel: string;
}) {
  const [state, action, pending] = useActionState(submit, {});
  const lines = Array.from(
    { length: rows },
    (_, i) => initial.lines[i] ?? { description: '', quantity: '1', unitAmount: '' },
  );
  return (
    <form action={action} className="space-y-6" noValidate>
      <input type="hidden" name="workspaceId" value={workspaceId} />
      {invoiceId ? <input type="hidden" name="invoiceId" value={invoiceId} /> : null}
      {state.message ? <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <div className="space-y-1">
          <label htmlFor="clientId" className="block text-sm font-medium text-slate-800">
            Client
          </label>
          <select id="clientId" name="clientId" defaultValue={initial.clientId} className={selectClass}>
            {clients.map((client) => (
              <option key={client.id} value={client.id}>
                {client.name} ({client.email})
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="currency" className="block text-sm font-medium text-slate-800">
            Currency
          </label>
          <select id="currency" name="currency" defaultValue={initial.currency} className={selectClass}>
            {currencies.map((currency) => (
              <option key={currency} value={currency}>
                {currency.toUpperCase()}
              </option>
            ))}
          </select>
        </div>
        <Field label="Due date" name="dueDate" type="date" defaultValue={initial.dueDate} required />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Line items</legend>
        {lines.map((line, i) => (
          <div key={i} className="grid grid-cols-6 gap-2">
            <Field
              label={`Line ${i + 1} description`}
              name={`lines.${i}.description`}
              defaultValue={line.description}
              className="col-span-4"
            />
            <Field
              label={`Line ${i + 1} quantity`}
              name={`lines.${i}.quantity`}
              defaultValue={line.quantity}
              inputMode="numeric"
            />
            <Field
              label={`Line ${i + 1} unit price`}
              name={`lines.${i}.unitAmount`}
              defaultValue={line.unitAmount}
              inputMode="decimal"
              placeholder="0.00"
            />
          </div>
        ))}
        <p className="text-xs text-slate-500">
          Blank rows are ignored. Prices in the invoice currency, such as 120 or 99.50.
        </p>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label="Tax rate (%)"
          name="taxRate"
          defaultValue={initial.taxRate}
          inputMode="decimal"
          hint="Typed by hand; empty for none."
        />
        <div className="space-y-1">
          <label htmlFor="depositKind" className="block text-sm font-medium text-slate-800">
            Deposit
          </label>
          <select
            id="depositKind"
            name="depositKind"
            defaultValue={initial.depositKind}
            className={selectClass}
          >
            <option value="none">No deposit</option>
            <option value="percent">Percent of the total</option>
            <option value="amount">Fixed amount</option>
          </select>
        </div>
        <Field
          label="Deposit value"
          name="depositValue"
          defaultValue={initial.depositValue}
          hint="30 for 30%, or an amount."
          error={state.fieldErrors?.depositValue}
        />
      </div>
      <div className="space-y-1">
        <label htmlFor="notes" className="block text-sm font-medium text-slate-800">
          Notes
        </label>
        <textarea
          id="notes"
          name="notes"
          rows={3}
          defaultValue={initial.notes}
          maxLength={2000}
          className={selectClass}
        />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : submitLabel}
      </Button>
    </form>
  );
}

export function ClientForm({ create, workspaceId }: { create: FormAction; workspaceId: string }) {
  const [state, action, pending] = useActionState(create, {});
  return (
    <form action={action} className="space-y-3" noValidate>
      <input type="hidden" name="workspaceId" value={workspaceId} />
      {state.message ? <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          label="Client name"
          name="name"
          required
          maxLength={200}
          defaultValue={state.ok ? undefined : state.values?.name}
          error={state.fieldErrors?.name}
          key={state.ok ? 'n-done' : 'n'}
        />
        <Field
          label="Client email"
          name="email"
          type="email"
          required
          defaultValue={state.ok ? undefined : state.values?.email}
          error={state.fieldErrors?.email}
          key={state.ok ? 'e-done' : 'e'}
        />
      </div>
      <div className="space-y-1">
        <label htmlFor="address" className="block text-sm font-medium text-slate-800">
          Client address
        </label>
        <textarea
          id="address"
          name="address"
          rows={2}
          maxLength={1000}
          className={selectClass}
          defaultValue={state.ok ? undefined : state.values?.address}
          key={state.ok ? 'a-done' : 'a'}
        />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Adding…' : 'Add client'}
      </Button>
    </form>
  );
}

'use client';

import { useActionState, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button, type ButtonVariant } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { ActionState, FormAction } from '@/lib/action-state';
import type { WorkspaceRole } from '@/lib/generated/prisma/enums';
import { roleDescriptions, roleLabels } from '@/lib/workspaces/labels';

/**
 * One key per submission: a double click or a resubmission repeats the same request (the
 * server acts once per key); after a success the next submission is a new request.
 */
function useFormKey(state: ActionState): string {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    if (state.ok) setKey(crypto.randomUUID());
  }
  return key;
}

function Message({ state }: { state: ActionState }) {
  const message = state.message ?? state.fieldErrors?.formKey;
  if (!message) return null;
  return <Alert tone={state.ok ? 'success' : 'error'}>{message}</Alert>;
}

/** The workspace name as both forms ask for it (lib/workspaces/schemas.ts allows 60 characters). */
function NameField({
  state,
  ...props
}: { state: ActionState } & Pick<InputHTMLAttributes<HTMLInputElement>, 'defaultValue' | 'placeholder'>) {
  return (
    <Field
      label="Workspace name"
      name="name"
      required
      maxLength={60}
      error={state.fieldErrors?.name}
      {...props}
    />
  );
}

function RoleOptions({ roles }: { roles: readonly WorkspaceRole[] }) {
  return roles.map((role) => (
    <option key={role} value={role}>
      {roleLabels[role]}
    </option>
  ));
}

export function CreateWorkspaceForm({ create }: { create: FormAction }) {
  const [state, action, pending] = useActionState(create, {});
  const formKey = useFormKey(state);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="formKey" value={formKey} />
      <Message state={state} />
      <NameField state={state} placeholder="Acme Inc." defaultValue={state.values?.name} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create workspace'}
      </Button>
    </form>
  );
}

export function RenameWorkspaceForm({
  rename,
  workspaceId,
  name,
}: {
  rename: FormAction;
  workspaceId: string;
  name: string;
}) {
  const [state, action, pending] = useActionState(rename, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <Message state={state} />
      <NameField
        state={state}
        defaultValue={state.ok ? undefined : (state.values?.name ?? name)}
        key={state.ok ? name : 'editing'}
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Rename'}
      </Button>
    </form>
  );
}

export function RoleSelect({
  id,
  label,
  roles,
  defaultValue,
}: {
  id: string;
  label: string;
  roles: readonly WorkspaceRole[];
  defaultValue: WorkspaceRole;
}) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select
        id={id}
        name="role"
        defaultValue={defaultValue}
        className="rounded-md px-2 py-1.5 text-sm ring-1 ring-slate-300"
      >
        <RoleOptions roles={roles} />
      </select>
    </>
  );
}

export function InviteForm({
  invite,
  workspaceId,
  roles,
  seatPreview,
}: {
  invite: FormAction;
  workspaceId: string;
  /** The roles this inviter may give (only owners invite owners). */
  roles: readonly WorkspaceRole[];
  /** What adding a seat costs, when the workspace's plan is per seat. */
  seatPreview?: ReactNode;
}) {
  const [state, action, pending] = useActionState(invite, {});
  const formKey = useFormKey(state);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <input type="hidden" name="formKey" value={formKey} />
      <Message state={state} />
      <div className="flex flex-wrap items-end gap-3">
        <Field
          label="Email"
          name="email"
          type="email"
          required
          className="min-w-64 flex-1"
          defaultValue={state.ok ? undefined : state.values?.email}
          error={state.fieldErrors?.email}
        />
        <div className="space-y-1">
          <label htmlFor="invite-role" className="block text-sm font-medium text-slate-800">
            Role
          </label>
          <select
            id="invite-role"
            name="role"
            defaultValue={state.ok ? 'member' : (state.values?.role ?? 'member')}
            aria-describedby="invite-role-hint"
            className="block rounded-md px-3 py-2 text-sm ring-1 ring-slate-300"
          >
            <RoleOptions roles={roles} />
          </select>
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? 'Sending…' : 'Send invitation'}
        </Button>
      </div>
      <ul id="invite-role-hint" className="text-xs text-slate-500">
        {roles.map((role) => (
          <li key={role}>
            {roleLabels[role]}: {roleDescriptions[role]}.
          </li>
        ))}
      </ul>
      {seatPreview}
    </form>
  );
}

/**
 * A one-button form in a table row or a settings card. With `confirm`, the first click asks
 * again before anything is sent.
 */
export function InlineForm({
  action: submit,
  hidden,
  submitLabel,
  pendingLabel,
  variant = 'secondary',
  confirm,
  children,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  submitLabel: string;
  pendingLabel: string;
  variant?: ButtonVariant;
  /** The question asked before a destructive action. */
  confirm?: string;
  children?: ReactNode;
}) {
  const [state, action, pending] = useActionState(submit, {});
  const [asking, setAsking] = useState(false);
  return (
    <form action={action} className="space-y-2">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="flex flex-wrap items-center justify-end gap-2">
        {children}
        {confirm && !asking ? (
          <Button type="button" variant={variant} onClick={() => setAsking(true)}>
            {submitLabel}
          </Button>
        ) : (
          <>
            {confirm ? <span className="text-sm text-slate-700">{confirm}</span> : null}
            <Button type="submit" variant={confirm ? 'danger' : variant} disabled={pending}>
              {pending ? pendingLabel : confirm ? `Yes, ${submitLabel.toLowerCase()}` : submitLabel}
            </Button>
            {confirm ? (
              <Button type="button" variant="ghost" onClick={() => setAsking(false)}>
                Cancel
              </Button>
            ) : null}
          </>
        )}
      </div>
      {state.message ? <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert> : null}
    </form>
  );
}

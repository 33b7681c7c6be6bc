'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import type { WorkspaceRole } from '@/lib/generated/prisma/enums';
import { roleLabels } from '@/lib/workspaces/labels';

export interface SwitcherWorkspace {
  id: string;
  name: string;
  personal: boolean;
  role: WorkspaceRole;
}

/**
 * The header's workspace switcher: a disclosure button naming the current workspace and the
 * user's role, opening a list of the user's workspaces. Choosing one submits a server action,
 * which checks the membership before setting the cookie and comes back to this page.
 */
export function WorkspaceSwitcher({
  current,
  workspaces,
  switchTo,
}: {
  current: SwitcherWorkspace;
  workspaces: SwitcherWorkspace[];
  switchTo: (formData: FormData) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  // The list is capped (SWITCHER_LIMIT): the current workspace is always in it.
  const listed = workspaces.some((w) => w.id === current.id) ? workspaces : [current, ...workspaces];
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | FocusEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('focusin', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('focusin', close);
    };
  }, [open]);

  return (
    <div
      ref={root}
      className="relative"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <span className="sr-only">Workspace: </span>
        <span className="max-w-48 truncate font-semibold text-slate-900" data-testid="current-workspace">
          {current.name}
        </span>
        <span className="sr-only">, your role: </span>
        <span className="text-xs text-slate-500" data-testid="current-role">
          {roleLabels[current.role]}
        </span>
        <span aria-hidden="true">▾</span>
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute left-0 z-20 mt-1 w-72 rounded-md bg-white p-2 shadow-lg ring-1 ring-slate-200"
      >
        <form action={switchTo} onSubmit={() => setOpen(false)}>
          <input type="hidden" name="returnTo" value={pathname} />
          <p className="px-2 pb-1 text-xs font-medium uppercase text-slate-500" id={`${panelId}-label`}>
            Your workspaces
          </p>
          <ul aria-labelledby={`${panelId}-label`} className="max-h-80 overflow-y-auto">
            {listed.map((workspace) => (
              <li key={workspace.id}>
                <button
                  type="submit"
                  name="workspaceId"
                  value={workspace.id}
                  aria-current={workspace.id === current.id ? 'true' : undefined}
                  className="flex w-full items-center justify-between gap-2 rounded px-2 py-1.5 text-left text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 aria-[current]:font-semibold"
                >
                  <span className="truncate">
                    {workspace.name}
                    {workspace.personal ? <span className="text-slate-500"> (personal)</span> : null}
                  </span>
                  <span className="text-xs text-slate-500">{roleLabels[workspace.role]}</span>
                </button>
              </li>
            ))}
          </ul>
        </form>
        <ul className="mt-2 space-y-0.5 border-t border-slate-100 pt-2 text-sm">
          <li>
            <Link
              href="/workspace/members"
              className="block rounded px-2 py-1.5 hover:bg-slate-100"
              onClick={() => setOpen(false)}
            >
              Members
            </Link>
          </li>
          <li>
            <Link
              href="/workspace"
              className="block rounded px-2 py-1.5 hover:bg-slate-100"
              onClick={() => setOpen(false)}
            >
              Workspace settings
            </Link>
          </li>
          <li>
            <Link
              href="/workspace/new"
              className="block rounded px-2 py-1.5 hover:bg-slate-100"
              onClick={() => setOpen(false)}
            >
              Create a workspace
            </Link>
          </li>
        </ul>
      </div>
    </div>
  );
}

'use server';

import { revalidatePath } from 'next/cache';
import { notFound, redirect } from 'next/navigation';
import { z } from 'zod';
import { validatedAction, validatedFormAction, type ActionState } from '@/lib/action';
import { inviteMember, revokeInvitation } from '@/lib/workspaces/invitations';
import type { Outcome } from '@/lib/workspaces/lock';
import { changeRole, leaveWorkspace, removeMember } from '@/lib/workspaces/members';
import { workspaceRoles } from '@/lib/workspaces/roles';
import { safeReturnPath } from '@/lib/workspaces/return-path';
import { formKeySchema, inviteEmailSchema, workspaceNameSchema } from '@/lib/workspaces/schemas';
import { createWorkspace, renameWorkspace } from '@/lib/workspaces/service';
import { chooseWorkspace, forgetWorkspace } from '@/lib/workspaces/switch';

// Every form carries the workspace it was rendered for (not the switcher's cookie), so a second
// tab switched elsewhere cannot redirect a submit; the domain checks the membership and right.
const workspaceId = z.string().max(100).default('');
const userId = z.string().max(100).default('');
const role = z.enum(workspaceRoles, { message: 'Choose a role.' });
const signedIn = { who: 'user', callbackUrl: '/workspace/members' } as const;

/**
 * The form's answer. A workspace, member or invitation that is not the actor's is a 404; after
 * a change, the pages showing it (and the header, for names and roles) are rendered again.
 */
function answer(outcome: Outcome, success: string, changed: '/workspace/members' | 'layout'): ActionState {
  if (!outcome.ok) {
    if (outcome.status === 404) notFound();
    return { ok: false, message: outcome.message };
  }
  if (changed === 'layout') revalidatePath('/', 'layout');
  else revalidatePath(changed);
  return { ok: true, message: success };
}

export const switchWorkspaceAction = validatedFormAction(
  { who: 'user', schema: z.object({ workspaceId, returnTo: z.string().default('/dashboard') }) },
  async ({ workspaceId, returnTo }, { user }) => {
    if (!(await chooseWorkspace(user.id, workspaceId))) notFound();
    redirect(safeReturnPath(returnTo));
  },
);

export const createWorkspaceAction = validatedAction(
  {
    who: 'user',
    callbackUrl: '/workspace/new',
    schema: z.object({ name: workspaceNameSchema, formKey: formKeySchema }),
    invalid: 'fields',
    echo: ['name'],
  },
  async ({ name, formKey }, { user }) => {
    const { id } = await createWorkspace(user, name, formKey);
    await chooseWorkspace(user.id, id);
    redirect('/workspace/members');
  },
);

export const renameWorkspaceAction = validatedAction(
  {
    ...signedIn,
    schema: z.object({ workspaceId, name: workspaceNameSchema }),
    invalid: 'fields',
    echo: ['name'],
  },
  async ({ workspaceId, name }, { user }) => {
    const outcome = await renameWorkspace(user, workspaceId, name);
    return answer(outcome, `The workspace is now called ${name}.`, 'layout');
  },
);

export const inviteMemberAction = validatedAction(
  {
    ...signedIn,
    schema: z.object({ workspaceId, email: inviteEmailSchema, role, formKey: formKeySchema }),
    invalid: 'fields',
    echo: ['email', 'role'],
  },
  async ({ workspaceId, email, role, formKey }, { user }) => {
    const outcome = await inviteMember(user, workspaceId, email, role, formKey);
    return answer(
      outcome,
      `Invitation sent to ${email}. The link works once, for 7 days.`,
      '/workspace/members',
    );
  },
);

export const revokeInvitationAction = validatedAction(
  { ...signedIn, schema: z.object({ workspaceId, invitationId: z.string().max(100).default('') }) },
  async ({ workspaceId, invitationId }, { user }) => {
    const outcome = await revokeInvitation(user, workspaceId, invitationId);
    return answer(outcome, 'Invitation revoked.', '/workspace/members');
  },
);

export const changeRoleAction = validatedAction(
  { ...signedIn, schema: z.object({ workspaceId, userId, role }) },
  async ({ workspaceId, userId, role }, { user }) => {
    const outcome = await changeRole(user, workspaceId, userId, role);
    return answer(outcome, 'Role changed.', 'layout');
  },
);

export const removeMemberAction = validatedAction(
  { ...signedIn, schema: z.object({ workspaceId, userId }) },
  async ({ workspaceId, userId }, { user }) => {
    const outcome = await removeMember(user, workspaceId, userId);
    return answer(outcome, 'Member removed.', '/workspace/members');
  },
);

export const leaveWorkspaceAction = validatedAction(
  { ...signedIn, schema: z.object({ workspaceId }) },
  async ({ workspaceId }, { user }) => {
    const outcome = await leaveWorkspace(user, workspaceId);
    if (!outcome.ok) return answer(outcome, '', 'layout');
    // Back in their personal workspace: the header and every page change with it.
    await forgetWorkspace(workspaceId);
    revalidatePath('/', 'layout');
    redirect('/dashboard');
  },
);

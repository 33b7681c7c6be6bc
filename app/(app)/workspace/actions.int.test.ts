// The members forms as the browser posts them (issue #16): another workspace's ids give a 404
// and change nothing (IDOR), whoever lacks the right gets a 404, and bad input a precise message.
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { postAs } from '@/lib/testing/actions';
import type { WorkspaceRole } from '@/lib/generated/prisma/enums';
import { inviteAndReadLink, inviteeEmail, memberOf, roleOf, team } from '@/lib/testing/workspaces';
import { WORKSPACE_COOKIE } from '@/lib/workspaces/current';
import {
  changeRoleAction,
  inviteMemberAction,
  leaveWorkspaceAction,
  removeMemberAction,
  renameWorkspaceAction,
  revokeInvitationAction,
  switchWorkspaceAction,
} from './actions';

const session = vi.hoisted(() => ({ userId: null as string | null, cookies: new Map<string, string>() }));
vi.mock('@/lib/auth/config', () => ({
  auth: async () => (session.userId ? { user: { id: session.userId }, sessionVersion: 0 } : null),
}));
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) =>
      session.cookies.has(name) ? { name, value: session.cookies.get(name) } : undefined,
    set: (name: string, value: string) => session.cookies.set(name, value),
    delete: (name: string) => session.cookies.delete(name),
  }),
}));

beforeEach(() => session.cookies.clear());

/** Post a form as `userId`: the action's answer, its redirect, or a 404. */
const post = (userId: string, action: Parameters<typeof postAs>[2], fields: Record<string, string>) =>
  postAs(session, userId, action, fields);

const switchTo = (prev: object, form: FormData) => switchWorkspaceAction(form).then(() => ({}));

describe('the members forms across workspaces (IDOR)', () => {
  it('answer 404 for another workspace’s workspace, member and invitation ids, and change nothing', async () => {
    const mine = await team('Mine');
    const theirs = await team('Theirs');
    const theirMember = await memberOf(theirs.workspaceId);
    const invitation = await inviteAndReadLink(theirs.owner, theirs.workspaceId, inviteeEmail());
    const me = mine.owner.id;
    const attempts: Array<[Parameters<typeof post>[1], Record<string, string>]> = [
      [removeMemberAction, { workspaceId: mine.workspaceId, userId: theirMember.id }],
      [removeMemberAction, { workspaceId: theirs.workspaceId, userId: theirMember.id }],
      [changeRoleAction, { workspaceId: mine.workspaceId, userId: theirMember.id, role: 'owner' }],
      [changeRoleAction, { workspaceId: theirs.workspaceId, userId: me, role: 'owner' }],
      [revokeInvitationAction, { workspaceId: mine.workspaceId, invitationId: invitation.invitationId }],
      [revokeInvitationAction, { workspaceId: theirs.workspaceId, invitationId: invitation.invitationId }],
      [
        inviteMemberAction,
        { workspaceId: theirs.workspaceId, email: inviteeEmail(), role: 'owner', formKey: randomUUID() },
      ],
      [renameWorkspaceAction, { workspaceId: theirs.workspaceId, name: 'Taken over' }],
      [leaveWorkspaceAction, { workspaceId: theirs.workspaceId }],
      [switchTo, { workspaceId: theirs.workspaceId, returnTo: '/dashboard' }],
    ];
    for (const [action, fields] of attempts) expect(await post(me, action, fields)).toEqual({ status: 404 });
    expect(session.cookies.has(WORKSPACE_COOKIE)).toBe(false);
    expect(
      await db.membership.findMany({ where: { workspaceId: theirs.workspaceId }, select: { role: true } }),
    ).toHaveLength(2);
    expect(await roleOf(theirs.workspaceId, theirMember.id)).toBe('member');
    expect(await roleOf(theirs.workspaceId, me)).toBeNull();
    const row = await db.invitation.findUniqueOrThrow({ where: { id: invitation.invitationId } });
    expect(row.revokedAt).toBeNull();
    expect((await db.workspace.findUniqueOrThrow({ where: { id: theirs.workspaceId } })).name).toBe('Theirs');
    expect(await db.invitation.count({ where: { workspaceId: theirs.workspaceId } })).toBe(1);
  });

  it('answer 404 to members without the members right in their own workspace', async () => {
    const { owner, workspaceId } = await team();
    for (const role of ['member', 'billing'] satisfies WorkspaceRole[]) {
      const actor = await memberOf(workspaceId, role);
      expect(await post(actor.id, removeMemberAction, { workspaceId, userId: owner.id })).toEqual({
        status: 404,
      });
      expect(
        await post(actor.id, inviteMemberAction, {
          workspaceId,
          email: inviteeEmail(),
          role: 'member',
          formKey: randomUUID(),
        }),
      ).toEqual({ status: 404 });
    }
    expect(await roleOf(workspaceId, owner.id)).toBe('owner');
    expect(await db.invitation.count({ where: { workspaceId } })).toBe(0);
  });
});

describe('the members forms with bad input', () => {
  it('say precisely what is wrong and change nothing', async () => {
    const { owner, workspaceId } = await team();
    const base = { workspaceId, formKey: randomUUID() };
    const bad = async (fields: Record<string, string>) => {
      session.userId = owner.id;
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.set(name, value);
      return inviteMemberAction({}, form);
    };
    expect((await bad({ ...base, email: 'not an email', role: 'member' })).fieldErrors).toEqual({
      email: 'Enter a valid email address.',
    });
    expect((await bad({ ...base, email: inviteeEmail(), role: 'superuser' })).fieldErrors).toEqual({
      role: 'Choose a role.',
    });
    expect(
      (await bad({ workspaceId, email: inviteeEmail(), role: 'member', formKey: 'x' })).fieldErrors,
    ).toEqual({
      formKey: 'Reload the page and try again.',
    });
    expect(await post(owner.id, changeRoleAction, { workspaceId, userId: owner.id, role: 'root' })).toEqual({
      ok: false,
      message: 'Choose a role.',
    });
    expect(await post(owner.id, changeRoleAction, { workspaceId, userId: owner.id, role: 'admin' })).toEqual({
      ok: false,
      message: 'A workspace needs an owner: make another member owner first.',
    });
    expect(await db.invitation.count({ where: { workspaceId } })).toBe(0);
    expect(await roleOf(workspaceId, owner.id)).toBe('owner');
  });
});

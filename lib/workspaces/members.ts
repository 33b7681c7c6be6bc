import 'server-only';
import { audit } from '@/lib/audit';
import { db } from '@/lib/db';
import type { WorkspaceRole } from '@/lib/generated/prisma/enums';
import { toPage, type Cursor, type Page } from '@/lib/pagination';
import {
  idPattern,
  lockAs,
  LOCKING_TX,
  NOT_FOUND,
  ownerCount,
  refuse,
  roleIn,
  type Outcome,
} from '@/lib/workspaces/lock';
import { membershipChanged } from '@/lib/workspaces/seats';
import type { Actor } from '@/lib/workspaces/service';

export const LAST_OWNER = 'A workspace needs an owner: make another member owner first.';
export const LAST_OWNER_LEAVE = 'You are the last owner: make another member owner before you leave.';
export const PERSONAL_OWNER = 'The owner of a personal workspace stays its owner.';
export const OWNERS_ONLY = 'Only an owner can make, unmake or remove owners.';

export interface MemberRow {
  /** The member's user id (the page cursor's id). */
  id: string;
  email: string;
  name: string | null;
  role: WorkspaceRole;
  joinedAt: Date;
}

/**
 * A workspace's members, oldest first, a keyset page at a time: the next page is
 * `createdAt >= X AND (createdAt > X OR userId > Y)`, a range the (workspaceId, createdAt,
 * userId) index seeks to. The caller has checked the reader is a member.
 */
export async function listMembers(
  workspaceId: string,
  cursor: Cursor | null,
  limit = 25,
): Promise<Page<MemberRow>> {
  const rows = await db.membership.findMany({
    where: {
      workspaceId,
      ...(cursor
        ? {
            AND: [
              { createdAt: { gte: cursor.at } },
              { OR: [{ createdAt: { gt: cursor.at } }, { userId: { gt: cursor.id } }] },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
    take: limit + 1,
    select: { userId: true, role: true, createdAt: true, user: { select: { email: true, name: true } } },
  });
  const members = rows.map((row) => ({
    id: row.userId,
    email: row.user.email,
    name: row.user.name,
    role: row.role,
    joinedAt: row.createdAt,
  }));
  return toPage(members, limit, (member) => member.joinedAt);
}

const membershipTarget = (workspaceId: string, userId: string) => `${workspaceId}:${userId}`;

/**
 * Give a member another role (owners and admins). Only an owner makes or unmakes owners, and
 * the last owner cannot be demoted: the workspace row is locked, so two owners demoting each
 * other at once cannot both pass.
 */
export async function changeRole(
  actor: Actor,
  workspaceId: string,
  userId: string,
  role: WorkspaceRole,
): Promise<Outcome<{ changed: boolean }>> {
  return db.$transaction(async (tx) => {
    const locked = await lockAs(tx, workspaceId, actor.id, 'members');
    if (!('workspace' in locked)) return locked;
    const current = idPattern.test(userId) ? await roleIn(tx, workspaceId, userId) : null;
    if (!current) return refuse(404, NOT_FOUND);
    if (current === role) return { ok: true, changed: false };
    if ((current === 'owner' || role === 'owner') && locked.role !== 'owner') return refuse(403, OWNERS_ONLY);
    if (current === 'owner') {
      if (locked.workspace.personalOfId === userId) return refuse(409, PERSONAL_OWNER);
      if ((await ownerCount(tx, workspaceId)) <= 1) return refuse(409, LAST_OWNER);
    }
    await tx.membership.update({ where: { workspaceId_userId: { workspaceId, userId } }, data: { role } });
    await audit(
      {
        actor,
        action: 'member.role_changed',
        targetType: 'membership',
        targetId: membershipTarget(workspaceId, userId),
        details: { workspaceId, userId, from: current, to: role },
      },
      tx,
    );
    return { ok: true, changed: true };
  }, LOCKING_TX);
}

/** Remove another member (owners and admins; only an owner removes an owner). */
export async function removeMember(actor: Actor, workspaceId: string, userId: string): Promise<Outcome> {
  return db.$transaction(async (tx) => {
    const locked = await lockAs(tx, workspaceId, actor.id, 'members');
    if (!('workspace' in locked)) return locked;
    if (userId === actor.id) return refuse(400, 'To leave this workspace, use Leave.');
    const member = idPattern.test(userId)
      ? await tx.membership.findUnique({
          where: { workspaceId_userId: { workspaceId, userId } },
          select: { role: true, createdAt: true },
        })
      : null;
    if (!member) return refuse(404, NOT_FOUND);
    if (member.role === 'owner' && locked.role !== 'owner') return refuse(403, OWNERS_ONLY);
    if (locked.workspace.personalOfId === userId)
      return refuse(409, 'The owner of a personal workspace cannot be removed from it.');
    if (member.role === 'owner' && (await ownerCount(tx, workspaceId)) <= 1) return refuse(409, LAST_OWNER);
    await tx.membership.delete({ where: { workspaceId_userId: { workspaceId, userId } } });
    await membershipChanged(tx, workspaceId);
    await audit(
      {
        actor,
        action: 'member.removed',
        targetType: 'membership',
        targetId: membershipTarget(workspaceId, userId),
        details: { workspaceId, userId, role: member.role },
        dedupeKey: `member.removed:${workspaceId}:${userId}:${member.createdAt.getTime()}`,
      },
      tx,
    );
    return { ok: true };
  }, LOCKING_TX);
}

/** Leave a workspace: not one's personal workspace, and not as its last owner. */
export async function leaveWorkspace(actor: Actor, workspaceId: string): Promise<Outcome> {
  return db.$transaction(async (tx) => {
    const locked = await lockAs(tx, workspaceId, actor.id, 'use');
    if (!('workspace' in locked)) return locked;
    if (locked.workspace.personalOfId === actor.id)
      return refuse(409, 'You cannot leave your personal workspace.');
    if (locked.role === 'owner' && (await ownerCount(tx, workspaceId)) <= 1)
      return refuse(409, LAST_OWNER_LEAVE);
    const member = await tx.membership.delete({
      where: { workspaceId_userId: { workspaceId, userId: actor.id } },
      select: { createdAt: true },
    });
    await membershipChanged(tx, workspaceId);
    await audit(
      {
        actor,
        action: 'member.left',
        targetType: 'membership',
        targetId: membershipTarget(workspaceId, actor.id),
        details: { workspaceId, userId: actor.id, role: locked.role },
        dedupeKey: `member.left:${workspaceId}:${actor.id}:${member.createdAt.getTime()}`,
      },
      tx,
    );
    return { ok: true };
  }, LOCKING_TX);
}

// Test helpers for workspaces: a team with an owner, and members added with a role.
import { randomUUID } from 'node:crypto';
import { db } from '@/lib/db';
import type { WorkspaceRole } from '@/lib/generated/prisma/enums';
import { createUser } from '@/lib/testing/fixtures';
import { inviteMember } from '@/lib/workspaces/invitations';
import { createWorkspace } from '@/lib/workspaces/service';

/** A new user and a workspace they created (so they own it). */
export async function team(name = 'Acme') {
  const owner = await createUser();
  const { id } = await createWorkspace(owner, name, randomUUID());
  return { owner, workspaceId: id };
}

/** A new user who is a member of `workspaceId` with `role` (written directly, as a fixture). */
export async function memberOf(workspaceId: string, role: WorkspaceRole = 'member') {
  const user = await createUser();
  await db.membership.create({ data: { workspaceId, userId: user.id, role } });
  return user;
}

export async function roleOf(workspaceId: string, userId: string): Promise<WorkspaceRole | null> {
  const row = await db.membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId } },
    select: { role: true },
  });
  return row?.role ?? null;
}

/** Audit rows of one action about one target, oldest first. */
export function auditRows(action: string, targetId: string) {
  return db.auditLog.findMany({
    where: { action, targetId },
    orderBy: { createdAt: 'asc' },
    select: { actorId: true, details: true, dedupeKey: true },
  });
}

/**
 * How many membership changes the seat code has been told of for this workspace: `seatVersion`,
 * which membershipChanged bumps in the change's own transaction (so a refused or rolled-back
 * change leaves it alone).
 */
export async function seatVersion(workspaceId: string): Promise<number> {
  const row = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { seatVersion: true },
  });
  return row.seatVersion;
}

let invitees = 0;
/** A fresh address to invite. */
export const inviteeEmail = () => `invitee-${Date.now().toString(36)}-${(invitees += 1)}@example.com`;

/** Invite `email` and return the token from the emailed link, as the invitee would read it. */
export async function inviteAndReadLink(
  actor: { id: string; email: string },
  workspaceId: string,
  email: string,
  role: WorkspaceRole = 'member',
) {
  const outcome = await inviteMember(actor, workspaceId, email, role, randomUUID());
  if (!outcome.ok) throw new Error(outcome.message);
  const mail = await db.email.findUniqueOrThrow({
    where: { dedupeKey: `invitation:${outcome.invitationId}` },
  });
  const token = /\/invite\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error('no link in the invitation email');
  return { invitationId: outcome.invitationId, token };
}

/** An existing account with this address. */
export async function userWithEmail(email: string) {
  const user = await createUser();
  return db.user.update({ where: { id: user.id }, data: { email }, select: { id: true, email: true } });
}

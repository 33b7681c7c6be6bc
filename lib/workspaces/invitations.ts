import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { audit } from '@/lib/audit';
import { db, type Tx } from '@/lib/db';
import { invitationEmail } from '@/lib/email/workspace-templates';
import { queueEmail } from '@/lib/email/outbox';
import { claimAttempt, type Throttle } from '@/lib/rate-limit';
import type { WorkspaceRole } from '@/lib/generated/prisma/enums';
import { roleLabels } from '@/lib/workspaces/labels';
import { idPattern, lockAs, LOCKING_TX, NOT_FOUND, refuse, type Outcome } from '@/lib/workspaces/lock';
import { invitationTokenSchema } from '@/lib/workspaces/schemas';
import { seatLimitReached } from '@/lib/workspaces/seats';
import type { Actor } from '@/lib/workspaces/service';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60_000;
/** Pending invitations per workspace: enough for a team, too few to use Tollgate as a mailer. */
export const MAX_PENDING_INVITATIONS = 100;

/** Invitations one person sends: a team's worth an hour, then slower (every workspace counts). */
export const INVITATIONS_PER_INVITER: Throttle = {
  bucket: 'invitations:inviter',
  free: 50,
  windowMs: 60 * 60_000,
  maxDelayMs: 60 * 60_000,
};

function tooManyInvitations(waitMs: number): string {
  const seconds = Math.ceil(waitMs / 1000);
  const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return `You sent many invitations in the last hour. Try again in ${wait}.`;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const SEATS_FULL = 'This workspace has no seat left. Ask an owner to add seats, then try again.';

export interface PendingInvitation {
  id: string;
  email: string;
  role: WorkspaceRole;
  createdAt: Date;
  expiresAt: Date;
}

/** Pending invitations (neither used, revoked nor expired), newest first. */
export async function pendingInvitations(workspaceId: string): Promise<PendingInvitation[]> {
  return db.invitation.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: MAX_PENDING_INVITATIONS,
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
  });
}

/**
 * Invite an email address (owners and admins; only owners invite owners). The email holds a
 * random token of which only the SHA-256 is stored; inviting a pending address again replaces
 * its link. The same form key invites once.
 */
export async function inviteMember(
  actor: Actor,
  workspaceId: string,
  email: string,
  role: WorkspaceRole,
  formKey: string,
): Promise<Outcome<{ invitationId: string }>> {
  const dedupeKey = `member.invited:${workspaceId}:${formKey}`;
  const claim = await claimAttempt([{ throttle: INVITATIONS_PER_INVITER, key: actor.id }]);
  if (!claim.ok) return refuse(429, tooManyInvitations(claim.retryAfterMs));
  return db.$transaction(async (tx) => {
    const locked = await lockAs(tx, workspaceId, actor.id, 'members');
    if (!('workspace' in locked)) return locked;
    const earlier = await tx.auditLog.findUnique({ where: { dedupeKey }, select: { targetId: true } });
    if (earlier) return { ok: true, invitationId: earlier.targetId };
    if (role === 'owner' && locked.role !== 'owner') return refuse(403, 'Only an owner can invite an owner.');
    const member = await tx.membership.findFirst({
      where: { workspaceId, user: { email } },
      select: { userId: true },
    });
    if (member) return refuse(409, `${email} is already a member of ${locked.workspace.name}.`);
    if (await seatLimitReached(workspaceId, { tx, for: 'invite' })) return refuse(409, SEATS_FULL);
    const now = new Date();
    const pending = { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } };
    if (
      (await tx.invitation.count({ where: { ...pending, email: { not: email } } })) >= MAX_PENDING_INVITATIONS
    )
      return refuse(
        409,
        `A workspace can have ${MAX_PENDING_INVITATIONS} pending invitations: revoke some first.`,
      );
    const replaced = await tx.invitation.updateMany({
      where: { ...pending, email },
      data: { revokedAt: now },
    });
    const token = randomBytes(32).toString('base64url');
    const invitation = await tx.invitation.create({
      data: {
        workspaceId,
        email,
        role,
        tokenHash: hashToken(token),
        invitedById: actor.id,
        expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
      },
      select: { id: true },
    });
    await queueEmail(tx, {
      dedupeKey: `invitation:${invitation.id}`,
      to: email,
      ...invitationEmail({
        token,
        workspaceName: locked.workspace.name,
        inviter: actor.name?.trim() || actor.email,
        role: roleLabels[role].toLowerCase(),
      }),
    });
    await audit(
      {
        actor,
        action: 'member.invited',
        targetType: 'invitation',
        targetId: invitation.id,
        details: { workspaceId, email, role, replaced: replaced.count },
        dedupeKey,
      },
      tx,
    );
    return { ok: true, invitationId: invitation.id };
  }, LOCKING_TX);
}

/** Revoke a pending invitation: its link stops working. Revoking twice is one revocation. */
export async function revokeInvitation(
  actor: Actor,
  workspaceId: string,
  invitationId: string,
): Promise<Outcome> {
  return db.$transaction(async (tx) => {
    const locked = await lockAs(tx, workspaceId, actor.id, 'members');
    if (!('workspace' in locked)) return locked;
    const invitation = idPattern.test(invitationId)
      ? await tx.invitation.findFirst({
          where: { id: invitationId, workspaceId },
          select: { email: true, acceptedAt: true, revokedAt: true },
        })
      : null;
    if (!invitation) return refuse(404, NOT_FOUND);
    if (invitation.acceptedAt) return refuse(409, 'This invitation was already accepted.');
    if (invitation.revokedAt) return { ok: true };
    await tx.invitation.update({ where: { id: invitationId }, data: { revokedAt: new Date() } });
    await audit(
      {
        actor,
        action: 'invitation.revoked',
        targetType: 'invitation',
        targetId: invitationId,
        details: { workspaceId, email: invitation.email },
        dedupeKey: `invitation.revoked:${invitationId}`,
      },
      tx,
    );
    return { ok: true };
  }, LOCKING_TX);
}

export const INVALID_LINK =
  'This invitation link is not valid. Check that you opened the whole link, or ask for a new invitation.';
export const REVOKED_LINK =
  'This invitation was withdrawn or replaced by a newer one. Ask for a new invitation.';
export const USED_LINK = 'This invitation was already used.';
export const EXPIRED_LINK = 'This invitation has expired. Ask for a new one.';

export interface InvitationRow {
  id: string;
  workspaceId: string;
  email: string;
  role: WorkspaceRole;
  invitedById: string | null;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

const invitationColumns = {
  id: true,
  workspaceId: true,
  email: true,
  role: true,
  invitedById: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
} as const;

/** The invitation a link's token names, whatever its state, or null. */
export async function invitationOfToken(
  client: Tx | typeof db,
  token: string,
): Promise<InvitationRow | null> {
  if (!invitationTokenSchema.safeParse(token).success) return null;
  return client.invitation.findUnique({ where: { tokenHash: hashToken(token) }, select: invitationColumns });
}

/** Why a link cannot be used now, or null when it can. */
export function linkProblem(invitation: InvitationRow | null, now = new Date()): string | null {
  if (!invitation) return INVALID_LINK;
  if (invitation.acceptedAt) return USED_LINK;
  if (invitation.revokedAt) return REVOKED_LINK;
  if (invitation.expiresAt.getTime() <= now.getTime()) return EXPIRED_LINK;
  return null;
}

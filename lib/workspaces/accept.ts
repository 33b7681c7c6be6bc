import 'server-only';
import { audit } from '@/lib/audit';
import { hashPassword } from '@/lib/auth/password';
import { newReferralCode } from '@/lib/auth/referral-code';
import { db, type Tx } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import type { WorkspaceRole } from '@/lib/generated/prisma/enums';
import {
  INVALID_LINK,
  invitationOfToken,
  linkProblem,
  SEATS_FULL,
  type InvitationRow,
} from '@/lib/workspaces/invitations';
import { LOCKING_TX, lockWorkspace, refuse, type Outcome, type Refusal } from '@/lib/workspaces/lock';
import { membershipChanged, seatLimitReached } from '@/lib/workspaces/seats';

export type InvitationView =
  | {
      ok: true;
      email: string;
      role: WorkspaceRole;
      workspaceName: string;
      inviter: string | null;
      /** Whether the invited address already has an account (sign in) or not (sign up). */
      accountExists: boolean;
    }
  | { ok: false; message: string };

/** What the invitation page shows for a link, without using it up. */
export async function viewInvitation(token: string): Promise<InvitationView> {
  const invitation = await invitationOfToken(db, token);
  const problem = linkProblem(invitation);
  if (problem || !invitation) return { ok: false, message: problem ?? INVALID_LINK };
  const [workspace, inviter, account] = await Promise.all([
    db.workspace.findUniqueOrThrow({ where: { id: invitation.workspaceId }, select: { name: true } }),
    invitation.invitedById
      ? db.user.findUnique({ where: { id: invitation.invitedById }, select: { name: true, email: true } })
      : null,
    db.user.findUnique({ where: { email: invitation.email }, select: { id: true } }),
  ]);
  return {
    ok: true,
    email: invitation.email,
    role: invitation.role,
    workspaceName: workspace.name,
    inviter: inviter ? inviter.name?.trim() || inviter.email : null,
    accountExists: account !== null,
  };
}

export type Accepted = Outcome<{ workspaceId: string; workspaceName: string; userId: string; email: string }>;

/**
 * Lock the invitation's workspace, then read the invitation again: every use and revocation
 * takes the same lock, so of two uses of one token only the first finds it unused.
 */
async function claim(tx: Tx, token: string): Promise<{ invitation: InvitationRow; name: string } | Refusal> {
  const found = await invitationOfToken(tx, token);
  const workspace = found ? await lockWorkspace(tx, found.workspaceId) : null;
  const invitation = workspace ? await invitationOfToken(tx, token) : null;
  const problem = linkProblem(invitation);
  if (problem || !invitation || !workspace) return refuse(invitation ? 409 : 404, problem ?? INVALID_LINK);
  return { invitation, name: workspace.name };
}

async function join(
  tx: Tx,
  invitation: InvitationRow,
  user: { id: string; email: string },
  signedUp: boolean,
) {
  const { workspaceId, id } = invitation;
  await tx.membership.create({ data: { workspaceId, userId: user.id, role: invitation.role } });
  await tx.invitation.update({ where: { id }, data: { acceptedAt: new Date(), acceptedById: user.id } });
  // The link reached this mailbox: the address is the user's.
  await tx.user.updateMany({
    where: { id: user.id, emailVerified: null },
    data: { emailVerified: new Date() },
  });
  await membershipChanged(tx, workspaceId);
  await audit(
    {
      actor: user,
      action: 'invitation.accepted',
      targetType: 'invitation',
      targetId: id,
      details: { workspaceId, userId: user.id, role: invitation.role, signedUp },
      dedupeKey: `invitation.accepted:${id}`,
    },
    tx,
  );
}

const wrongAccount = (invited: string, signedIn: string) =>
  `This invitation is for ${invited}, but you are signed in as ${signedIn}. ` +
  `Sign out, then open the link again and sign in as ${invited}.`;

/** Accept as the signed-in user, whose email must be the invited one. */
export async function acceptInvitation(
  user: { id: string; email: string },
  token: string,
): Promise<Accepted> {
  const found = await invitationOfToken(db, token);
  const problem = linkProblem(found);
  if (problem || !found) return refuse(found ? 409 : 404, problem ?? INVALID_LINK);
  return db.$transaction(async (tx) => {
    const claimed = await claim(tx, token);
    if (!('invitation' in claimed)) return claimed;
    const { invitation, name } = claimed;
    if (user.email.toLowerCase() !== invitation.email)
      return refuse(403, wrongAccount(invitation.email, user.email));
    const already = await tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: invitation.workspaceId, userId: user.id } },
      select: { role: true },
    });
    if (already) {
      await tx.invitation.update({
        where: { id: invitation.id },
        data: { acceptedAt: new Date(), acceptedById: user.id },
      });
      return refuse(409, `You are already a member of ${name}.`);
    }
    if (await seatLimitReached(invitation.workspaceId, { tx, for: 'accept' })) return refuse(409, SEATS_FULL);
    await join(tx, invitation, user, false);
    return {
      ok: true,
      workspaceId: invitation.workspaceId,
      workspaceName: name,
      userId: user.id,
      email: user.email,
    };
  }, LOCKING_TX);
}

export const ACCOUNT_EXISTS = (email: string) =>
  `An account with ${email} already exists: sign in to accept the invitation.`;

/**
 * Accept by creating the invited address's account (name and password from the form). The
 * link proves the mailbox, so the new account's email is verified. Returns the email to sign in.
 */
export async function acceptBySigningUp(
  token: string,
  input: { name?: string; password: string },
): Promise<Accepted> {
  // A bogus token costs no password hash.
  const found = await invitationOfToken(db, token);
  const problem = linkProblem(found);
  if (problem || !found) return refuse(found ? 409 : 404, problem ?? INVALID_LINK);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const claimed = await claim(tx, token);
      if (!('invitation' in claimed)) return claimed;
      const { invitation, name } = claimed;
      const email = invitation.email;
      if (await tx.user.findUnique({ where: { email }, select: { id: true } }))
        return refuse(409, ACCOUNT_EXISTS(email));
      if (await seatLimitReached(invitation.workspaceId, { tx, for: 'accept' }))
        return refuse(409, SEATS_FULL);
      const user = await tx.user.create({
        data: {
          email,
          name: input.name ?? null,
          passwordHash,
          referralCode: newReferralCode(),
          emailVerified: new Date(),
        },
        select: { id: true, email: true },
      });
      await join(tx, invitation, user, true);
      return { ok: true, workspaceId: invitation.workspaceId, workspaceName: name, userId: user.id, email };
    }, LOCKING_TX);
  } catch (error) {
    // The address signed up another way at the same moment.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      return refuse(409, ACCOUNT_EXISTS(found.email));
    throw error;
  }
}

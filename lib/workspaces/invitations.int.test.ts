// Invitations (issue #16): emailed links that expire, work once, can be revoked and are
// replaced by a new invitation; accepting as the invited address, or by signing up.
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '@/lib/auth/password';
import { db } from '@/lib/db';
import { createUser } from '@/lib/testing/fixtures';
import { join, leave, teamSubscriber } from '@/lib/testing/seats';
import {
  auditRows,
  inviteAndReadLink,
  inviteeEmail,
  memberOf,
  roleOf,
  team,
  seatVersion,
  userWithEmail,
} from '@/lib/testing/workspaces';
import { ACCOUNT_EXISTS, acceptBySigningUp, acceptInvitation, viewInvitation } from '@/lib/workspaces/accept';
import {
  EXPIRED_LINK,
  INVALID_LINK,
  INVITATIONS_PER_INVITER,
  inviteMember,
  pendingInvitations,
  REVOKED_LINK,
  revokeInvitation,
  SEATS_FULL,
  USED_LINK,
} from '@/lib/workspaces/invitations';

const notFound = { ok: false, status: 404, message: 'Not found.' };
const invitee = inviteeEmail;
const invite = inviteAndReadLink;

describe('inviting', () => {
  it('emails a link whose token is stored only as its SHA-256, for 7 days, audited', async () => {
    const { owner, workspaceId } = await team('Acme');
    const email = invitee();
    const { invitationId, token } = await invite(owner, workspaceId, email.toUpperCase().toLowerCase());
    const row = await db.invitation.findUniqueOrThrow({ where: { id: invitationId } });
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);
    const days = (row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);
    const mail = await db.email.findUniqueOrThrow({ where: { dedupeKey: `invitation:${invitationId}` } });
    expect(mail.to).toBe(email);
    expect(mail.subject).toBe('You are invited to a Tollgate workspace');
    expect(mail.text).toContain('“Acme” as member');
    expect(await auditRows('member.invited', invitationId)).toEqual([
      expect.objectContaining({
        actorId: owner.id,
        details: { workspaceId, email, role: 'member', replaced: 0 },
      }),
    ]);
    expect((await pendingInvitations(workspaceId)).map((i) => i.email)).toEqual([email]);
  });

  it('sends one invitation for a double submit of the same form, even raced', async () => {
    const { owner, workspaceId } = await team();
    const email = invitee();
    const key = randomUUID();
    const results = await Promise.all(
      [1, 2, 3].map(() => inviteMember(owner, workspaceId, email, 'admin', key)),
    );
    expect(new Set(results.map((r) => (r.ok ? r.invitationId : r.message))).size).toBe(1);
    expect(await db.invitation.count({ where: { workspaceId } })).toBe(1);
    expect(await db.email.count({ where: { to: email } })).toBe(1);
  });

  it('replaces a pending invitation to the same address: the old link stops working', async () => {
    const { owner, workspaceId } = await team();
    const email = invitee();
    const first = await invite(owner, workspaceId, email);
    const second = await invite(owner, workspaceId, email);
    const user = await userWithEmail(email);
    expect(await acceptInvitation(user, first.token)).toEqual({
      ok: false,
      status: 409,
      message: REVOKED_LINK,
    });
    expect(await acceptInvitation(user, second.token)).toMatchObject({ ok: true, workspaceId });
    expect((await auditRows('member.invited', second.invitationId))[0]?.details).toMatchObject({
      replaced: 1,
    });
  });

  it('refuses what the inviter may not do, and changes nothing', async () => {
    const { owner, workspaceId } = await team('Acme');
    const admin = await memberOf(workspaceId, 'admin');
    const billing = await memberOf(workspaceId, 'billing');
    const outsider = (await team('Other')).owner;
    const email = invitee();
    expect(await inviteMember(admin, workspaceId, email, 'owner', randomUUID())).toEqual({
      ok: false,
      status: 403,
      message: 'Only an owner can invite an owner.',
    });
    expect(await inviteMember(billing, workspaceId, email, 'member', randomUUID())).toEqual(notFound);
    expect(await inviteMember(outsider, workspaceId, email, 'member', randomUUID())).toEqual(notFound);
    expect(await inviteMember(owner, workspaceId, billing.email, 'member', randomUUID())).toEqual({
      ok: false,
      status: 409,
      message: `${billing.email} is already a member of Acme.`,
    });
    expect(await db.invitation.count({ where: { workspaceId } })).toBe(0);
    expect(await db.email.count({ where: { to: email } })).toBe(0);
  });
});

describe('the invitation rate', () => {
  it('slows down one person sending many invitations, across their workspaces', async () => {
    const { owner, workspaceId } = await team();
    // The hour's free invitations are used up (as 50 invitations would).
    await db.rateLimitHit.createMany({
      data: Array.from({ length: INVITATIONS_PER_INVITER.free }, () => ({
        bucket: INVITATIONS_PER_INVITER.bucket,
        key: owner.id,
        createdAt: new Date(),
      })),
    });
    const email = invitee();
    const refused = await inviteMember(owner, workspaceId, email, 'member', randomUUID());
    expect(refused).toMatchObject({ ok: false, status: 429 });
    expect(!refused.ok && refused.message).toMatch(
      /^You sent many invitations in the last hour\. Try again in \d+ seconds\.$/,
    );
    expect(await db.invitation.count({ where: { workspaceId } })).toBe(0);
    expect(await db.email.count({ where: { to: email } })).toBe(0);
  });
});

describe('revoking', () => {
  it('kills the link once (audited once); another workspace’s invitation is a 404 and stays', async () => {
    const { owner, workspaceId } = await team();
    const other = await team('Other');
    const email = invitee();
    const mine = await invite(owner, workspaceId, email);
    const theirs = await invite(other.owner, other.workspaceId, email);
    expect(await revokeInvitation(owner, workspaceId, theirs.invitationId)).toEqual(notFound);
    expect(await revokeInvitation(owner, other.workspaceId, theirs.invitationId)).toEqual(notFound);
    expect(await revokeInvitation(owner, workspaceId, 'nope')).toEqual(notFound);
    const twice = await Promise.all([
      revokeInvitation(owner, workspaceId, mine.invitationId),
      revokeInvitation(owner, workspaceId, mine.invitationId),
    ]);
    expect(twice).toEqual([{ ok: true }, { ok: true }]);
    expect(await auditRows('invitation.revoked', mine.invitationId)).toHaveLength(1);
    const user = await userWithEmail(email);
    expect(await acceptInvitation(user, mine.token)).toEqual({
      ok: false,
      status: 409,
      message: REVOKED_LINK,
    });
    expect(await viewInvitation(mine.token)).toEqual({ ok: false, message: REVOKED_LINK });
    // The other workspace's invitation still works.
    expect(await acceptInvitation(user, theirs.token)).toMatchObject({
      ok: true,
      workspaceId: other.workspaceId,
    });
    expect(await revokeInvitation(other.owner, other.workspaceId, theirs.invitationId)).toEqual({
      ok: false,
      status: 409,
      message: 'This invitation was already accepted.',
    });
  });
});

describe('accepting', () => {
  it('adds the invited address with its role, verifies the email, audits it and tells seats', async () => {
    const { owner, workspaceId } = await team('Acme');
    const email = invitee();
    const { invitationId, token } = await invite(owner, workspaceId, email, 'billing');
    const user = await userWithEmail(email);
    await db.user.update({ where: { id: user.id }, data: { emailVerified: null } });
    expect(await viewInvitation(token)).toMatchObject({
      ok: true,
      email,
      workspaceName: 'Acme',
      accountExists: true,
    });
    const before = await seatVersion(workspaceId);
    expect(await acceptInvitation(user, token)).toEqual({
      ok: true,
      workspaceId,
      workspaceName: 'Acme',
      userId: user.id,
      email,
    });
    expect(await roleOf(workspaceId, user.id)).toBe('billing');
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).not.toBeNull();
    expect(await auditRows('invitation.accepted', invitationId)).toEqual([
      expect.objectContaining({ actorId: user.id }),
    ]);
    expect(await seatVersion(workspaceId)).toBe(before + 1);
    expect(await db.membership.count({ where: { workspaceId } })).toBe(2);
    expect(await pendingInvitations(workspaceId)).toEqual([]);
    // Used once: the second use is refused and changes nothing.
    expect(await acceptInvitation(user, token)).toEqual({ ok: false, status: 409, message: USED_LINK });
    expect(await viewInvitation(token)).toEqual({ ok: false, message: USED_LINK });
  });

  it('refuses another signed-in address, an expired link and a made-up one, changing nothing', async () => {
    const { owner, workspaceId } = await team();
    const email = invitee();
    const { invitationId, token } = await invite(owner, workspaceId, email);
    const stranger = await createUser();
    const refused = await acceptInvitation(stranger, token);
    expect(refused).toMatchObject({ ok: false, status: 403 });
    expect(!refused.ok && refused.message).toContain(
      `This invitation is for ${email}, but you are signed in as ${stranger.email}`,
    );
    expect(await roleOf(workspaceId, stranger.id)).toBeNull();
    for (const bogus of [
      '',
      'short',
      'x'.repeat(43),
      `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
      `${token}\n`,
    ]) {
      expect(await acceptInvitation(stranger, bogus)).toEqual({
        ok: false,
        status: 404,
        message: INVALID_LINK,
      });
    }
    await db.invitation.update({
      where: { id: invitationId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const user = await userWithEmail(email);
    expect(await acceptInvitation(user, token)).toEqual({ ok: false, status: 409, message: EXPIRED_LINK });
    expect(await viewInvitation(token)).toEqual({ ok: false, message: EXPIRED_LINK });
    expect(await roleOf(workspaceId, user.id)).toBeNull();
    expect(await seatVersion(workspaceId)).toBe(1); // the creation only
  });

  it('tells an existing member they already are one', async () => {
    const { owner, workspaceId } = await team('Acme');
    const email = invitee();
    const { token } = await invite(owner, workspaceId, email);
    const user = await userWithEmail(email);
    await db.membership.create({ data: { workspaceId, userId: user.id, role: 'admin' } });
    expect(await acceptInvitation(user, token)).toEqual({
      ok: false,
      status: 409,
      message: 'You are already a member of Acme.',
    });
    expect(await roleOf(workspaceId, user.id)).toBe('admin');
  });

  it('refuses to invite or admit past the plan’s seat limit, and admits once a seat frees up', async () => {
    // Team allows 25 seats: 24 members and one invited fill it.
    const full = await teamSubscriber(24);
    const workspaceId = full.workspace.id;
    const owner = full.owner;
    const email = invitee();
    const { token } = await invite(owner, workspaceId, email);
    expect(await inviteMember(owner, workspaceId, invitee(), 'member', randomUUID())).toEqual({
      ok: false,
      status: 409,
      message: SEATS_FULL,
    });
    const squatter = await join(workspaceId);
    const user = await userWithEmail(email);
    const before = await seatVersion(workspaceId);
    expect(await acceptInvitation(user, token)).toEqual({ ok: false, status: 409, message: SEATS_FULL });
    expect(await roleOf(workspaceId, user.id)).toBeNull();
    expect(await seatVersion(workspaceId)).toBe(before);
    await leave(workspaceId, squatter);
    expect(await acceptInvitation(user, token)).toMatchObject({ ok: true });
    expect(await db.membership.count({ where: { workspaceId } })).toBe(25);
  });

  it('makes one membership of the same link used five times at once', async () => {
    const { owner, workspaceId } = await team();
    const email = invitee();
    const { token } = await invite(owner, workspaceId, email);
    const user = await userWithEmail(email);
    const before = await seatVersion(workspaceId);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => acceptInvitation(user, token)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(
      Array(4).fill({ ok: false, status: 409, message: USED_LINK }),
    );
    expect(await db.membership.count({ where: { workspaceId } })).toBe(2);
    expect(await seatVersion(workspaceId)).toBe(before + 1);
  });

  it('makes 10 memberships of 10 invitations accepted at once, each telling the seat code once', async () => {
    const { owner, workspaceId } = await team();
    const invited = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const email = invitee();
        const { token } = await invite(owner, workspaceId, email);
        return { user: await userWithEmail(email), token };
      }),
    );
    const before = await seatVersion(workspaceId);
    const results = await Promise.all(invited.map(({ user, token }) => acceptInvitation(user, token)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await db.membership.count({ where: { workspaceId } })).toBe(11);
    // Each acceptance told the seat code once (lib/jobs/seats.int.test.ts bills such a burst).
    expect(await seatVersion(workspaceId)).toBe(before + 10);
  });
});

describe('accepting by signing up', () => {
  it('creates the invited account, verified, with the password given, and joins', async () => {
    const { owner, workspaceId } = await team('Acme');
    const email = invitee();
    const { token } = await invite(owner, workspaceId, email);
    expect(await viewInvitation(token)).toMatchObject({ ok: true, accountExists: false });
    const accepted = await acceptBySigningUp(token, { name: 'New Person', password: 'a long test password' });
    expect(accepted).toMatchObject({ ok: true, workspaceId, email });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.name).toBe('New Person');
    expect(user.emailVerified).not.toBeNull();
    expect(await verifyPassword(user.passwordHash!, 'a long test password')).toBe(true);
    expect(await roleOf(workspaceId, user.id)).toBe('member');
    // Their own personal workspace came with the account.
    expect(await db.workspace.count({ where: { personalOfId: user.id } })).toBe(1);
    expect(await acceptBySigningUp(token, { password: 'another long password' })).toEqual({
      ok: false,
      status: 409,
      message: USED_LINK,
    });
  });

  it('sends an existing address to sign in instead, creating nothing', async () => {
    const { owner, workspaceId } = await team();
    const email = invitee();
    const { token } = await invite(owner, workspaceId, email);
    const existing = await userWithEmail(email);
    expect(await acceptBySigningUp(token, { password: 'a long test password' })).toEqual({
      ok: false,
      status: 409,
      message: ACCOUNT_EXISTS(email),
    });
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect(await roleOf(workspaceId, existing.id)).toBeNull();
    expect(await acceptBySigningUp('made-up-token', { password: 'a long test password' })).toEqual({
      ok: false,
      status: 404,
      message: INVALID_LINK,
    });
  });

  it('creates one account when the sign-up form is sent twice at once', async () => {
    const { owner, workspaceId } = await team();
    const email = invitee();
    const { token } = await invite(owner, workspaceId, email);
    const results = await Promise.all(
      [1, 2].map(() => acceptBySigningUp(token, { password: 'a long test password' })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect(await db.membership.count({ where: { workspaceId } })).toBe(2);
  });
});

// The seat limit of a per-seat plan (issue #16), through the members code and the real seat
// module: invitations stop at the limit, and two invitees racing for the last seat cannot both
// get it (the check runs in the acceptance's transaction, under the workspace lock).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { join, teamSubscriber } from '@/lib/testing/seats';
import { inviteAndReadLink, inviteeEmail, userWithEmail } from '@/lib/testing/workspaces';
import { acceptInvitation } from '@/lib/workspaces/accept';
import { inviteMember, SEATS_FULL } from '@/lib/workspaces/invitations';

describe('the seat limit', () => {
  it('stops invitations at the limit and lets one of two invitees take the last seat', async () => {
    // Team allows 25 seats: 23 members and two invitations out fill it.
    const team = await teamSubscriber(23);
    const workspaceId = team.workspace.id;
    const [a, b] = [inviteeEmail(), inviteeEmail()];
    const first = await inviteAndReadLink(team.owner, workspaceId, a);
    const second = await inviteAndReadLink(team.owner, workspaceId, b);
    expect(await inviteMember(team.owner, workspaceId, inviteeEmail(), 'member', randomUUID())).toEqual({
      ok: false,
      status: 409,
      message: SEATS_FULL,
    });
    // Someone joins another way: one seat is left for two invitees, who accept at the same moment.
    await join(workspaceId);
    const [userA, userB] = await Promise.all([userWithEmail(a), userWithEmail(b)]);
    const results = await Promise.all([
      acceptInvitation(userA, first.token),
      acceptInvitation(userB, second.token),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, status: 409, message: SEATS_FULL }]);
    expect(await db.membership.count({ where: { workspaceId } })).toBe(25);
  });
});

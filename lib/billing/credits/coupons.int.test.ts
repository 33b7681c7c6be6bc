// A coupon is once per person and once per workspace (ADR 0024): making workspaces does not
// reopen it, and a workspace does not collect it once per member.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { addMember, createUser, createWorkspace, workspaceBalance } from '@/lib/testing/fixtures';
import { redeemCoupon } from './coupons';

async function coupon(credits = 500) {
  const code = `WS-${randomUUID().slice(0, 8)}`.toUpperCase();
  await db.coupon.create({ data: { code, credits, maxRedemptions: 100 } });
  return code;
}

describe('coupons with workspaces', () => {
  it('a user who redeemed one gets nothing more by making a workspace', async () => {
    const user = await createUser();
    const code = await coupon();
    expect(await redeemCoupon({ workspaceId: user.workspaceId, userId: user.id }, code)).toMatchObject({
      ok: true,
      balance: 500,
    });
    const team = await createWorkspace([[user.id, 'owner']]);
    expect(await redeemCoupon({ workspaceId: team.id, userId: user.id }, code)).toEqual({
      ok: false,
      message: 'You have already redeemed this coupon.',
    });
    expect(await workspaceBalance(team.id)).toBe(0);
  });

  it('a workspace collects it once, whichever members try, even at once', async () => {
    const owner = await createUser();
    const members = await Promise.all([createUser(), createUser(), createUser()]);
    for (const m of members) await addMember(owner.workspaceId, m.id, 'member');
    const code = await coupon();
    const people = [owner, ...members];
    const results = await Promise.all(
      people.map((u) => redeemCoupon({ workspaceId: owner.workspaceId, userId: u.id }, code)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.message)).toEqual(
      Array(3).fill('This workspace has already redeemed this coupon.'),
    );
    expect(await workspaceBalance(owner.workspaceId)).toBe(500);
    expect((await db.coupon.findUniqueOrThrow({ where: { code } })).redemptionCount).toBe(1);
    // A member whose try lost may still redeem it for their own personal workspace (whoever won
    // has redeemed it: once per person).
    const loser = people.find((u, i) => u !== owner && !results[i]!.ok)!;
    expect(await redeemCoupon({ workspaceId: loser.workspaceId, userId: loser.id }, code)).toMatchObject({
      ok: true,
    });
    const winner = people.find((_, i) => results[i]!.ok)!;
    expect(await redeemCoupon({ workspaceId: winner.workspaceId, userId: winner.id }, code)).toEqual({
      ok: false,
      message: 'You have already redeemed this coupon.',
    });
  });
});

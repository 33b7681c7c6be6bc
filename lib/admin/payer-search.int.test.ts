import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listPayments } from '@/lib/admin/queries';
import { db } from '@/lib/db';
import { addMember, createUser, createWorkspace } from '@/lib/testing/fixtures';

// The payer search reads a membership's `payerEmail`, which triggers keep equal to the member's
// email while their role pays (owner, billing). If it drifts, finance staff search for a payer
// and find nothing, or find a workspace someone no longer pays for.

const ROLES = ['owner', 'admin', 'billing', 'member'] as const;
type Role = (typeof ROLES)[number];

async function drift(workspaceId: string) {
  return db.$queryRaw<Array<{ userId: string }>>`
    SELECT m."userId" FROM "Membership" m JOIN "User" u ON u.id = m."userId"
    WHERE m."workspaceId" = ${workspaceId}
      AND m."payerEmail" IS DISTINCT FROM (CASE WHEN m.role IN ('owner', 'billing') THEN u.email END)`;
}

async function paymentIn(workspaceId: string) {
  return db.payment.create({
    data: { workspaceId, kind: 'credits', amount: 500, status: 'completed' },
    select: { id: true },
  });
}

const found = async (q: string) => (await listPayments({ q }, null)).data.map((p) => p.id);

describe('payer search by email', () => {
  it("finds a workspace's payments by its owner's or billing member's email, never by a plain member's", async () => {
    const tag = randomUUID().slice(0, 8);
    const [owner, billing, member] = await Promise.all([createUser(), createUser(), createUser()]);
    for (const [u, who] of [
      [owner, 'own'],
      [billing, 'bill'],
      [member, 'mem'],
    ] as const)
      await db.user.update({ where: { id: u.id }, data: { email: `${who}-${tag}@example.com` } });
    const team = await createWorkspace([
      [owner.id, 'owner'],
      [billing.id, 'billing'],
      [member.id, 'member'],
    ]);
    const payment = await paymentIn(team.id);

    expect(await found(`own-${tag}`)).toEqual([payment.id]);
    expect(await found(`BILL-${tag}`)).toEqual([payment.id]);
    expect(await found(`mem-${tag}`)).toEqual([]);

    // Roles change: the demoted billing member no longer finds it; the promoted member does.
    await db.membership.update({
      where: { workspaceId_userId: { workspaceId: team.id, userId: billing.id } },
      data: { role: 'member' },
    });
    await db.membership.update({
      where: { workspaceId_userId: { workspaceId: team.id, userId: member.id } },
      data: { role: 'billing' },
    });
    expect(await found(`bill-${tag}`)).toEqual([]);
    expect(await found(`mem-${tag}`)).toEqual([payment.id]);

    // The owner changes their email: the old one no longer finds the payment, the new one does.
    await db.user.update({ where: { id: owner.id }, data: { email: `renamed-${tag}@example.com` } });
    expect(await found(`own-${tag}`)).toEqual([]);
    expect(await found(`renamed-${tag}`)).toEqual([payment.id]);
    expect(await drift(team.id)).toEqual([]);
  });

  it('keeps payerEmail equal to the paying members’ emails over any sequence of joins, role changes, email changes and removals (property)', async () => {
    const users = await Promise.all([createUser(), createUser(), createUser()]);
    const team = await createWorkspace([[users[0]!.id, 'owner']]);
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('role' as const),
        who: fc.nat(2),
        role: fc.constantFrom<Role>(...ROLES),
      }),
      fc.record({ kind: fc.constant('email' as const), who: fc.nat(2) }),
      fc.record({ kind: fc.constant('remove' as const), who: fc.nat(2) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
        for (const s of steps) {
          const userId = users[s.who]!.id;
          const key = { workspaceId_userId: { workspaceId: team.id, userId } };
          if (s.kind === 'role')
            await db.membership.upsert({
              where: key,
              create: { workspaceId: team.id, userId, role: s.role },
              update: { role: s.role },
            });
          else if (s.kind === 'email')
            await db.user.update({ where: { id: userId }, data: { email: `e-${randomUUID()}@example.com` } });
          else await db.membership.deleteMany({ where: { workspaceId: team.id, userId } });
        }
        expect(await drift(team.id)).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });

  it('an email change racing a new billing membership still leaves the new email on it', async () => {
    for (let round = 0; round < 10; round += 1) {
      const [owner, joiner] = await Promise.all([createUser(), createUser()]);
      const team = await createWorkspace([[owner.id, 'owner']]);
      await Promise.all([
        db.user.update({ where: { id: joiner.id }, data: { email: `race-${randomUUID()}@example.com` } }),
        addMember(team.id, joiner.id, 'billing'),
      ]);
      expect(await drift(team.id)).toEqual([]);
    }
  });
});

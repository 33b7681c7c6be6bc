import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reconcileAll } from '@/lib/billing/reconcile';
import { db } from '@/lib/db';
import { stripe } from '@/lib/billing/stripe';
import { createUser, priceId } from '@/lib/testing/fixtures';
import { clearJobQueue, jobByKey, startTestWorker, waitFor } from '@/lib/testing/jobs';
import { join, seatInvoices, stripeSeats, teamSubscriber } from '@/lib/testing/seats';
import { catchUp } from '@/lib/testing/webhooks';
import { previewSeatChange } from '@/lib/workspaces/seat-preview';
import { acceptInvitation } from '@/lib/workspaces/accept';
import { hashToken, SEATS_FULL } from '@/lib/workspaces/invitations';
import { seatJobKey } from '@/lib/workspaces/seats';

// Seat sync through real graphile-worker workers: the job key coalesces a burst, the queue per
// workspace keeps runs serial, and reconcile queues the same job for a quantity that drifted.

type Runner = Awaited<ReturnType<typeof startTestWorker>>;
const runners: Runner[] = [];
beforeAll(clearJobQueue);
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

/** A user invited to the workspace, and the token of their emailed link. */
async function invitee(workspaceId: string) {
  const user = await createUser();
  const token = randomBytes(32).toString('base64url');
  await db.invitation.create({
    data: {
      workspaceId,
      email: user.email,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  return { user, token };
}

/** Until no seat job of this workspace is waiting or running. */
async function settled(workspaceId: string) {
  await waitFor(async () => !(await jobByKey(seatJobKey(workspaceId))), 60_000, 'the seat sync');
  // A job replaced while it ran loses its key; wait for every job on the workspace's queue.
  await waitFor(
    async () =>
      (
        await db.$queryRaw<Array<{ n: number }>>`
          SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE queue_name = ${seatJobKey(workspaceId)}`
      )[0]!.n === 0,
    60_000,
    'the workspace queue to drain',
  );
}

describe('seat sync jobs', () => {
  it('10 simultaneous invitation acceptances end at 11 seats, billed for 10 seats once', async () => {
    const team = await teamSubscriber(1);
    await team.advanceDays(10);
    const tenSeats = await previewSeatChange(team.workspace.id, 10);
    expect(tenSeats).toMatchObject({ seatsNow: 1, seatsAfter: 11 });
    runners.push(await startTestWorker(), await startTestWorker());
    const invited = await Promise.all(Array.from({ length: 10 }, () => invitee(team.workspace.id)));
    const results = await Promise.all(invited.map(({ user, token }) => acceptInvitation(user, token)));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(await db.membership.count({ where: { workspaceId: team.workspace.id } })).toBe(11);
    await settled(team.workspace.id);
    expect(await stripeSeats(team.subscription.id)).toBe(11);
    // However the burst was cut into runs, the charges add up to 10 prorated seats (a cent of
    // rounding per line at most): nothing was billed twice.
    const invoices = await seatInvoices(team.subscription.id);
    expect(invoices.length).toBeGreaterThanOrEqual(1);
    expect(invoices.length).toBeLessThanOrEqual(10);
    const charged = invoices.reduce((sum, i) => sum + i.amount_paid, 0);
    expect(Math.abs(charged - tenSeats!.dueNow)).toBeLessThanOrEqual(2 * invoices.length);
    await catchUp(team.customer.id);
    expect(await db.subscription.findUnique({ where: { id: team.subscription.id } })).toMatchObject({
      quantity: 11,
    });
  });

  it('simultaneous acceptances stop at the seat limit: the last seats go to the first, the rest are refused', async () => {
    const team = await teamSubscriber(23); // the Team limit is 25
    const invited = await Promise.all(Array.from({ length: 5 }, () => invitee(team.workspace.id)));
    const results = await Promise.all(invited.map(({ user, token }) => acceptInvitation(user, token)));
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.message)).toEqual([
      SEATS_FULL,
      SEATS_FULL,
      SEATS_FULL,
    ]);
    expect(await db.membership.count({ where: { workspaceId: team.workspace.id } })).toBe(25);
    runners.push(await startTestWorker());
    await settled(team.workspace.id);
    expect(await stripeSeats(team.subscription.id)).toBe(25);
  });

  it('a burst of joins while no worker runs is one job and one Stripe update', async () => {
    const team = await teamSubscriber(2);
    await team.advanceDays(4);
    for (let i = 0; i < 6; i += 1) await join(team.workspace.id);
    const pending = await db.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE queue_name = ${seatJobKey(team.workspace.id)}`;
    expect(pending[0]!.n).toBe(1);
    runners.push(await startTestWorker());
    await settled(team.workspace.id);
    expect(await stripeSeats(team.subscription.id)).toBe(8);
    expect(await seatInvoices(team.subscription.id)).toHaveLength(1);
  });

  it('a switch to the per-seat plan outside the app (the portal) is brought to the member count', async () => {
    const team = await teamSubscriber(3, 'pro_monthly');
    expect(await stripeSeats(team.subscription.id)).toBe(3);
    const item = team.subscription.items.data[0]!;
    await stripe().subscriptions.update(team.subscription.id, {
      items: [{ id: item.id, price: await priceId('team_monthly'), quantity: 1 }],
      proration_behavior: 'none',
    });
    runners.push(await startTestWorker());
    await catchUp(team.customer.id); // the mirror sees 1 seat for 3 members and queues the sync
    await settled(team.workspace.id);
    expect(await stripeSeats(team.subscription.id)).toBe(3);
  });

  it('reconcile repairs a quantity that differs from the member count', async () => {
    const team = await teamSubscriber(2);
    // Two members added behind the sync's back (a restore, a hand-made row): nothing was queued.
    for (let i = 0; i < 2; i += 1) {
      const user = await createUser();
      await db.membership.create({ data: { workspaceId: team.workspace.id, userId: user.id } });
    }
    expect(await jobByKey(seatJobKey(team.workspace.id))).toBeNull();
    const { changes } = await reconcileAll();
    expect(changes).toContain(`seats of ${team.subscription.id}: 2 billed, 4 expected (sync queued)`);
    runners.push(await startTestWorker());
    await settled(team.workspace.id);
    expect(await stripeSeats(team.subscription.id)).toBe(4);
    await catchUp(team.customer.id);
    const again = await reconcileAll();
    expect(again.changes.filter((c) => c.startsWith('seats of'))).toEqual([]);
  });
});

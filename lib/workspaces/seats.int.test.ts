import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billedSeats, planByKey, seatRulesOf } from '@/lib/billing/catalog';
import { startSubscriptionCheckout } from '@/lib/billing/checkout';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { actorOf, createUser } from '@/lib/testing/fixtures';
import { join, leave, seatInvoices, stripeSeats, teamSubscriber } from '@/lib/testing/seats';
import { catchUp } from '@/lib/testing/webhooks';
import { previewSeatChange } from './seat-preview';
import { memberCount, pushSeatQuantity, seatLimitReached, syncSeats } from './seats';

// The seat sync as the `sync_seats` job runs it, against the emulator and a real database
// (lib/jobs/seats.int.test.ts runs it through real workers).

const TEAM = seatRulesOf(planByKey('team'))!;

describe('seat sync', () => {
  it('a join bills the new seat at once (always_invoice), exactly what the preview showed', async () => {
    const team = await teamSubscriber(2);
    await team.advanceDays(10);
    const preview = await previewSeatChange(team.workspace.id, 1);
    expect(preview).toMatchObject({ planName: 'Team', seatsNow: 2, seatsAfter: 3, perSeat: 1_200 });
    expect(preview!.dueNow).toBeGreaterThan(0);
    expect(preview!.dueNow).toBeLessThan(1_200); // a prorated part of one seat
    expect(preview!.nextAmount).toBe(3 * 1_200);

    await join(team.workspace.id);
    expect(await syncSeats(team.workspace.id)).toBe(`${team.subscription.id} seats 2 → 3`);
    expect(await stripeSeats(team.subscription.id)).toBe(3);
    const [invoice, ...more] = await seatInvoices(team.subscription.id);
    expect(more).toEqual([]);
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: preview!.dueNow });

    // The mirror follows through the webhook; a second run finds nothing to do and bills nothing.
    await catchUp(team.customer.id);
    expect(await db.subscription.findUnique({ where: { id: team.subscription.id } })).toMatchObject({
      quantity: 3,
    });
    expect(await syncSeats(team.workspace.id)).toBe(`${team.subscription.id} already has 3 seats`);
    expect(await seatInvoices(team.subscription.id)).toHaveLength(1);
  });

  it.each(['create_prorations', 'none'] as const)(
    'with %s the preview and the sync bill nothing now; the next invoice carries the change',
    async (proration) => {
      const team = planByKey('team')!;
      const saved = team.perSeat!;
      team.perSeat = { ...saved, proration };
      try {
        const subscriber = await teamSubscriber(2);
        await subscriber.advanceDays(10);
        const preview = await previewSeatChange(subscriber.workspace.id, 1);
        expect(preview).toMatchObject({ proration, seatsNow: 2, seatsAfter: 3, dueNow: 0 });
        if (proration === 'none') expect(preview).toMatchObject({ proratedOnNext: 0, nextAmount: 3 * 1_200 });
        else {
          expect(preview!.proratedOnNext).toBeGreaterThan(0);
          expect(preview!.nextAmount).toBe(3 * 1_200 + preview!.proratedOnNext);
        }
        await join(subscriber.workspace.id);
        await syncSeats(subscriber.workspace.id);
        expect(await stripeSeats(subscriber.subscription.id)).toBe(3);
        expect(await seatInvoices(subscriber.subscription.id)).toEqual([]);
        const upcoming = await stripe().invoices.createPreview({
          customer: subscriber.customer.id,
          subscription: subscriber.subscription.id,
        });
        expect(upcoming.amount_due).toBe(preview!.nextAmount);
      } finally {
        team.perSeat = saved;
      }
    },
  );

  it('a burst of joins before the job runs is one update to the final count', async () => {
    const team = await teamSubscriber(1);
    await team.advanceDays(3);
    for (let i = 0; i < 5; i += 1) await join(team.workspace.id);
    await syncSeats(team.workspace.id);
    expect(await stripeSeats(team.subscription.id)).toBe(6);
    expect(await seatInvoices(team.subscription.id)).toHaveLength(1);
  });

  it('reads the count when it runs: a late or duplicate job after a leave never restores a seat', async () => {
    const team = await teamSubscriber(2);
    const joined = await join(team.workspace.id);
    await leave(team.workspace.id, joined); // both jobs of this pair run after the leave
    expect(await syncSeats(team.workspace.id)).toMatch(/already has 2 seats/);
    expect(await syncSeats(team.workspace.id)).toMatch(/already has 2 seats/);
    expect(await stripeSeats(team.subscription.id)).toBe(2);
  });

  it('reaching a quantity again after a leave is a new change, not a replay of the first', async () => {
    const team = await teamSubscriber(2);
    await team.advanceDays(5);
    const first = await join(team.workspace.id);
    await syncSeats(team.workspace.id);
    await leave(team.workspace.id, first);
    await syncSeats(team.workspace.id);
    expect(await stripeSeats(team.subscription.id)).toBe(2);
    await join(team.workspace.id);
    // Same from (2) and to (3) as the first change: only the membership version tells them apart.
    await syncSeats(team.workspace.id);
    expect(await stripeSeats(team.subscription.id)).toBe(3);
  });

  it('a retried update (same change, same key) is one Stripe update and one invoice', async () => {
    const team = await teamSubscriber(2);
    await team.advanceDays(7);
    const itemId = team.subscription.items.data[0]!.id;
    const change = {
      subscriptionId: team.subscription.id,
      itemId,
      from: 2,
      to: 4,
      version: 99,
      proration: TEAM.proration,
    };
    const first = await pushSeatQuantity(stripe(), change);
    const again = await pushSeatQuantity(stripe(), change);
    expect(again.latest_invoice).toEqual(first.latest_invoice);
    expect(await stripeSeats(team.subscription.id)).toBe(4);
    expect(await seatInvoices(team.subscription.id)).toHaveLength(1);
    // A job that crashed after its update runs again: Stripe already has the count, nothing is sent.
    await join(team.workspace.id);
    await join(team.workspace.id);
    expect(await syncSeats(team.workspace.id)).toMatch(/already has 4 seats/);
    expect(await seatInvoices(team.subscription.id)).toHaveLength(1);
  });

  it('stops at the plan’s seat limit and blocks acceptances and invitations beyond it', async () => {
    const limit = TEAM.maxSeats!;
    const team = await teamSubscriber(limit - 1);
    expect(await seatLimitReached(team.workspace.id)).toBe(false);
    await db.invitation.create({
      data: {
        workspaceId: team.workspace.id,
        email: 'last@example.com',
        tokenHash: `seat-limit-${team.workspace.id}`,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    // One seat left and one invitation out: no more invitations, but the invitee may still accept.
    expect(await seatLimitReached(team.workspace.id, { for: 'invite' })).toBe(true);
    expect(await seatLimitReached(team.workspace.id, { for: 'accept' })).toBe(false);
    await join(team.workspace.id);
    expect(await db.$transaction((tx) => seatLimitReached(team.workspace.id, { tx }))).toBe(true);
    // Members added past the limit some other way are never billed beyond it.
    await join(team.workspace.id);
    await syncSeats(team.workspace.id);
    expect(await stripeSeats(team.subscription.id)).toBe(limit);
  });

  it('checkout starts the per-seat plan with a seat per member, a flat plan with one', async () => {
    const user = await createUser();
    const personal = await db.workspace.findUniqueOrThrow({ where: { personalOfId: user.id } });
    for (let i = 0; i < 2; i += 1) {
      const member = await createUser();
      await db.membership.create({ data: { workspaceId: personal.id, userId: member.id } });
    }
    const quantityOf = async (lookupKey: string) => {
      const { url } = await startSubscriptionCheckout(actorOf(user), lookupKey);
      const session = /cs_test_[A-Za-z0-9]+/.exec(url)![0];
      return (await stripe().checkout.sessions.listLineItems(session)).data[0]!.quantity;
    };
    expect(await quantityOf('team_monthly')).toBe(3);
    expect(await quantityOf('pro_monthly')).toBe(1);
  });

  it('leaves flat plans and workspaces without a subscription alone', async () => {
    const user = await createUser();
    const personal = await db.workspace.findUniqueOrThrow({ where: { personalOfId: user.id } });
    expect(await syncSeats(personal.id)).toBe('no per-seat subscription');
    expect(await seatLimitReached(personal.id)).toBe(false);
    expect(await previewSeatChange(personal.id, 1)).toBeNull();
  });

  it('property: any interleaving of joins, leaves and (concurrent) syncs ends at the clamped member count', async () => {
    const team = await teamSubscriber(1);
    await team.advanceDays(2);
    const ws = team.workspace.id;
    const joined: string[] = [];
    type Step = { kind: 'join' } | { kind: 'leave'; pick: number } | { kind: 'sync' } | { kind: 'race' };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.constant({ kind: 'join' as const }),
      fc.nat(50).map((pick) => ({ kind: 'leave' as const, pick })),
      fc.constant({ kind: 'sync' as const }),
      fc.constant({ kind: 'race' as const }),
    );
    const leaveOne = async (pick: number) => {
      if (!joined.length) return;
      const [userId] = joined.splice(pick % joined.length, 1);
      await leave(ws, userId!);
    };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        for (const s of steps) {
          if (s.kind === 'join') joined.push(await join(ws));
          else if (s.kind === 'leave') await leaveOne(s.pick);
          else if (s.kind === 'sync') await syncSeats(ws);
          // Two syncs racing a membership change: the advisory lock serialises the syncs.
          else await Promise.all([syncSeats(ws), (async () => joined.push(await join(ws)))(), syncSeats(ws)]);
        }
        await syncSeats(ws); // the job the last change scheduled
        const { members } = await memberCount(ws);
        expect(await stripeSeats(team.subscription.id)).toBe(billedSeats(members, TEAM));
      }),
      { numRuns: Number(process.env.PROPS_RUNS ?? 12) },
    );
  });
});

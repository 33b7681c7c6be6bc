// Contract: https://docs.stripe.com/billing/revenue-recovery/smart-retries: Smart Retries is the
// default; "The recommended default is 8 tries within 2 weeks", configurable to a number of
// tries within 1 week, 2 weeks, 3 weeks, 1 month or 2 months.
import { describe, expect, it } from 'vitest';
import {
  advance,
  DAY,
  eventsOf,
  expectEvents,
  period,
  settle,
  harnessWithCatalog,
  basicOnClock,
  setDefaultCard,
  HOUR,
} from './billing-helpers';

const { h, plans } = harnessWithCatalog();

/** A Basic subscriber on a test clock whose renewal fails on `card`, advanced to just past it. */
async function failedRenewal(card: string) {
  const { clock, customer, sub } = await basicOnClock(h, plans);
  await setDefaultCard(h, customer.id, card);
  const { end } = period(sub);
  // The renewal draft is finalized and charged an hour after the period end.
  const first = end + HOUR;
  await advance(h, clock, first - clock.frozen_time + 60);
  const invoice = await h.stripe.invoices.retrieve(
    String((await h.stripe.subscriptions.retrieve(sub.id)).latest_invoice),
  );
  return { clock, sub, invoice, first };
}

describe('Smart Retries (the default retry policy)', () => {
  it('retries 8 times within 2 weeks of the failure, with next_payment_attempt set each time, then cancels', async () => {
    expect((await h.post('/_emulator/settings', {})).body).toMatchObject({
      dunning_retry_policy: 'smart',
      smart_retry_count: 8,
      smart_retry_window_days: 14,
    });
    const { clock, sub, invoice, first } = await failedRenewal('pm_card_chargeCustomerFail');
    const step = (14 * DAY) / 8;
    expect(invoice).toMatchObject({
      status: 'open',
      attempt_count: 1,
      next_payment_attempt: first + Math.round(step),
    });
    expect((await h.stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');
    await settle(h);

    const seen: Array<number | null> = [];
    for (let retry = 1; retry <= 8; retry++) {
      await advance(h, clock, Math.ceil(step));
      const now = await h.stripe.invoices.retrieve(invoice.id);
      expect(now.attempt_count).toBe(1 + retry);
      seen.push(now.next_payment_attempt);
    }
    // Each retry names the next one; the last, two weeks after the failure, names none.
    expect(seen).toEqual(
      [2, 3, 4, 5, 6, 7, 8, null].map((n) => (n === null ? null : first + Math.round(n * step))),
    );
    const canceled = await h.stripe.subscriptions.retrieve(sub.id);
    expect(canceled).toMatchObject({
      status: 'canceled',
      ended_at: first + 14 * DAY,
      cancellation_details: { reason: 'payment_failed' },
    });
    const events = await expectEvents(h, [
      'test_helpers.test_clock.advancing',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'customer.subscription.deleted',
      'test_helpers.test_clock.ready',
    ]);
    expect(eventsOf(events, 'invoice.payment_failed').map((e) => e.data.object.attempt_count)).toEqual([
      2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('follows the configured number of tries and window (3 within 1 week)', async () => {
    await h.post('/_emulator/settings', { smart_retry_count: 3, smart_retry_window_days: 7 });
    const { clock, sub, invoice, first } = await failedRenewal('pm_card_chargeCustomerFail');
    expect(invoice.next_payment_attempt).toBe(first + Math.round((7 * DAY) / 3));
    await advance(h, clock, 7 * DAY + 60);
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      attempt_count: 4,
      next_payment_attempt: null,
    });
    expect((await h.stripe.subscriptions.retrieve(sub.id)).ended_at).toBe(first + 7 * DAY);
  });

  it('refuses settings the Dashboard does not offer', async () => {
    for (const body of [
      { smart_retry_window_days: 10 },
      { smart_retry_count: 9 },
      { dunning_retry_policy: 'sometimes' },
    ]) {
      const answer = await h.post('/_emulator/settings', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    expect((await h.post('/_emulator/settings', {})).body).toMatchObject({ smart_retry_count: 8 });
  });
});

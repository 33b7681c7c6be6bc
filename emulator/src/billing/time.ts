import type Stripe from 'stripe';
import type { Op } from '../op';
import { idOf } from '../values';

export const DAY = 24 * 60 * 60;

type Interval = Stripe.Price.Recurring.Interval;

/** Adds whole calendar months in UTC, clamping to the month's last day (Jan 31 + 1 = Feb 28). */
export function addMonths(time: number, months: number): number {
  const date = new Date(time * 1000);
  const day = date.getUTCDate();
  const target = new Date(
    Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth() + months,
      1,
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
    ),
  );
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return Math.floor(target.getTime() / 1000);
}

/** The end of the n-th billing period after `anchor`: counted from the anchor, as Stripe does. */
export function cycleEnd(anchor: number, interval: Interval, count: number, n: number): number {
  switch (interval) {
    case 'day':
      return anchor + n * count * DAY;
    case 'week':
      return anchor + n * count * 7 * DAY;
    case 'month':
      return addMonths(anchor, n * count);
    default:
      return addMonths(anchor, n * count * 12);
  }
}

/** The first period end after `after` on the cycle that starts at `anchor`. */
export function nextCycleEnd(anchor: number, interval: Interval, count: number, after: number): number {
  let n = 1;
  let end = cycleEnd(anchor, interval, count, n);
  while (end <= after) end = cycleEnd(anchor, interval, count, ++n);
  return end;
}

/** The test clock a customer lives on, if any. */
export function testClockOf(
  op: Op,
  customer: string | { id: string } | null | undefined,
): Stripe.TestHelpers.TestClock | null {
  const found = op.store.objects.customer.get(idOf(customer) ?? '');
  const clockId = found ? idOf(found.test_clock) : null;
  return clockId ? (op.store.objects['test_helpers.test_clock'].get(clockId) ?? null) : null;
}

/** Moves the operation onto the customer's time: its test clock's frozen time, if it has one. */
export function enterCustomerTime(
  op: Op,
  customer: string | { id: string } | null | undefined,
): string | null {
  const clock = testClockOf(op, customer);
  if (clock) op.setTime(clock.frozen_time);
  return clock?.id ?? null;
}

export function formatDate(time: number): string {
  return new Date(time * 1000).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

import type { Emulator } from '../emulator';
import type { Op } from '../op';
import { idOf } from '../values';
import type { InvoiceObject, SubscriptionObject } from '../types';
import { activeDiscounts } from './discounts';
import { buildInvoice, itemLine, pendingItems } from './invoice-build';
import { collectInvoice, finalizeInvoice } from './invoices';
import { expireIncomplete, renew } from './lifecycle';
import {
  endSubscription,
  paymentMethodOf,
  periodEndAfter,
  periodLines,
  periodOf,
  saveState,
  stateOf,
} from './subscriptions';
import { DAY } from './time';

/** Something billing does at a point in simulated time. */
interface Due {
  at: number;
  run: (op: Op) => void;
}

const INCOMPLETE_EXPIRY = 23 * 60 * 60;
const TRIAL_NOTICE = 3 * DAY;

function fire(op: Op, sub: SubscriptionObject, key: string): void {
  const state = stateOf(op, sub);
  saveState(op, { ...state, fired: [...state.fired, key] });
}

/** `invoice.upcoming`: a preview (no id) of the invoice the next renewal will create. */
function upcoming(op: Op, sub: SubscriptionObject): void {
  const customer = op.store.objects.customer.get(idOf(sub.customer) ?? '');
  if (!customer) return;
  const { start, end } = periodOf(sub);
  const next = { start: end, end: periodEndAfter(sub, end) };
  const items = pendingItems(op, customer.id, sub.id).map((item) => itemLine(op, item));
  const invoice = buildInvoice(op, {
    customer,
    subscription: sub,
    billing_reason: 'upcoming',
    currency: sub.currency,
    lines: [...periodLines(op, sub, next, false), ...items],
    discounts: activeDiscounts(op, sub.discounts, end),
    period: { start, end },
  });
  const { id: _id, ...preview } = invoice;
  for (const line of preview.lines.data) line.invoice = null;
  preview.next_payment_attempt = end;
  preview.lines.url = `/v1/invoices/upcoming/lines?subscription=${sub.id}`;
  op.emitPreview('invoice.upcoming', preview);
}

function subscriptionWork(op: Op, sub: SubscriptionObject): Due[] {
  const out: Due[] = [];
  const state = stateOf(op, sub);
  if (sub.status === 'incomplete') {
    out.push({ at: sub.created + INCOMPLETE_EXPIRY, run: (o) => expireIncomplete(o, sub) });
    return out;
  }
  if (!['trialing', 'active', 'past_due'].includes(sub.status)) return out;
  const { start, end } = periodOf(sub);
  if (sub.status === 'trialing' && sub.trial_end !== null) {
    const key = `trial_will_end:${sub.trial_end}`;
    if (!state.fired.includes(key)) {
      out.push({
        at: Math.max(sub.trial_start ?? sub.created, sub.trial_end - TRIAL_NOTICE),
        run: (o) => {
          fire(o, sub, key);
          o.emit('customer.subscription.trial_will_end', sub);
        },
      });
    }
  }
  const notice = Math.round(op.emu.billing.settings.upcoming_invoice_days * DAY);
  const key = `upcoming:${end}`;
  if (sub.cancel_at === null && end - notice > start && !state.fired.includes(key)) {
    out.push({
      at: end - notice,
      run: (o) => {
        fire(o, sub, key);
        upcoming(o, sub);
      },
    });
  }
  if (sub.cancel_at !== null && sub.cancel_at < end) {
    out.push({
      at: sub.cancel_at,
      run: (o) => endSubscription(o, sub, sub.cancellation_details?.reason ?? 'cancellation_requested'),
    });
  } else {
    out.push({ at: end, run: (o) => renew(o, sub) });
  }
  return out;
}

/** An automatic retry of a failed invoice payment, with the card on file now. */
function retry(op: Op, invoice: InvoiceObject): void {
  const subId = idOf(invoice.parent?.subscription_details?.subscription ?? null);
  const sub = subId ? op.store.objects.subscription.get(subId) : undefined;
  const customer = op.store.objects.customer.get(idOf(invoice.customer) ?? '');
  const paymentMethod = sub
    ? paymentMethodOf(op, sub)
    : idOf(customer?.invoice_settings.default_payment_method);
  collectInvoice(op, invoice, { paymentMethod: paymentMethod ?? null, offSession: true });
}

/** An auto-advancing draft is finalized an hour after creation, then collected. */
function autoFinalize(op: Op, invoice: InvoiceObject): void {
  invoice.automatically_finalizes_at = null;
  finalizeInvoice(op, invoice);
  if (invoice.status === 'open') retry(op, invoice);
}

function workFor(op: Op, scope: string | null): Due[] {
  const out: Due[] = [];
  for (const sub of op.store.objects.subscription.values()) {
    if (idOf(sub.test_clock) === scope) out.push(...subscriptionWork(op, sub));
  }
  for (const invoice of op.store.objects.invoice.values()) {
    if (idOf(invoice.test_clock) !== scope) continue;
    if (invoice.status === 'draft' && invoice.automatically_finalizes_at !== null) {
      out.push({ at: invoice.automatically_finalizes_at, run: (o) => autoFinalize(o, invoice) });
    }
    if (invoice.status !== 'open' || invoice.next_payment_attempt === null) continue;
    out.push({ at: invoice.next_payment_attempt, run: (o) => retry(o, invoice) });
  }
  return out;
}

/**
 * Runs, in time order, everything billing does for one clock (a test clock's id, or null for
 * customers on the emulator's own clock) between `from` and `until`. Each step runs at its own
 * simulated time, so the objects and events it creates carry that time.
 */
export function runUntil(op: Op, scope: string | null, from: number, until: number): void {
  let floor = from;
  for (let step = 0; step < 10_000; step++) {
    const next = workFor(op, scope).reduce<Due | null>(
      (best, due) => (!best || due.at < best.at ? due : best),
      null,
    );
    if (!next || next.at > until) return;
    floor = Math.max(floor, next.at);
    try {
      op.automatic(floor, () => next.run(op));
    } catch (error) {
      // A bug must not take the emulator down from a timer: log it and stop this round.
      op.emu.log(
        `Billing work for ${scope ?? 'the emulator clock'} failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
      return;
    }
  }
  op.emu.log(`Billing work for ${scope ?? 'the emulator clock'} did not settle after 10000 steps; stopped.`);
}

/** Customers on the emulator's own clock: their billing runs with every tick. */
export function registerScheduler(emu: Emulator): void {
  emu.hooks.ticks.push((op) => {
    const now = op.now();
    // After a start (or restart), work that fell due meanwhile runs at its own due time.
    const from = emu.billing.globalRunUntil ?? 0;
    runUntil(op, null, Math.min(from, now), now);
    emu.billing.globalRunUntil = now;
  });
}

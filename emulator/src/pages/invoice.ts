import { collectInvoice } from '../billing/invoices';
import { paymentIntentOf } from '../billing/lifecycle';
import { formatDate, enterCustomerTime } from '../billing/time';
import type { Emulator } from '../emulator';
import type { Op } from '../op';
import { formatAmount, idOf } from '../values';
import { html, redirect, type HttpCall } from '../router';
import type { InvoiceObject } from '../types';
import { cardFields, cardFromForm, type CardFormState } from './card-form';
import { testCardHelp } from './checkout';
import { escapeHtml as e, layout } from './layout';

const STATUS: Record<string, [string, string]> = {
  open: ['Open', 'warn'],
  paid: ['Paid', 'ok'],
  void: ['Void', ''],
  uncollectible: ['Uncollectible', 'bad'],
};

function invoicePage(op: Op, invoice: InvoiceObject, state: CardFormState & { error?: string }): string {
  const money = (amount: number) => formatAmount(amount, invoice.currency);
  const [label, tone] = STATUS[invoice.status ?? ''] ?? [invoice.status ?? '', ''];
  const lines = invoice.lines.data
    .map((line) => {
      const period =
        line.period.end > line.period.start
          ? `<br><span class="note">${formatDate(line.period.start)} – ${formatDate(line.period.end)}</span>`
          : '';
      return `<tr><td>${e(line.description ?? '')}${period}</td><td class="num">${line.quantity ?? 1}</td><td class="num">${money(line.amount)}</td></tr>`;
    })
    .join('');
  const discounts = (invoice.total_discount_amounts ?? [])
    .filter((d) => d.amount > 0)
    .map((d) => {
      const discount = op.store.objects.discount.get(idOf(d.discount) ?? '');
      const coupon = discount ? op.store.objects.coupon.get(idOf(discount.source.coupon) ?? '') : undefined;
      return `<tr><th scope="row" colspan="2">Discount${coupon?.name ? ` (${e(coupon.name)})` : ''}</th><td class="num">−${money(d.amount)}</td></tr>`;
    })
    .join('');
  const payable = invoice.status === 'open' || invoice.status === 'uncollectible';
  const when =
    invoice.status === 'paid' && invoice.status_transitions.paid_at
      ? `<p>Paid on ${formatDate(invoice.status_transitions.paid_at)}</p>`
      : '';
  const pi = paymentIntentOf(op, invoice);
  const charge = pi?.latest_charge ? op.store.objects.charge.get(idOf(pi.latest_charge) ?? '') : undefined;
  const receipt =
    invoice.status === 'paid' && charge?.receipt_url
      ? `<p><a href="${e(charge.receipt_url)}">View receipt</a></p>`
      : '';
  const alert = state.error ? `<div role="alert">${e(state.error)}</div>` : '';
  const form = payable
    ? `<section aria-labelledby="pay-h"><h2 id="pay-h">Pay this invoice</h2>${alert}
<form method="post" action="/i/${e(invoice.id)}/pay" novalidate>${cardFields(state)}
<button type="submit">Pay ${money(invoice.amount_remaining)}</button></form>${testCardHelp()}</section>`
    : '';
  return layout(
    `Invoice ${invoice.number ?? invoice.id}`,
    `<span class="badge">TEST MODE</span>
<h1>Invoice ${e(invoice.number ?? invoice.id)}</h1>
<p>Status: <span class="pill ${tone}" data-testid="invoice-status">${e(label)}</span></p>
<p class="total">Amount due: <span data-testid="amount-due">${money(invoice.amount_remaining)}</span></p>
${when}${receipt}
<table aria-label="Invoice lines"><thead><tr><th scope="col">Description</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>${lines}</tbody>
<tfoot><tr><th scope="row" colspan="2">Subtotal</th><td class="num">${money(invoice.subtotal)}</td></tr>${discounts}
<tr><th scope="row" colspan="2">Total</th><td class="num total" data-testid="invoice-total">${money(invoice.total)}</td></tr>
<tr><th scope="row" colspan="2">Amount paid</th><td class="num">${money(invoice.amount_paid)}</td></tr>
<tr><th scope="row" colspan="2">Amount remaining</th><td class="num">${money(invoice.amount_remaining)}</td></tr></tfoot></table>
${form}`,
  );
}

const notFound = () => html(layout('Not found', '<h1>No such invoice</h1>'), 404);

function invoiceFor(call: HttpCall): InvoiceObject | null {
  const invoice = call.emu.store.objects.invoice.get(call.params.id ?? '');
  return invoice && invoice.status !== 'draft' ? invoice : null;
}

/** The hosted invoice page (`hosted_invoice_url`): lines, totals, status, and paying an open invoice. */
export function registerInvoicePages(emu: Emulator): void {
  emu.pages.add({
    method: 'GET',
    path: '/i/:id',
    handler: (call) => {
      const invoice = invoiceFor(call);
      if (!invoice) return notFound();
      const failed = call.query.redirect_status === 'failed';
      const error = failed
        ? 'We are unable to authenticate your payment method. Please choose a different payment method and try again.'
        : undefined;
      return html(invoicePage(call.op, invoice, { error }));
    },
  });
  emu.pages.add({
    method: 'POST',
    path: '/i/:id/pay',
    handler: (call) => {
      const invoice = invoiceFor(call);
      if (!invoice) return notFound();
      if (invoice.status !== 'open' && invoice.status !== 'uncollectible')
        return redirect(`/i/${invoice.id}`);
      enterCustomerTime(call.op, invoice.customer);
      const card = cardFromForm(call.op, call.body);
      if ('error' in card)
        return html(invoicePage(call.op, invoice, { ...card.state, error: card.error }), 400);
      const outcome = collectInvoice(call.op, invoice, {
        paymentMethod: card.paymentMethod.id,
        offSession: false,
        returnUrl: `${emu.baseUrl}/i/${invoice.id}`,
      });
      if (outcome.status === 'succeeded') return redirect(`/i/${invoice.id}`);
      if (outcome.status === 'requires_action') return redirect(outcome.url);
      const message = outcome.status === 'failed' ? outcome.error.message : outcome.message;
      return html(invoicePage(call.op, invoice, { ...card.state, error: message }), 402);
    },
  });
}

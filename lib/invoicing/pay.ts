import 'server-only';
import type Stripe from 'stripe';
import { stripeFor, StripeNotConfiguredError, type ConnectedAccount } from '@/lib/billing/connections';
import { BillingError } from '@/lib/billing/errors';
import { retryWhileInFlight, toBillingError } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import type { ClientPaymentStage } from '@/lib/generated/prisma/enums';
import { invoiceNumber } from './inputs';
import { dueNow, mulDivRound } from './money';
import { invoiceByToken } from './service';

// The public pay link: /pay/<token> opens a Checkout Session on the workspace's own Stripe
// account for what is due now (the deposit first, then the balance). The session is made on the
// first click and reused until it is paid or expires. Nothing here changes the invoice's state:
// payments arrive by webhook (events.ts).

/** A session this close to expiring is not handed out again (the client needs time to pay). */
const REUSE_MARGIN_MS = 10 * 60_000;

export function applicationFeeOf(account: ConnectedAccount, amount: number): number | null {
  if (account.via !== 'connect' || !account.applicationFeePercent) return null;
  const fee = mulDivRound(amount, Math.round(account.applicationFeePercent * 100), 10_000);
  return fee > 0 && fee < amount ? fee : null;
}

export const CLIENT_UPSTREAM =
  'The payment page could not be opened. Please try again later, or contact the sender of this invoice.';
export const NOT_PAYABLE = 'This invoice cannot be paid online right now. Please contact the sender.';

async function connected(workspaceId: string) {
  try {
    const client = await stripeFor(workspaceId);
    if (!client.account.chargesEnabled) throw new BillingError(503, NOT_PAYABLE, 'charges not enabled');
    return client;
  } catch (error) {
    if (error instanceof StripeNotConfiguredError) throw new BillingError(503, NOT_PAYABLE, error.message);
    throw toBillingError(error);
  }
}

type Invoice = NonNullable<Awaited<ReturnType<typeof invoiceByToken>>>;

/** The open session still worth reusing, or null (and then a new attempt number is taken). */
async function reusable(stripe: Stripe, invoice: Invoice, stage: ClientPaymentStage, amount: number) {
  if (!invoice.checkoutSessionId) return null;
  const fresh =
    invoice.checkoutStage === stage &&
    !!invoice.checkoutExpiresAt &&
    invoice.checkoutExpiresAt.getTime() - Date.now() > REUSE_MARGIN_MS;
  if (fresh) {
    const session = await stripe.checkout.sessions.retrieve(invoice.checkoutSessionId);
    if (session.status === 'open' && session.amount_total === amount && session.url) return session.url;
    if (session.status === 'complete')
      throw new BillingError(409, 'This payment is being confirmed. Refresh this page in a moment.');
  }
  // Given up: the next session is a new Stripe request (a new idempotency key), taken once
  // however many clicks race here.
  await db.clientInvoice.updateMany({
    where: {
      id: invoice.id,
      checkoutSessionId: invoice.checkoutSessionId,
      checkoutAttempt: invoice.checkoutAttempt,
    },
    data: { checkoutSessionId: null, checkoutUrl: null, checkoutAttempt: { increment: 1 } },
  });
  return null;
}

/** The Checkout URL for what is due now on the invoice behind `token`. */
export async function checkoutUrlFor(token: string): Promise<string> {
  const found = await invoiceByToken(token);
  if (!found) throw new BillingError(404, 'Not found');
  const due = dueNow(found);
  if (!due) throw new BillingError(409, 'This invoice is paid. Thank you!');
  const { stripe, account } = await connected(found.workspaceId);
  try {
    const existing = await reusable(stripe, found, due.stage, due.amount);
    if (existing) return existing;
    const { checkoutAttempt } = await db.clientInvoice.findUniqueOrThrow({
      where: { id: found.id },
      select: { checkoutAttempt: true },
    });
    const metadata = {
      tollgate_client_invoice: found.id,
      tollgate_workspace: found.workspaceId,
      stage: due.stage,
    };
    const fee = applicationFeeOf(account, due.amount);
    const number = invoiceNumber(found.number);
    const page = new URL(`/pay/${token}`, env().APP_URL).toString();
    const session = await retryWhileInFlight(() =>
      stripe.checkout.sessions
        .create(
          {
            mode: 'payment',
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: found.currency,
                  unit_amount: due.amount,
                  product_data: {
                    name: `${number} ${due.stage === 'deposit' ? 'deposit' : found.depositAmount > 0 ? 'balance' : ''}`.trim(),
                  },
                },
              },
            ],
            customer_email: found.client.email,
            client_reference_id: found.id,
            success_url: `${page}?paid=1`,
            cancel_url: page,
            metadata,
            payment_intent_data: {
              metadata,
              description: `${found.workspace.name} ${number}`,
              ...(fee ? { application_fee_amount: fee } : {}),
            },
          },
          { idempotencyKey: `client-invoice-${found.id}-${due.stage}-${due.amount}-${checkoutAttempt}` },
        )
        .catch((error: unknown) => {
          throw toBillingError(error);
        }),
    );
    if (!session.url) throw new BillingError(502, 'The payment page could not be opened. Please try again.');
    await db.clientInvoice.updateMany({
      where: { id: found.id, checkoutAttempt },
      data: {
        checkoutSessionId: session.id,
        checkoutStage: due.stage,
        checkoutUrl: session.url,
        checkoutExpiresAt: new Date(session.expires_at * 1000),
      },
    });
    return session.url;
  } catch (error) {
    const failure = toBillingError(error);
    // The client cannot reconnect the workspace's account: tell them what they can do.
    if (failure.status === 502) throw new BillingError(502, CLIENT_UPSTREAM, failure.message);
    throw failure;
  }
}

/** Expire a void invoice's open session at Stripe, so its page can no longer be paid. */
export async function expireSession(workspaceId: string, sessionId: string): Promise<void> {
  try {
    const { stripe } = await stripeFor(workspaceId);
    await stripe.checkout.sessions.expire(sessionId);
  } catch {
    // Already paid, expired, or the account is gone: the webhook of a late payment still records it.
  }
}

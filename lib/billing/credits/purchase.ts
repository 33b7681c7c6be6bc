import 'server-only';
import { z } from 'zod';
import { idempotencyMismatch } from '@/lib/api/idempotency';
import { CURRENCY, creditPacks, packByKey, type CreditPack } from '@/lib/billing/catalog';
import { type BillingActor, ensureStripeCustomer } from '@/lib/billing/customers';
import { BillingError } from '@/lib/billing/errors';
import { callStripe, retryWhileInFlight } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { formatCount } from '@/lib/format';
import { Prisma, type Payment } from '@/lib/generated/prisma/client';

/** A purchase is a pack from the catalog, or a custom amount within the configured limits. Amounts are whole cents. */
export function purchaseSchema() {
  const { CREDITS_MIN_CENTS, CREDITS_MAX_CENTS } = env();
  const pack = z
    .object({
      pack: z.enum(creditPacks.map((p) => p.key) as [string, ...string[]], { error: 'Unknown credit pack.' }),
    })
    .strict();
  const custom = z
    .object({
      amount: z
        .number({ error: 'amount must be a number of cents.' })
        .int('amount must be a whole number of cents.')
        .min(CREDITS_MIN_CENTS, `amount must be at least ${CREDITS_MIN_CENTS} cents.`)
        .max(CREDITS_MAX_CENTS, `amount must be at most ${CREDITS_MAX_CENTS} cents.`),
      currency: z.literal(CURRENCY, { error: `currency must be "${CURRENCY}".` }),
      description: z.string().trim().max(200, 'description must be at most 200 characters.').optional(),
    })
    .strict();
  return z.union([pack, custom], { error: 'Send either {pack} or {amount, currency, description}.' });
}

export type PurchaseInput = z.infer<ReturnType<typeof purchaseSchema>>;

export { idempotencyKeySchema } from '@/lib/api/idempotency';

interface PurchaseTerms {
  pack: CreditPack | null;
  amount: number;
  description: string;
}

/** What is being bought: a catalog pack, or a validated custom amount (1 credit per cent). */
function termsOf(input: PurchaseInput): PurchaseTerms {
  if ('pack' in input) {
    const pack = packByKey(input.pack)!;
    return { pack, amount: pack.amount, description: pack.name };
  }
  const custom = input as { amount: number; description?: string };
  return {
    pack: null,
    amount: custom.amount,
    description: custom.description || `${formatCount(custom.amount)} credits`,
  };
}

/** The pending Payment for this request: the one its Idempotency-Key already made (even concurrently), or a new one. */
async function pendingPayment(
  { workspace, user }: BillingActor,
  terms: PurchaseTerms,
  flow: 'checkout' | 'intent',
  idempotencyKey?: string,
): Promise<Payment> {
  const byKey = idempotencyKey
    ? { workspaceId_idempotencyKey: { workspaceId: workspace.id, idempotencyKey } }
    : null;
  if (byKey) {
    const existing = await db.payment.findUnique({ where: byKey });
    if (existing) return sameTerms(existing, terms, flow, idempotencyKey!);
  }
  try {
    return await db.payment.create({
      data: {
        workspaceId: workspace.id,
        buyerId: user.id,
        kind: 'credits',
        amount: terms.amount,
        currency: CURRENCY,
        credits: terms.amount,
        packKey: terms.pack?.key ?? null,
        description: terms.description,
        idempotencyKey: idempotencyKey ?? null,
      },
    });
  } catch (error) {
    if (!(byKey && error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'))
      throw error;
    return sameTerms(await db.payment.findUniqueOrThrow({ where: byKey }), terms, flow, idempotencyKey!);
  }
}

/** A key's payment is returned only for the same terms and flow: never the first purchase's money for a second one. */
function sameTerms(
  payment: Payment,
  terms: PurchaseTerms,
  flow: 'checkout' | 'intent',
  key: string,
): Payment {
  const otherFlow =
    flow === 'checkout' ? payment.paymentIntentId && !payment.checkoutSessionId : payment.checkoutSessionId;
  if (
    payment.amount !== terms.amount ||
    payment.packKey !== (terms.pack?.key ?? null) ||
    payment.description !== terms.description ||
    otherFlow
  )
    throw new BillingError(400, String((idempotencyMismatch(key).body as { error: string }).error));
  return payment;
}

export interface PurchaseSession {
  session_id: string;
  url: string | null;
  payment_id: string;
  status: string;
  amount: number;
  credits: number;
  currency: string;
  expires_at: string | null;
}

export function toPurchaseSession(payment: Payment): PurchaseSession {
  return {
    session_id: payment.checkoutSessionId ?? '',
    url: payment.status === 'pending' ? payment.checkoutUrl : null,
    payment_id: payment.id,
    status: payment.status,
    amount: payment.amount,
    credits: payment.credits,
    currency: payment.currency,
    expires_at: payment.expiresAt?.toISOString() ?? null,
  };
}

/**
 * Buy credits: a pending Payment first, then a Checkout Session in payment
 * mode. The amount comes from the catalog or the validated custom amount, never
 * from a price the browser sent. The same Idempotency-Key returns the same
 * payment; Stripe's own idempotency key (the payment id) makes two concurrent
 * requests for one payment get one session.
 */
export async function startCreditPurchase(
  actor: BillingActor,
  input: PurchaseInput,
  idempotencyKey?: string,
): Promise<Payment> {
  const { workspace, user } = actor;
  const terms = termsOf(input);
  const payment = await pendingPayment(actor, terms, 'checkout', idempotencyKey);
  if (payment.checkoutSessionId) return payment;
  const { pack, amount, description } = terms;

  const customer = await ensureStripeCustomer(actor);
  const lineItem = pack
    ? { price: (await resolvePackPrice(pack.lookupKey)).id, quantity: 1 }
    : {
        price_data: { currency: CURRENCY, unit_amount: amount, product_data: { name: description } },
        quantity: 1,
      };
  const appUrl = env().APP_URL;
  const session = await retryWhileInFlight(() =>
    callStripe((s) =>
      s.checkout.sessions.create(
        {
          mode: 'payment',
          customer,
          client_reference_id: workspace.id,
          line_items: [lineItem],
          // Enough to rebuild the Payment row from Stripe alone (npm run stripe:reconcile).
          metadata: {
            payment_id: payment.id,
            workspace_id: workspace.id,
            user_id: user.id,
            credits: String(payment.credits),
            pack: payment.packKey ?? '',
            description,
          },
          payment_intent_data: {
            metadata: { payment_id: payment.id, workspace_id: workspace.id, user_id: user.id },
          },
          success_url: `${appUrl}/credits/success?session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${appUrl}/credits?canceled=1`,
        },
        { idempotencyKey: `credit-checkout-${payment.id}` },
      ),
    ),
  );
  if (session.amount_total !== amount)
    throw new BillingError(
      502,
      'The payment provider returned an unexpected amount.',
      `session ${session.id} total ${session.amount_total} != ${amount}`,
    );
  return db.payment.update({
    where: { id: payment.id },
    data: {
      checkoutSessionId: session.id,
      checkoutUrl: session.url,
      expiresAt: new Date(session.expires_at * 1000),
    },
  });
}

async function resolvePackPrice(lookupKey: string) {
  const prices = await callStripe((s) => s.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 }));
  const price = prices.data[0];
  if (!price)
    throw new BillingError(
      503,
      'This credit pack is not available right now.',
      `no active price with lookup key ${lookupKey} (run npm run stripe:sync)`,
    );
  return price;
}

/**
 * A PaymentIntent for credits, for clients that collect the card with
 * Stripe.js (Elements) instead of hosted checkout. Same validation and
 * idempotency as checkout.
 */
export async function startCreditPaymentIntent(
  actor: BillingActor,
  input: PurchaseInput,
  idempotencyKey?: string,
) {
  const { workspace, user } = actor;
  const terms = termsOf(input);
  let payment = await pendingPayment(actor, terms, 'intent', idempotencyKey);
  if (payment.paymentIntentId)
    return { payment, clientSecret: await clientSecretOf(payment.paymentIntentId) };
  const { amount, description } = terms;
  const customer = await ensureStripeCustomer(actor);
  const intent = await retryWhileInFlight(() =>
    callStripe((s) =>
      s.paymentIntents.create(
        {
          amount,
          currency: CURRENCY,
          customer,
          description,
          allowed_payment_method_types: ['card'],
          metadata: { payment_id: payment.id, workspace_id: workspace.id, user_id: user.id },
        },
        { idempotencyKey: `credit-intent-${payment.id}` },
      ),
    ),
  );
  payment = await db.payment.update({ where: { id: payment.id }, data: { paymentIntentId: intent.id } });
  return { payment, clientSecret: intent.client_secret };
}

async function clientSecretOf(paymentIntentId: string): Promise<string | null> {
  return (await callStripe((s) => s.paymentIntents.retrieve(paymentIntentId))).client_secret;
}

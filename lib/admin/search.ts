import 'server-only';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import type { PaymentKind, PaymentStatus } from '@/lib/generated/prisma/enums';
import type { Cursor } from '@/lib/pagination';

// Back-office search terms. An id is looked up through its own unique index
// (never OR-ed with a text match across a join, which no index can serve);
// anything else is text for the trigram indexes on email and name.

/**
 * What an exact id points at: the user (for a user id) or the workspace (for billing ids) it
 * belongs to and, for payment ids, the payment.
 */
export interface IdHit {
  kind: 'customer' | 'subscription' | 'payment' | 'refund' | 'user';
  userId: string | null;
  workspaceId: string | null;
  paymentId: string | null;
}

const miss = (kind: IdHit['kind']): IdHit => ({ kind, userId: null, workspaceId: null, paymentId: null });

/** Cuids (user and payment ids): `c` and 24 lowercase letters or digits. */
const CUID = /^c[a-z0-9]{20,31}$/;
const STRIPE_ID = /^(cus|sub|pi|cs|in|ch|re)_[A-Za-z0-9_]+$/;

/**
 * The row an exact id names, or null when `term` is not shaped like an id.
 * A well-formed id that matches nothing is a hit with no user, so the list
 * is empty rather than a text search for "pi_123".
 */
export async function findByStripeId(term: string): Promise<IdHit | null> {
  const prefix = STRIPE_ID.exec(term)?.[1];
  const paymentBy = async (
    where:
      | { paymentIntentId: string }
      | { checkoutSessionId: string }
      | { invoiceId: string }
      | { chargeId: string }
      | { id: string },
  ) => {
    const payment = await db.payment.findUnique({ where, select: { id: true, workspaceId: true } });
    return payment
      ? { kind: 'payment' as const, userId: null, workspaceId: payment.workspaceId, paymentId: payment.id }
      : null;
  };
  switch (prefix) {
    case 'cus': {
      const customer = await db.customer.findUnique({ where: { id: term }, select: { workspaceId: true } });
      return customer
        ? { kind: 'customer', userId: null, workspaceId: customer.workspaceId, paymentId: null }
        : miss('customer');
    }
    case 'sub': {
      const sub = await db.subscription.findUnique({ where: { id: term }, select: { workspaceId: true } });
      return sub
        ? { kind: 'customer', userId: null, workspaceId: sub.workspaceId, paymentId: null }
        : miss('subscription');
    }
    case 'pi':
      return (await paymentBy({ paymentIntentId: term })) ?? miss('payment');
    case 'cs':
      return (await paymentBy({ checkoutSessionId: term })) ?? miss('payment');
    case 'in':
      return (await paymentBy({ invoiceId: term })) ?? miss('payment');
    case 'ch':
      return (await paymentBy({ chargeId: term })) ?? miss('payment');
    case 're': {
      const refund = await db.refund.findUnique({
        where: { id: term },
        select: { payment: { select: { id: true, workspaceId: true } } },
      });
      return refund
        ? {
            kind: 'refund',
            userId: null,
            workspaceId: refund.payment.workspaceId,
            paymentId: refund.payment.id,
          }
        : miss('refund');
    }
  }
  if (!CUID.test(term)) return null;
  // A cuid is a user id or a payment id; both are primary keys.
  const [user, payment] = await Promise.all([
    db.user.findUnique({ where: { id: term }, select: { id: true } }),
    paymentBy({ id: term }),
  ]);
  if (payment) return payment;
  return user ? { kind: 'user', userId: user.id, workspaceId: null, paymentId: null } : null;
}

/**
 * Text for an ILIKE '%…%' match served by a trigram index, or null when it is
 * too short to have a trigram (such a match would read the whole table).
 * LIKE's wildcards are escaped so `%` and `_` match themselves.
 */
export function textTerm(term: string): string | null {
  const text = term.trim().slice(0, 100);
  return text.length >= 3 ? text.replace(/[\\%_]/g, (c) => `\\${c}`) : null;
}

// Up to this many payers are found first (trigram index) and their payments
// read with one array parameter; a term matching more is common enough that
// reading payments newest first fills a page within a few hundred rows.
const PAYER_IDS_MAX = 5000;

/**
 * The page of payments whose payer's email contains `text` (escaped by textTerm), as a filter
 * on their ids. A payer is an owner or billing member of the paying workspace; their email is
 * kept on the membership (`payerEmail`, trigram-indexed), so the payers are one index scan
 * rather than every matching user joined to their memberships (22 ms at 2,000 matches). Never
 * the join as written (`members.user.email ILIKE`), which the planner runs as "read payments
 * newest first and probe each payer": lookups per payment until a page matches.
 */
export async function paymentsOfPayers(
  text: string,
  filters: { status?: PaymentStatus; kind?: PaymentKind },
  cursor: Cursor | null,
  take: number,
): Promise<Prisma.PaymentWhereInput> {
  const pattern = `%${text}%`;
  // Timestamps are stored as UTC without a zone (timestamp(3)).
  const at = cursor ? Prisma.sql`(${cursor.at.toISOString()}::timestamptz AT TIME ZONE 'UTC')` : null;
  // One statement: the payers' ids stay in PostgreSQL (an array the planner cannot flatten into
  // a join), so the page is read by the (workspaceId, createdAt, id) index, payer by payer.
  const [found] = await db.$queryRaw<Array<{ payers: number; ids: string[] }>>(Prisma.sql`
    WITH payers AS MATERIALIZED (
      SELECT DISTINCT "workspaceId" AS id FROM "Membership" WHERE "payerEmail" ILIKE ${pattern}
      LIMIT ${PAYER_IDS_MAX + 1}
    )
    SELECT (SELECT count(*)::int FROM payers) AS payers, ARRAY(
      SELECT id FROM "Payment"
      WHERE "workspaceId" = ANY(ARRAY(SELECT id FROM payers))
        ${filters.status ? Prisma.sql`AND status = ${filters.status}::"PaymentStatus"` : Prisma.empty}
        ${filters.kind ? Prisma.sql`AND kind = ${filters.kind}::"PaymentKind"` : Prisma.empty}
        ${at && cursor ? Prisma.sql`AND "createdAt" <= ${at} AND ("createdAt" < ${at} OR id < ${cursor.id})` : Prisma.empty}
      ORDER BY "createdAt" DESC, id DESC
      LIMIT ${take}) AS ids`);
  if (found!.payers > PAYER_IDS_MAX)
    return { workspace: { members: { some: { payerEmail: { contains: text, mode: 'insensitive' } } } } };
  return { id: { in: found!.ids } };
}

import 'server-only';
import { db } from '@/lib/db';

/** Dispute statuses that still need staff: evidence due, or Stripe reviewing it. */
export const OPEN_DISPUTES = [
  'warning_needs_response',
  'needs_response',
  'warning_under_review',
  'under_review',
];

/** Disputes for the back office: open ones first (soonest evidence deadline first), then the latest closed. */
export async function listDisputes(limit = 100) {
  const select = {
    id: true,
    paymentId: true,
    chargeId: true,
    amount: true,
    currency: true,
    status: true,
    reason: true,
    evidenceDueBy: true,
    stripeCreated: true,
    payment: { select: { buyer: { select: { email: true } }, workspace: { select: { name: true } } } },
  } as const;
  const open = await db.dispute.findMany({
    where: { status: { in: OPEN_DISPUTES } },
    orderBy: [{ evidenceDueBy: 'asc' }, { id: 'asc' }],
    take: limit,
    select,
  });
  const closed = await db.dispute.findMany({
    where: { status: { notIn: OPEN_DISPUTES } },
    orderBy: [{ stripeCreated: 'desc' }, { id: 'desc' }],
    take: Math.max(0, limit - open.length),
    select,
  });
  return [...open, ...closed];
}

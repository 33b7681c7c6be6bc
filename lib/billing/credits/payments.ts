import 'server-only';
import { storableText } from '@/lib/api/text';
import { db } from '@/lib/db';
import { type Cursor, newestFirst, seekAfter, toPage } from '@/lib/pagination';

/** The fields of a payment the API and pages show its owner (never the whole row). */
export const paymentView = {
  id: true,
  kind: true,
  status: true,
  amount: true,
  currency: true,
  credits: true,
  description: true,
  amountRefunded: true,
  checkoutSessionId: true,
  paymentIntentId: true,
  failureMessage: true,
  expiresAt: true,
  completedAt: true,
  createdAt: true,
} as const;

/** A workspace's payments, newest first, by keyset on Payment(workspaceId, createdAt, id). */
export async function paymentsPage(workspaceId: string, options: { limit: number; cursor: Cursor | null }) {
  const rows = await db.payment.findMany({
    where: { workspaceId, ...seekAfter('createdAt', options.cursor) },
    orderBy: newestFirst('createdAt'),
    take: options.limit + 1,
    select: paymentView,
  });
  return toPage(rows, options.limit, (p) => p.createdAt);
}

/** One payment, only if it belongs to the workspace (another workspace's id is a 404, not a 403). */
export async function ownPayment(
  workspaceId: string,
  where: { id?: string; checkoutSessionId?: string; paymentIntentId?: string },
) {
  // An id PostgreSQL could not even compare (NUL, lone surrogate) names no payment.
  if (!Object.values(where).every((id) => id === undefined || storableText(id))) return null;
  return db.payment.findFirst({ where: { ...where, workspaceId }, select: paymentView });
}

/**
 * A payment seen from a return page (Stripe's success URL): whichever workspace it belongs to,
 * if the user may see that workspace's billing (owner or billing member). Null otherwise.
 */
export async function paymentForBillingMember(userId: string, where: { checkoutSessionId: string }) {
  if (!storableText(where.checkoutSessionId)) return null;
  return db.payment.findFirst({
    where: {
      ...where,
      workspace: { members: { some: { userId, role: { in: ['owner', 'billing'] } } } },
    },
    select: paymentView,
  });
}

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

/** A user's payments, newest first, by keyset on Payment(userId, createdAt, id). */
export async function paymentsPage(userId: string, options: { limit: number; cursor: Cursor | null }) {
  const rows = await db.payment.findMany({
    where: { userId, ...seekAfter('createdAt', options.cursor) },
    orderBy: newestFirst('createdAt'),
    take: options.limit + 1,
    select: paymentView,
  });
  return toPage(rows, options.limit, (p) => p.createdAt);
}

/** One payment, only if it belongs to the user (another user's id is a 404, not a 403). */
export async function ownPayment(
  userId: string,
  where: { id?: string; checkoutSessionId?: string; paymentIntentId?: string },
) {
  // An id PostgreSQL could not even compare (NUL, lone surrogate) names no payment.
  if (!Object.values(where).every((id) => id === undefined || storableText(id))) return null;
  return db.payment.findFirst({ where: { ...where, userId }, select: paymentView });
}

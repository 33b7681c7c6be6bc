import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { PaymentKind, PaymentStatus, WebhookEventStatus } from '@/lib/generated/prisma/enums';

export const PAGE_SIZE = 25;

async function page<T extends { id: string }>(rows: T[]): Promise<{ data: T[]; nextCursor: string | null }> {
  const hasMore = rows.length > PAGE_SIZE;
  const data = rows.slice(0, PAGE_SIZE);
  return { data, nextCursor: hasMore ? data[data.length - 1]!.id : null };
}

const cursorArgs = (cursor?: string) => ({
  cursor: cursor ? { id: cursor } : undefined,
  skip: cursor ? 1 : 0,
});

export async function searchUsers(q: string | undefined, cursor?: string) {
  const term = q?.trim();
  const where: Prisma.UserWhereInput = term
    ? {
        OR: [
          { email: { contains: term, mode: 'insensitive' } },
          { name: { contains: term, mode: 'insensitive' } },
          { customer: { id: term } },
        ],
      }
    : {};
  return page(
    await db.user.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: PAGE_SIZE + 1,
      ...cursorArgs(cursor),
      select: {
        id: true,
        email: true,
        name: true,
        role: true,
        creditBalance: true,
        createdAt: true,
        customer: { select: { id: true } },
      },
    }),
  );
}

export async function userDetail(id: string) {
  return db.user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      creditBalance: true,
      createdAt: true,
      customer: {
        select: { id: true, entitlements: { select: { lookupKey: true }, orderBy: { lookupKey: 'asc' } } },
      },
      subscriptions: { orderBy: { stripeCreated: 'desc' }, take: 5 },
      payments: {
        orderBy: { createdAt: 'desc' },
        take: 20,
        select: {
          id: true,
          status: true,
          amount: true,
          currency: true,
          description: true,
          createdAt: true,
          kind: true,
        },
      },
      ledger: {
        orderBy: { createdAt: 'desc' },
        take: 20,
        select: { id: true, kind: true, amount: true, balanceAfter: true, memo: true, createdAt: true },
      },
    },
  });
}

export interface PaymentFilters {
  status?: PaymentStatus;
  kind?: PaymentKind;
  q?: string;
}

export async function listPayments(filters: PaymentFilters, cursor?: string) {
  const term = filters.q?.trim();
  const where: Prisma.PaymentWhereInput = {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(term
      ? {
          OR: [
            { id: term },
            { paymentIntentId: term },
            { checkoutSessionId: term },
            { invoiceId: term },
            { user: { email: { contains: term, mode: 'insensitive' } } },
          ],
        }
      : {}),
  };
  return page(
    await db.payment.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: PAGE_SIZE + 1,
      ...cursorArgs(cursor),
      select: {
        id: true,
        status: true,
        kind: true,
        amount: true,
        amountRefunded: true,
        currency: true,
        description: true,
        createdAt: true,
        sample: true,
        user: { select: { id: true, email: true } },
      },
    }),
  );
}

export async function paymentDetail(id: string) {
  return db.payment.findUnique({
    where: { id },
    include: { user: { select: { id: true, email: true } }, refunds: { orderBy: { stripeCreated: 'desc' } } },
  });
}

export async function listWebhookEvents(status: WebhookEventStatus | undefined, cursor?: string) {
  return page(
    await db.webhookEvent.findMany({
      where: status ? { status } : {},
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      take: PAGE_SIZE + 1,
      ...cursorArgs(cursor),
      select: {
        id: true,
        type: true,
        status: true,
        attempts: true,
        error: true,
        outcome: true,
        receivedAt: true,
        processedAt: true,
        objectId: true,
      },
    }),
  );
}

export async function auditTrail(filter: { targetId?: string }, cursor?: string) {
  return page(
    await db.auditLog.findMany({
      where: filter.targetId ? { targetId: filter.targetId } : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: PAGE_SIZE + 1,
      ...cursorArgs(cursor),
    }),
  );
}

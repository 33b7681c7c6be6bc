import 'server-only';
import type { Tx } from '@/lib/db';
import { db } from '@/lib/db';
import { formatCount } from '@/lib/format';
import type { LedgerKind } from '@/lib/generated/prisma/enums';
import { type Cursor, newestFirst, seekAfter, toPage } from '@/lib/pagination';

export interface LedgerEntryInput {
  userId: string;
  kind: LedgerKind;
  /** Signed credits: positive grants, negative spends and clawbacks. */
  amount: number;
  /** Unique per source (payment, invoice, redemption, spend request): the same source never posts twice. */
  sourceKey: string;
  paymentId?: string | null;
  memo?: string | null;
  /** Clawbacks may leave a negative balance (credits already spent); spends may not. */
  allowNegative?: boolean;
}

export type LedgerResult =
  | { status: 'posted'; balance: number }
  | { status: 'duplicate'; balance: number }
  | { status: 'insufficient'; balance: number };

/**
 * Append one entry and move the balance, atomically. The user's row is locked
 * (FOR NO KEY UPDATE: rows that merely reference the user do not block it)
 * for the rest of the transaction, so concurrent entries for one
 * user apply one after the other and a spend can never take the balance below
 * zero. The ledger is append-only: nothing here updates or deletes an entry.
 */
export async function postEntry(tx: Tx, entry: LedgerEntryInput): Promise<LedgerResult> {
  if (!Number.isInteger(entry.amount) || entry.amount === 0)
    throw new Error(`ledger amount must be a non-zero integer, got ${entry.amount}`);
  const [user] = await tx.$queryRaw<
    Array<{ creditBalance: number }>
  >`SELECT "creditBalance" FROM "User" WHERE id = ${entry.userId} FOR NO KEY UPDATE`;
  if (!user) throw new Error(`no user ${entry.userId}`);
  const existing = await tx.creditLedger.findUnique({
    where: { sourceKey: entry.sourceKey },
    select: { id: true },
  });
  if (existing) return { status: 'duplicate', balance: user.creditBalance };
  const balance = user.creditBalance + entry.amount;
  if (balance < 0 && entry.amount < 0 && !entry.allowNegative)
    return { status: 'insufficient', balance: user.creditBalance };
  await tx.creditLedger.create({
    data: {
      userId: entry.userId,
      kind: entry.kind,
      amount: entry.amount,
      balanceAfter: balance,
      sourceKey: entry.sourceKey,
      paymentId: entry.paymentId ?? null,
      memo: entry.memo ?? null,
    },
  });
  await tx.user.update({ where: { id: entry.userId }, data: { creditBalance: balance } });
  return { status: 'posted', balance };
}

export async function balanceOf(userId: string): Promise<number> {
  return (await db.user.findUniqueOrThrow({ where: { id: userId }, select: { creditBalance: true } }))
    .creditBalance;
}

/** What the demo metered action ("Generate report") costs. */
export const REPORT_COST = 10;

export type SpendResult = { ok: true; balance: number } | { ok: false; balance: number; message: string };

/** Spend credits for a metered action. `requestId` makes a retried request spend once. */
export async function spendCredits(
  userId: string,
  amount: number,
  memo: string,
  requestId: string,
): Promise<SpendResult> {
  const result = await db.$transaction((tx) =>
    postEntry(tx, {
      userId,
      kind: 'spend',
      amount: -amount,
      sourceKey: `spend:${userId}:${requestId}`,
      memo,
    }),
  );
  if (result.status === 'insufficient') {
    return {
      ok: false,
      balance: result.balance,
      message: `Not enough credits: this needs ${formatCount(amount)} and you have ${formatCount(result.balance)}.`,
    };
  }
  return { ok: true, balance: result.balance };
}

/** A user's ledger, newest first, by keyset on CreditLedger(userId, createdAt, id). */
export async function ledgerPage(userId: string, options: { limit: number; cursor: Cursor | null }) {
  const rows = await db.creditLedger.findMany({
    where: { userId, ...seekAfter('createdAt', options.cursor) },
    orderBy: newestFirst('createdAt'),
    take: options.limit + 1,
    select: {
      id: true,
      kind: true,
      amount: true,
      balanceAfter: true,
      memo: true,
      paymentId: true,
      createdAt: true,
    },
  });
  return toPage(rows, options.limit, (e) => e.createdAt);
}

import 'server-only';
import type { Tx } from '@/lib/db';
import { db } from '@/lib/db';
import { formatCount } from '@/lib/format';
import type { LedgerKind } from '@/lib/generated/prisma/enums';
import { type Cursor, newestFirst, seekAfter, toPage } from '@/lib/pagination';

export interface LedgerEntryInput {
  /** The workspace whose balance moves. */
  workspaceId: string;
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
 * Append one entry and move the balance, atomically. The workspace's row is locked
 * (FOR NO KEY UPDATE: rows that merely reference the workspace do not block it)
 * for the rest of the transaction, so concurrent entries for one
 * workspace apply one after the other and a spend can never take the balance below
 * zero. The ledger is append-only: nothing here updates or deletes an entry.
 */
export async function postEntry(tx: Tx, entry: LedgerEntryInput): Promise<LedgerResult> {
  if (!Number.isInteger(entry.amount) || entry.amount === 0)
    throw new Error(`ledger amount must be a non-zero integer, got ${entry.amount}`);
  const [owner] = await tx.$queryRaw<
    Array<{ creditBalance: number }>
  >`SELECT "creditBalance" FROM "Workspace" WHERE id = ${entry.workspaceId} FOR NO KEY UPDATE`;
  if (!owner) throw new Error(`no workspace ${entry.workspaceId}`);
  const existing = await tx.creditLedger.findUnique({
    where: { sourceKey: entry.sourceKey },
    select: { id: true },
  });
  if (existing) return { status: 'duplicate', balance: owner.creditBalance };
  const balance = owner.creditBalance + entry.amount;
  if (balance < 0 && entry.amount < 0 && !entry.allowNegative)
    return { status: 'insufficient', balance: owner.creditBalance };
  await tx.creditLedger.create({
    data: {
      workspaceId: entry.workspaceId,
      kind: entry.kind,
      amount: entry.amount,
      balanceAfter: balance,
      sourceKey: entry.sourceKey,
      paymentId: entry.paymentId ?? null,
      memo: entry.memo ?? null,
    },
  });
  await tx.workspace.update({ where: { id: entry.workspaceId }, data: { creditBalance: balance } });
  return { status: 'posted', balance };
}

export async function balanceOf(workspaceId: string): Promise<number> {
  return (
    await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { creditBalance: true } })
  ).creditBalance;
}

/** What the demo metered action ("Generate report") costs. */
export const REPORT_COST = 10;

export type SpendResult = { ok: true; balance: number } | { ok: false; balance: number; message: string };

/** Spend credits for a metered action. `requestId` makes a retried request spend once. */
export async function spendCredits(
  workspaceId: string,
  amount: number,
  memo: string,
  requestId: string,
): Promise<SpendResult> {
  const result = await db.$transaction((tx) =>
    postEntry(tx, {
      workspaceId,
      kind: 'spend',
      amount: -amount,
      sourceKey: `spend:${workspaceId}:${requestId}`,
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

/** A workspace's ledger, newest first, by keyset on CreditLedger(workspaceId, createdAt, id). */
export async function ledgerPage(workspaceId: string, options: { limit: number; cursor: Cursor | null }) {
  const rows = await db.creditLedger.findMany({
    where: { workspaceId, ...seekAfter('createdAt', options.cursor) },
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

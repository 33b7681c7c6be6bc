import type { ClientInvoiceStatus, ClientPaymentStage, DepositKind } from '@/lib/generated/prisma/enums';

// The arithmetic of a client invoice, in integer minor units: no floats touch money.
// Rounding is half up, once per figure: line amounts are exact, tax is rounded once on the
// subtotal, the deposit once on the total, and the balance is what remains (so deposit + balance
// is the total by construction, never off by a cent).

/** Stripe's largest amount for a Checkout Session (8 digits of minor units). */
export const MAX_TOTAL = 99_999_999;
export const MAX_TAX_BPS = 10_000;

export interface LineInput {
  quantity: number;
  unitAmount: number;
}

export interface Deposit {
  kind: DepositKind;
  /** A whole percent (1–99) or an amount in minor units. */
  value: number;
}

export interface Totals {
  subtotal: number;
  tax: number;
  total: number;
  /** 0 when the invoice asks for no deposit (or the deposit rounds to nothing or everything). */
  depositAmount: number;
  balanceAmount: number;
}

/** a * b / c rounded half up, for non-negative integers (exact while a * b < 2^53). */
export function mulDivRound(a: number, b: number, c: number): number {
  return Math.floor((a * b * 2 + c) / (c * 2));
}

export function lineAmount(line: LineInput): number {
  return line.quantity * line.unitAmount;
}

export function depositOf(total: number, deposit: Deposit | null): number {
  if (!deposit) return 0;
  const amount = deposit.kind === 'percent' ? mulDivRound(total, deposit.value, 100) : deposit.value;
  // A deposit of nothing or of everything is a single payment.
  return amount > 0 && amount < total ? amount : 0;
}

export function totalsOf(lines: readonly LineInput[], taxRateBps: number, deposit: Deposit | null): Totals {
  const subtotal = lines.reduce((sum, line) => sum + lineAmount(line), 0);
  const tax = mulDivRound(subtotal, taxRateBps, 10_000);
  const total = subtotal + tax;
  const depositAmount = depositOf(total, deposit);
  return { subtotal, tax, total, depositAmount, balanceAmount: total - depositAmount };
}

export interface Collected {
  total: number;
  depositAmount: number;
  /** What Stripe collected so far (all stages). */
  amountPaid: number;
}

/** What the pay link collects now: the rest of the deposit first, then the rest of the total. */
export function dueNow(invoice: Collected): { stage: ClientPaymentStage; amount: number } | null {
  if (invoice.amountPaid >= invoice.total) return null;
  if (invoice.depositAmount > 0 && invoice.amountPaid < invoice.depositAmount)
    return { stage: 'deposit', amount: invoice.depositAmount - invoice.amountPaid };
  return { stage: 'balance', amount: invoice.total - invoice.amountPaid };
}

export interface StatusFacts extends Collected {
  sentAt: Date | null;
  voidedAt: Date | null;
  dueDate: Date;
}

/** The UTC day of a moment, as a Date at midnight UTC (how @db.Date columns come back). */
export function utcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/**
 * The status follows from the facts, so events applied in any order, twice, or a day late all
 * reach the same one: void and draft are decisions; paid and deposit paid are what Stripe
 * collected; overdue is an unpaid total after its due date.
 */
export function statusOf(facts: StatusFacts, now: Date): ClientInvoiceStatus {
  if (facts.voidedAt) return 'void';
  if (!facts.sentAt) return 'draft';
  if (facts.amountPaid >= facts.total) return 'paid';
  if (utcDay(now) > facts.dueDate) return 'overdue';
  if (facts.depositAmount > 0 && facts.amountPaid >= facts.depositAmount) return 'deposit_paid';
  return 'sent';
}

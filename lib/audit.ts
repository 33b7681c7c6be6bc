import 'server-only';
import type { Tx } from '@/lib/db';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';

export interface AuditEntry {
  actor: { id: string; email: string } | null;
  action:
    | 'refund.requested'
    | 'payment.amount_mismatch'
    | 'payment.review_resolved'
    | 'dispute.opened'
    | 'coupon.created'
    | 'role.changed'
    | 'customer.synced'
    | 'webhook.replayed'
    | 'sample_data.loaded'
    | 'sample_data.removed'
    | 'workspace.created'
    | 'workspace.renamed'
    | 'member.invited'
    | 'invitation.revoked'
    | 'invitation.accepted'
    | 'member.role_changed'
    | 'member.removed'
    | 'member.left'
    | 'client_invoice.sent'
    | 'client_invoice.voided'
    | 'client_refund.requested'
    | 'stripe.connected'
    | 'stripe.disconnected'
    | 'stripe.fee_changed';
  targetType: string;
  targetId: string;
  amount?: number | null;
  currency?: string | null;
  stripeIds?: string[];
  reason?: string | null;
  details?: Prisma.InputJsonValue;
  /** One row per action: a second entry with the same key is dropped (a unique index decides, not a check). */
  dedupeKey?: string;
}

/** Append-only: entries are inserted, never updated or deleted. Returns whether a row was written. */
export async function audit(entry: AuditEntry, tx: Tx | typeof db = db): Promise<boolean> {
  const { count } = await tx.auditLog.createMany({
    skipDuplicates: true,
    data: {
      dedupeKey: entry.dedupeKey ?? null,
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? 'system',
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      amount: entry.amount ?? null,
      currency: entry.currency ?? null,
      stripeIds: entry.stripeIds ?? [],
      reason: entry.reason ?? null,
      details: entry.details,
    },
  });
  return count === 1;
}

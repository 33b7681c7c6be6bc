import 'server-only';
import type { Tx } from '@/lib/db';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';

export interface AuditEntry {
  actor: { id: string; email: string } | null;
  action:
    | 'refund.requested'
    | 'coupon.created'
    | 'role.changed'
    | 'customer.synced'
    | 'webhook.replayed'
    | 'sample_data.loaded'
    | 'sample_data.removed';
  targetType: string;
  targetId: string;
  amount?: number | null;
  currency?: string | null;
  stripeIds?: string[];
  reason?: string | null;
  details?: Prisma.InputJsonValue;
}

/** Append-only: entries are inserted, never updated or deleted. */
export async function audit(entry: AuditEntry, tx: Tx | typeof db = db): Promise<void> {
  await tx.auditLog.create({
    data: {
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
}

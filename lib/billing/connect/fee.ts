import 'server-only';
import { z } from 'zod';
import { audit } from '@/lib/audit';
import { db } from '@/lib/db';

// The operator's application fee on a workspace's Connect payments: an override of the env
// default (STRIPE_APPLICATION_FEE_PERCENT), set in the back office. Blank = the default again.

export const FEE_ROLES = ['admin'] as const;

export const feeSchema = z.object({
  workspaceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Unknown workspace.'),
  percent: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    z.coerce
      .number({ error: 'Enter a percentage such as 2.5, or leave it blank for the default.' })
      .min(0, 'The fee is 0% or more.')
      .max(100, 'The fee is at most 100%.')
      .refine((n) => Math.round(n * 100) === n * 100, 'At most two decimals.')
      .nullable(),
  ),
});

export async function setApplicationFee(
  actor: { id: string; email: string },
  input: z.output<typeof feeSchema>,
): Promise<{ ok: boolean; message: string }> {
  const changed = await db.$transaction(async (tx) => {
    const row = await tx.stripeConnection.findUnique({
      where: { workspaceId: input.workspaceId },
      select: { via: true, accountId: true, applicationFeePercent: true },
    });
    if (!row) return 'This workspace has no Stripe account connected.';
    if (row.via !== 'connect')
      return 'Application fees apply only to accounts connected through Stripe Connect.';
    await tx.stripeConnection.update({
      where: { workspaceId: input.workspaceId },
      data: { applicationFeePercent: input.percent },
    });
    await audit(
      {
        actor,
        action: 'stripe.fee_changed',
        targetType: 'workspace',
        targetId: input.workspaceId,
        stripeIds: [row.accountId],
        details: { from: row.applicationFeePercent?.toString() ?? null, to: input.percent },
      },
      tx,
    );
    return null;
  });
  if (changed) return { ok: false, message: changed };
  return {
    ok: true,
    message:
      input.percent === null
        ? 'The workspace now pays the default fee.'
        : `The fee is now ${input.percent}%.`,
  };
}

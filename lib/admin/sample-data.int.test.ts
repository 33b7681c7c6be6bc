import { describe, expect, it } from 'vitest';
import { dashboardMetrics } from '@/lib/admin/metrics';
import { db } from '@/lib/db';
import { loadSampleData, removeSampleData, SAMPLE_USER_EMAIL } from './sample-data';

const admin = { id: 'admin-actor', email: 'admin@tollgate.local', name: 'Admin', role: 'admin' as const };

describe('sample data', () => {
  it('loads a marked sample customer, subscription, invoice, payment and refund, once, and removes them all', async () => {
    const before = await dashboardMetrics();
    await loadSampleData(admin);
    await loadSampleData(admin); // a second click loads nothing more
    // In the sample user's personal workspace, which owns their billing.
    const user = await db.workspace.findFirstOrThrow({
      where: { personalOf: { email: SAMPLE_USER_EMAIL } },
      include: { customer: true, subscriptions: true, payments: { include: { refunds: true } } },
    });
    expect(user.customer?.sample).toBe(true);
    expect(user.subscriptions).toHaveLength(1);
    expect(user.subscriptions[0]).toMatchObject({ sample: true, status: 'active', planKey: 'pro' });
    expect(user.payments).toHaveLength(1);
    expect(user.payments[0]).toMatchObject({
      sample: true,
      status: 'partially_refunded',
      amount: 2900,
      amountRefunded: 900,
    });
    expect(user.payments[0]!.refunds[0]).toMatchObject({ sample: true, amount: 900, status: 'succeeded' });
    expect(await db.invoice.count({ where: { sample: true } })).toBe(1);
    const withSample = await dashboardMetrics();
    expect(withSample.mrr - before.mrr).toBe(2900);
    expect(withSample.subscriptions.active - before.subscriptions.active).toBe(1);
    expect(await db.auditLog.count({ where: { action: 'sample_data.loaded' } })).toBe(1);

    expect(await removeSampleData(null)).toBe(1);
    expect(await db.user.findUnique({ where: { email: SAMPLE_USER_EMAIL } })).toBeNull();
    for (const count of await Promise.all([
      db.customer.count({ where: { sample: true } }),
      db.subscription.count({ where: { sample: true } }),
      db.invoice.count({ where: { sample: true } }),
      db.payment.count({ where: { sample: true } }),
      db.refund.count({ where: { sample: true } }),
    ])) {
      expect(count).toBe(0);
    }
    expect((await db.auditLog.findFirstOrThrow({ where: { action: 'sample_data.removed' } })).reason).toBe(
      'live key configured',
    );
  });
});

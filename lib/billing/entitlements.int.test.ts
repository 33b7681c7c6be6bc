import { describe, expect, it } from 'vitest';
import { GET as premiumReport } from '@/app/api/premium/report/route';
import { createApiKey } from '@/lib/api/keys';
import { db } from '@/lib/db';
import { createUser } from '@/lib/testing/fixtures';

const call = (key?: string) =>
  premiumReport(
    new Request('http://127.0.0.1/api/premium/report', {
      headers: key ? { authorization: `Bearer ${key}` } : {},
    }),
  );

describe('an API route gated by an entitlement', () => {
  it('answers 401 anonymously, 403 with a pricing link without the entitlement, and 200 with it', async () => {
    expect((await call()).status).toBe(401);
    const user = await createUser();
    const { key } = await createApiKey({ workspaceId: user.workspaceId, userId: user.id }, 'reports');
    const denied = await call(key);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({
      error: 'This requires Premium reports, which your plan does not include.',
      feature: 'premium_reports',
      pricing_url: `${process.env.APP_URL}/pricing`,
    });
    await db.customer.create({
      data: {
        id: `cus_ent_${user.id}`,
        workspaceId: user.workspaceId,
        lastEventAt: new Date(),
        entitlements: { create: { lookupKey: 'premium_reports', featureId: 'feat_x' } },
      },
    });
    const allowed = await call(key);
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ report: 'premium', generated_for: user.email });
  });
});

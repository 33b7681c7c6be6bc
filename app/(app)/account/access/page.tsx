import type { Metadata } from 'next';
import Link from 'next/link';
import { Card, CardTitle } from '@/components/ui/card';
import { requireWorkspace } from '@/lib/workspaces/current';
import { features } from '@/lib/billing/catalog';
import { accessOf } from '@/lib/billing/entitlements';
import { requireBilling } from '@/lib/billing/gate';

export const metadata: Metadata = { title: 'Your access' };

export default async function AccessPage() {
  requireBilling();
  const { workspace } = await requireWorkspace('use', '/account/access');
  const access = await accessOf(workspace.id);
  return (
    <Card className="max-w-2xl">
      <CardTitle>What {workspace.name}&apos;s plan includes</CardTitle>
      <ul className="mt-4 divide-y divide-slate-100 text-sm" aria-label="Features">
        {features.map((feature) => {
          const has = access.keys.includes(feature.lookupKey);
          return (
            <li key={feature.lookupKey} className="flex items-center justify-between py-2">
              <span>{feature.name}</span>
              <span className={has ? 'font-medium text-green-700' : 'text-slate-400'}>
                {has ? 'Included' : 'Not included'}
              </span>
            </li>
          );
        })}
      </ul>
      {access.keys.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600">
          <Link href="/pricing" className="font-semibold text-indigo-600">
            Choose a plan
          </Link>{' '}
          to unlock features.
        </p>
      ) : null}
    </Card>
  );
}

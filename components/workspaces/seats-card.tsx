import { Card, CardTitle } from '@/components/ui/card';
import { workspaceOverview } from '@/lib/workspaces/overview';

/** Seats on the billing page: members now, seats Stripe bills, and the plan's limit. Per-seat plans only. */
export async function SeatsCard({ workspaceId }: { workspaceId: string }) {
  const overview = await workspaceOverview(workspaceId);
  if (!overview || overview.seats.paid === null) return null;
  const { used, paid, limit } = overview.seats;
  return (
    <Card>
      <CardTitle>Seats</CardTitle>
      <dl className="mt-4 grid gap-4 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-slate-500">Members</dt>
          <dd className="mt-1 text-lg font-semibold" data-testid="seats-used">
            {used}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Paid seats</dt>
          <dd className="mt-1 text-lg font-semibold" data-testid="seats-paid">
            {paid}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Seat limit</dt>
          <dd className="mt-1 text-lg font-semibold" data-testid="seats-limit">
            {limit ?? 'None'}
          </dd>
        </div>
      </dl>
      {paid !== used ? (
        <p className="mt-3 text-sm text-slate-600">
          Paid seats follow the member count within moments of a change (never below the plan&apos;s minimum).
        </p>
      ) : null}
    </Card>
  );
}

import { currentUser } from '@/lib/auth/session';
import { openPortal } from '@/lib/billing/portal';
import { billingDisabledResponse, crossSite, errorResponse, wantsJson } from '@/lib/http';

export const dynamic = 'force-dynamic';

// POST /api/stripe/portal: a Billing Portal session that returns to /billing.
export async function POST(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  if (crossSite(request)) return Response.json({ error: 'Cross-site request refused.' }, { status: 403 });
  const user = await currentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  try {
    const url = await openPortal(user.id);
    return wantsJson(request) ? Response.json({ url }) : Response.redirect(url, 303);
  } catch (error) {
    return errorResponse(error);
  }
}

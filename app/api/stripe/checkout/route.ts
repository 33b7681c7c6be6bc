import { currentUser } from '@/lib/auth/session';
import { startSubscriptionCheckout, subscriptionCheckoutSchema } from '@/lib/billing/checkout';
import { billingDisabledResponse, crossSite, errorResponse, readBody, wantsJson } from '@/lib/http';

export const dynamic = 'force-dynamic';

// POST /api/stripe/checkout {lookupKey}: JSON answers {url}; a form post is redirected there.
export async function POST(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  if (crossSite(request)) return Response.json({ error: 'Cross-site request refused.' }, { status: 403 });
  const json = wantsJson(request);
  const user = await currentUser();
  if (!user)
    return json
      ? Response.json({ error: 'Sign in first.' }, { status: 401 })
      : Response.redirect(new URL('/sign-in?callbackUrl=%2Fpricing', request.url), 303);
  const parsed = subscriptionCheckoutSchema.safeParse(await readBody(request));
  if (!parsed.success)
    return Response.json(
      { error: 'Choose a plan.', fields: parsed.error.flatten().fieldErrors },
      { status: 400 },
    );
  try {
    const { url, kind } = await startSubscriptionCheckout(user, parsed.data.lookupKey);
    return json ? Response.json({ url, kind }) : Response.redirect(url, 303);
  } catch (error) {
    return errorResponse(error);
  }
}

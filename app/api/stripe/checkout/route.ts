import { sameOrigin, withApi } from '@/lib/api/handler';
import { startSubscriptionCheckout, subscriptionCheckoutSchema } from '@/lib/billing/checkout';
import { wantsJson } from '@/lib/http';

export const dynamic = 'force-dynamic';

// POST /api/stripe/checkout {lookupKey}: JSON answers {url}; a form post is redirected there.
export const POST = withApi(
  {
    auth: 'session',
    right: 'billing',
    checks: [sameOrigin],
    onAnonymous: (request) =>
      wantsJson(request)
        ? Response.json({ error: 'Sign in first.' }, { status: 401 })
        : Response.redirect(new URL('/sign-in?callbackUrl=%2Fpricing', request.url), 303),
    body: { schema: subscriptionCheckoutSchema, invalid: 'Choose a plan.', format: 'json-or-form' },
  },
  async ({ request, user, workspace, body }) => {
    const { url, kind } = await startSubscriptionCheckout({ workspace, user }, body.lookupKey);
    return wantsJson(request) ? Response.json({ url, kind }) : Response.redirect(url, 303);
  },
);

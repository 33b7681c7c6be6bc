/**
 * What a PaymentIntent or SetupIntent waiting for 3-D Secure tells the client: a redirect when
 * the caller gave a return_url, else the challenge for Stripe.js to show.
 */
export function challengeAction(url: string, returnUrl: string | null | undefined) {
  return returnUrl
    ? { type: 'redirect_to_url' as const, redirect_to_url: { url, return_url: returnUrl } }
    : {
        type: 'use_stripe_sdk' as const,
        use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url },
      };
}

/**
 * Where the browser goes after the challenge: the return_url with the intent's id, its client
 * secret and `redirect_status`, as Stripe redirects (null without a return_url).
 */
export function afterChallenge(
  returnUrl: string | null,
  kind: 'payment_intent' | 'setup_intent',
  intent: { id: string; client_secret: string | null },
  outcome: 'complete' | 'fail',
): string | null {
  if (!returnUrl) return null;
  const url = new URL(returnUrl);
  url.searchParams.set(kind, intent.id);
  if (intent.client_secret) url.searchParams.set(`${kind}_client_secret`, intent.client_secret);
  url.searchParams.set('redirect_status', outcome === 'complete' ? 'succeeded' : 'failed');
  return url.toString();
}

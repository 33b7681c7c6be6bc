// Cross-site request forgery: a request that a session cookie authenticates
// and that changes state must come from the app's own pages. Browsers say
// where a request comes from in Sec-Fetch-Site (all current ones) and Origin
// (every POST); a request that says neither, or names another site, a sibling
// subdomain or `null`, is refused. Bearer (API key) requests carry no ambient
// credential and need no Origin. See ADR 0010.
import { env } from '@/lib/env';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/** Whether a cookie-authenticated request may change state: a safe method, or sent by the app's own origin. */
export function fromOwnOrigin(request: Request, appUrl: string = env().APP_URL): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return true;
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return false;
  const origin = request.headers.get('origin');
  if (origin === null) return site === 'same-origin';
  const own = [originOf(appUrl), originOf(request.url)];
  return origin !== 'null' && own.includes(origin);
}

export function crossOriginRefusal(request: Request): Response | null {
  if (fromOwnOrigin(request)) return null;
  return Response.json(
    {
      error:
        'Cross-site request refused: a request signed in with a session cookie must come from this app. API clients send Authorization: Bearer <api key>.',
    },
    { status: 403 },
  );
}

/** JSON routes take JSON only: a form or text/plain body (what a cross-site form can send) gets 415. */
export function jsonContentTypeRefusal(request: Request): Response | null {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return null;
  return Response.json(
    { error: 'Unsupported Media Type: send the body as application/json.' },
    { status: 415 },
  );
}

import 'server-only';
import { currentUser, type CurrentUser } from '@/lib/auth/session';
import { userForApiKey } from '@/lib/api/keys';
import { unstorableTextIn } from '@/lib/api/text';
import { crossOriginRefusal, jsonContentTypeRefusal } from '@/lib/net/csrf';

export type ApiAuth = { ok: true; user: CurrentUser } | { ok: false; response: Response };

/** REST API callers: `Authorization: Bearer <api key>`, or the app's session cookie. */
export async function authenticateApi(request: Request): Promise<ApiAuth> {
  const header = request.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const user = match?.[1] ? await userForApiKey(match[1]) : null;
    if (!user)
      return {
        ok: false,
        response: Response.json({ error: 'Invalid or revoked API key.' }, { status: 401 }),
      };
    return { ok: true, user };
  }
  // No cookie at all: answer without touching the session machinery.
  const cookie = request.headers.get('cookie');
  // A session cookie is sent by the browser on its own, so it only counts from the app's own pages.
  const refused = cookie ? crossOriginRefusal(request) : null;
  if (refused) return { ok: false, response: refused };
  const user = cookie ? await currentUser() : null;
  if (!user)
    return {
      ok: false,
      response: Response.json(
        { error: 'Authentication required: send Authorization: Bearer <api key>.' },
        { status: 401 },
      ),
    };
  return { ok: true, user };
}

export function fieldErrors(
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_';
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

export function badRequest(
  message: string,
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> = [],
): Response {
  return Response.json({ error: message, fields: fieldErrors(issues) }, { status: 400 });
}

/** `?limit=&cursor=` with sane bounds. */
export function pageParams(request: Request): { limit: number; cursor?: string } {
  const url = new URL(request.url);
  const limit = Math.min(100, Math.max(1, Number.parseInt(url.searchParams.get('limit') ?? '20', 10) || 20));
  const cursor = url.searchParams.get('cursor') ?? undefined;
  return { limit, cursor: cursor && /^[a-z0-9]{10,40}$/i.test(cursor) ? cursor : undefined };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

/** A JSON body: 415 for another content type, 400 when it does not parse. */
export async function jsonBody(request: Request): Promise<Parsed<unknown>> {
  const unsupported = jsonContentTypeRefusal(request);
  if (unsupported) return { ok: false, response: unsupported };
  let value: unknown;
  try {
    value = await request.json();
  } catch {
    return { ok: false, response: badRequest('The body must be JSON.') };
  }
  const bad = unstorableTextIn(value);
  if (bad)
    return {
      ok: false,
      response: badRequest(`${bad} must not contain NUL characters or lone UTF-16 surrogates.`),
    };
  return { ok: true, value };
}

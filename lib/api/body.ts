import 'server-only';
import { badRequest } from '@/lib/http';
import { jsonContentTypeRefusal } from '@/lib/net/csrf';

export type BodyFormat = 'json' | 'json-or-form';

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

/**
 * The one body reader for route handlers. 'json' answers 415 for another content type and
 * 400 when the body does not parse;
 * 'json-or-form' also reads an HTML form post, and yields null for an unreadable body
 * (the route's schema then says what is missing).
 */
export async function readBody(request: Request, format: BodyFormat): Promise<Parsed<unknown>> {
  if (format === 'json') {
    const unsupported = jsonContentTypeRefusal(request);
    if (unsupported) return { ok: false, response: unsupported };
    try {
      return { ok: true, value: await request.json() };
    } catch {
      return { ok: false, response: badRequest('The body must be JSON.') };
    }
  }
  try {
    if ((request.headers.get('content-type') ?? '').includes('application/json')) {
      const value: unknown = await request.json();
      return { ok: true, value: value && typeof value === 'object' && !Array.isArray(value) ? value : null };
    }
    return { ok: true, value: Object.fromEntries((await request.formData()).entries()) };
  } catch {
    return { ok: true, value: null };
  }
}

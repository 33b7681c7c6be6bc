import 'server-only';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { currentUser, type CurrentUser } from '@/lib/auth/session';
import { userForApiKey } from '@/lib/api/keys';
import { env } from '@/lib/env';
import type { Role } from '@/lib/generated/prisma/enums';
import { crossOriginRefusal } from '@/lib/net/csrf';
import { readCursor } from '@/lib/pagination';

/** `keyWorkspaceId`: the workspace an API key acts for (null for a session). */
export type ApiAuthResult =
  { ok: true; user: CurrentUser; keyWorkspaceId: string | null } | { ok: false; response: Response };

/** REST API callers: `Authorization: Bearer <api key>`, or the app's session cookie. */
export async function authenticateApi(request: Request): Promise<ApiAuthResult> {
  const header = request.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const key = match?.[1] ? await userForApiKey(match[1]) : null;
    if (!key)
      return {
        ok: false,
        response: Response.json({ error: 'Invalid or revoked API key.' }, { status: 401 }),
      };
    return { ok: true, user: key.user, keyWorkspaceId: key.workspaceId };
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
  return { ok: true, user, keyWorkspaceId: null };
}

/** Staff routes take the session cookie only; the caller must hold one of the roles. */
export async function authenticateStaff(
  request: Request,
  roles: readonly Role[],
): Promise<CurrentUser | null> {
  const user = request.headers.get('cookie') ? await currentUser() : null;
  return user && roles.includes(user.role) ? user : null;
}

/** Schedulers send `Authorization: Bearer <CRON_SECRET>`; without a configured secret nobody gets in. */
export function authenticateCron(request: Request): Response | null {
  const secret = env().CRON_SECRET;
  const given = request.headers.get('authorization') ?? '';
  const expected = `Bearer ${secret}`;
  const ok =
    Boolean(secret) &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  return ok ? null : Response.json({ error: 'Unauthorized' }, { status: 401 });
}

/** `?limit=&cursor=`: a bad limit falls back to 20; a malformed cursor is a 400. */
export const pageQuery = z.object({
  limit: z
    .string()
    .optional()
    .transform((v) => Math.min(100, Math.max(1, Number.parseInt(v ?? '20', 10) || 20))),
  // A keyset cursor (lib/pagination.ts); one that no page returned is a 400, not a silent first page.
  cursor: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const read = readCursor(raw);
      if (read.ok) return read.cursor;
      ctx.addIssue({ code: 'custom', message: read.message });
      return z.NEVER;
    }),
});

export type PageQuery = z.output<typeof pageQuery>;

/** The wire shape of every list: lib returns camelCase, the REST API answers snake_case (like Stripe). */
export function pageJson<T>(page: { data: T[]; hasMore: boolean; nextCursor: string | null }): Response {
  return Response.json({ data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor });
}

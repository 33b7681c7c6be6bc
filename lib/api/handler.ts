import 'server-only';
import { z } from 'zod';
import { authenticateApi, authenticateCron, authenticateStaff } from '@/lib/api/auth';
import { readBody, type BodyFormat } from '@/lib/api/body';
import { idempotencyKeyOf, idempotentResponse } from '@/lib/api/idempotency';
import { unstorableTextIn } from '@/lib/api/text';
import { takeWorkspaceField, workspaceOfRequest } from '@/lib/api/workspace';
import { currentUser, type CurrentUser } from '@/lib/auth/session';
import type { Role } from '@/lib/generated/prisma/enums';
import type { CurrentWorkspace } from '@/lib/workspaces/current';
import type { WorkspaceRight } from '@/lib/workspaces/roles';
import { badRequest, billingDisabledResponse, crossSite, errorResponse, notFoundResponse } from '@/lib/http';

/**
 * The one wrapper for route handlers in app/api (dub's `withWorkspace` is the model).
 * In order, it: answers 404 when billing is off, authenticates, runs the request checks,
 * reads and validates the body, the query and the route params, then calls the handler
 * and maps any error to a safe response. Each step can stop the request with a Response.
 */

/** Who may call: anyone, the cron scheduler, an API key or session cookie, a session cookie, or staff roles. */
export type ApiAuth = 'public' | 'cron' | 'api' | 'session' | { staff: readonly Role[] };

type UserOf<A extends ApiAuth> = A extends 'public' | 'cron' ? null : CurrentUser;
type WorkspaceOf<A extends ApiAuth> = A extends 'api' | 'session' ? CurrentWorkspace : null;

/** A check on the raw request that may refuse it (same-origin today; content-type/CSRF checks plug in here). */
export type RequestCheck = (request: Request) => Response | null | Promise<Response | null>;

/** A check on the decoded body before zod sees it (e.g. refusing NUL or lone-surrogate strings). */
export type InputCheck = (value: unknown) => Response | null;

/**
 * A string (value or key) PostgreSQL cannot store as text, a NUL or a lone UTF-16 surrogate,
 * is a 400 before anything is written (lib/api/text.ts).
 */
export const storableInput: InputCheck = (value) => {
  const bad = unstorableTextIn(value);
  return bad ? badRequest(`${bad} must not contain NUL characters or lone UTF-16 surrogates.`) : null;
};

/** Extension points: checks every wrapped route runs; other features append to them. */
export const requestChecks: RequestCheck[] = [];
export const inputChecks: InputCheck[] = [storableInput];

/** A form or JSON POST from another site is refused (cookies are SameSite=Lax as well). */
export const sameOrigin: RequestCheck = (request) =>
  crossSite(request) ? Response.json({ error: 'Cross-site request refused.' }, { status: 403 }) : null;

type Schema = z.ZodType;
type Lazy<S extends Schema> = S | (() => S);

export interface BodyOptions<S extends Schema> {
  schema: Lazy<S>;
  /** The 400 message when the body does not match; the field errors go alongside. */
  invalid: string;
  /** 'json' refuses anything but a JSON body; 'json-or-form' also reads an HTML form post. */
  format: BodyFormat;
  /** Header values copied into the body under a field name, unless the body sets that field. */
  fromHeaders?: Record<string, string>;
}

export interface ApiOptions<A extends ApiAuth, B extends Schema, Q extends Schema, P extends Schema> {
  auth: A;
  /** Billing routes (the default) are a plain 404 without a Stripe key. */
  billing?: boolean;
  /**
   * 'api' and 'session' routes act for a workspace (lib/api/workspace.ts); the caller needs this
   * right in it (default 'use'), else the route answers 404.
   */
  right?: WorkspaceRight;
  checks?: RequestCheck[];
  /** The response for an anonymous caller of a 'session' route (default: 401 "Sign in first."). */
  onAnonymous?: (request: Request) => Response;
  body?: BodyOptions<B>;
  query?: Q;
  params?: P;
  /**
   * Honour an optional Idempotency-Key header (8 to 255 characters), as Stripe does: the
   * first JSON response per (workspace, key) is stored and replayed, bound to this route name
   * and the validated body (lib/api/idempotency.ts).
   */
  idempotent?: { route: string };
}

export interface ApiContext<A extends ApiAuth, B extends Schema, Q extends Schema, P extends Schema> {
  request: Request;
  user: UserOf<A>;
  /** The workspace the request acts for (API key's, form's, or the switcher's). */
  workspace: WorkspaceOf<A>;
  body: z.output<B>;
  query: z.output<Q>;
  params: z.output<P>;
  idempotencyKey?: string;
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

class Stop {
  constructor(readonly response: Response) {}
}

function stopIf(response: Response | null): void {
  if (response) throw new Stop(response);
}

async function authenticate(auth: ApiAuth, request: Request, onAnonymous?: (r: Request) => Response) {
  if (auth === 'public') return null;
  if (auth === 'cron') return (stopIf(authenticateCron(request)), null);
  if (auth === 'api') {
    const result = await authenticateApi(request);
    if (!result.ok) throw new Stop(result.response);
    return result;
  }
  if (auth === 'session') {
    const user = await currentUser();
    if (!user)
      throw new Stop(onAnonymous?.(request) ?? Response.json({ error: 'Sign in first.' }, { status: 401 }));
    return { user, keyWorkspaceId: null };
  }
  const user = await authenticateStaff(request, auth.staff);
  if (!user) throw new Stop(notFoundResponse());
  return { user, keyWorkspaceId: null };
}

/** The decoded body, with the workspace it names (if any) taken out. */
async function readRaw(request: Request, format: BodyFormat) {
  const read = await readBody(request, format);
  if (!read.ok) throw new Stop(read.response);
  return takeWorkspaceField(read.value);
}

function parseBody<S extends Schema>(request: Request, raw: unknown, options: BodyOptions<S>) {
  let value = raw;
  for (const check of inputChecks) stopIf(check(value));
  if (options.fromHeaders && value && typeof value === 'object' && !Array.isArray(value))
    for (const [header, field] of Object.entries(options.fromHeaders)) {
      const given = request.headers.get(header);
      if (given !== null) value = { [field]: given, ...(value as Record<string, unknown>) };
    }
  const schema = typeof options.schema === 'function' ? options.schema() : options.schema;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Stop(badRequest(options.invalid, parsed.error.issues));
  return parsed.data;
}

function parseIdempotencyKey(request: Request): string | undefined {
  const key = idempotencyKeyOf(request);
  if (!key.ok) throw new Stop(badRequest(key.message));
  return key.key;
}

export function withApi<
  A extends ApiAuth,
  B extends Schema = z.ZodUndefined,
  Q extends Schema = z.ZodUndefined,
  P extends Schema = z.ZodUndefined,
>(
  options: ApiOptions<A, B, Q, P>,
  handler: (context: ApiContext<A, B, Q, P>) => Response | Promise<Response>,
): (request: Request, context?: RouteContext) => Promise<Response> {
  return async (request, routeContext) => {
    try {
      if (options.billing !== false) stopIf(billingDisabledResponse());
      // Who is asking first: a caller without a session learns nothing more (staff routes stay a
      // 404), and the checks (same origin, CSRF) guard what a session cookie could do.
      const who = await authenticate(options.auth, request, options.onAnonymous);
      const user = (who?.user ?? null) as UserOf<A>;
      for (const check of [...requestChecks, ...(options.checks ?? [])]) stopIf(await check(request));
      const raw = options.body ? await readRaw(request, options.body.format) : undefined;
      // Which workspace, and the right in it, before the body is judged: without the right the
      // route does not exist for the caller (404), whatever they sent.
      let workspace: CurrentWorkspace | null = null;
      if (who && (options.auth === 'api' || options.auth === 'session')) {
        const resolved = await workspaceOfRequest(request, who.user, {
          keyWorkspaceId: who.keyWorkspaceId,
          requested: raw?.requested ?? null,
          right: options.right ?? 'use',
        });
        if (resolved instanceof Response) throw new Stop(resolved);
        workspace = resolved;
      }
      const body = options.body ? parseBody(request, raw?.value, options.body) : undefined;
      let query: unknown;
      if (options.query) {
        const parsed = options.query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
        if (!parsed.success) throw new Stop(badRequest('Invalid query.', parsed.error.issues));
        query = parsed.data;
      }
      let params: unknown;
      if (options.params) {
        // A route param that cannot be valid names nothing: 404, as for an unknown id.
        const parsed = options.params.safeParse((await routeContext?.params) ?? {});
        if (!parsed.success) throw new Stop(notFoundResponse());
        params = parsed.data;
      }
      const idempotencyKey = options.idempotent ? parseIdempotencyKey(request) : undefined;
      const context = {
        request,
        user,
        workspace: workspace as WorkspaceOf<A>,
        body: body as z.output<B>,
        query: query as z.output<Q>,
        params: params as z.output<P>,
        idempotencyKey,
      };
      if (!options.idempotent || !workspace) return await handler(context);
      const respond = async () => {
        try {
          return await handler(context);
        } catch (error) {
          return errorResponse(error);
        }
      };
      return await idempotentResponse(
        { ownerId: workspace.id, key: idempotencyKey, route: options.idempotent.route, body },
        respond,
      );
    } catch (error) {
      if (error instanceof Stop) return error.response;
      return errorResponse(error);
    }
  };
}

import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';

/** What a request answered, in a form that can be stored and replayed. */
export interface Replayable {
  status: number;
  body: unknown;
}

export const idempotencyKeySchema = z
  .string()
  .trim()
  .min(8, 'Idempotency-Key must be 8 to 255 characters.')
  .max(255, 'Idempotency-Key must be 8 to 255 characters.');

/** JSON with object keys sorted at every level, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

export const bodyHash = (body: unknown) => createHash('sha256').update(canonicalJson(body)).digest('hex');

export function idempotencyMismatch(key: string): Replayable {
  return {
    status: 400,
    body: {
      error: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      type: 'idempotency_error',
    },
  };
}

export function idempotencyInFlight(key: string): Replayable {
  return {
    status: 409,
    body: {
      error: `There is currently another in-progress request using the Idempotency-Key '${key}'. Retry this request later.`,
      type: 'idempotency_error',
    },
  };
}

export interface IdempotencyOptions {
  /** Whose key it is (the billing owner, a workspace id): keys never collide across workspaces. */
  ownerId: string;
  key: string;
  /** The operation, e.g. `POST /api/stripe/checkout-session`: the same key on another route is an error. */
  route: string;
  /** The validated request, hashed canonically. */
  body: unknown;
  /** How long a duplicate waits for the first request before answering 409. */
  waitMs?: number;
  /** An in-flight claim older than this is taken over (its process died). */
  staleMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Run `execute` once per (owner, key), bound to its route and body, as
 * Stripe does: the same request replays the stored response; another route
 * or body is a 400 idempotency_error; a concurrent duplicate waits for the
 * first and replays it, or answers 409 if it takes too long. A 5xx or a throw
 * releases the key so the request can be retried.
 */
export async function runIdempotent(
  options: IdempotencyOptions,
  execute: () => Promise<Replayable>,
): Promise<Replayable> {
  const { ownerId, key, route } = options;
  const hash = bodyHash(options.body);
  const where = { ownerId_key: { ownerId, key } };
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  const staleMs = options.staleMs ?? 120_000;
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    const { count } = await db.idempotencyKey.createMany({
      data: [{ ownerId, key, route, bodyHash: hash }],
      skipDuplicates: true,
    });
    let owned = count === 1;
    if (!owned) {
      const row = await db.idempotencyKey.findUnique({ where });
      if (!row) continue; // released between our insert and read: try to claim it again
      if (row.route !== route || row.bodyHash !== hash) return idempotencyMismatch(key);
      if (row.status === 'done') return { status: row.responseCode ?? 200, body: row.responseBody };
      const stale = await db.idempotencyKey.updateMany({
        where: { ownerId, key, status: 'in_flight', updatedAt: { lt: new Date(Date.now() - staleMs) } },
        data: { updatedAt: new Date() },
      });
      owned = stale.count === 1;
      if (!owned) {
        if (Date.now() >= deadline) return idempotencyInFlight(key);
        await sleep(wait);
        continue;
      }
    }
    let result: Replayable;
    try {
      result = await execute();
    } catch (error) {
      await db.idempotencyKey.deleteMany({ where: { ownerId, key, status: 'in_flight' } });
      throw error;
    }
    if (result.status >= 500)
      await db.idempotencyKey.deleteMany({ where: { ownerId, key, status: 'in_flight' } });
    else
      await db.idempotencyKey.update({
        where,
        data: {
          status: 'done',
          responseCode: result.status,
          responseBody: result.body as Prisma.InputJsonValue,
        },
      });
    return result;
  }
}

/** The optional Idempotency-Key header, validated. */
export function idempotencyKeyOf(
  request: Request,
): { ok: true; key: string | undefined } | { ok: false; message: string } {
  const header = request.headers.get('idempotency-key');
  if (header === null) return { ok: true, key: undefined };
  const parsed = idempotencyKeySchema.safeParse(header);
  return parsed.success
    ? { ok: true, key: parsed.data }
    : { ok: false, message: parsed.error.issues[0]!.message };
}

export const toResponse = (result: Replayable) => Response.json(result.body, { status: result.status });

/**
 * For a route handler (or a wrapper around one): without a key, respond; with
 * one, respond at most once per key and replay that JSON response after.
 */
export async function idempotentResponse(
  options: Omit<IdempotencyOptions, 'key'> & { key: string | undefined },
  respond: () => Promise<Response>,
): Promise<Response> {
  const { key } = options;
  if (!key) return respond();
  const result = await runIdempotent({ ...options, key }, async () => {
    const response = await respond();
    return { status: response.status, body: await response.json() };
  });
  return toResponse(result);
}

import 'server-only';
import { randomUUID } from 'node:crypto';
import { BillingError } from '@/lib/billing/errors';
import { billingEnabled } from '@/lib/env';
import { log } from '@/lib/log';
import { fromOwnOrigin } from '@/lib/net/csrf';

export function notFoundResponse(): Response {
  return Response.json({ error: 'Not found' }, { status: 404 });
}

/** A PDF to download, never cached (it holds a customer's details). */
export function pdfDownload(pdf: Buffer, filename: string, headers: Record<string, string> = {}): Response {
  return new Response(new Uint8Array(pdf), {
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'private, no-store',
      ...headers,
    },
  });
}

/** Billing is opt-in: without a Stripe key every billing route is a plain 404. */
export function billingDisabledResponse(): Response | null {
  return billingEnabled() ? null : notFoundResponse();
}

export function wantsJson(request: Request): boolean {
  return (
    (request.headers.get('content-type') ?? '').includes('application/json') ||
    (request.headers.get('accept') ?? '').startsWith('application/json')
  );
}

/** A state-changing request that does not come from the app's own pages (lib/net/csrf.ts). */
export function crossSite(request: Request): boolean {
  return !fromOwnOrigin(request);
}

/** Only expected errors reach the client, as a safe message; the rest are logged with a request id. */
export function errorResponse(error: unknown): Response {
  if (error instanceof BillingError) {
    if (error.status >= 500) log.error('billing.error', { status: error.status, detail: error.message });
    return Response.json({ error: error.publicMessage }, { status: error.status });
  }
  const requestId = randomUUID();
  log.error('request.failed', { requestId, error: error instanceof Error ? error.message : String(error) });
  return Response.json({ error: 'Something went wrong.', request_id: requestId }, { status: 500 });
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

/** 400 with a message and the zod issues grouped by field. */
export function badRequest(
  message: string,
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> = [],
): Response {
  return Response.json({ error: message, fields: fieldErrors(issues) }, { status: 400 });
}

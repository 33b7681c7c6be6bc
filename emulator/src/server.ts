import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Emulator } from './emulator';
import { resolveCaller } from './connect/auth';
import { newId } from './ids';
import type { Op } from './op';
import { PLATFORM_ACCOUNT } from './store';
import { API_VERSION, isKnownApiVersion, type Json } from './types';
import { ApiError, invalidRequest } from './wire/errors';
import { expandPaths } from './wire/expand';
import { authenticate, parseAnyBody, parseForm, readBody } from './wire/http';
import { list, str } from './wire/params';

/** The HTTP face of the emulator: `/v1/...` is Stripe's API, everything else pages and `/_emulator`. */
export function createHttpServer(emu: Emulator): Server {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const handled = url.pathname.startsWith('/v1/')
      ? handleApi(emu, req, res, url)
      : handlePage(emu, req, res, url);
    handled.catch((error: unknown) => {
      emu.log(
        `Unhandled error on ${req.method} ${url.pathname}: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Internal error');
    });
  });
  server.keepAliveTimeout = 30_000;
  return server;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Events go out only once the response that caused them has been written ('close' also fires
 * when the client went away first: the change happened, so its events must still be sent).
 */
function send(
  res: ServerResponse,
  emu: Emulator,
  op: Op | null,
  status: number,
  headers: Record<string, string>,
  body: string,
) {
  if (op && op.batch.length) res.once('close', () => emu.deliveries.enqueue(op.batch));
  res.writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function takeExpand(input: Record<string, Json>): string[] {
  const raw = input.expand;
  delete input.expand;
  return raw === undefined ? [] : list(str()).parse(raw, 'expand');
}

const errorBody = (error: ApiError) => JSON.stringify({ error: error.body }, null, 2);

function internalError(emu: Emulator, error: unknown): ApiError {
  emu.log(`Internal error: ${error instanceof Error ? error.stack : String(error)}`);
  return new ApiError(500, {
    type: 'api_error',
    message: 'An unknown error occurred in the Stripe emulator.',
  });
}

/** An unknown Stripe-Version is a 400 at Stripe (https://docs.stripe.com/api/versioning). */
function checkVersion(version: string | undefined): void {
  if (version === undefined || isKnownApiVersion(version)) return;
  throw invalidRequest(
    `Invalid Stripe API version: ${version}. You can find a list of valid versions at https://docs.stripe.com/upgrades#api-versions.`,
    { validation: true },
  );
}

async function handleApi(emu: Emulator, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const requestId = newId('req');
  const idempotencyKey = method === 'POST' ? header(req, 'idempotency-key') : undefined;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'Request-Id': requestId,
    'Stripe-Version': header(req, 'stripe-version') ?? API_VERSION,
  };
  if (idempotencyKey) {
    headers['Idempotency-Key'] = idempotencyKey;
    // Stripe names the request that first used the key on every answer, the first one included.
    headers['Original-Request'] = requestId;
  }

  let op: Op | null = null;
  let reserved: { apiKey: string; key: string } | null = null;
  let status = 200;
  let body: string;
  try {
    const text = await readBody(req);
    const apiKey = authenticate(header(req, 'authorization'));
    const caller = resolveCaller(emu.store, apiKey, header(req, 'stripe-account'));
    // Stripe keeps idempotency keys per account: the same key for two accounts is two requests.
    const idempotencyScope = `${apiKey}\u0000${caller.account}`;
    checkVersion(header(req, 'stripe-version'));
    const matched = emu.api.match(method, url.pathname);
    if (!matched) {
      throw invalidRequest(
        `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        { status: 404, validation: true },
      );
    }
    const input = parseForm(method === 'POST' ? text : url.search.slice(1));
    const expand = takeExpand(input);
    if (idempotencyKey) {
      const saved = emu.idempotency.begin(
        idempotencyScope,
        idempotencyKey,
        method,
        url.pathname,
        { ...input, expand },
        Date.now(),
      );
      if (saved) {
        headers['Idempotent-Replayed'] = 'true';
        headers['Original-Request'] = saved.requestId;
        send(res, emu, null, saved.status, headers, saved.body);
        return;
      }
      reserved = { apiKey: idempotencyScope, key: idempotencyKey };
    }
    if (emu.chaos.apiDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, emu.chaos.apiDelayMs));
    const current = emu.op({ id: requestId, idempotency_key: idempotencyKey ?? null });
    current.platform = caller.platform;
    op = current;
    body = emu.store.within(caller.account, () => {
      const result = matched.route.handler({
        op: current,
        id: matched.params.id ?? '',
        params: matched.params,
        input,
        apiKey,
      });
      let response: object = result;
      if (expand.length) {
        const copy: Record<string, unknown> = structuredClone({ ...result });
        expandPaths(copy, expand, { find: (id) => emu.store.find(id), includes: emu.includes });
        response = copy;
      }
      return JSON.stringify(response, null, 2);
    });
    if (reserved) emu.idempotency.finish(reserved.apiKey, reserved.key, { status, body, requestId });
  } catch (caught) {
    const error = caught instanceof ApiError ? caught : internalError(emu, caught);
    status = error.status;
    body = errorBody(error);
    Object.assign(headers, error.headers);
    if (reserved) {
      // Stripe saves a result only once the endpoint started executing.
      emu.idempotency.finish(
        reserved.apiKey,
        reserved.key,
        error.validation ? null : { status, body, requestId },
      );
    }
  }
  send(res, emu, op, status, headers, body);
}

async function handlePage(emu: Emulator, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const matched = emu.pages.match(method, url.pathname);
  if (!matched) {
    send(
      res,
      emu,
      null,
      404,
      { 'Content-Type': 'text/plain; charset=utf-8' },
      `Not found: ${method} ${url.pathname}\n`,
    );
    return;
  }
  const op = emu.op();
  // A hosted page carries no key: it acts for the account owning the object in its URL.
  const account = emu.store.ownerOf(matched.params.id ?? '') ?? PLATFORM_ACCOUNT;
  let result;
  try {
    const text = await readBody(req);
    result = await emu.store.within(account, () =>
      matched.route.handler({
        emu,
        op,
        params: matched.params,
        query: parseForm(url.search.slice(1)),
        body: parseAnyBody(text, header(req, 'content-type')),
        headers: req.headers,
      }),
    );
  } catch (caught) {
    const error = caught instanceof ApiError ? caught : internalError(emu, caught);
    result = {
      status: error.status,
      body: errorBody(error),
      headers: { 'Content-Type': 'application/json' },
    };
  }
  send(res, emu, op, result.status, { 'Cache-Control': 'no-store', ...result.headers }, result.body);
}

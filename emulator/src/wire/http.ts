import type { IncomingMessage } from 'node:http';
import qs from 'qs';
import type { Json } from '../types';
import { authenticationError, invalidRequest } from './errors';

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw invalidRequest('Request body too large.', { status: 413, validation: true });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** qs output as plain JSON (it only ever produces strings, arrays and objects). */
function toJson(value: unknown): Json {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null)
    return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toJson(inner)]));
  }
  return null;
}

/** Bracket notation (`line_items[0][price]`, `expand[]`, `metadata[k]`), in bodies and query strings. */
export function parseForm(text: string): Record<string, Json> {
  const parsed = qs.parse(text, { arrayLimit: 1000, depth: 10, parameterLimit: 10_000 });
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(parsed)) out[key] = toJson(value);
  return out;
}

/** The emulator's own endpoints take JSON or a form, whichever was sent. */
export function parseAnyBody(text: string, contentType: string | undefined): Record<string, Json> {
  if (!text.trim()) return {};
  if (contentType?.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidRequest('Invalid JSON body.', { validation: true });
    }
    const json = toJson(parsed);
    if (!json || typeof json !== 'object' || Array.isArray(json))
      throw invalidRequest('Expected a JSON object.');
    return json;
  }
  return parseForm(text);
}

const TEST_KEY = /^(sk|rk)_test_[A-Za-z0-9]+$/;

/** Enough of a key to recognise it in a log, never the whole of it. */
export function maskKey(key: string): string {
  const prefix = /^[a-z]{2,5}_(test|live)_/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  if (rest.length < 12) return `${prefix}${'*'.repeat(Math.max(4, rest.length))}`;
  return `${prefix}${'*'.repeat(rest.length - 4)}${rest.slice(-4)}`;
}

/** Returns the API key of a request, or throws Stripe's 401. */
export function authenticate(header: string | undefined): string {
  if (!header) {
    throw authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  let key = '';
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') key = value;
  else if (scheme?.toLowerCase() === 'basic')
    key = Buffer.from(value, 'base64').toString('utf8').split(':')[0] ?? '';
  else {
    throw authenticationError(
      'Invalid API Key provided. You need to provide your API key in the Authorization header, using Bearer auth.',
    );
  }
  if (!TEST_KEY.test(key)) {
    if (key.startsWith('sk_live_') || key.startsWith('rk_live_')) {
      throw authenticationError(
        `Invalid API Key provided: ${maskKey(key)}. The Stripe emulator only accepts test mode keys (sk_test_...).`,
      );
    }
    throw authenticationError(`Invalid API Key provided: ${maskKey(key)}`);
  }
  return key;
}

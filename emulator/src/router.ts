import type { IncomingHttpHeaders } from 'node:http';
import type { Host, Op } from './op';
import type { Json } from './types';

export type Method = 'GET' | 'POST' | 'DELETE';

/** A call to `/v1/...`: authenticated, parameters parsed, `expand` already taken out. */
export interface ApiCall {
  op: Op;
  /** The `:id` path parameter ('' when the route has none). */
  id: string;
  params: Record<string, string>;
  input: Record<string, Json>;
  apiKey: string;
}

export interface ApiRoute {
  method: Method;
  path: string;
  /** Returns the response object; throws ApiError for Stripe errors. */
  handler: (call: ApiCall) => object;
}

/** A call to a hosted page or an emulator-only endpoint. */
export interface HttpCall {
  emu: Host;
  op: Op;
  params: Record<string, string>;
  query: Record<string, Json>;
  body: Record<string, Json>;
  headers: IncomingHttpHeaders;
}

export interface HttpResult {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface HttpRoute {
  method: Method;
  path: string;
  handler: (call: HttpCall) => HttpResult | Promise<HttpResult>;
}

export const json = (value: unknown, status = 200): HttpResult => ({
  status,
  body: JSON.stringify(value, null, 2),
  headers: { 'Content-Type': 'application/json' },
});

export const html = (body: string, status = 200): HttpResult => ({
  status,
  body,
  headers: { 'Content-Type': 'text/html; charset=utf-8' },
});

export const redirect = (location: string): HttpResult => ({
  status: 303,
  body: '',
  headers: { Location: location },
});

interface Compiled<R> {
  route: R;
  pattern: RegExp;
  names: string[];
}

/** Paths like `/v1/customers/:id`; a parameter matches one path segment. */
export class Router<R extends { method: Method; path: string }> {
  private compiled: Array<Compiled<R>> = [];

  add(route: R): void {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.compiled.push({ route, pattern: new RegExp(`^${source}$`), names });
  }

  match(method: string, pathname: string): { route: R; params: Record<string, string> } | null {
    for (const { route, pattern, names } of this.compiled) {
      if (route.method !== method) continue;
      const found = pattern.exec(pathname);
      if (!found) continue;
      const params: Record<string, string> = {};
      names.forEach((name, index) => (params[name] = decodeURIComponent(found[index + 1] ?? '')));
      return { route, params };
    }
    return null;
  }
}

import type { Emulator } from '../emulator';
import type { WireObject } from '../types';
import { idOf } from '../values';
import { invalidRequest } from '../wire/errors';
import { newestFirst } from '../wire/list';
import { int, parseShape, req, str } from '../wire/params';

// Stripe's Search API (https://docs.stripe.com/search#search-query-language) for the fields apps
// use: `field:'value'`, `field~'sub'`, `-field:'value'`, `metadata['key']:'value'`, numeric
// `created>1700000000` (also <, >=, <=, :), clauses joined by AND or by OR (not both).

const FIELDS: Record<string, string[]> = {
  customers: ['email', 'name', 'phone', 'created'],
  subscriptions: ['status', 'created'],
  invoices: ['status', 'customer', 'subscription', 'number', 'total', 'currency', 'created'],
  payment_intents: ['status', 'customer', 'amount', 'currency', 'created'],
};
const TABLE = {
  customers: 'customer',
  subscriptions: 'subscription',
  invoices: 'invoice',
  payment_intents: 'payment_intent',
} as const;

type Row = Record<string, unknown> & { id: string; created: number };
type Test = (row: Row) => boolean;

const CLAUSE =
  /^(-?)(?:metadata\[(['"])(.+?)\2\]|([a-z_]+))\s*(:|~|>=|<=|>|<)\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+))$/;

function fieldValue(row: Row, field: string): unknown {
  if (field === 'subscription') {
    const parent = row.parent as { subscription_details?: { subscription?: string | { id: string } } } | null;
    return idOf(parent?.subscription_details?.subscription ?? null);
  }
  const value = row[field];
  return typeof value === 'object' && value !== null && 'id' in value ? (value as Row).id : value;
}

function clause(resource: string, text: string): Test {
  const m = CLAUSE.exec(text.trim());
  if (!m)
    throw invalidRequest(`Invalid search query: could not parse \`${text.trim()}\`.`, { param: 'query' });
  const [, negate, , metaKey, field, op, single, double, number] = m;
  if (field !== undefined && !FIELDS[resource]?.includes(field)) {
    throw invalidRequest(`Field \`${field}\` is an unsupported search field for resource \`${resource}\`.`, {
      param: 'query',
    });
  }
  const wanted = single ?? double ?? number ?? '';
  const read = (row: Row): unknown =>
    metaKey !== undefined
      ? (row.metadata as Record<string, string> | undefined)?.[metaKey]
      : fieldValue(row, field!);
  let test: Test;
  if (op === ':' || op === '~') {
    test = (row) => {
      const value = read(row);
      if (value === null || value === undefined) return false;
      const have = String(value).toLowerCase();
      return op === '~' ? have.includes(wanted.toLowerCase()) : have === wanted.toLowerCase();
    };
  } else {
    if (number === undefined)
      throw invalidRequest(`\`${op}\` needs a number in \`${text.trim()}\`.`, { param: 'query' });
    const n = Number(number);
    test = (row) => {
      const value = Number(read(row));
      return op === '>' ? value > n : op === '<' ? value < n : op === '>=' ? value >= n : value <= n;
    };
  }
  return negate ? (row) => !test(row) : test;
}

export function parseQuery(resource: string, query: string): Test {
  const hasAnd = /\sAND\s/.test(query);
  const hasOr = /\sOR\s/.test(query);
  if (hasAnd && hasOr) {
    throw invalidRequest('Search queries cannot combine AND and OR.', { param: 'query' });
  }
  const tests = query.split(hasOr ? /\s+OR\s+/ : /\s+AND\s+/).map((part) => clause(resource, part));
  return hasOr ? (row) => tests.some((t) => t(row)) : (row) => tests.every((t) => t(row));
}

export function registerSearch(emu: Emulator): void {
  for (const resource of Object.keys(TABLE) as Array<keyof typeof TABLE>) {
    emu.api.add({
      method: 'GET',
      path: `/v1/${resource}/search`,
      handler: ({ op, input }) => {
        const params = parseShape(
          { query: req(str()), limit: int({ min: 1, max: 100 }), page: str() },
          input,
        );
        const test = parseQuery(resource, params.query);
        const rows = (
          op.store.objects[TABLE[resource]].values() as unknown as WireObject[] as unknown as Row[]
        ).filter((row) => !op.store.internal.unlisted.has(row.id) && test(row));
        const ordered = newestFirst(rows);
        const start = params.page ? Number(Buffer.from(params.page, 'base64url').toString()) || 0 : 0;
        const limit = params.limit ?? 10;
        const data = ordered.slice(start, start + limit);
        const more = start + limit < ordered.length;
        return {
          object: 'search_result',
          data,
          has_more: more,
          next_page: more ? Buffer.from(String(start + limit)).toString('base64url') : null,
          url: `/v1/${resource}/search`,
        };
      },
    });
  }
}

import type { WireObject } from '../types';
import { invalidRequest } from './errors';

/** Computes a field Stripe leaves out unless asked (`expand[]=line_items` on a Checkout Session). */
export type Includer = (owner: Record<string, unknown>) => unknown;

export interface ExpandContext {
  find(id: string): WireObject | undefined;
  /** Keyed `${object}:${field}`, e.g. `checkout.session:line_items`. */
  includes: Map<string, Includer>;
}

const MAX_DEPTH = 4;

/**
 * Applies `expand[]` paths to a response (a private copy, changed in place): an id becomes its
 * object, dotted paths go deeper (`payment_intent.latest_charge`), `data.` reaches into lists.
 * An id with no object behind it stays an id.
 */
export function expandPaths(root: Record<string, unknown>, paths: string[], ctx: ExpandContext): void {
  paths.forEach((path, index) => {
    const segments = path.split('.');
    if (segments.length > MAX_DEPTH) {
      throw invalidRequest(
        `You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`,
        {
          param: `expand[${index}]`,
          validation: true,
        },
      );
    }
    walk(root, segments, ctx, `expand[${index}]`);
  });
}

function resolve(value: unknown, ctx: ExpandContext): unknown {
  if (typeof value !== 'string') return value;
  const found = ctx.find(value);
  return found ? structuredClone(found) : value;
}

/** A Stripe id (`cus_Ab12...`): a lowercase prefix, then random letters and digits. */
const ID = /^[a-z]+(?:_[a-z]+)*_(?=[A-Za-z0-9]*[A-Z0-9])[A-Za-z0-9]{8,}$/;

/**
 * Whether a value can stand where an expandable field is: an id (resolved or dangling), an
 * already expanded object, or null. Anything else (`status`, `amount`, `metadata`) is not an
 * expandable property, and Stripe answers 400 (https://docs.stripe.com/api/expanding_objects).
 */
function expandable(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value === 'string') return ID.test(value);
  // An object already in place: an expanded one, or a list Stripe includes (`charge.refunds`).
  return isRecord(value) && (typeof value.id === 'string' || value.object === 'list');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(node: Record<string, unknown>, segments: string[], ctx: ExpandContext, param: string): void {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  let value = node[head];
  const included = value === undefined;
  if (included) {
    const include = typeof node.object === 'string' ? ctx.includes.get(`${node.object}:${head}`) : undefined;
    if (!include)
      throw invalidRequest(`This property cannot be expanded (${head}).`, { param, validation: true });
    value = include(node);
  }
  const refuse = () =>
    invalidRequest(`This property cannot be expanded (${head}).`, { param, validation: true });
  if (Array.isArray(value)) {
    if (!rest.length && !included && !value.every(expandable)) throw refuse();
    const items = value.map((item) => resolve(item, ctx));
    node[head] = items;
    if (rest.length) for (const item of items) if (isRecord(item)) walk(item, rest, ctx, param);
    return;
  }
  if (!rest.length && !included && !expandable(value)) throw refuse();
  if (rest.length && value !== null && !isRecord(value) && !expandable(value)) throw refuse();
  value = resolve(value, ctx);
  node[head] = value;
  if (rest.length && isRecord(value)) walk(value, rest, ctx, param);
}

import type { Json } from '../types';
import { paramError } from './errors';

/**
 * A small schema language for Stripe parameters. Form bodies carry only strings, arrays and
 * objects, so each spec coerces and validates one value and fails with Stripe's own message.
 * Optional by default; `req()` marks a required parameter.
 */
export interface Spec<T> {
  readonly required: boolean;
  parse(value: Json, path: string): T;
}

type Shape = Record<string, Spec<unknown>>;
type TypeOf<S> = S extends Spec<infer T> ? T : never;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends { required: true } ? K : never }[keyof S];
export type Infer<S extends Shape> = {
  [K in RequiredKeys<S>]: TypeOf<S[K]>;
} & {
  [K in Exclude<keyof S, RequiredKeys<S>>]?: TypeOf<S[K]>;
};

const spec = <T>(parse: (value: Json, path: string) => T): Spec<T> => ({ required: false, parse });

export function req<T>(inner: Spec<T>): Spec<T> & { required: true } {
  return { required: true, parse: inner.parse };
}

function emptyNotAllowed(path: string): never {
  throw paramError(
    `You passed an empty string for '${path}'. We assume empty values are an attempt to unset a parameter; ` +
      `however '${path}' cannot be unset. You should remove '${path}' from your request or supply a non-empty value.`,
    path,
    'parameter_invalid_empty',
  );
}

function scalar(value: Json, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw paramError(`Invalid ${path}: must be a string`, path);
}

/** A non-empty string. */
export const str = (options: { max?: number } = {}) =>
  spec((value, path) => {
    const text = scalar(value, path);
    if (text === '') emptyNotAllowed(path);
    if (options.max !== undefined && text.length > options.max) {
      throw paramError(`Invalid ${path}: must be at most ${options.max} characters`, path);
    }
    return text;
  });

/** A string an empty value unsets (null). */
export const nullableStr = () =>
  spec((value, path) => (value === '' || value === null ? null : str().parse(value, path)));

export const int = (options: { min?: number; max?: number } = {}) =>
  spec((value, path) => {
    const text = scalar(value, path);
    if (text === '') emptyNotAllowed(path);
    if (!/^-?\d+$/.test(text))
      throw paramError(`Invalid integer: ${text}`, path, 'parameter_invalid_integer');
    const number = Number(text);
    if (options.min !== undefined && number < options.min) {
      throw paramError(
        `This value must be greater than or equal to ${options.min}.`,
        path,
        'parameter_invalid_integer',
      );
    }
    if (options.max !== undefined && number > options.max) {
      throw paramError(
        `This value must be less than or equal to ${options.max}.`,
        path,
        'parameter_invalid_integer',
      );
    }
    return number;
  });

export const bool = () =>
  spec((value, path) => {
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw paramError(`Invalid boolean: ${scalar(value, path)}`, path);
  });

export function oneOf<const T extends string>(values: readonly T[]): Spec<T> {
  return spec((value, path) => {
    const text = scalar(value, path);
    const found = values.find((candidate) => candidate === text);
    if (found === undefined) {
      const choices =
        values.length > 1 ? `${values.slice(0, -1).join(', ')}, or ${values.at(-1)}` : values.join('');
      throw paramError(`Invalid ${path}: must be one of ${choices}`, path);
    }
    return found;
  });
}

/** Metadata: `''` unsets all of it (null); a key set to `''` is removed (null in the result). */
export const metadata = () =>
  spec((value, path): Record<string, string | null> | null => {
    if (value === '' || value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value)) throw paramError(`Invalid hash`, path);
    const out: Record<string, string | null> = {};
    for (const [key, raw] of Object.entries(value)) {
      if (key.length > 40)
        throw paramError('Metadata keys can have a maximum length of 40 characters.', `${path}[${key}]`);
      const text = scalar(raw, `${path}[${key}]`);
      if (text.length > 500)
        throw paramError('Metadata values can have a maximum length of 500 characters.', `${path}[${key}]`);
      out[key] = text === '' ? null : text;
    }
    if (Object.keys(out).length > 50) throw paramError('You can have a maximum of 50 metadata keys.', path);
    return out;
  });

/** Arrays arrive as `a[0]=x&a[1]=y` (or `a[]=x`); qs gives either an array or an index-keyed object. */
export function list<T>(item: Spec<T>): Spec<T[]> {
  return spec((value, path) => {
    let items: Json[];
    if (Array.isArray(value)) items = value;
    else if (value && typeof value === 'object' && Object.keys(value).every((key) => /^\d+$/.test(key))) {
      items = Object.keys(value)
        .sort((a, b) => Number(a) - Number(b))
        .map((key) => value[key] ?? null);
    } else if (value === '') items = [];
    else throw paramError(`Invalid array`, path);
    return items.map((entry, index) => item.parse(entry, `${path}[${index}]`));
  });
}

export function obj<S extends Shape>(shape: S): Spec<Infer<S>> {
  return spec((value, path) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw paramError(`Invalid hash`, path);
    return parseShape(shape, value, path);
  });
}

export interface Range {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** `created=123` or `created[gte]=...&created[lt]=...`. */
export const range = () =>
  spec((value, path): Range => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return parseShape({ gt: int(), gte: int(), lt: int(), lte: int() }, value, path);
    }
    const exact = int().parse(value, path);
    return { gte: exact, lte: exact };
  });

export function inRange(created: number, range: Range | undefined): boolean {
  if (!range) return true;
  if (range.gt !== undefined && !(created > range.gt)) return false;
  if (range.gte !== undefined && !(created >= range.gte)) return false;
  if (range.lt !== undefined && !(created < range.lt)) return false;
  if (range.lte !== undefined && !(created <= range.lte)) return false;
  return true;
}

/** Reads a whole parameter object: unknown keys and missing required ones are Stripe errors. */
export function parseShape<S extends Shape>(shape: S, input: { [key: string]: Json }, path = ''): Infer<S> {
  const name = (key: string) => (path ? `${path}[${key}]` : key);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const field = shape[key];
    if (!field) throw paramError(`Received unknown parameter: ${name(key)}`, name(key), 'parameter_unknown');
    out[key] = field.parse(value, name(key));
  }
  for (const [key, field] of Object.entries(shape)) {
    if (field.required && !(key in input)) {
      throw paramError(`Missing required param: ${name(key)}.`, name(key), 'parameter_missing');
    }
  }
  // Each value was produced by the spec of its key, and required keys were checked above.
  return out as Infer<S>;
}

/** Shared list parameters. */
export const pagination = {
  limit: int({ min: 1, max: 100 }),
  starting_after: str(),
  ending_before: str(),
};

import { describe, expect, it } from 'vitest';
import { handlerFor } from './handlers';
import { signatureTimeProblem, unstorableReason } from './intake';

const now = 1_800_000_000;
const event = (overrides: Record<string, unknown> = {}) => ({
  id: 'evt_1',
  type: 'customer.updated',
  created: now,
  data: { object: { id: 'cus_1', name: 'Ada' } },
  ...overrides,
});

describe('signature timestamps', () => {
  it('accepts a whole second within five minutes either way', () => {
    for (const t of [now, now - 300, now + 300]) expect(signatureTimeProblem(`t=${t},v1=ab`, now)).toBeNull();
  });

  it('refuses timestamps more than five minutes away, in the past or the future', () => {
    expect(signatureTimeProblem(`t=${now - 301},v1=ab`, now)).toMatch(/too old/);
    for (const t of [now + 301, now + 600, now + 365 * 86_400])
      expect(signatureTimeProblem(`t=${t},v1=ab`, now)).toMatch(/in the future/);
  });

  it('refuses a timestamp that is not an integer', () => {
    for (const t of ['NaN', '1.5', '', '-1', '1e9', 'Infinity', ' 12', '0x10'])
      expect(signatureTimeProblem(`t=${t},v1=ab`, now), t).toMatch(/not an integer/);
    expect(signatureTimeProblem(`t=${now},t=${now},v1=ab`, now)).toMatch(/not an integer/);
  });
});

describe('events PostgreSQL cannot store', () => {
  it('passes an ordinary event', () => {
    expect(unstorableReason(event())).toBeNull();
  });

  it.each([
    ['a NUL in a value', event({ data: { object: { id: 'cus_1', name: 'a\u0000b' } } }), /NUL/],
    ['a NUL in a key', event({ data: { object: { 'a\u0000': 1 } } }), /key .*NUL/],
    ['a lone high surrogate', event({ data: { object: { name: '\ud800' } } }), /surrogate/],
    ['a lone low surrogate', event({ data: { object: { name: 'x\udc00y' } } }), /surrogate/],
    ['created of 1e20', event({ created: 1e20 }), /created/],
    ['created of -1e15', event({ created: -1e15 }), /created/],
    ['a fractional created', event({ created: now + 0.5 }), /created/],
    ['an infinite number', event({ data: { object: { amount: Infinity } } }), /number/],
    ['an id over the index limit', event({ id: 'evt_' + 'x'.repeat(2800) }), /id must be/],
    ['a type over the index limit', event({ type: 'x'.repeat(2800) }), /type must be/],
    ['an object id over the limit', event({ data: { object: { id: 'x'.repeat(300) } } }), /object\.id/],
  ])('refuses %s', (_name, body, reason) => {
    expect(unstorableReason(body)).toMatch(reason);
  });

  it('refuses deep nesting without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(unstorableReason(event({ data: { object: deep } }))).toMatch(/nested deeper/);
  });

  it('calls anything that is not an event malformed', () => {
    for (const body of [null, [], 'x', 1, {}, { id: 1, type: 'a', created: 1 }])
      expect(unstorableReason(body)).toMatch(/^malformed/);
  });
});

describe('handlerFor', () => {
  it("finds no handler for Object.prototype's members", () => {
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])
      expect(handlerFor(type), type).toBeUndefined();
    expect(handlerFor('customer.updated')).toBeTypeOf('function');
  });
});

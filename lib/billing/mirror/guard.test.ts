import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freshness, later, versionToApply } from './guard';

const instant = fc.integer({ min: 0, max: 4_000_000_000 }).map((s) => new Date(s * 1000));

describe('freshness: is an event newer than the stored version?', () => {
  it('calls anything newer when nothing is stored', () => {
    fc.assert(
      fc.property(instant, (at) => freshness(null, at) === 'newer' && freshness(undefined, at) === 'newer'),
    );
  });

  it('orders two times exactly: newer, same-second tie, or stale', () => {
    fc.assert(
      fc.property(instant, instant, (stored, incoming) => {
        const expected =
          incoming.getTime() > stored.getTime()
            ? 'newer'
            : incoming.getTime() === stored.getTime()
              ? 'tie'
              : 'stale';
        expect(freshness(stored, incoming)).toBe(expected);
      }),
    );
  });

  it('later() keeps the newest time, so a stored time never moves back', () => {
    fc.assert(
      fc.property(fc.option(instant, { nil: null }), instant, (a, b) => {
        const result = later(a, b);
        expect(result.getTime()).toBe(Math.max(a?.getTime() ?? -Infinity, b.getTime()));
      }),
    );
  });
});

describe('versionToApply: which copy of an object gets written', () => {
  const stored = new Date('2026-01-01T00:00:10Z');
  const refetched = { version: 'stripe-now' };
  const incoming = { version: 'event' };

  it("writes the event's copy when it is newer, without asking Stripe", async () => {
    let calls = 0;
    const result = await versionToApply(
      'event',
      stored,
      new Date('2026-01-01T00:00:11Z'),
      incoming,
      async () => {
        calls += 1;
        return refetched;
      },
    );
    expect(result).toBe(incoming);
    expect(calls).toBe(0);
  });

  it("re-reads Stripe on a same-second tie (Stripe's timestamps are whole seconds)", async () => {
    const result = await versionToApply('event', stored, new Date(stored), incoming, async () => refetched);
    expect(result).toBe(refetched);
  });

  it('skips an event older than what is stored, so a late event never undoes a newer one', async () => {
    const result = await versionToApply(
      'event',
      stored,
      new Date('2026-01-01T00:00:09Z'),
      incoming,
      async () => {
        throw new Error('must not refetch');
      },
    );
    expect(result).toBeNull();
  });

  it('always writes in reconcile mode, whatever is stored, from a copy read again under the lock', async () => {
    // A copy listed before the lock could be older than what a webhook wrote meanwhile (ADR 0007).
    await fc.assert(
      fc.asyncProperty(fc.option(instant, { nil: null }), instant, async (storedAt, eventAt) => {
        expect(await versionToApply('refetched', storedAt, eventAt, incoming, async () => refetched)).toBe(
          refetched,
        );
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { isoOrDash, payloadText } from './webhook-view';

describe('webhook event view', () => {
  it('shows a dash for an infinite or missing date', () => {
    expect(isoOrDash(new Date(Number.POSITIVE_INFINITY))).toBe('—');
    expect(isoOrDash(new Date('infinity'))).toBe('—');
    expect(isoOrDash(null)).toBe('—');
    expect(isoOrDash(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });

  it('shows a note for a payload nested too deeply, and redacts the rest', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    expect(payloadText({ data: deep })).toMatch(/nested too deeply/);
    expect(payloadText({ client_secret: 'pi_1_secret_abc', id: 'pi_1' })).not.toContain('pi_1_secret_abc');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientIpFrom, normalizeIp } from './client-ip';
import { PEER_ADDRESS_HEADER } from './peer-address';

const headers = (values: Record<string, string>) => new Headers(values);

describe('clientIpFrom', () => {
  it('ignores X-Forwarded-For when no proxy is trusted: a rotating header is still one client', () => {
    const seen = new Set(
      ['1.1.1.1', '2.2.2.2', '3.3.3.3, 4.4.4.4'].map((xff) =>
        clientIpFrom(headers({ 'x-forwarded-for': xff, [PEER_ADDRESS_HEADER]: '203.0.113.7' }), 0, true),
      ),
    );
    expect([...seen]).toEqual(['203.0.113.7']);
  });

  it('takes the entry the trusted proxy appended, never what the client prepended', () => {
    const h = headers({ 'x-forwarded-for': '6.6.6.6, 198.51.100.4', [PEER_ADDRESS_HEADER]: '10.0.0.2' });
    expect(clientIpFrom(h, 1, true)).toBe('198.51.100.4');
    const two = headers({ 'x-forwarded-for': 'spoofed, 198.51.100.4, 10.0.0.9' });
    expect(clientIpFrom(two, 2, true)).toBe('198.51.100.4');
  });

  it('falls back to the socket address when the chain is shorter than the trusted hops', () => {
    expect(clientIpFrom(headers({ [PEER_ADDRESS_HEADER]: '::ffff:192.0.2.1' }), 1, true)).toBe('192.0.2.1');
  });

  it('does not believe the peer header unless this server stamped it', () => {
    expect(clientIpFrom(headers({ [PEER_ADDRESS_HEADER]: '192.0.2.1' }), 0, false)).toBe('unknown');
  });

  it('whatever a client prepends, one trusted hop always yields the proxy-written address', () => {
    fc.assert(
      fc.property(fc.array(fc.ipV4(), { maxLength: 6 }), fc.ipV4(), (spoofed, real) => {
        const xff = [...spoofed, real].join(', ');
        return clientIpFrom(headers({ 'x-forwarded-for': xff }), 1, false) === real;
      }),
    );
  });
});

describe('normalizeIp', () => {
  it('keys IPv6 clients by their /64 and unwraps IPv4-mapped addresses', () => {
    expect(normalizeIp('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(normalizeIp('2001:db8:1:2:ffff::1')).toBe('2001:db8:1:2::/64');
    expect(normalizeIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeIp('[::1]')).toBe('::1');
  });
});

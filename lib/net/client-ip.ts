// Which address a request came from, for per-IP limits. X-Forwarded-For is
// written by whoever sends the request, so it is believed only as far as
// TRUSTED_PROXY_HOPS proxies of our own appended to it; with no proxy the
// address is the socket's (stamped by lib/net/peer-address.ts). See ADR 0009.
import { env } from '@/lib/env';
import { PEER_ADDRESS_HEADER, peerAddressStamped } from '@/lib/net/peer-address';

type HeaderSource = Pick<Headers, 'get'>;

/** `::ffff:1.2.3.4` and `1.2.3.4` are one client; IPv6 clients are keyed by their /64. */
export function normalizeIp(raw: string): string {
  const value = raw.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  if (mapped?.[1]) return mapped[1];
  if (value.includes(':')) {
    const groups = value.toLowerCase().split('::')[0]!.split(':');
    // Addresses written with '::' early keep what they have; a /64 is the first four groups.
    return groups.length >= 4 ? `${groups.slice(0, 4).join(':')}::/64` : value.toLowerCase();
  }
  return value;
}

/**
 * The client address. `hops` proxies each appended the address they received
 * the request from, so the client is the hops-th entry from the right; anything
 * left of it was sent by the client and is ignored.
 */
export function clientIpFrom(headers: HeaderSource, hops: number, trustPeerHeader: boolean): string {
  const peer = trustPeerHeader ? headers.get(PEER_ADDRESS_HEADER)?.trim() || null : null;
  if (hops > 0) {
    const chain = (headers.get('x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const entry = chain[chain.length - hops];
    if (entry) return normalizeIp(entry);
  }
  return peer ? normalizeIp(peer) : 'unknown';
}

export function clientIp(headers: HeaderSource): string {
  return clientIpFrom(headers, env().TRUSTED_PROXY_HOPS, peerAddressStamped());
}

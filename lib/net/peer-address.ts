// Next.js hands route handlers and server actions no socket address, and it
// keeps a client-sent X-Forwarded-For as it is. So each Node server instance
// stamps every incoming request with the socket's address under a header of
// its own, overwriting whatever a client put there. Installed once, from
// instrumentation.ts; where it is not installed (serverless platforms) the
// header is not believed and TRUSTED_PROXY_HOPS must describe the platform.
import type { IncomingMessage } from 'node:http';

export const PEER_ADDRESS_HEADER = 'x-tollgate-peer-address';
const installed = Symbol.for('tollgate.peerAddressStamped');

type Flagged = typeof globalThis & { [installed]?: boolean };

export function peerAddressStamped(): boolean {
  return (globalThis as Flagged)[installed] === true;
}

export function stampPeerAddress(request: IncomingMessage): void {
  request.headers[PEER_ADDRESS_HEADER] = request.socket?.remoteAddress ?? '';
}

export async function installPeerAddressStamp(): Promise<void> {
  const flagged = globalThis as Flagged;
  if (flagged[installed]) return;
  const http = await import('node:http');
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (
    this: InstanceType<typeof http.Server>,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event === 'request') stampPeerAddress(args[0] as IncomingMessage);
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
  flagged[installed] = true;
}

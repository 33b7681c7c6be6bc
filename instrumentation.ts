// Runs once when a server instance starts.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    await import('./lib/startup');
    // Per-IP limits need the socket address, which Next.js does not pass on (ADR 0009).
    const { installPeerAddressStamp } = await import('./lib/net/peer-address');
    await installPeerAddressStamp();
  }
}

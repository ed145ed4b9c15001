import { isIP } from 'node:net';

/**
 * The client's address, as far as it can be believed (ADR-023). Each proxy
 * appends the address it was connected from to X-Forwarded-For, so only the
 * last `trustedHops` entries were written by proxies we run; anything left of
 * them is whatever the client sent. With N trusted hops the client is the
 * N-th entry from the right (or the left-most, when the request passed fewer
 * proxies); with none — the default — the header is ignored and the socket's
 * address counts. An entry that is not an IP address is not believed either.
 */
export function clientAddress(forwardedFor: string | undefined, socketAddress: string | undefined, trustedHops: number): string {
  const socket = socketAddress || 'unknown';
  if (trustedHops <= 0 || !forwardedFor) return socket.slice(0, 64);
  const entries = forwardedFor.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return socket.slice(0, 64);
  const candidate = entries[Math.max(0, entries.length - trustedHops)]!;
  return isIP(candidate) ? candidate : socket.slice(0, 64);
}

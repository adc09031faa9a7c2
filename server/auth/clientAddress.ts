/**
 * [A16] The client address behind trusted reverse proxies. Every proxy appends the address it
 * received the request from to `X-Forwarded-For`, so with `hops` trusted proxies in front, the
 * client is the address the outermost of them saw: counting the socket's peer as hop 0 and the
 * header's entries from the right as hops 1, 2, …, the one at `hops`. Entries further left are
 * whatever the client wrote and are never used. Without the header (or with fewer entries than
 * hops) the last address there is is used; an entry that is not an IP address means the
 * configuration does not match the proxies, so the socket's peer is used instead.
 */
import { isIP } from 'node:net'

/** The address per-address limits ([A10], [A13]) count, from the socket's peer and the header. */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, hops: number): string | undefined {
  if (hops <= 0 || forwardedFor === undefined) return socketAddress
  const entries = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  if (entries.length === 0) return socketAddress
  const chosen = entries[Math.max(0, entries.length - hops)]
  return chosen !== undefined && isIP(chosen) !== 0 ? chosen : socketAddress
}

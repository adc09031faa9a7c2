/**
 * The public id of a participant's secret key (`docs/server-rules.md` [S29], [R5]). The page makes
 * one secret per browser and sends it on its sync connections; the key id is what may be shown:
 * it is written into the creator stamp of every record the participant creates, and the server
 * holds the participant's Yjs client ids under it. Knowing a key id does not give its key (SHA-256),
 * so only the browser holding the key can act as that participant.
 *
 * @example
 * ```ts
 * const keyId = participantKeyId(getParticipantKey()) // 43 URL-safe characters
 * ```
 */
import { toBase64UrlEncoded } from 'lib0/buffer'
import { digest } from 'lib0/hash/sha256'

/** Domain of the hash: a key id is never the plain SHA-256 of the key. */
const KEY_ID_DOMAIN = 'keyplan participant key:'

/** The key id of `key`: base64url of SHA-256 over a fixed prefix and the key (43 characters). */
export function participantKeyId(key: string): string {
  return toBase64UrlEncoded(digest(new TextEncoder().encode(`${KEY_ID_DOMAIN}${key}`)))
}

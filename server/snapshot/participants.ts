/**
 * Participant names from a room's awareness. The client publishes tldraw's `TLInstancePresence`
 * under the awareness field `presence` (`client/board/presence.ts`), whose `userName` is the name
 * people see next to the cursor.
 */
import type { Awareness } from 'y-protocols/awareness'

/** Awareness field holding a client's presence; the client's `PRESENCE_FIELD`. */
const PRESENCE_FIELD = 'presence'
/** Longest name kept (the plan record's limit). */
const MAX_NAME = 200

/** The display names published in `awareness` by the given clients (all when omitted). */
export function participantNames(awareness: Awareness, clientIds?: readonly number[]): string[] {
  const states = awareness.getStates()
  const names: string[] = []
  for (const clientId of clientIds ?? states.keys()) {
    const presence: unknown = states.get(clientId)?.[PRESENCE_FIELD]
    if (typeof presence !== 'object' || presence === null) continue
    const name: unknown = (presence as { userName?: unknown }).userName // reading one field of a peer's JSON
    if (typeof name === 'string' && name.trim() !== '') names.push(name.trim().slice(0, MAX_NAME))
  }
  return names
}

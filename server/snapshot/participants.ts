/**
 * Participant names from a room's awareness. The client publishes its tldraw presence in a compact
 * form (`client/board/presenceWire.ts`) under the awareness field `presence`; tabs opened before
 * that form publish the whole `TLInstancePresence`. In both, `userName` is the name
 * people see next to the cursor. Each name is kept with the boards it was seen on, so that a
 * guest's view of a snapshot lists only people who were on boards the guest may see
 * (docs/security.md [A18]).
 */
import type { Awareness } from 'y-protocols/awareness'
import type { BoardId } from '../../shared/boards.ts'

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

/** Participant names with the boards each was seen on ([A18]), in the order first seen. */
export type ParticipantBoards = Map<string, Set<BoardId>>

/** Records that `names` were seen on `board`. */
export function noteParticipants(into: ParticipantBoards, board: BoardId, names: readonly string[]): void {
  for (const name of names) {
    const boards = into.get(name)
    if (boards) boards.add(board)
    else into.set(name, new Set([board]))
  }
}

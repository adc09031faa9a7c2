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
import { CONTROL_LIMITS } from '../../shared/control.ts'
import { guestMarkedName } from '../../shared/protocol.ts'

/** Awareness field holding a client's presence; the client's `PRESENCE_FIELD`. */
const PRESENCE_FIELD = 'presence'
/**
 * A name as a page publishes it, made a display name as the room's control channel takes one
 * ([C1]: at most 40 characters, no control or format characters): a raw client's name with a NUL,
 * a line break, a right-to-left override or 300 characters reached the snapshot's participants,
 * its Markdown and its "Present:" line (QA q28c). A control character (a line break) is a space,
 * a format character (a direction override, a zero-width space) goes; spaces run together; empty
 * is no name.
 */
export function displayName(name: string): string {
  const printable = name.replace(/\p{Cf}+/gu, '').replace(/\p{Cc}+/gu, ' ')
  return [...printable.replace(/\s+/gu, ' ').trim()].slice(0, CONTROL_LIMITS.maxNameLength).join('').trim()
}

/**
 * The display names published in `awareness` by the given clients (all when omitted). A name a
 * guest's connection published (stamped so by the server that admitted it, [A44]) says so: a guest
 * who calls themselves "Fiona Facilitator" is listed as "Fiona Facilitator (guest)".
 */
export function participantNames(awareness: Awareness, clientIds?: readonly number[]): string[] {
  const states = awareness.getStates()
  const names: string[] = []
  for (const clientId of clientIds ?? states.keys()) {
    const state = states.get(clientId)
    const presence: unknown = state?.[PRESENCE_FIELD]
    if (typeof presence !== 'object' || presence === null) continue
    const name: unknown = (presence as { userName?: unknown }).userName // reading one field of a peer's JSON
    const shown = typeof name === 'string' ? displayName(name) : ''
    if (shown !== '') names.push(guestMarkedName(shown, state))
  }
  return names
}

/**
 * Participants seen ([A18]), in the order first seen: keyed by who they are (the server's
 * participant key of their connection, or `name:<name>` for a name published through another
 * instance), each with the name they last used and the boards they were on. A person who renames
 * themselves is one participant under their last name, not one per name.
 */
export type ParticipantBoards = Map<string, { name: string; boards: Set<BoardId> }>

/** Records that participant `who` was seen on `board` under `name` (their latest). */
export function noteParticipant(into: ParticipantBoards, who: string, board: BoardId, name: string): void {
  const seen = into.get(who)
  if (seen) {
    seen.name = name
    seen.boards.add(board)
  } else into.set(who, { name, boards: new Set([board]) })
}

/** Adds every participant of `from` to `into` (a later name replaces an earlier one). */
export function addParticipants(into: ParticipantBoards, from: ParticipantBoards): void {
  for (const [who, { name, boards }] of from) for (const board of boards) noteParticipant(into, who, board, name)
}

/** Each name of `seen` once, with the boards of everyone who goes by it, in the order first seen. */
export function namesWithBoards(seen: ParticipantBoards): Map<string, Set<BoardId>> {
  const names = new Map<string, Set<BoardId>>()
  for (const { name, boards } of seen.values()) {
    const on = names.get(name)
    if (on) for (const board of boards) on.add(board)
    else names.set(name, new Set(boards))
  }
  return names
}

import * as Y from 'yjs'
import { setTimeout as sleep } from 'node:timers/promises'

/** Compact comparable form of a document's state vector. */
function stateKey(doc: Y.Doc): string {
  return Buffer.from(Y.encodeStateVector(doc)).toString('base64')
}

/** True when every doc has the same state vector (same inserted content, same history). */
export function converged(docs: readonly Y.Doc[]): boolean {
  const first = docs[0]
  if (!first) return true
  const key = stateKey(first)
  return docs.every((doc) => stateKey(doc) === key)
}

/**
 * Waits until each room's docs converge, polling up to `timeoutMs`.
 * Returns a warning per room that did not, for the result table.
 */
export async function awaitConvergence(rooms: ReadonlyMap<string, readonly Y.Doc[]>, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs
  let pending = [...rooms.keys()]
  while (pending.length > 0 && Date.now() < deadline) {
    pending = pending.filter((room) => !converged(rooms.get(room) ?? []))
    if (pending.length > 0) await sleep(100)
  }
  if (pending.length === 0) return []
  return [`${pending.length} of ${rooms.size} room(s) did not converge within ${timeoutMs} ms (e.g. ${pending[0]})`]
}

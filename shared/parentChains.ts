/**
 * Where a shape hangs (`docs/server-rules.md` [R10]): a shape's parent chain must end at a page.
 * tldraw's runtime does not survive a shape that is its own parent or in a parent cycle (every
 * page opening the board froze, QA q33a), nor a binding whose two ends are one shape (a `RangeError`
 * in `getShape`). The server refuses updates that make one ([R10], `server/sync/checkRecordOps.ts`)
 * and the page's binding never hands tldraw one stored before that (`client/board/bindStoreToYDoc.ts`).
 */
import type { JsonObject } from '@tldraw/utils'

/**
 * Parent links followed at most from a shape being placed. Far above any board's nesting (a card in
 * a group in a frame is three); a deeper chain is refused like a cycle, so a walk stays short.
 */
export const MAX_NESTING = 64

/** What is wrong with where a shape hangs. */
export type ParentFault =
  /** Its `parentId` is its own id. */
  | 'own-parent'
  /** Its parent chain comes back to it. */
  | 'cycle'
  /** Its parent chain runs into a cycle it is not part of: it never reaches a page either. */
  | 'under-cycle'
  /** Its parent chain is longer than {@link MAX_NESTING}. */
  | 'too-deep'

/** A record by id as the caller sees the board (null when it has none). */
export type RecordLookup = (id: string) => JsonObject | null

/**
 * What is wrong with shape `id` hanging from `parentId`, or null when its chain reaches a page or a
 * parent the board does not have (that one may be in the board's other document, or come later:
 * not judged here). Follows at most {@link MAX_NESTING} links, reading each ancestor with `lookup`.
 * @example
 * parentFault('shape:a', 'shape:a', lookup) // 'own-parent'
 * parentFault('shape:a', 'shape:b', (id) => (id === 'shape:b' ? { parentId: 'shape:a' } : null)) // 'cycle'
 */
export function parentFault(id: string, parentId: unknown, lookup: RecordLookup): ParentFault | null {
  if (parentId === id) return 'own-parent'
  // Ids seen on the way: the chain is short (see MAX_NESTING), a set of a few.
  const seen = new Set<string>([id])
  let at = parentId
  for (let depth = 0; typeof at === 'string' && at.startsWith('shape:'); depth++) {
    if (seen.has(at)) return at === id ? 'cycle' : 'under-cycle'
    if (depth >= MAX_NESTING) return 'too-deep'
    seen.add(at)
    const parent = lookup(at)
    if (parent === null || parent.typeName !== 'shape') return null
    at = parent.parentId
  }
  return null
}

/** Words for a {@link ParentFault}, after the shape's id in a close reason or a page's warning. */
export const PARENT_FAULT_WORDS: Record<ParentFault, string> = {
  'own-parent': 'is its own parent',
  cycle: 'is in a parent cycle',
  'under-cycle': 'is inside a parent cycle',
  'too-deep': `is nested more than ${MAX_NESTING} shapes deep`,
}

/**
 * True for a binding whose two ends are the same shape (`fromId` equals `toId`): an arrow bound to
 * itself, which tldraw's runtime cannot lay out.
 */
export function isSelfBinding(record: JsonObject): boolean {
  return record.typeName === 'binding' && typeof record.fromId === 'string' && record.fromId === record.toId
}

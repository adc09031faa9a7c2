/**
 * [S6][S26] A client update's values are decoded once: the room applies the very values the guard
 * decoded and judged (`server/sync/decodeOnce.ts`), and the doc it leaves is the doc
 * `Y.applyUpdate` leaves, whatever the noted values (another update's, none) say.
 */
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { applyUpdateWithValues, decodeUpdateKeepingValues } from '../../server/sync/decodeOnce.ts'
import { asJson } from '../helpers/boardPeers.ts'
import { note } from '../helpers/planBoards.ts'

function seeded(): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, createSeededBoardUpdate('swot'))
  return doc
}

/** An update of a copy of `server` that creates `count` notes and moves the first. */
function editOf(server: Y.Doc, count: number, seed: number): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  const notes = Array.from({ length: count }, (_, i) => asJson(note(`shape:n${seed}-${i}`, { x: 10 * i, y: seed }, `text ${seed} ${i} ${'é'.repeat(i)}`)))
  writeRecordChanges(doc, { put: notes, remove: [] })
  writeRecordChanges(doc, { put: [{ ...notes[0], x: 321, meta: { moved: { by: seed, at: [1, 2, { deep: null }] } } }], remove: [] })
  return Y.mergeUpdates(updates)
}

/** Every plain value the doc's items hold. */
function heldValues(doc: Y.Doc): unknown[] {
  const out: unknown[] = []
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) if (struct instanceof Y.Item && struct.content instanceof Y.ContentAny) out.push(...struct.content.arr)
  }
  return out
}

describe('[S6][S26] update values decoded once', () => {
  test('the doc holds the very values the guard decoded, and equals a plain apply', () => {
    const base = seeded()
    const update = editOf(base, 5, 1)
    const { decoded, values } = decodeUpdateKeepingValues(update)
    expect(decoded).toEqual(Y.decodeUpdate(update))
    const judged = new Set<unknown>()
    for (const struct of decoded.structs) if (struct instanceof Y.Item && struct.content instanceof Y.ContentAny) for (const v of struct.content.arr) judged.add(v)
    expect(judged.size).toBeGreaterThan(5)

    const once = seeded()
    applyUpdateWithValues(once, update, values, 'peer')
    const twice = seeded()
    Y.applyUpdate(twice, update)
    expect(Y.encodeStateAsUpdate(once)).toEqual(Y.encodeStateAsUpdate(twice))
    // The entries the update brought are the guard's objects, not a second decoding of the bytes.
    const fresh = heldValues(once).filter((v) => !heldValues(base).some((w) => JSON.stringify(w) === JSON.stringify(v)))
    expect(fresh.length).toBeGreaterThan(5)
    for (const value of fresh) expect(judged.has(value)).toBe(true)
  })

  test('values noted of other bytes, or none, are never taken', () => {
    const base = seeded()
    const update = editOf(base, 4, 2)
    // Same layout, other values: offsets that match, bytes that do not.
    const other = decodeUpdateKeepingValues(editOf(base, 4, 3)).values
    const copy = decodeUpdateKeepingValues(update.slice()).values
    const wrongAtOwnBytes = { bytes: update, noted: copy.noted.map((v, i) => (i % 3 === 2 ? { poisoned: true } : v)) }
    for (const values of [other, { bytes: update, noted: [] }, { ...other, bytes: copy.bytes }]) {
      const doc = seeded()
      applyUpdateWithValues(doc, update, values, 'peer')
      const plain = seeded()
      Y.applyUpdate(plain, update)
      expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(plain))
    }
    // What is noted of the very bytes is taken as it is: the offsets are the only check, so the
    // noting must be the decoding's own (as decodeMessage keeps it with the update it decoded).
    const doc = seeded()
    applyUpdateWithValues(doc, update, wrongAtOwnBytes, 'peer')
    expect(heldValues(doc).some((v) => typeof v === 'object' && v !== null && 'poisoned' in v)).toBe(true)
  })

  test('a malformed update throws as Y.decodeUpdate does', () => {
    const update = editOf(seeded(), 2, 4)
    const cut = update.slice(0, update.length - 7)
    expect(() => Y.decodeUpdate(cut)).toThrow()
    expect(() => decodeUpdateKeepingValues(cut)).toThrow()
  })
})

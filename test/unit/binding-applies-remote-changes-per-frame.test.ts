import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CREATES_PER_FRAME, bindStoreToYDoc } from '../../client/board/bindStoreToYDoc.ts'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import type { StakeholderCardShape } from '../../shared/shapes.ts'
import { BOARD_PAGE_ID, createSeededBoardUpdate } from '../../shared/templates.ts'
import { asJson, connect, createTestStore, stakeholderCard } from '../helpers/boardPeers.ts'
import { geo } from '../helpers/planBoards.ts'

// Remote changes reach the store once per animation frame, and a large batch of new shapes is
// spread over frames (issue 14). Frames are driven by hand here: `scheduleApply` queues them.

/** A page bound to a seeded board whose frames run only when the test says so, and a writer. */
function pageWithFrames() {
  const writer = new Y.Doc()
  Y.applyUpdate(writer, createSeededBoardUpdate('swot'))
  const doc = new Y.Doc()
  const store = createTestStore()
  const frames: Array<() => void> = []
  bindStoreToYDoc(store, doc, { scheduleApply: (apply) => frames.push(apply) })
  connect(writer, doc)
  const runFrame = () => {
    const queued = frames.splice(0)
    for (const apply of queued) apply()
    return queued.length
  }
  const runAllFrames = () => {
    let count = 0
    while (runFrame() > 0) count++
    return count
  }
  const shapes = () => store.query.ids('shape').get().size
  return { writer, doc, store, runFrame, runAllFrames, shapes }
}

const box = (i: number): TLShape => geo(`shape:box${String(i).padStart(4, '0')}`, { x: i * 10, y: 0, parentId: BOARD_PAGE_ID }, 100, 80, `Box ${i}`)

describe('remote changes in a page', () => {
  it('a board that is still loading gets everything at once', () => {
    const { store, shapes } = pageWithFrames()
    // The seeded template arrived with the first sync, before any frame ran.
    expect(shapes()).toBeGreaterThan(0)
    expect(store.get('page:page' as TLRecord['id'])).toBeTruthy() // the board's page
  })

  it('changes arriving within one frame are applied together, in that frame', () => {
    const { writer, store, runFrame } = pageWithFrames()
    let remoteChanges = 0
    store.listen(() => remoteChanges++, { source: 'remote', scope: 'document' })
    const card = stakeholderCard('dana', { name: 'Dana Ruiz' })
    writeRecordChanges(writer, { put: [asJson(card)], remove: [] })
    writeRecordChanges(writer, { put: [{ ...asJson(card), x: 40 }], remove: [] })
    writeRecordChanges(writer, { put: [{ ...asJson(card), x: 80 }], remove: [] })
    expect(store.has(card.id)).toBe(false)

    expect(runFrame()).toBe(1)
    store._flushHistory()
    expect(store.get(card.id)).toMatchObject({ x: 80 })
    expect(remoteChanges).toBe(1)
    expect(runFrame()).toBe(0)
  })

  it('a large batch of new shapes is spread over frames, in full at the end', () => {
    const { writer, runFrame, runAllFrames, shapes } = pageWithFrames()
    const before = shapes()
    const batch = Array.from({ length: CREATES_PER_FRAME * 4 + 7 }, (_, i) => box(i))
    writeRecordChanges(writer, { put: batch.map(asJson), remove: [] })

    runFrame()
    // At most CREATES_PER_FRAME, fewer when the frame's apply ran long (a busy machine).
    expect(shapes() - before).toBeGreaterThan(0)
    expect(shapes() - before).toBeLessThanOrEqual(CREATES_PER_FRAME)
    expect(runAllFrames()).toBeGreaterThanOrEqual(4)
    expect(shapes()).toBe(before + batch.length)
  })

  it('a removal that arrives while a batch is spread over frames wins over the pending create', () => {
    const { writer, store, runFrame, runAllFrames } = pageWithFrames()
    const batch = Array.from({ length: CREATES_PER_FRAME * 2 }, (_, i) => box(i))
    writeRecordChanges(writer, { put: batch.map(asJson), remove: [] })
    runFrame()
    const last = batch[batch.length - 1]
    if (!last) throw new Error('empty batch')
    writeRecordChanges(writer, { put: [], remove: [last.id] })
    runAllFrames()
    expect(store.has(last.id)).toBe(false)
    expect(store.has(batch[0]?.id as TLShape['id'])).toBe(true) // the batch is not empty
  })

  it('a local edit of a shape with a remote change not shown yet keeps both', () => {
    const { writer, doc, store, runFrame } = pageWithFrames()
    const card = stakeholderCard('dana', { name: 'Dana Ruiz' })
    writeRecordChanges(writer, { put: [asJson(card)], remove: [] })
    runFrame()
    // A teammate renames the card; before the next frame, this page's user drags it.
    writeRecordChanges(writer, { put: [{ ...asJson(card), props: { ...asJson(card).props as object, name: 'Dana Ruiz-Ortega' } }], remove: [] })
    const shown = store.get(card.id) as StakeholderCardShape // applied in the frame above
    store.put([{ ...shown, x: 300 }])

    runFrame()
    store._flushHistory()
    for (const record of [store.get(card.id), readRecords(doc).get(card.id), readRecords(writer).get(card.id)]) {
      expect(record).toMatchObject({ x: 300, props: { name: 'Dana Ruiz-Ortega' } })
    }
  })

  it('a local edit of a shape a teammate removed does not bring it back', () => {
    const { writer, doc, store, runFrame } = pageWithFrames()
    const card = stakeholderCard('lee', { name: 'Lee' })
    writeRecordChanges(writer, { put: [asJson(card)], remove: [] })
    runFrame()
    writeRecordChanges(writer, { put: [], remove: [card.id] })
    const shown = store.get(card.id) as StakeholderCardShape // applied in the frame above
    store.put([{ ...shown, x: 300 }])

    runFrame()
    store._flushHistory()
    expect(store.has(card.id)).toBe(false)
    expect(readRecords(doc).has(card.id)).toBe(false)
    expect(readRecords(writer).has(card.id)).toBe(false)
  })
})

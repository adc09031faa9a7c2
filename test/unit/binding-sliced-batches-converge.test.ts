import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type { JsonObject } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bindStoreToYDoc } from '../../client/board/bindStoreToYDoc.ts'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { BOARD_PAGE_ID, createSeededBoardUpdate } from '../../shared/templates.ts'
import { connect, createTestStore } from '../helpers/boardPeers.ts'
import { frame, geo } from '../helpers/planBoards.ts'
import { seededRandom } from '../helpers/seededRandom.ts'

// Issue 14: a page takes large remote batches of new shapes and of removals over several tasks,
// while more remote changes arrive (moves, renames, removals of shapes still waiting, shapes moved
// into frames still waiting, removed shapes put back) and its user edits what is already shown. Whatever the interleaving, once every
// task has run the page shows exactly what the document holds, and the document holds every
// edit of both sides: no remote change of a shape still pending or being created is lost or
// applied out of order.

const asJson = (record: TLShape) => record as unknown as JsonObject // tldraw records are JSON

function runScenario(seed: number, steps: number): void {
  const random = seededRandom(seed)
  const writer = new Y.Doc()
  Y.applyUpdate(writer, createSeededBoardUpdate('swot'))
  const doc = new Y.Doc()
  const store = createTestStore()
  const clock = { ms: 0 }
  store.sideEffects.registerAfterCreateHandler('shape', () => {
    clock.ms += 0.5
  })
  store.sideEffects.registerAfterDeleteHandler('shape', () => {
    clock.ms += 0.25
  })
  const queued: Array<() => void> = []
  const invalid: string[] = []
  bindStoreToYDoc(store, doc, {
    scheduleApply: (apply) => queued.push(apply),
    scheduleSlice: (apply) => queued.push(apply),
    now: () => clock.ms,
    onInvalidRecord: (id) => invalid.push(id),
  })
  connect(writer, doc)

  /** Shapes the teammate removed, which an undo may put back. */
  const removed: TLShape[] = []
  let next = 0
  const newId = () => `shape:r${seed}x${next++}`
  /** Shapes of the writer's document (what the teammate sees), by id. */
  const remoteShapes = () => [...readRecords(writer).values()].filter((record) => record.typeName === 'shape') as unknown as TLShape[]
  const frames = () => remoteShapes().filter((shape) => shape.type === 'frame')

  for (let step = 0; step < steps; step++) {
    const roll = random.next()
    if (roll < 0.15) {
      // The teammate pastes a batch: some boxes, maybe a frame with boxes inside it.
      const container = random.next() < 0.4 ? frame(newId(), { x: 0, y: step * 10, parentId: BOARD_PAGE_ID }, 800, 600, `F${step}`) : null
      const boxes = Array.from({ length: 1 + random.below(80) }, (_, i) =>
        geo(newId(), { x: i * 5, y: step, parentId: container && random.next() < 0.5 ? container.id : BOARD_PAGE_ID }, 100, 80, `B${step}.${i}`),
      )
      // Written children first: the document's order is not the order of creation.
      writeRecordChanges(writer, { put: [...boxes, ...(container ? [container] : [])].map(asJson), remove: [] })
    } else if (roll < 0.4) {
      // The teammate moves or renames shapes, some of them still waiting on the page.
      const shapes = remoteShapes().filter((shape) => shape.type === 'geo')
      const changed = Array.from({ length: 1 + random.below(5) }, () => random.pick(shapes)).filter((shape) => shape !== undefined)
      const into = random.next() < 0.3 ? random.pick(frames()) : undefined
      writeRecordChanges(writer, {
        put: changed.map((shape) =>
          asJson(random.next() < 0.5 ? { ...shape, x: shape.x + 7, y: step, ...(into ? { parentId: into.id } : {}) } : { ...shape, props: { ...shape.props, url: `https://e.example/${step}` } }),
        ),
        remove: [],
      })
    } else if (roll < 0.5) {
      // The teammate removes boxes, some of them still waiting; or a frame with all it holds, or
      // nearly everything (a select-all delete), which the page takes out over several tasks.
      const shapes = remoteShapes()
      const sweep = random.next()
      const container = sweep < 0.3 ? random.pick(frames()) : undefined
      const picked =
        sweep > 0.9
          ? shapes.filter(() => random.next() < 0.9)
          : container
            ? [container]
            : [...new Set(Array.from({ length: 1 + random.below(4) }, () => random.pick(shapes.filter((shape) => shape.type === 'geo'))))].filter((shape) => shape !== undefined)
      // What a removed frame holds goes with it, as when tldraw deletes a frame.
      const frameIds = new Set(picked.filter((shape) => shape.type === 'frame').map((shape) => shape.id))
      const gone = shapes.filter((shape) => picked.includes(shape) || frameIds.has(shape.parentId as TLShape['id'])) // a frame's id
      // In the document's order, which is not the order the page can take them out in.
      if (gone.length > 0) writeRecordChanges(writer, { put: [], remove: gone.map((shape) => shape.id) })
      removed.push(...gone)
    } else if (roll < 0.55) {
      // The teammate undoes a removal: shapes come back, maybe while their removal still waits.
      const back = removed.splice(0, 1 + random.below(40)).filter((shape) => shape.parentId === BOARD_PAGE_ID || remoteShapes().some((frame) => frame.id === shape.parentId))
      if (back.length > 0) writeRecordChanges(writer, { put: back.map(asJson), remove: [] })
    } else if (roll < 0.75) {
      // This page's user drags or relabels a box it shows.
      const shown = [...store.query.ids('shape').get()].map((id) => store.get(id) as TLShape).filter((shape) => shape.type === 'geo')
      const shape = random.pick(shown)
      if (shape) store.put([random.next() < 0.5 ? { ...shape, y: shape.y + 3 } : ({ ...shape, props: { ...shape.props, dash: 'solid' } } as TLShape)])
      if (random.next() < 0.3) store._flushHistory() // tldraw reports the user's edits once per frame
    } else {
      // Frames and tasks of the page run; after each, every shape shown sits on the page or in a
      // shape shown.
      for (let n = random.below(4); n > 0; n--) {
        queued.shift()?.()
        for (const id of store.query.ids('shape').get()) {
          const { parentId } = store.get(id) as TLShape
          expect(parentId === BOARD_PAGE_ID || store.has(parentId as TLShape['id'])).toBe(true) // a shape's parent is a shape here
        }
      }
    }
  }
  store._flushHistory()
  for (let n = 0; queued.length > 0; n++) {
    queued.shift()?.()
    if (n > 10_000) throw new Error('the page never finished')
  }
  store._flushHistory()

  const shown = new Map(
    store
      .allRecords()
      .filter((record) => record.typeName === 'shape')
      .map((record) => [record.id, record as TLRecord]),
  )
  const documented = new Map([...readRecords(writer)].filter(([, record]) => record.typeName === 'shape'))
  expect(invalid).toEqual([])
  expect(readRecords(doc)).toEqual(readRecords(writer))
  expect(shown).toEqual(documented)
}

describe('a page taking remote batches over several tasks', () => {
  it.each([14, 2026, 90210])('shows what the document holds once its tasks have run (seed %i)', (seed) => {
    console.log(`sliced batches seed ${seed}`)
    runScenario(seed, 400)
  })
})

import type { TLBinding, TLRecord, TLShape } from '@tldraw/tlschema'
import { getIndices, type JsonObject } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CREATE_BUDGET_MS, MAX_CREATE_TASKS, REMOVE_BUDGET_MS, bindStoreToYDoc } from '../../client/board/bindStoreToYDoc.ts'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import type { StakeholderCardShape } from '../../shared/shapes.ts'
import { BOARD_PAGE_ID, createSeededBoardUpdate } from '../../shared/templates.ts'
import { asJson, connect, createTestStore, stakeholderCard } from '../helpers/boardPeers.ts'
import { arrow, arrowBinding, frame, geo } from '../helpers/planBoards.ts'

// Remote changes reach the store once per animation frame, and a large batch of new shapes is
// spread over tasks of CREATE_BUDGET_MS each, one store change per task (issue 14). Frames and
// tasks are driven by hand here (`scheduleApply` and `scheduleSlice` queue them), and the clock is
// the test's: each shape the store creates costs `msPerShape` of it, as tldraw's layout of a new
// shape costs time, and each store change `msPerChange` (tldraw's flush, React's render of the
// shape list). A task that goes on after a batch's first is told how long the frame before it took
// to render: `msFramePerShape` for each shape the task before put in (when set).

/** A page bound to a seeded board whose frames and tasks run only when the test says so, and a writer. */
function pageWithFrames() {
  const writer = new Y.Doc()
  Y.applyUpdate(writer, createSeededBoardUpdate('swot'))
  const doc = new Y.Doc()
  const store = createTestStore()
  const clock = { ms: 0, msPerShape: 0.5, msPerRemoval: 0.1, msPerChange: 0, msFramePerShape: 0 }
  store.sideEffects.registerAfterCreateHandler('shape', () => {
    clock.ms += clock.msPerShape
  })
  store.sideEffects.registerAfterDeleteHandler('shape', () => {
    clock.ms += clock.msPerRemoval
  })
  const merge = store.mergeRemoteChanges.bind(store)
  store.mergeRemoteChanges = (apply) => {
    clock.ms += clock.msPerChange
    merge(apply)
  }
  /** Frames and tasks due, and whether each goes on after a frame (a `scheduleSlice` task). */
  const queued: Array<{ apply: (frameMs?: number) => void; afterFrame: boolean }> = []
  bindStoreToYDoc(store, doc, {
    scheduleApply: (apply) => queued.push({ apply, afterFrame: false }),
    scheduleSlice: (apply) => queued.push({ apply, afterFrame: true }),
    now: () => clock.ms,
  })
  connect(writer, doc)
  const shapes = () => store.query.ids('shape').get().size
  /** Shapes the last frame or task put in: the next frame renders them. */
  let added = 0
  /** Runs the frame or task that is due; returns how many ran (0 or 1). */
  const runFrame = () => {
    const next = queued.shift()
    const before = shapes()
    next?.apply(next.afterFrame && clock.msFramePerShape > 0 ? Math.max(0, added) * clock.msFramePerShape : undefined)
    added = shapes() - before
    return next ? 1 : 0
  }
  /** Shapes each frame or task put in, as {@link take} runs them. */
  const perTask: number[] = []
  /** {@link runFrame}, noting in {@link perTask} how many shapes it put in. */
  const take = () => {
    const before = shapes()
    const ran = runFrame()
    if (ran) perTask.push(shapes() - before)
    return ran
  }
  const runAllFrames = () => {
    let count = 0
    while (runFrame() > 0) count++
    return count
  }
  return { writer, doc, store, clock, queued, runFrame, runAllFrames, shapes, take, perTask }
}

/** Every shape's parent and every binding's two ends are on the page: no task left one behind. */
function expectNoOrphans(store: ReturnType<typeof pageWithFrames>['store']): void {
  for (const id of store.query.ids('shape').get()) {
    const parentId = (store.get(id) as TLShape).parentId
    expect(parentId === BOARD_PAGE_ID || store.has(parentId as TLShape['id'])).toBe(true) // a shape's parent is a shape id here
  }
  for (const id of store.query.ids('binding').get()) {
    const binding = store.get(id) as TLBinding
    expect(store.has(binding.fromId) && store.has(binding.toId)).toBe(true)
  }
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

  it('a large batch of new shapes is spread over tasks, in full at the end', () => {
    const { writer, runFrame, runAllFrames, shapes } = pageWithFrames()
    const before = shapes()
    const batch = Array.from({ length: 407 }, (_, i) => box(i))
    writeRecordChanges(writer, { put: batch.map(asJson), remove: [] })

    runFrame()
    // 0.5 ms a shape: one task's budget holds CREATE_BUDGET_MS / 0.5 (the first guess of the cost is 2 ms).
    expect(shapes() - before).toBeGreaterThan(0)
    expect(shapes() - before).toBeLessThanOrEqual(CREATE_BUDGET_MS / 0.5)
    expect(runAllFrames()).toBeGreaterThanOrEqual(407 / (CREATE_BUDGET_MS / 0.5) - 1)
    expect(shapes()).toBe(before + batch.length)
  })

  it('each task puts its part of a batch in with one store change', () => {
    const { writer, store, runFrame } = pageWithFrames()
    let merges = 0
    const merge = store.mergeRemoteChanges.bind(store)
    store.mergeRemoteChanges = (apply) => {
      merges++
      merge(apply)
    }
    writeRecordChanges(writer, { put: Array.from({ length: 300 }, (_, i) => box(i)).map(asJson), remove: [] })
    const perTask: number[] = []
    for (;;) {
      merges = 0
      if (runFrame() === 0) break
      perTask.push(merges)
    }
    // Every store change pays tldraw's flush and React's render of the whole shape list once.
    expect(perTask.length).toBeGreaterThan(1)
    expect(perTask.every((count) => count === 1)).toBe(true)
  })

  it('no task puts in more new shapes than its budget holds once their cost is known', () => {
    const { writer, clock, take, perTask } = pageWithFrames()
    writeRecordChanges(writer, { put: Array.from({ length: 60 }, (_, i) => box(i)).map(asJson), remove: [] })
    while (take() > 0);
    expect(perTask.every((count) => count <= CREATE_BUDGET_MS / clock.msPerShape)).toBe(true)

    // The machine gets busy: a shape now costs more than a whole budget. After the first task has
    // measured it, every task puts in one shape.
    clock.msPerShape = CREATE_BUDGET_MS * 3
    perTask.length = 0
    writeRecordChanges(writer, { put: Array.from({ length: 20 }, (_, i) => box(100 + i)).map(asJson), remove: [] })
    while (take() > 0);
    expect(perTask.slice(1).every((count) => count === 1)).toBe(true)
    expect(perTask.reduce((sum, count) => sum + count, 0)).toBe(20)
  })

  it('new shapes go in slices sized so that the frame rendering each fits the budget too', () => {
    const { writer, clock, take, perTask } = pageWithFrames()
    // Rendering a new shape costs ten times what the store and React spend on it.
    clock.msPerShape = 0.1
    clock.msFramePerShape = 1
    writeRecordChanges(writer, { put: Array.from({ length: 600 }, (_, i) => box(i)).map(asJson), remove: [] })
    while (take() > 0);
    expect(perTask.reduce((sum, count) => sum + count, 0)).toBe(600)
    // Once a frame has been measured, no slice adds more than a frame's budget holds (rounded up).
    expect(perTask.slice(2).every((count) => count <= CREATE_BUDGET_MS / clock.msFramePerShape + 1)).toBe(true)

    // The next batch's first slice runs in a frame's callback, where the frame renders it before
    // the task ends: it is sized for the store's work and the rendering together.
    perTask.length = 0
    writeRecordChanges(writer, { put: Array.from({ length: 100 }, (_, i) => box(1000 + i)).map(asJson), remove: [] })
    take()
    expect(perTask[0]).toBeLessThanOrEqual(Math.ceil(CREATE_BUDGET_MS / (clock.msPerShape + clock.msFramePerShape)))
  })

  it('a fixed cost per store change of more than half the budget does not keep a batch at one shape a task', () => {
    const { writer, clock, take, perTask } = pageWithFrames()
    // A busy moment: a shape costs more than a task's budget, and tasks fall to one shape each.
    clock.msPerShape = CREATE_BUDGET_MS * 3
    writeRecordChanges(writer, { put: Array.from({ length: 40 }, (_, i) => box(i)).map(asJson), remove: [] })
    while (take() > 0);
    expect(perTask.at(-1)).toBe(1)
    // Then each store change costs 12 ms and a shape 0.1: 80 shapes fill the budget. A task of one
    // shape took 12.1 ms, so two seem not to fit; rounding up, the tasks grow to fill it. (A batch
    // small enough that MAX_CREATE_TASKS asks for no more than one shape a task.)
    clock.msPerShape = 0.1
    clock.msPerChange = 12
    perTask.length = 0
    writeRecordChanges(writer, { put: Array.from({ length: MAX_CREATE_TASKS }, (_, i) => box(100 + i)).map(asJson), remove: [] })
    while (take() > 0);
    expect(perTask.reduce((sum, count) => sum + count, 0)).toBe(MAX_CREATE_TASKS)
    expect(perTask.length).toBeLessThan(MAX_CREATE_TASKS / 4)
  })

  it(`a machine too busy for any task to fit the budget still takes a batch in about ${MAX_CREATE_TASKS} tasks, not one a shape`, () => {
    const { writer, clock, runAllFrames, shapes } = pageWithFrames()
    const before = shapes()
    // Every store change alone costs three budgets: each task is long whatever it holds.
    clock.msPerChange = CREATE_BUDGET_MS * 3
    writeRecordChanges(writer, { put: Array.from({ length: 400 }, (_, i) => box(i)).map(asJson), remove: [] })
    const tasks = runAllFrames()
    expect(shapes()).toBe(before + 400)
    expect(tasks).toBeLessThanOrEqual(MAX_CREATE_TASKS + 1)
  })

  it('a local edit between two tasks of a batch is kept, and slices bring the latest remote version', () => {
    const { writer, doc, store, runFrame, runAllFrames } = pageWithFrames()
    let userChanges = 0
    store.listen(() => userChanges++, { source: 'user', scope: 'document' })
    const batch = Array.from({ length: 200 }, (_, i) => box(i))
    writeRecordChanges(writer, { put: batch.map(asJson), remove: [] })
    runFrame()
    const [first] = batch
    const last = batch.at(-1)
    if (!first || !last || !store.has(first.id) || store.has(last.id)) throw new Error('expected the batch half in')
    // This page's user drags a shape that came in; meanwhile the teammate moves one still waiting.
    store.put([{ ...(store.get(first.id) as TLShape), x: 999 }])
    writeRecordChanges(writer, { put: [{ ...asJson(last), y: 555 }], remove: [] })

    runAllFrames()
    store._flushHistory()
    expect(userChanges).toBe(1) // the remote slices never reach `user` listeners (undo, sending)
    for (const records of [readRecords(doc), readRecords(writer)]) expect(records.get(first.id)).toMatchObject({ x: 999 })
    expect(store.get(first.id)).toMatchObject({ x: 999 })
    expect(store.get(last.id)).toMatchObject({ y: 555 })
    expect([...readRecords(writer).keys()].filter((id) => id.startsWith('shape:') && !store.has(id as TLShape['id']))).toEqual([])
  })

  it('a child, a binding or a move into a new frame waits for the records it refers to', () => {
    const { writer, store, runFrame, shapes } = pageWithFrames()
    const existing = box(9000)
    writeRecordChanges(writer, { put: [asJson(existing)], remove: [] })
    runFrame()
    const boxes = Array.from({ length: 100 }, (_, i) => box(i))
    const container = frame('shape:late-frame', { x: 0, y: 500, parentId: BOARD_PAGE_ID }, 800, 600, 'Late frame')
    const child = geo('shape:late-child', { x: 10, y: 10, parentId: container.id }, 100, 80, 'Inside')
    const line = arrow('shape:late-arrow', { x: 0, y: 0, parentId: BOARD_PAGE_ID })
    const ends = [arrowBinding(line.id, child.id, 'start'), arrowBinding(line.id, existing.id, 'end')]
    // Written children first: the order of the document is not the order of creation.
    writeRecordChanges(writer, {
      put: [...ends, child, ...boxes, container, line, { ...existing, parentId: container.id }].map((record) => record as unknown as JsonObject), // tldraw records are JSON
      remove: [],
    })
    for (let tasks = 0; runFrame() > 0; tasks++) {
      expectNoOrphans(store)
      if (tasks > 1000) throw new Error('the batch never finished')
    }
    expect(store.get(existing.id)).toMatchObject({ parentId: container.id })
    expect(store.has(ends[0]?.id as TLBinding['id'])).toBe(true) // two bindings above
    expect(shapes()).toBeGreaterThan(boxes.length)
  })

  it('a large removal goes out over tasks, one store change each, never leaving a child or an arrow end behind', () => {
    const { writer, doc, store, clock, runFrame, runAllFrames, shapes } = pageWithFrames()
    const container = frame('shape:big-frame', { x: 0, y: 500, parentId: BOARD_PAGE_ID }, 800, 600, 'Big frame')
    const inside = Array.from({ length: 300 }, (_, i) => geo(`shape:in${i}`, { x: i, y: 10, parentId: container.id }, 100, 80, `In ${i}`))
    const keys = getIndices(701).slice(1) // 700 keys from the bottom of the page up
    const boxes = Array.from({ length: 700 }, (_, i) => ({ ...box(i), index: keys[i] }) as TLShape) // one key each
    const line = arrow('shape:gone-arrow', { x: 0, y: 0, parentId: BOARD_PAGE_ID })
    const ends = [arrowBinding(line.id, boxes[0]?.id ?? '', 'start'), arrowBinding(line.id, `shape:in299`, 'end')]
    const all = [container, ...inside, ...boxes, line, ...ends]
    writeRecordChanges(writer, { put: all.map((record) => record as unknown as JsonObject), remove: [] }) // tldraw records are JSON
    runAllFrames()
    const before = shapes()
    let userChanges = 0
    store.listen(() => userChanges++, { source: 'user', scope: 'document' })
    let merges = 0
    const merge = store.mergeRemoteChanges.bind(store)
    store.mergeRemoteChanges = (apply) => {
      merges++
      merge(apply)
    }

    // The teammate deletes it all at once, the frame listed before what it holds, as tldraw may.
    writeRecordChanges(writer, { put: [], remove: all.map((record) => record.id) })
    const perTask: number[] = []
    for (;;) {
      const left = shapes()
      merges = 0
      clock.ms += 1 // a task's own fixed cost
      if (runFrame() === 0) break
      expect(merges).toBe(1)
      perTask.push(left - shapes())
      // The top ones first: tldraw numbers the shapes it renders from the bottom up, and every
      // shape below those taken out keeps its number (and is not rendered again).
      const shown = boxes.filter((shape) => store.has(shape.id)).map((shape) => shape.index)
      const gone = boxes.filter((shape) => !store.has(shape.id)).map((shape) => shape.index)
      if (shown.length > 0 && gone.length > 0) expect(shown.at(-1) as string < (gone[0] as string)).toBe(true) // both non-empty
      expectNoOrphans(store)
    }
    expect(perTask.length).toBeGreaterThan(2)
    // Once the cost of a removal is known, no task takes more than its budget holds (the two
    // bindings cost no time here, so the first task's cost per record is a little under a shape's).
    expect(perTask.slice(1).every((count) => count <= REMOVE_BUDGET_MS / clock.msPerRemoval + ends.length)).toBe(true)
    expect(shapes()).toBe(before - (all.length - ends.length))
    for (const record of all) expect(store.has(record.id)).toBe(false)
    store._flushHistory()
    expect(userChanges).toBe(0) // neither sent back nor on this page's undo stack
    expect(readRecords(doc)).toEqual(readRecords(writer))
  })

  it('a busy moment does not split a removal into many small tasks', () => {
    const { writer, store, clock, runFrame, runAllFrames } = pageWithFrames()
    const batch = Array.from({ length: 1000 }, (_, i) => box(i))
    writeRecordChanges(writer, { put: batch.map(asJson), remove: [] })
    runAllFrames()
    // Each removal now seems to cost a whole budget (on a busy machine, a task's fixed cost).
    clock.msPerRemoval = REMOVE_BUDGET_MS
    writeRecordChanges(writer, { put: [], remove: batch.map((shape) => shape.id) })
    const tasks = runAllFrames()
    expect(batch.some((shape) => store.has(shape.id))).toBe(false)
    expect(tasks).toBeLessThanOrEqual(10) // at least 100 removals a task
  })

  it('a teammate deleting one shape does not make the next large removal start small', () => {
    const { writer, store, runFrame, runAllFrames } = pageWithFrames()
    const batch = Array.from({ length: 1000 }, (_, i) => box(i))
    writeRecordChanges(writer, { put: batch.map(asJson), remove: [] })
    runAllFrames()
    const [one, ...rest] = batch
    writeRecordChanges(writer, { put: [], remove: [one?.id as string] }) // the batch is not empty
    runAllFrames()
    writeRecordChanges(writer, { put: [], remove: rest.map((shape) => shape.id) })
    runFrame()
    // The first guess (0.05 ms a removal) still holds: the first task takes hundreds, not a few.
    expect(rest.filter((shape) => !store.has(shape.id)).length).toBeGreaterThan(REMOVE_BUDGET_MS / 0.05 / 2)
  })

  it('a shape put back while its removal waits stays, and changes arriving meanwhile all apply', () => {
    const { writer, store, runFrame, runAllFrames } = pageWithFrames()
    const batch = Array.from({ length: 1000 }, (_, i) => box(i))
    writeRecordChanges(writer, { put: batch.map(asJson), remove: [] })
    runAllFrames()
    writeRecordChanges(writer, { put: [], remove: batch.map((shape) => shape.id) })
    runFrame()
    const waiting = batch.filter((shape) => store.has(shape.id))
    const [back, moved] = waiting
    if (!back || !moved) throw new Error('expected the removal spread over tasks')
    // Meanwhile the teammate undoes part of it, moves a restored one, and pastes a new shape.
    const restored = batch.slice(0, 3)
    writeRecordChanges(writer, { put: [back, ...restored].map(asJson), remove: [] })
    writeRecordChanges(writer, { put: [{ ...asJson(restored[1] as TLShape), y: 77 }, asJson(box(5000))], remove: [] })

    runAllFrames()
    const left = [...store.query.ids('shape').get()].filter((id) => id.startsWith('shape:box'))
    expect(left.sort()).toEqual([back.id, ...restored.map((shape) => shape.id), box(5000).id].sort())
    expect(store.get(restored[1]?.id as TLShape['id'])).toMatchObject({ y: 77 })
    expect(store.has(moved.id)).toBe(false)
  })

  it('a removal that arrives while a batch is spread over frames wins over the pending create', () => {
    const { writer, store, runFrame, runAllFrames } = pageWithFrames()
    const batch = Array.from({ length: 200 }, (_, i) => box(i))
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

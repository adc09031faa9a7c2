/**
 * One document per board (before issue 13) against two (shared + internal, issue 13), measured in
 * one process, so the ratios hold on a loaded machine: bytes and CPU ms of 10,000 drags (visible
 * fields only), CPU ms per card write (a visible and an internal field, through the team page's
 * routing), and join cost: decode the documents, read every record
 * merged (`join ms`), and the same bound into a tldraw store as a page does (`join + store ms`).
 * Both layouts are warmed up first, then measured in alternating rounds; the table shows medians of
 * CPU time (`process.cpuUsage`), which other processes on a shared machine disturb less than wall time.
 * Run: `npx tsx bench/internalParts.ts [rounds]` (prints a table; docs/decisions/004-customer-safe-fields.md).
 */
import type { JsonObject } from '@tldraw/utils'
import { createTLStore } from 'tldraw'
import * as Y from 'yjs'
import { bindStoreToYDoc } from '../client/board/bindStoreToYDoc.ts'
import { mergedPartsSource, singleDocSource, type RecordSource } from '../client/board/internalParts.ts'
import { createKeyplanSchema } from '../shared/schema.ts'
import { resolveSensitivity } from '../shared/sensitivity.ts'
import { defaultStakeholderCardProps } from '../shared/shapes.ts'

// tldraw's store schedules its listeners on animation frames, which Node does not have.
globalThis.requestAnimationFrame ??= (callback) => setTimeout(() => callback(performance.now()), 0) as unknown as number // a timer id stands in for a frame id
globalThis.cancelAnimationFrame ??= (id) => clearTimeout(id)

const sensitivity = resolveSensitivity(undefined)
const CARDS = 300
const DRAGS = 10_000
const WRITES = 2_000
const JOINS = 20
const ROUNDS = Number(process.argv[2] ?? 5)
const schema = createKeyplanSchema()

function card(i: number, x = i * 10): JsonObject {
  return {
    id: `shape:c${i}`, typeName: 'shape', type: 'stakeholder', x, y: 0, rotation: 0, index: 'a1', parentId: 'page:page', isLocked: false, opacity: 1,
    props: { ...defaultStakeholderCardProps(), name: `Person ${i}`, jobTitle: 'Head of things', attitude: 'skeptic', notes: `our read on ${i}`, owner: 'Tom' },
    meta: {},
  }
}

/** CPU milliseconds of this process so far. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

const sourceOf = (two: boolean, docs: Y.Doc[]): RecordSource =>
  two ? mergedPartsSource(docs[0] as Y.Doc, docs[1] as Y.Doc, () => sensitivity) : singleDocSource(docs[0] as Y.Doc)

type Result = { drags: number; msPerDrag: number; msPerWrite: number; joinMs: number; joinStoreMs: number; stateBytes: number }

function measure(two: boolean): Result {
  const docs = two ? [new Y.Doc(), new Y.Doc()] : [new Y.Doc()]
  const source = sourceOf(two, docs)
  source.write({ put: [{ id: 'page:page', typeName: 'page', name: 'Page', index: 'a1', meta: {} }, ...Array.from({ length: CARDS }, (_, i) => card(i))], remove: [] }, 'seed')
  let drags = 0
  const count = (update: Uint8Array) => (drags += update.byteLength)
  for (const doc of docs) doc.on('update', count)
  const dragStarted = cpuMs()
  for (let i = 0; i < DRAGS; i++) source.write({ put: [card(i % CARDS, i)], remove: [] }, 'drag')
  const msPerDrag = (cpuMs() - dragStarted) / DRAGS
  for (const doc of docs) doc.off('update', count)
  const started = cpuMs()
  for (let i = 0; i < WRITES; i++) {
    const c = card(i % CARDS)
    source.write({ put: [{ ...c, props: { ...(c.props as JsonObject), attitude: i % 2 ? 'blocker' : 'supporter', name: `Person ${i}` } }], remove: [] }, 'edit')
  }
  const msPerWrite = (cpuMs() - started) / WRITES
  const states = docs.map((doc) => Y.encodeStateAsUpdate(doc))
  const fresh = () =>
    states.map((state) => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, state)
      return doc
    })
  const joinStarted = cpuMs()
  for (let round = 0; round < JOINS; round++) {
    if (sourceOf(two, fresh()).readAll().size !== CARDS + 1) throw new Error('join lost records')
  }
  const joinMs = (cpuMs() - joinStarted) / JOINS
  const storeStarted = cpuMs()
  for (let round = 0; round < JOINS; round++) {
    const joined = fresh()
    const store = createTLStore({ schema })
    const unbind = bindStoreToYDoc(store, joined[0] as Y.Doc, { source: sourceOf(two, joined), scheduleApply: (apply) => apply() })
    if (store.query.ids('shape').get().size !== CARDS) throw new Error('join lost shapes')
    unbind()
  }
  const joinStoreMs = (cpuMs() - storeStarted) / JOINS
  return { drags, msPerDrag, msPerWrite, joinMs, joinStoreMs, stateBytes: states.reduce((n, st) => n + st.byteLength, 0) }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
const runs: Record<'one' | 'two', Result[]> = { one: [], two: [] }
measure(false)
measure(true)
for (let round = 0; round < ROUNDS; round++) {
  // Alternating which goes first, so drift in machine load falls on both.
  for (const two of round % 2 === 0 ? [false, true] : [true, false]) runs[two ? 'two' : 'one'].push(measure(two))
}
const row = (results: Result[]) => ({
  drags: median(results.map((r) => r.drags)),
  msPerDrag: median(results.map((r) => r.msPerDrag)),
  msPerWrite: median(results.map((r) => r.msPerWrite)),
  joinMs: median(results.map((r) => r.joinMs)),
  joinStoreMs: median(results.map((r) => r.joinStoreMs)),
  stateBytes: median(results.map((r) => r.stateBytes)),
})
const one = row(runs.one)
const two = row(runs.two)
console.log(`| layout | bytes per ${DRAGS} drags | CPU ms per drag | CPU ms per card write | join ms (${CARDS} cards) | join + store ms | stored bytes |`)
console.log('|---|---|---|---|---|---|---|')
for (const [name, r] of [['one document', one], ['two documents', two]] as const) {
  console.log(`| ${name} | ${r.drags} | ${r.msPerDrag.toFixed(4)} | ${r.msPerWrite.toFixed(3)} | ${r.joinMs.toFixed(2)} | ${r.joinStoreMs.toFixed(2)} | ${r.stateBytes} |`)
}
const ratio = (a: number, b: number) => (a / b).toFixed(2)
console.log(
  `| ratio two/one | ${ratio(two.drags, one.drags)} | ${ratio(two.msPerDrag, one.msPerDrag)} | ${ratio(two.msPerWrite, one.msPerWrite)} | ${ratio(two.joinMs, one.joinMs)} | ${ratio(two.joinStoreMs, one.joinStoreMs)} | ${ratio(two.stateBytes, one.stateBytes)} |`,
)
console.log(`(medians of ${ROUNDS} alternating rounds after a warm-up; CPU time)`)
// tldraw's frame scheduler keeps a timer going: the run is over.
process.exit(0)

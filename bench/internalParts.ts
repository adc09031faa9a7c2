/**
 * One document per board (before issue 13) against two (shared + internal, issue 13), measured in
 * one process, so the ratios hold on a loaded machine: bytes of 10,000 drags, ms per card write
 * (through the team page's routing), and join cost (encode, apply, read every record).
 * Run: `npx tsx bench/internalParts.ts` (prints a table; docs/decisions/004-customer-safe-fields.md).
 */
import type { JsonObject } from '@tldraw/utils'
import * as Y from 'yjs'
import { mergedPartsSource, singleDocSource, type RecordSource } from '../client/board/internalParts.ts'
import { resolveSensitivity } from '../shared/sensitivity.ts'
import { defaultStakeholderCardProps } from '../shared/shapes.ts'

const sensitivity = resolveSensitivity(undefined)
const CARDS = 300
const DRAGS = 10_000
const WRITES = 2_000

function card(i: number, x = i * 10): JsonObject {
  return {
    id: `shape:c${i}`, typeName: 'shape', type: 'stakeholder', x, y: 0, rotation: 0, index: 'a1', parentId: 'page:page', isLocked: false, opacity: 1,
    props: { ...defaultStakeholderCardProps(), name: `Person ${i}`, jobTitle: 'Head of things', attitude: 'skeptic', notes: `our read on ${i}`, owner: 'Tom' },
    meta: {},
  }
}

type Setup = { name: string; docs: Y.Doc[]; source: RecordSource }
function setup(two: boolean): Setup {
  const shared = new Y.Doc()
  const internal = new Y.Doc()
  const source = two ? mergedPartsSource(shared, internal, () => sensitivity) : singleDocSource(shared)
  source.write({ put: Array.from({ length: CARDS }, (_, i) => card(i)), remove: [] }, 'seed')
  return { name: two ? 'two documents' : 'one document', docs: two ? [shared, internal] : [shared], source }
}

function bytesOf(docs: Y.Doc[], run: () => void): number {
  let bytes = 0
  const count = (update: Uint8Array) => (bytes += update.byteLength)
  for (const doc of docs) doc.on('update', count)
  run()
  for (const doc of docs) doc.off('update', count)
  return bytes
}

function measure(two: boolean) {
  const s = setup(two)
  const drags = bytesOf(s.docs, () => {
    for (let i = 0; i < DRAGS; i++) s.source.write({ put: [card(i % CARDS, i)], remove: [] }, 'drag')
  })
  const started = performance.now()
  for (let i = 0; i < WRITES; i++) {
    const c = card(i % CARDS)
    s.source.write({ put: [{ ...c, props: { ...(c.props as JsonObject), attitude: i % 2 ? 'blocker' : 'supporter', name: `Person ${i}` } }], remove: [] }, 'edit')
  }
  const msPerWrite = (performance.now() - started) / WRITES
  const states = s.docs.map((doc) => Y.encodeStateAsUpdate(doc))
  const joinStarted = performance.now()
  for (let round = 0; round < 20; round++) {
    const fresh = s.docs.map(() => new Y.Doc())
    fresh.forEach((doc, i) => Y.applyUpdate(doc, states[i] as Uint8Array))
    const read = two ? mergedPartsSource(fresh[0] as Y.Doc, fresh[1] as Y.Doc, () => sensitivity) : singleDocSource(fresh[0] as Y.Doc)
    if (read.readAll().size !== CARDS) throw new Error('join lost records')
  }
  const joinMs = (performance.now() - joinStarted) / 20
  return { name: s.name, drags, msPerWrite, joinMs, stateBytes: states.reduce((n, st) => n + st.byteLength, 0) }
}

const one = measure(false)
const two = measure(true)
console.log(`| layout | bytes per ${DRAGS} drags | ms per card write | join ms (${CARDS} cards) | stored bytes |`)
console.log('|---|---|---|---|---|')
for (const r of [one, two]) console.log(`| ${r.name} | ${r.drags} | ${r.msPerWrite.toFixed(3)} | ${r.joinMs.toFixed(2)} | ${r.stateBytes} |`)
console.log(`| ratio two/one | ${(two.drags / one.drags).toFixed(2)} | ${(two.msPerWrite / one.msPerWrite).toFixed(2)} | ${(two.joinMs / one.joinMs).toFixed(2)} | ${(two.stateBytes / one.stateBytes).toFixed(2)} |`)

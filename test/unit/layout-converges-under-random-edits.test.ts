import type { JsonObject } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { delayedDelivery, seededRandom } from '../helpers/seededRandom.ts'

const IDS = ['shape:a', 'shape:b', 'shape:c', 'shape:d']
const FIELDS = ['attitude', 'owner', 'notes', 'name'] as const

function card(id: string, n: number): JsonObject {
  return { id, typeName: 'shape', type: 'stakeholder', x: n, y: n, meta: {}, props: { name: `n${n}`, attitude: 'neutral', owner: '', notes: '' } }
}

/**
 * Peers edit the same few records (create, move, edit one prop, delete, re-create, remove a
 * meta key) while updates are delivered late and out of order; at the end every peer must read
 * the same records, and the same as a fresh doc loaded from the final state.
 */
function runScenario(seed: number, peers: number, steps: number): void {
  const random = seededRandom(seed)
  const docs = Array.from({ length: peers }, () => new Y.Doc())
  const network = delayedDelivery(docs, random)
  let counter = 0
  for (let step = 0; step < steps; step++) {
    const who = random.below(peers)
    const doc = docs[who] as Y.Doc // who < peers
    if (random.next() < 0.3) {
      network.deliverSome(who)
      continue
    }
    const id = random.pick(IDS)
    const current = readRecords(doc).get(id)
    const roll = random.next()
    counter++
    if (!current || roll < 0.1) writeRecordChanges(doc, { put: [card(id, counter)], remove: [] })
    else if (roll < 0.25) writeRecordChanges(doc, { put: [], remove: [id] })
    else if (roll < 0.5) writeRecordChanges(doc, { put: [{ ...current, x: counter, y: -counter }], remove: [] })
    else if (roll < 0.6) writeRecordChanges(doc, { put: [{ ...current, meta: roll < 0.55 ? { tag: counter } : {} }], remove: [] })
    else {
      const props = { ...(current.props as JsonObject), [random.pick(FIELDS)]: `v${counter}` } // cards have props
      writeRecordChanges(doc, { put: [{ ...current, props }], remove: [] })
    }
  }
  network.deliverAll()
  const expected = readRecords(docs[0] as Y.Doc) // at least one peer
  for (const doc of docs) expect(readRecords(doc)).toEqual(expected)
  const fresh = new Y.Doc()
  Y.applyUpdate(fresh, Y.encodeStateAsUpdate(docs[0] as Y.Doc)) // at least one peer
  expect(readRecords(fresh)).toEqual(expected)
  for (const record of expected.values()) {
    expect(record).toMatchObject({ typeName: 'shape', props: { name: expect.any(String), attitude: expect.any(String) } })
  }
}

describe('record log under concurrent edits and late delivery', () => {
  const seeds = [1, 2, 3, 42, 1234, 20261122]
  it.each(seeds)('converges (seed %i)', (seed) => {
    console.log(`layout convergence seed ${seed}`)
    runScenario(seed, 3, 400)
  })
})

import type { TLRecord, TLShapeId, TLStore } from '@tldraw/tlschema'
import type { JsonObject } from '@tldraw/utils'
import { createTLStore } from 'tldraw'
import * as Y from 'yjs'
import { bindStoreToYDoc } from '../../client/board/bindStoreToYDoc.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { defaultStakeholderCardProps, type StakeholderCardProps, type StakeholderCardShape } from '../../shared/shapes.ts'

/** One browser's side of a board in a unit test: a Y.Doc and a real tldraw store bound to it. */
export interface Peer {
  doc: Y.Doc
  store: TLStore
  /** Records the binding reported as not loadable. */
  invalid: { id: string; error: Error }[]
  unbind: () => void
}

/** A new tldraw store with Keyplan's schema (as in the browser, without the React shape utils). */
export function createTestStore(): TLStore {
  return createTLStore({ schema: createKeyplanSchema() })
}

export function createPeer(doc: Y.Doc = new Y.Doc()): Peer {
  const store = createTestStore()
  const invalid: Peer['invalid'] = []
  const unbind = bindStoreToYDoc(store, doc, { onInvalidRecord: (id, error) => invalid.push({ id, error }) })
  return { doc, store, invalid, unbind }
}

/** Origins of updates relayed between test docs; each connection has its own. */
const relayed = new WeakSet<object>()

/**
 * Connects two docs like a sync server would: first a full exchange, then every update of one
 * is applied to the other (also updates relayed into it from a third doc). Returns a function
 * that disconnects them.
 */
export function connect(a: Y.Doc, b: Y.Doc): () => void {
  const fromA = { relay: 'a→b' }
  const fromB = { relay: 'b→a' }
  relayed.add(fromA)
  relayed.add(fromB)
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), fromA)
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), fromB)
  const toB = (update: Uint8Array, origin: unknown) => {
    if (origin !== fromB) Y.applyUpdate(b, update, fromA)
  }
  const toA = (update: Uint8Array, origin: unknown) => {
    if (origin !== fromA) Y.applyUpdate(a, update, fromB)
  }
  a.on('update', toB)
  b.on('update', toA)
  return () => {
    a.off('update', toB)
    b.off('update', toA)
  }
}

/** Counts the updates a doc produces itself (not those relayed into it). */
export function countOwnUpdates(doc: Y.Doc): { count: number } {
  const counter = { count: 0 }
  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (!(typeof origin === 'object' && origin !== null && relayed.has(origin))) counter.count++
  })
  return counter
}

/** A stakeholder card record on the board's page. */
export function stakeholderCard(id: string, props: Partial<StakeholderCardProps> = {}, x = 0): StakeholderCardShape {
  return {
    id: `shape:${id}` as TLShapeId,
    typeName: 'shape',
    type: 'stakeholder',
    x,
    y: 0,
    rotation: 0,
    index: 'a1',
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { ...defaultStakeholderCardProps(), ...props },
  } as StakeholderCardShape // the literal is a complete stakeholder shape
}

/** A record as plain JSON, for writing raw records into a doc. */
export function asJson(record: TLRecord): JsonObject {
  return record as unknown as JsonObject // tldraw records are JSON
}

/**
 * The contract every {@link Store} implementation must pass. Call it from a test file with a
 * factory; a PostgreSQL store will run the same suite.
 *
 * @example
 * ```ts
 * storeContractSuite('SqliteStore', async () => { const dir = tempDataDir(); return {
 *   store: new SqliteStore(dir), reopen: async () => new SqliteStore(dir), cleanup: async () => {} } })
 * ```
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { Store, StoredWorkshop } from '../../server/store/Store.ts'

export type StoreHarness = {
  store: Store
  /** Opens a second store on the same data (after `store.close()`), to check durability. */
  reopen: () => Promise<Store>
  cleanup: () => Promise<void>
}

function mapUpdate(doc: Y.Doc, key: string, value: unknown): Uint8Array {
  const before = Y.encodeStateVector(doc)
  doc.getMap('m').set(key, value)
  return Y.encodeStateAsUpdate(doc, before)
}

function contentOf(updates: Uint8Array[]): Record<string, unknown> {
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  return doc.getMap('m').toJSON()
}

export function storeContractSuite(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness
    let store: Store
    beforeEach(async () => {
      harness = await makeHarness()
      store = harness.store
    })
    afterEach(async () => {
      await store.close()
      await harness.cleanup()
    })

    const workshop = (id: string, createdAt: string): StoredWorkshop => ({ id, account: `Account ${id}`, title: `Title ${id}`, createdAt })

    test('workshops: create, get, list newest first', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-03-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('cccccccccccc', '2026-02-01T00:00:00.000Z'))
      expect(await store.getWorkshop('bbbbbbbbbbbb')).toEqual(workshop('bbbbbbbbbbbb', '2026-03-01T00:00:00.000Z'))
      expect(await store.getWorkshop('nope')).toBeUndefined()
      expect((await store.listWorkshops()).map((w) => w.id)).toEqual(['bbbbbbbbbbbb', 'cccccccccccc', 'aaaaaaaaaaaa'])
    })

    test('workshops: a duplicate id is rejected and the first one kept', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await expect(store.createWorkshop({ ...workshop('aaaaaaaaaaaa', '2026-01-02T00:00:00.000Z'), title: 'other' })).rejects.toThrow()
      expect((await store.getWorkshop('aaaaaaaaaaaa'))?.title).toBe('Title aaaaaaaaaaaa')
    })

    test('an unknown document loads empty', async () => {
      expect(await store.loadDocument('w/swot')).toEqual({ updates: [], lastSeq: 0, bytes: 0 })
    })

    test('appendUpdates: one call spans documents, sequence numbers grow in input order', async () => {
      const a = new Y.Doc()
      const b = new Y.Doc()
      const updates = [
        { docName: 'w/a', update: mapUpdate(a, 'x', 1) },
        { docName: 'w/b', update: mapUpdate(b, 'y', 2) },
        { docName: 'w/a', update: mapUpdate(a, 'z', 3) },
      ]
      const seqs = await store.appendUpdates(updates)
      expect(seqs).toHaveLength(3)
      expect([...seqs].sort((p, q) => p - q)).toEqual(seqs)
      expect(new Set(seqs).size).toBe(3)
      expect(await store.appendUpdates([])).toEqual([])
      const loadedA = await store.loadDocument('w/a')
      expect(loadedA.updates.map((u) => [...u])).toEqual([[...(updates[0]?.update ?? [])], [...(updates[2]?.update ?? [])]])
      expect(loadedA.lastSeq).toBe(seqs[2])
      expect(loadedA.bytes).toBe((updates[0]?.update.byteLength ?? 0) + (updates[2]?.update.byteLength ?? 0))
      expect(contentOf((await store.loadDocument('w/b')).updates)).toEqual({ y: 2 })
      const more = await store.appendUpdates([{ docName: 'w/b', update: mapUpdate(b, 'y', 3) }])
      expect(more[0]).toBeGreaterThan(seqs[2] ?? Infinity)
    })

    test('compactDocument keeps rows appended after the snapshot point (concurrent writes) [S5]', async () => {
      const doc = new Y.Doc()
      const first = await store.appendUpdates(Array.from({ length: 5 }, (_, i) => ({ docName: 'w/a', update: mapUpdate(doc, `k${i}`, i) })))
      const merged = Y.encodeStateAsUpdate(doc)
      // Writes that land after the compactor read its state, before it commits.
      const later = await store.appendUpdates([
        { docName: 'w/a', update: mapUpdate(doc, 'late1', true) },
        { docName: 'w/a', update: mapUpdate(doc, 'late2', true) },
      ])
      await store.compactDocument('w/a', merged, first.at(-1) ?? 0)
      const loaded = await store.loadDocument('w/a')
      expect(loaded.updates).toHaveLength(3)
      expect(loaded.lastSeq).toBeGreaterThan(later.at(-1) ?? Infinity)
      expect(contentOf(loaded.updates)).toEqual(doc.getMap('m').toJSON())
      const after = await store.appendUpdates([{ docName: 'w/a', update: mapUpdate(doc, 'after', 1) }])
      expect(after[0]).toBeGreaterThan(loaded.lastSeq)
    })

    test('compactDocument touches no other document', async () => {
      const a = new Y.Doc()
      const b = new Y.Doc()
      const seqs = await store.appendUpdates([
        { docName: 'w/a', update: mapUpdate(a, 'a', 1) },
        { docName: 'w/b', update: mapUpdate(b, 'b', 1) },
      ])
      await store.compactDocument('w/a', Y.encodeStateAsUpdate(a), seqs[1] ?? 0)
      expect(contentOf((await store.loadDocument('w/b')).updates)).toEqual({ b: 1 })
      expect((await store.loadDocument('w/a')).updates).toHaveLength(1)
    })

    test('everything survives close and reopen', async () => {
      const doc = new Y.Doc()
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.appendUpdates([{ docName: 'w/a', update: mapUpdate(doc, 'k', 'v') }])
      await store.close()
      store = await harness.reopen()
      expect(await store.getWorkshop('aaaaaaaaaaaa')).toBeDefined()
      expect(contentOf((await store.loadDocument('w/a')).updates)).toEqual({ k: 'v' })
    })
  })
}

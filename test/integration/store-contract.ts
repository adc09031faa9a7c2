/**
 * The contract every {@link Store} implementation must pass. Call it from a test file with a
 * factory; a PostgreSQL store will run the same suite.
 *
 * @example
 * ```ts
 * storeContractSuite('SqliteStore', async () => { const dir = tempDataDir(); return {
 *   store: new SqliteStore(dir), reopen: async () => new SqliteStore(dir), another: async () => new SqliteStore(dir),
 *   cleanup: async () => {} } })
 * ```
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { newWorkshopAccess } from '../../server/auth/WorkshopAccess.ts'
import { AccountNameTakenError, SensitivityChangedError, SnapshotCopySourceError, type Store, type StoredAccount, type StoredWorkshop } from '../../server/store/Store.ts'
import type { BoardChange } from '../../shared/historyApi.ts'
import { summarizePlan } from '../../shared/plan.ts'
import type { VoteRecord } from '../../shared/votes.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

export type StoreHarness = {
  store: Store
  /** Opens a second store on the same data (after `store.close()`), to check durability. */
  reopen: () => Promise<Store>
  /** Opens another store on the same data while `store` is open: a writer in another process. The test closes it. */
  another: () => Promise<Store>
  cleanup: () => Promise<void>
}

function mapUpdate(doc: Y.Doc, key: string, value: unknown): Uint8Array {
  const before = Y.encodeStateVector(doc)
  doc.getMap('m').set(key, value)
  return Y.encodeStateAsUpdate(doc, before)
}

/** A change of one note, recorded at `at`. */
function boardChange(id: string, workshopId: string, at: string, overrides: Partial<BoardChange> = {}): BoardChange {
  const note = { id: 'shape:n1', typeName: 'shape', type: 'note', x: 1, props: { color: 'yellow' } }
  return {
    id,
    workshopId,
    board: 'swot',
    at,
    role: 'team',
    name: 'Tom Weber',
    connId: 'conn1234',
    kind: 'edit',
    revertOf: null,
    customerFacing: false,
    records: [{ id: 'shape:n1', typeName: 'shape', type: 'note', before: note, after: { ...note, x: 2 } }],
    ...overrides,
  }
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

    const workshop = (id: string, createdAt: string): StoredWorkshop => ({ id, account: `Account ${id}`, title: `Title ${id}`, createdAt, timeZone: 'America/Sao_Paulo' })

    test('workshops: create, get, list newest first', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-03-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('cccccccccccc', '2026-02-01T00:00:00.000Z'))
      // [K2] filed under the account its name names.
      expect(await store.getWorkshop('bbbbbbbbbbbb')).toEqual({ ...workshop('bbbbbbbbbbbb', '2026-03-01T00:00:00.000Z'), accountId: expect.any(String) })
      expect(await store.getWorkshop('nope')).toBeUndefined()
      expect((await store.listWorkshops()).map((w) => w.id)).toEqual(['bbbbbbbbbbbb', 'cccccccccccc', 'aaaaaaaaaaaa'])
    })

    test('workshops: a duplicate id is rejected and the first one kept', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await expect(store.createWorkshop({ ...workshop('aaaaaaaaaaaa', '2026-01-02T00:00:00.000Z'), title: 'other' })).rejects.toThrow()
      expect((await store.getWorkshop('aaaaaaaaaaaa'))?.title).toBe('Title aaaaaaaaaaaa')
    })

    test('workshops: the time zone changes for that workshop only; an unknown id changes nothing', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-02-01T00:00:00.000Z'))
      const changed = await store.updateWorkshop('aaaaaaaaaaaa', { timeZone: 'Asia/Tokyo' })
      expect(changed).toEqual({ ...workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'), timeZone: 'Asia/Tokyo', accountId: expect.any(String) })
      expect(await store.getWorkshop('aaaaaaaaaaaa')).toEqual(changed)
      expect((await store.getWorkshop('bbbbbbbbbbbb'))?.timeZone).toBe('America/Sao_Paulo')
      expect(await store.updateWorkshop('nope', { timeZone: 'Asia/Tokyo' })).toBeUndefined()
      expect(await store.getWorkshop('nope')).toBeUndefined()
    })

    test('workshops: rename and archive change only the given fields; unarchive clears the mark', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const renamed = await store.updateWorkshop('aaaaaaaaaaaa', { account: 'Globex', title: 'FY28 kick-off' })
      expect(renamed).toEqual({ ...workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'), account: 'Globex', title: 'FY28 kick-off', accountId: expect.any(String) })
      // [K2] a new account name moves the workshop to that account.
      expect(renamed?.accountId).toBe((await store.findAccountByName('globex'))?.id)
      const archived = await store.updateWorkshop('aaaaaaaaaaaa', { archivedAt: '2026-05-01T00:00:00.000Z' })
      expect(archived).toEqual({ ...renamed, archivedAt: '2026-05-01T00:00:00.000Z' })
      expect((await store.listWorkshops())[0]).toEqual(archived)
      expect(await store.updateWorkshop('aaaaaaaaaaaa', { archivedAt: null })).toEqual(renamed)
    })

    test('workshops: delete removes the workshop with its documents, snapshots and access, and nothing else', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'), [
        { docName: 'aaaaaaaaaaaa/swot', update: mapUpdate(new Y.Doc(), 'k', 1) },
      ])
      // A workshop whose id extends the other's must keep everything.
      await store.createWorkshop(workshop('aaaaaaaaaaaab', '2026-01-01T00:00:00.000Z'), [
        { docName: 'aaaaaaaaaaaab/swot', update: mapUpdate(new Y.Doc(), 'k', 2) },
      ])
      await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/actions', update: mapUpdate(new Y.Doc(), 'k', 3) }])
      await store.insertSnapshot({ plan: samplePlan({ id: 'snap-a', workshopId: 'aaaaaaaaaaaa' }), boards: { swot: new Uint8Array([1]) } })
      await store.insertSnapshot({ plan: samplePlan({ id: 'snap-b', workshopId: 'aaaaaaaaaaaab' }), boards: { swot: new Uint8Array([2]) } })
      await store.appendChange(boardChange('change-a-1', 'aaaaaaaaaaaa', '2026-01-01T00:00:01.000Z'))
      await store.appendChange(boardChange('change-b-1', 'aaaaaaaaaaaab', '2026-01-01T00:00:01.000Z'))
      const vote = { board: 'swot', question: 'Which threats matter most?', votesPerPerson: 3, shapeTypes: ['note'], revealed: false, closed: false, createdAt: '2026-01-01T00:00:02.000Z', ballots: [] } as const
      await store.saveVote({ ...vote, id: 'vote-a', workshopId: 'aaaaaaaaaaaa', shapeTypes: ['note'], ballots: [] })
      await store.saveVote({ ...vote, id: 'vote-b', workshopId: 'aaaaaaaaaaaab', shapeTypes: ['note'], ballots: [] })
      expect(await store.deleteWorkshop('aaaaaaaaaaaa')).toBe(true)
      expect(await store.getWorkshop('aaaaaaaaaaaa')).toBeUndefined()
      expect(await store.getAccess('aaaaaaaaaaaa')).toBeUndefined()
      expect((await store.loadDocument('aaaaaaaaaaaa/swot')).updates).toEqual([])
      expect((await store.loadDocument('aaaaaaaaaaaa/actions')).updates).toEqual([])
      expect(await store.listSnapshots('aaaaaaaaaaaa')).toEqual([])
      expect(await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-a', 'swot')).toBeUndefined()
      expect(await store.getChange('aaaaaaaaaaaa', 'swot', 'change-a-1')).toBeUndefined()
      expect(await store.deleteWorkshop('aaaaaaaaaaaa')).toBe(false)
      expect((await store.getWorkshop('aaaaaaaaaaaab'))?.id).toBe('aaaaaaaaaaaab')
      expect(contentOf((await store.loadDocument('aaaaaaaaaaaab/swot')).updates)).toEqual({ k: 2 })
      expect(await store.listSnapshots('aaaaaaaaaaaab')).toHaveLength(1)
      expect((await store.getChange('aaaaaaaaaaaab', 'swot', 'change-b-1'))?.id).toBe('change-b-1')
      expect(await store.listVotes('aaaaaaaaaaaa')).toEqual([])
      expect((await store.listVotes('aaaaaaaaaaaab')).map((v) => v.id)).toEqual(['vote-b'])
    })

    test('an unknown document loads empty', async () => {
      expect(await store.loadDocument('w/swot')).toEqual({ updates: [], lastSeq: 0, bytes: 0 })
    })

    test('appendUpdates: one call spans documents, sequence numbers of a document grow in input order', async () => {
      const a = new Y.Doc()
      const b = new Y.Doc()
      const updates = [
        { docName: 'w/a', update: mapUpdate(a, 'x', 1) },
        { docName: 'w/b', update: mapUpdate(b, 'y', 2) },
        { docName: 'w/a', update: mapUpdate(a, 'z', 3) },
      ]
      const seqs = await store.appendUpdates(updates)
      expect(seqs).toHaveLength(3)
      // Numbered per document (PostgreSQL) or across all (SQLite): only the order within one counts.
      expect(seqs[2]).toBeGreaterThan(seqs[0] ?? Infinity)
      expect(await store.appendUpdates([])).toEqual([])
      const loadedA = await store.loadDocument('w/a')
      expect(loadedA.updates.map((u) => [...u])).toEqual([[...(updates[0]?.update ?? [])], [...(updates[2]?.update ?? [])]])
      expect(loadedA.lastSeq).toBe(seqs[2])
      expect(loadedA.bytes).toBe((updates[0]?.update.byteLength ?? 0) + (updates[2]?.update.byteLength ?? 0))
      expect(contentOf((await store.loadDocument('w/b')).updates)).toEqual({ y: 2 })
      const more = await store.appendUpdates([{ docName: 'w/b', update: mapUpdate(b, 'y', 3) }])
      expect(more[0]).toBeGreaterThan(seqs[1] ?? Infinity)
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
      expect(loaded.lastSeq).toBe(later.at(-1))
      expect(contentOf(loaded.updates)).toEqual(doc.getMap('m').toJSON())
      const after = await store.appendUpdates([{ docName: 'w/a', update: mapUpdate(doc, 'after', 1) }])
      expect(after[0]).toBeGreaterThan(loaded.lastSeq)
    })

    test('readUpdatesSince gives a reader at N what it lacks, also across a compaction', async () => {
      const doc = new Y.Doc()
      const other = new Y.Doc()
      // Rows of another document in between: numbers of one document may skip (SQLite).
      const seqs: number[] = []
      for (let i = 0; i < 6; i++) {
        const [seq] = await store.appendUpdates([{ docName: 'w/a', update: mapUpdate(doc, `k${i}`, i) }, { docName: 'w/b', update: mapUpdate(other, `k${i}`, i) }])
        seqs.push(seq ?? 0)
      }
      const reader = new Y.Doc()
      for (const update of (await store.loadDocument('w/a')).updates.slice(0, 2)) Y.applyUpdate(reader, update)
      // Rows 1..4 merged into one row numbered as row 4; the reader at row 2 gets it and rows 5, 6.
      await store.compactDocument('w/a', Y.mergeUpdates((await store.loadDocument('w/a')).updates.slice(0, 4)), seqs[3] ?? 0)
      const since = await store.readUpdatesSince('w/a', seqs[1] ?? 0)
      expect(since.updates).toHaveLength(3)
      expect(since.seqs).toEqual([seqs[3], seqs[4], seqs[5]])
      expect(since.lastSeq).toBe(seqs[5])
      for (const update of since.updates) Y.applyUpdate(reader, update)
      expect(reader.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
      // A reader at the compaction point reads only newer rows; one at the end, nothing.
      expect((await store.readUpdatesSince('w/a', seqs[3] ?? 0)).updates).toHaveLength(2)
      expect(await store.readUpdatesSince('w/a', seqs[5] ?? 0)).toEqual({ updates: [], seqs: [], lastSeq: seqs[5], bytes: 0 })
      expect(await store.readUpdatesSince('w/none', 0)).toEqual({ updates: [], seqs: [], lastSeq: 0, bytes: 0 })
    })

    test('compactDocument touches no other document', async () => {
      const a = new Y.Doc()
      const b = new Y.Doc()
      const seqs = await store.appendUpdates([
        { docName: 'w/a', update: mapUpdate(a, 'a', 1) },
        { docName: 'w/b', update: mapUpdate(b, 'b', 1) },
      ])
      await store.compactDocument('w/a', Y.encodeStateAsUpdate(a), seqs[0] ?? 0)
      expect(contentOf((await store.loadDocument('w/b')).updates)).toEqual({ b: 1 })
      expect((await store.loadDocument('w/a')).updates).toHaveLength(1)
    })

    test('several writers on the same data: compaction keeps every row it did not merge, sequence numbers never repeat [S5]', async () => {
      const writers = [store, await harness.another(), await harness.another()]
      const compactor = await harness.another()
      const rounds = 40
      const docs = writers.map(() => ({ a: new Y.Doc(), b: new Y.Doc() }))
      const seqsOfA: number[][] = writers.map(() => [])
      let writing = writers.length
      let compactions = 0
      const write = async (writer: Store, w: number) => {
        const { a, b } = docs[w] ?? { a: new Y.Doc(), b: new Y.Doc() }
        for (let round = 0; round < rounds; round++) {
          const toA = { docName: 'w/a', update: mapUpdate(a, `w${w}-${round}`, round) }
          const toB = { docName: 'w/b', update: mapUpdate(b, `w${w}-${round}`, round) }
          // Group commits spanning both documents, in opposite orders: writers must not deadlock.
          const seqs = await writer.appendUpdates(w % 2 === 0 ? [toA, toB] : [toB, toA])
          seqsOfA[w]?.push(seqs[w % 2 === 0 ? 0 : 1] ?? 0)
        }
        writing--
      }
      // Read, merge, compact up to what was read, while the writers go on: their rows appended
      // after the read must survive (a compaction deleting them would lose edits nobody merged).
      const compact = async () => {
        do {
          const loaded = await compactor.loadDocument('w/a')
          if (loaded.updates.length > 1) {
            await compactor.compactDocument('w/a', Y.mergeUpdates(loaded.updates), loaded.lastSeq)
            compactions++
          } else await new Promise((resolve) => setImmediate(resolve))
        } while (writing > 0)
      }
      try {
        await Promise.all([...writers.map(write), compact()])
        const everything = Object.fromEntries(docs.flatMap((_, w) => Array.from({ length: rounds }, (_, round) => [`w${w}-${round}`, round])))
        expect(contentOf((await store.loadDocument('w/a')).updates)).toEqual(everything)
        expect(contentOf((await store.loadDocument('w/b')).updates)).toEqual(everything)
        expect(compactions).toBeGreaterThan(0)
        for (const seqs of seqsOfA) expect([...seqs].sort((p, q) => p - q)).toEqual(seqs)
        expect(new Set(seqsOfA.flat()).size).toBe(writers.length * rounds)
      } finally {
        for (const other of [...writers.slice(1), compactor]) await other.close()
      }
    })

    test('snapshots: stored with their boards, listed newest first, scoped to their workshop [S18]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-01-01T00:00:00.000Z'))
      const older = samplePlan({ id: 'snap-1', workshopId: 'aaaaaaaaaaaa', takenAt: '2026-11-22T10:00:00.000Z', trigger: 'periodic', label: null })
      const newer = samplePlan({ id: 'snap-2', workshopId: 'aaaaaaaaaaaa', takenAt: '2026-11-22T11:00:00.000Z' })
      const state = new Uint8Array([1, 2, 3])
      await store.insertSnapshot({ plan: newer, boards: { swot: state, actions: new Uint8Array([4]) } })
      await store.insertSnapshot({ plan: older, boards: {} })
      expect(await store.listSnapshots('aaaaaaaaaaaa')).toEqual([summarizePlan(newer), summarizePlan(older)])
      expect(await store.listSnapshots('bbbbbbbbbbbb')).toEqual([])
      expect(await store.getSnapshot('aaaaaaaaaaaa', 'snap-2')).toEqual(newer)
      expect(await store.getSnapshot('bbbbbbbbbbbb', 'snap-2')).toBeUndefined()
      expect(await store.getSnapshot('aaaaaaaaaaaa', 'nope')).toBeUndefined()
      expect([...((await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-2', 'swot')) ?? [])]).toEqual([1, 2, 3])
      expect(await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-2', 'stakeholders')).toBeUndefined()
      expect(await store.getSnapshotBoard('bbbbbbbbbbbb', 'snap-2', 'swot')).toBeUndefined()
    })

    test('snapshots keep each board\'s internal document beside its state; one for a board without a state is rejected, nothing stored (issue 13)', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-01-01T00:00:00.000Z'))
      const plan = samplePlan({ id: 'snap-1', workshopId: 'aaaaaaaaaaaa' })
      await store.insertSnapshot({ plan, boards: { swot: new Uint8Array([1]), actions: new Uint8Array([2]) }, internalBoards: { swot: new Uint8Array([7, 8]) } })
      expect([...((await store.getSnapshotInternalBoard('aaaaaaaaaaaa', 'snap-1', 'swot')) ?? [])]).toEqual([7, 8])
      expect([...((await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-1', 'swot')) ?? [])]).toEqual([1])
      expect(await store.getSnapshotInternalBoard('aaaaaaaaaaaa', 'snap-1', 'actions')).toBeUndefined()
      expect(await store.getSnapshotInternalBoard('aaaaaaaaaaaa', 'snap-1', 'stakeholders')).toBeUndefined()
      expect(await store.getSnapshotInternalBoard('bbbbbbbbbbbb', 'snap-1', 'swot')).toBeUndefined()
      const orphan = samplePlan({ id: 'snap-2', workshopId: 'aaaaaaaaaaaa' })
      await expect(store.insertSnapshot({ plan: orphan, boards: { swot: new Uint8Array([1]) }, internalBoards: { actions: new Uint8Array([3]) } })).rejects.toThrow()
      expect(await store.getSnapshot('aaaaaaaaaaaa', 'snap-2')).toBeUndefined()
      expect(await store.deleteSnapshot('aaaaaaaaaaaa', 'snap-1')).toBe(true)
      expect(await store.getSnapshotInternalBoard('aaaaaaaaaaaa', 'snap-1', 'swot')).toBeUndefined()
    })

    test('a snapshot copies unchanged boards\' rows from an earlier snapshot of its workshop; a source elsewhere or missing is refused, nothing stored; the copies outlive their source [S16]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-01-01T00:00:00.000Z'))
      const bytes = async (read: Promise<Uint8Array | undefined>) => [...((await read) ?? [])]
      await store.insertSnapshot({
        plan: samplePlan({ id: 'snap-1', workshopId: 'aaaaaaaaaaaa', takenAt: '2026-01-02T00:00:00.000Z' }),
        boards: { swot: new Uint8Array([1]), actions: new Uint8Array([2]), stakeholders: new Uint8Array([3]) },
        internalBoards: { swot: new Uint8Array([7, 8]) },
      })
      await store.insertSnapshot({ plan: samplePlan({ id: 'snap-b', workshopId: 'bbbbbbbbbbbb' }), boards: { objectives: new Uint8Array([9]) } })

      const second = samplePlan({ id: 'snap-2', workshopId: 'aaaaaaaaaaaa', takenAt: '2026-01-03T00:00:00.000Z' })
      expect(await store.insertSnapshotIfLatest({ plan: second, boards: { actions: new Uint8Array([4]) }, copied: { from: 'snap-1', boards: ['swot', 'stakeholders'] } }, 'snap-1')).toBe(true)
      expect(await bytes(store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-2', 'swot'))).toEqual([1])
      expect(await bytes(store.getSnapshotInternalBoard('aaaaaaaaaaaa', 'snap-2', 'swot'))).toEqual([7, 8])
      expect(await bytes(store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-2', 'stakeholders'))).toEqual([3])
      expect(await store.getSnapshotInternalBoard('aaaaaaaaaaaa', 'snap-2', 'stakeholders')).toBeUndefined()
      expect(await bytes(store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-2', 'actions'))).toEqual([4])
      expect(await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-2', 'objectives')).toBeUndefined()

      // Another workshop's snapshot, a missing one, a board the source has no row of, a board both stored and copied.
      const refused = [
        { from: 'snap-b', boards: ['objectives' as const] },
        { from: 'nope', boards: ['swot' as const] },
        { from: 'snap-1', boards: ['swot' as const, 'whitespace' as const] },
      ]
      for (const copied of refused) {
        const plan = samplePlan({ id: 'snap-3', workshopId: 'aaaaaaaaaaaa', takenAt: '2026-01-04T00:00:00.000Z' })
        await expect(store.insertSnapshot({ plan, boards: { actions: new Uint8Array([5]) }, copied })).rejects.toThrow(SnapshotCopySourceError)
        expect(await store.getSnapshot('aaaaaaaaaaaa', 'snap-3')).toBeUndefined()
        expect(await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-3', 'actions')).toBeUndefined()
      }
      const both = samplePlan({ id: 'snap-3', workshopId: 'aaaaaaaaaaaa', takenAt: '2026-01-04T00:00:00.000Z' })
      await expect(store.insertSnapshot({ plan: both, boards: { swot: new Uint8Array([5]) }, copied: { from: 'snap-1', boards: ['swot'] } })).rejects.toThrow()
      expect(await store.getSnapshot('aaaaaaaaaaaa', 'snap-3')).toBeUndefined()
      expect((await store.listSnapshots('aaaaaaaaaaaa')).map((s) => s.id)).toEqual(['snap-2', 'snap-1'])

      expect(await store.deleteSnapshot('aaaaaaaaaaaa', 'snap-1')).toBe(true)
      expect(await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-1', 'swot')).toBeUndefined()
      expect(await bytes(store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-2', 'swot'))).toEqual([1])
      expect(await bytes(store.getSnapshotInternalBoard('aaaaaaaaaaaa', 'snap-2', 'swot'))).toEqual([7, 8])
      expect(await bytes(store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-2', 'stakeholders'))).toEqual([3])
      // Deleting the copy leaves nothing of it behind.
      expect(await store.deleteSnapshot('aaaaaaaaaaaa', 'snap-2')).toBe(true)
      expect(await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-2', 'swot')).toBeUndefined()
    })

    test('snapshots keep their access record; one stored without it reads as null [A17][A18]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const access = {
        customerFacing: { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false },
        participants: [{ name: '__proto__', boards: ['swot' as const] }, { name: 'Ada', boards: ['swot' as const, 'actions' as const] }],
      }
      await store.insertSnapshot({ plan: samplePlan({ id: 'snap-1', workshopId: 'aaaaaaaaaaaa' }), boards: {}, access })
      await store.insertSnapshot({ plan: samplePlan({ id: 'snap-2', workshopId: 'aaaaaaaaaaaa' }), boards: {} })
      expect(await store.getSnapshotAccess('aaaaaaaaaaaa', 'snap-1')).toEqual(access)
      expect(await store.getSnapshotAccess('aaaaaaaaaaaa', 'snap-2')).toBeNull()
      expect(await store.getSnapshotAccess('aaaaaaaaaaaa', 'nope')).toBeUndefined()
      expect(await store.getSnapshotAccess('bbbbbbbbbbbb', 'snap-1')).toBeUndefined()
    })

    test('snapshots keep any characters their plan and access record hold [S18]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const text = 'nul \u0000 é 𝄞 "q"'
      const plan = samplePlan({ id: 'snap-1', workshopId: 'aaaaaaaaaaaa', label: text, participants: [text] })
      const access = { customerFacing: { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: true }, participants: [{ name: text, boards: ['swot' as const] }] }
      await store.insertSnapshot({ plan, boards: {}, access })
      expect(await store.getSnapshot('aaaaaaaaaaaa', 'snap-1')).toEqual(plan)
      expect(await store.listSnapshots('aaaaaaaaaaaa')).toEqual([summarizePlan(plan)])
      expect(await store.getSnapshotAccess('aaaaaaaaaaaa', 'snap-1')).toEqual(access)
    })

    test('snapshots are immutable: a duplicate id is rejected and the first one kept [S18]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const first = samplePlan({ id: 'snap-1', workshopId: 'aaaaaaaaaaaa' })
      await store.insertSnapshot({ plan: first, boards: { swot: new Uint8Array([1]) } })
      await expect(store.insertSnapshot({ plan: { ...first, label: 'other' }, boards: { swot: new Uint8Array([2]) } })).rejects.toThrow()
      expect(await store.getSnapshot('aaaaaaaaaaaa', 'snap-1')).toEqual(first)
      expect([...((await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-1', 'swot')) ?? [])]).toEqual([1])
    })

    test('an invalid plan record is rejected before anything is stored [S18]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const invalid = { ...samplePlan({ id: 'snap-1', workshopId: 'aaaaaaaaaaaa' }), trigger: 'whenever' }
      // Deliberately invalid: the store must validate what it is given, not trust the type.
      await expect(store.insertSnapshot({ plan: invalid as never, boards: { swot: new Uint8Array([1]) } })).rejects.toThrow()
      expect(await store.listSnapshots('aaaaaaaaaaaa')).toEqual([])
      expect(await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-1', 'swot')).toBeUndefined()
    })

    test('snapshots survive close and reopen', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const plan = samplePlan({ id: 'snap-1', workshopId: 'aaaaaaaaaaaa' })
      await store.insertSnapshot({ plan, boards: { actions: new Uint8Array([9]) } })
      await store.close()
      store = await harness.reopen()
      expect(await store.getSnapshot('aaaaaaaaaaaa', 'snap-1')).toEqual(plan)
      expect([...((await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-1', 'actions')) ?? [])]).toEqual([9])
    })

    test('appendUpdates refuses, storing nothing of the call, rows judged by a sensitivity generation other than their workshop\'s [S37]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-01-01T00:00:00.000Z'))
      const doc = new Y.Doc()
      const other = new Y.Doc()
      await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: mapUpdate(doc, 'x', 1), sensitivityGeneration: 0 }])
      expect((await store.setSensitivity('aaaaaaaaaaaa', { 'stakeholder.department': 'internal' })).generation).toBe(1)
      expect((await store.getAccess('aaaaaaaaaaaa'))?.sensitivityGeneration).toBe(1)
      const refused = store.appendUpdates([
        { docName: 'bbbbbbbbbbbb/swot', update: mapUpdate(other, 'y', 2), sensitivityGeneration: 0 },
        { docName: 'aaaaaaaaaaaa/swot', update: mapUpdate(new Y.Doc(), 'x', 2), sensitivityGeneration: 0 },
        { docName: 'aaaaaaaaaaaa/swot/internal', update: mapUpdate(new Y.Doc(), 'z', 3) },
      ])
      await expect(refused).rejects.toBeInstanceOf(SensitivityChangedError)
      await expect(refused).rejects.toMatchObject({ docNames: ['aaaaaaaaaaaa/swot'] })
      expect(contentOf((await store.loadDocument('aaaaaaaaaaaa/swot')).updates)).toEqual({ x: 1 })
      expect((await store.loadDocument('bbbbbbbbbbbb/swot')).updates).toEqual([])
      expect((await store.loadDocument('aaaaaaaaaaaa/swot/internal')).updates).toEqual([])
      // Judged by the stored generation, or not judged (an internal document): stored.
      await store.appendUpdates([
        { docName: 'aaaaaaaaaaaa/swot', update: mapUpdate(doc, 'x', 3), sensitivityGeneration: 1 },
        { docName: 'aaaaaaaaaaaa/swot/internal', update: mapUpdate(new Y.Doc(), 'z', 4) },
      ])
      expect(contentOf((await store.loadDocument('aaaaaaaaaaaa/swot')).updates)).toEqual({ x: 3 })
    })

    test('a sensitivity change is announced with its generation before setSensitivity resolves; a settled read reads it [S40]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const announced: number[] = []
      const { generation } = await store.setSensitivity('aaaaaaaaaaaa', { 'stakeholder.department': 'internal' }, async (g) => {
        announced.push(g)
      })
      expect(announced).toEqual([1])
      expect(generation).toBe(1)
      expect((await store.getAccess('aaaaaaaaaaaa', { settled: true }))?.sensitivityGeneration).toBe(1)
      // An announce that fails fails the change (PostgreSQL: rolled back); the server's never throws.
      await expect(store.setSensitivity('aaaaaaaaaaaa', {}, () => Promise.reject(new Error('no')))).rejects.toThrow('no')
    })

    test('a sensitivity change changes the fields it names, the others as they are; a field back at its default is no override (QA q36a)', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      // Two changes at once, as two facilitators' panels send them.
      const [first, second] = await Promise.all([
        store.setSensitivity('aaaaaaaaaaaa', { 'stakeholder.department': 'internal' }),
        store.setSensitivity('aaaaaaaaaaaa', { 'stakeholder.attitude': 'visible' }),
      ])
      expect([first.generation, second.generation].sort()).toEqual([1, 2])
      const both = { 'stakeholder.department': 'internal', 'stakeholder.attitude': 'visible' }
      expect((await store.getAccess('aaaaaaaaaaaa'))?.sensitivity).toEqual(both)
      expect([first, second].find((change) => change.generation === 2)?.sensitivity).toEqual(both)
      const back = await store.setSensitivity('aaaaaaaaaaaa', { 'stakeholder.department': 'visible' })
      expect(back).toEqual({ generation: 3, sensitivity: { 'stakeholder.attitude': 'visible' } })
      expect((await store.getAccess('aaaaaaaaaaaa'))?.sensitivity).toEqual({ 'stakeholder.attitude': 'visible' })
    })

    test('access: a new workshop has its access state; generations bump per role; settings replace [A4][A6]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-01-01T00:00:00.000Z'), [], { ...newWorkshopAccess(), linkTtlSeconds: 3600 })
      expect(await store.getAccess('aaaaaaaaaaaa')).toEqual(newWorkshopAccess())
      expect(await store.getAccess('nope')).toBeUndefined()
      expect(await store.bumpGeneration('aaaaaaaaaaaa', 'guest')).toEqual({ facilitator: 0, team: 0, viewer: 0, guest: 1 })
      expect(await store.bumpGeneration('aaaaaaaaaaaa', 'guest')).toEqual({ facilitator: 0, team: 0, viewer: 0, guest: 2 })
      await store.setCustomerFacing('aaaaaaaaaaaa', { swot: true, stakeholders: false, objectives: false, actions: false, whitespace: false })
      expect(await store.getAccess('aaaaaaaaaaaa')).toEqual({
        generations: { facilitator: 0, team: 0, viewer: 0, guest: 2 },
        customerFacing: { swot: true, stakeholders: false, objectives: false, actions: false, whitespace: false },
        linkTtlSeconds: newWorkshopAccess().linkTtlSeconds,
      })
      // Other workshops are untouched.
      expect(await store.getAccess('bbbbbbbbbbbb')).toEqual({ ...newWorkshopAccess(), linkTtlSeconds: 3600 })
      await expect(store.bumpGeneration('nope', 'guest')).rejects.toThrow()
      await expect(store.setCustomerFacing('nope', newWorkshopAccess().customerFacing)).rejects.toThrow()
    })

    test('history: appended changes are listed newest first in pages, per board, and read one by one [H1]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-01-01T00:00:00.000Z'))
      const changes = Array.from({ length: 5 }, (_, i) => boardChange(`change-${i}-aaaa`, 'aaaaaaaaaaaa', `2026-12-01T10:00:0${i}.000Z`))
      for (const change of changes) await store.appendChange(change)
      await store.appendChange(boardChange('other-board-1', 'aaaaaaaaaaaa', '2026-12-01T10:00:09.000Z', { board: 'actions' }))
      await store.appendChange(boardChange('other-workshop', 'bbbbbbbbbbbb', '2026-12-01T10:00:09.000Z'))
      const first = await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 2 })
      expect(first.changes.map((c) => c.id)).toEqual(['change-4-aaaa', 'change-3-aaaa'])
      expect(first.nextCursor).not.toBeNull()
      const second = await store.listChanges('aaaaaaaaaaaa', 'swot', { cursor: first.nextCursor ?? undefined, limit: 2 })
      expect(second.changes.map((c) => c.id)).toEqual(['change-2-aaaa', 'change-1-aaaa'])
      const last = await store.listChanges('aaaaaaaaaaaa', 'swot', { cursor: second.nextCursor ?? undefined, limit: 2 })
      expect(last).toEqual({ changes: [changes[0]], nextCursor: null })
      expect((await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 5 })).nextCursor).toBeNull()
      expect(await store.getChange('aaaaaaaaaaaa', 'swot', 'change-2-aaaa')).toEqual(changes[2])
      expect(await store.getChange('aaaaaaaaaaaa', 'actions', 'change-2-aaaa')).toBeUndefined()
      expect(await store.getChange('bbbbbbbbbbbb', 'swot', 'change-2-aaaa')).toBeUndefined()
      expect(await store.getChange('aaaaaaaaaaaa', 'swot', 'nope-nope')).toBeUndefined()
      expect((await store.listChanges('bbbbbbbbbbbb', 'swot', { limit: 10 })).changes.map((c) => c.id)).toEqual(['other-workshop'])
    })

    test('history: a duplicate or invalid change is rejected and nothing stored [H1]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const change = boardChange('change-0-aaaa', 'aaaaaaaaaaaa', '2026-12-01T10:00:00.000Z')
      await store.appendChange(change)
      await expect(store.appendChange({ ...change, name: 'Someone else' })).rejects.toThrow()
      await expect(store.appendChange({ ...change, id: 'change-1-aaaa', at: 'yesterday' })).rejects.toThrow()
      expect((await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 10 })).changes).toEqual([change])
    })

    test('history: a change is stored as given, whatever characters its records hold [H1]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const note = { id: 'shape:n1', typeName: 'shape', type: 'note', props: { text: 'nul \u0000 é 𝄞 \ud800 "q"', n: 0.1 + 0.2 } }
      const change = boardChange('change-0-aaaa', 'aaaaaaaaaaaa', '2026-12-01T10:00:00.000Z', {
        records: [{ id: 'shape:n1', typeName: 'shape', type: 'note', before: null, after: note }],
      })
      await store.appendChange(change)
      expect(await store.getChange('aaaaaaaaaaaa', 'swot', 'change-0-aaaa')).toEqual(change)
      expect((await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 10 })).changes).toEqual([change])
    })

    test('history: retention deletes changes recorded before a time; deleting a workshop\'s history spares others [H8]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-01-01T00:00:00.000Z'))
      await store.appendChange(boardChange('old-change-1', 'aaaaaaaaaaaa', '2026-10-01T00:00:00.000Z'))
      await store.appendChange(boardChange('new-change-1', 'aaaaaaaaaaaa', '2026-12-01T00:00:00.000Z'))
      await store.appendChange(boardChange('new-change-2', 'bbbbbbbbbbbb', '2026-12-01T00:00:00.000Z'))
      expect(await store.pruneChanges('2026-11-01T00:00:00.000Z')).toBe(1)
      expect(await store.getChange('aaaaaaaaaaaa', 'swot', 'old-change-1')).toBeUndefined()
      expect(await store.getChange('aaaaaaaaaaaa', 'swot', 'new-change-1')).toBeDefined()
      expect(await store.deleteWorkshopChanges('aaaaaaaaaaaa')).toBe(1)
      expect((await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 10 })).changes).toEqual([])
      expect(await store.getChange('bbbbbbbbbbbb', 'swot', 'new-change-2')).toBeDefined()
    })

    test('history journal: an open change is journaled, rewritten, and deleted with its append; recovery appends what is left, as last journaled, and survives a reopen [H10]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const open = boardChange('open-1-aaaa', 'aaaaaaaaaaaa', '2026-12-01T10:00:01.000Z')
      const closing = boardChange('open-2-aaaa', 'aaaaaaaaaaaa', '2026-12-01T10:00:02.000Z')
      await store.journalOpenChanges([open, closing], '2026-12-01T10:00:02.500Z')
      // Rewritten as it grew, with an odd character: the last journal write is what is recovered.
      const grown = { ...open, at: '2026-12-01T10:00:03.000Z', name: 'Tom \u0000 Wéber' }
      await store.journalOpenChanges([grown], '2026-12-01T10:00:03.500Z')
      // A change of a workshop that is gone is left out; an invalid one rejects the call.
      await store.journalOpenChanges([boardChange('open-3-zzzz', 'zzzzzzzzzzzz', '2026-12-01T10:00:03.000Z')], '2026-12-01T10:00:03.500Z')
      await expect(store.journalOpenChanges([{ ...open, id: 'open-4-aaaa', at: 'yesterday' }], '2026-12-01T10:00:03.500Z')).rejects.toThrow()
      // Closed: appended, and its journal row goes with it.
      const closed = { ...closing, at: '2026-12-01T10:00:04.000Z' }
      await store.appendChange(closed)
      expect((await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 10 })).changes).toEqual([closed])
      // A crash: what the journal holds is there after a reopen.
      await store.close()
      store = await harness.reopen()
      expect(await store.recoverOpenChanges()).toBe(1)
      expect((await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 10 })).changes).toEqual([grown, closed])
      expect(await store.recoverOpenChanges()).toBe(0)
      expect((await store.listChanges('zzzzzzzzzzzz', 'swot', { limit: 10 })).changes).toEqual([])
    })

    test('history journal: a stale recovery takes only rows journaled before its time, oldest edit first; a row whose id is stored only goes [H10]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const later = boardChange('stale-2-aaaa', 'aaaaaaaaaaaa', '2026-12-01T10:00:02.000Z')
      const earlier = boardChange('stale-1-aaaa', 'aaaaaaaaaaaa', '2026-12-01T10:00:01.000Z')
      const fresh = boardChange('fresh-1-aaaa', 'aaaaaaaaaaaa', '2026-12-01T10:00:05.000Z')
      await store.journalOpenChanges([later, earlier], '2026-12-01T10:00:02.500Z')
      await store.journalOpenChanges([fresh], '2026-12-01T10:01:00.000Z')
      expect(await store.recoverOpenChanges('2026-12-01T10:00:30.000Z')).toBe(2)
      // Newest stored first: `earlier` was stored first.
      expect((await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 10 })).changes).toEqual([later, earlier])
      expect(await store.recoverOpenChanges('2026-12-01T10:00:30.000Z')).toBe(0)
      // Journaled again after it was recovered (its recorder was alive after all): the stored one stays.
      await store.journalOpenChanges([{ ...later, name: 'Someone later' }], '2026-12-01T10:01:00.000Z')
      expect(await store.recoverOpenChanges()).toBe(1)
      expect((await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 10 })).changes).toEqual([fresh, later, earlier])
      expect(await store.recoverOpenChanges()).toBe(0)
    })

    test('history journal: rows go when dropped, with their workshop\'s history, and with their workshop [H10][H8]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('cccccccccccc', '2026-01-01T00:00:00.000Z'))
      const at = '2026-12-01T10:00:01.000Z'
      await store.journalOpenChanges(
        [boardChange('drop-1-aaaa', 'aaaaaaaaaaaa', at), boardChange('keep-1-aaaa', 'aaaaaaaaaaaa', at), boardChange('gone-1-bbbb', 'bbbbbbbbbbbb', at), boardChange('gone-1-cccc', 'cccccccccccc', at)],
        '2026-12-01T10:00:01.500Z',
      )
      await store.dropOpenChanges(['drop-1-aaaa', 'no-such-change'])
      expect(await store.deleteWorkshopChanges('bbbbbbbbbbbb')).toBe(0)
      expect(await store.deleteWorkshop('cccccccccccc')).toBe(true)
      expect(await store.recoverOpenChanges()).toBe(1)
      expect((await store.listChanges('aaaaaaaaaaaa', 'swot', { limit: 10 })).changes.map((c) => c.id)).toEqual(['keep-1-aaaa'])
      expect((await store.listChanges('bbbbbbbbbbbb', 'swot', { limit: 10 })).changes).toEqual([])
    })

    test('everything survives close and reopen', async () => {
      const doc = new Y.Doc()
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.appendUpdates([{ docName: 'w/a', update: mapUpdate(doc, 'k', 'v') }])
      await store.bumpGeneration('aaaaaaaaaaaa', 'team')
      const change = boardChange('change-0-aaaa', 'aaaaaaaaaaaa', '2026-12-01T10:00:00.000Z')
      await store.appendChange(change)
      await store.close()
      store = await harness.reopen()
      expect(await store.getChange('aaaaaaaaaaaa', 'swot', 'change-0-aaaa')).toEqual(change)
      expect(await store.getWorkshop('aaaaaaaaaaaa')).toBeDefined()
      expect((await store.getAccess('aaaaaaaaaaaa'))?.generations.team).toBe(1)
      expect(contentOf((await store.loadDocument('w/a')).updates)).toEqual({ k: 'v' })
    })

    test('accounts [K1][K2]: created, found by name ignoring case, listed by name; a taken name is rejected', async () => {
      const account = (id: string, name: string): StoredAccount => ({
        id,
        name,
        createdAt: '2026-01-01T00:00:00.000Z',
        tier: 'strategic',
        keyAccountManager: 'Dana',
        executiveSponsor: '',
        segment: 'Retail',
        criteria: { annualRevenue: 4, profitability: null, growthPotential: 3, strategicImportance: null, relativeStrength: 2 },
      })
      await store.createAccount(account('acct-zeta-01', 'Zeta'))
      await store.createAccount(account('acct-alpha-01', 'Alpha'))
      await expect(store.createAccount(account('acct-other-01', 'ALPHA'))).rejects.toBeInstanceOf(AccountNameTakenError)
      expect(await store.getAccount('acct-alpha-01')).toEqual(account('acct-alpha-01', 'Alpha'))
      expect((await store.findAccountByName(' alpha '))?.id).toBe('acct-alpha-01')
      expect((await store.listAccounts()).map((a) => a.name)).toEqual(['Alpha', 'Zeta'])
      await store.createWorkshop({ ...workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'), accountId: 'acct-alpha-01' })
      await store.createWorkshop({ ...workshop('bbbbbbbbbbbb', '2026-02-01T00:00:00.000Z'), account: 'alpha' })
      expect((await store.listAccountWorkshops('acct-alpha-01')).map((w) => w.id)).toEqual(['bbbbbbbbbbbb', 'aaaaaaaaaaaa'])
      const renamed = await store.updateAccount('acct-alpha-01', { name: 'Alpha Group', tier: 'key', archivedAt: '2026-05-01T00:00:00.000Z' })
      expect(renamed).toMatchObject({ name: 'Alpha Group', tier: 'key', archivedAt: '2026-05-01T00:00:00.000Z' })
      expect((await store.getWorkshop('aaaaaaaaaaaa'))?.account).toBe('Alpha Group')
      await expect(store.updateAccount('acct-alpha-01', { name: 'zeta' })).rejects.toBeInstanceOf(AccountNameTakenError)
      expect((await store.updateAccount('acct-alpha-01', { archivedAt: null }))?.archivedAt).toBeUndefined()
      expect(await store.updateAccount('nope', { tier: 'key' })).toBeUndefined()

      // In every script, not only A–Z, whatever the database's locale (QA q28c; the PostgreSQL test
      // clusters use the C locale, where lower() folds only A–Z).
      await store.createAccount(account('acct-elec-01', 'Électricité Test'))
      expect((await store.findAccountByName('ÉLECTRICITÉ TEST'))?.id).toBe('acct-elec-01')
      await expect(store.createAccount(account('acct-elec-02', 'électricité test'))).rejects.toBeInstanceOf(AccountNameTakenError)
      await expect(store.updateAccount('acct-zeta-01', { name: 'ÉLECTRICITÉ  TEST' })).rejects.toBeInstanceOf(AccountNameTakenError)
      await store.createWorkshop({ ...workshop('cccccccccccc', '2026-03-01T00:00:00.000Z'), account: 'ÉLECTRICITÉ TEST' })
      expect((await store.getWorkshop('cccccccccccc'))?.accountId).toBe('acct-elec-01')
      // Renamed in its own case, an account keeps its name's place.
      expect((await store.updateAccount('acct-elec-01', { name: 'ÉLECTRICITÉ Test' }))?.name).toBe('ÉLECTRICITÉ Test')
      expect((await store.findAccountByName('électricité test'))?.id).toBe('acct-elec-01')
    })

    test('account snapshots [K6][K9]: listed across workshops newest first; renamed in record and summary; deleted with boards', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop({ ...workshop('bbbbbbbbbbbb', '2026-02-01T00:00:00.000Z'), account: 'Account aaaaaaaaaaaa' })
      await store.insertSnapshot({ plan: samplePlan({ id: 'snap-one-0001', workshopId: 'aaaaaaaaaaaa', takenAt: '2026-01-02T00:00:00.000Z' }), boards: { swot: new Uint8Array([0, 0]) } })
      await store.insertSnapshot({ plan: samplePlan({ id: 'snap-two-0001', workshopId: 'bbbbbbbbbbbb', takenAt: '2026-02-02T00:00:00.000Z' }), boards: {} })
      const accountId = (await store.getWorkshop('aaaaaaaaaaaa'))?.accountId ?? ''
      expect((await store.listAccountSnapshots(accountId)).map((s) => [s.workshopId, s.summary.id])).toEqual([
        ['bbbbbbbbbbbb', 'snap-two-0001'],
        ['aaaaaaaaaaaa', 'snap-one-0001'],
      ])
      expect(await store.setSnapshotLabel('aaaaaaaaaaaa', 'snap-one-0001', 'Signed off')).toBe(true)
      expect((await store.getSnapshot('aaaaaaaaaaaa', 'snap-one-0001'))?.label).toBe('Signed off')
      expect((await store.listSnapshots('aaaaaaaaaaaa'))[0]?.label).toBe('Signed off')
      expect(await store.setSnapshotLabel('bbbbbbbbbbbb', 'snap-one-0001', 'x')).toBe(false)
      expect(await store.deleteSnapshot('bbbbbbbbbbbb', 'snap-one-0001')).toBe(false)
      expect(await store.deleteSnapshot('aaaaaaaaaaaa', 'snap-one-0001')).toBe(true)
      expect(await store.getSnapshotBoard('aaaaaaaaaaaa', 'snap-one-0001', 'swot')).toBeUndefined()
      expect((await store.listAccountSnapshots(accountId)).map((s) => s.summary.id)).toEqual(['snap-two-0001'])
    })

    test('votes: saved, replaced by id, listed oldest first per workshop, durable; an invalid vote stores nothing', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-01-01T00:00:00.000Z'))
      const vote = (id: string, createdAt: string, workshopId = 'aaaaaaaaaaaa'): VoteRecord => ({
        id,
        workshopId,
        board: 'swot',
        question: `Question ${id}`,
        votesPerPerson: 3,
        shapeTypes: ['note'],
        revealed: false,
        closed: false,
        createdAt,
        ballots: [],
      })
      await store.saveVote(vote('v2', '2026-01-02T00:00:00.000Z'))
      await store.saveVote(vote('v1', '2026-01-01T00:00:00.000Z'))
      await store.saveVote(vote('v3', '2026-01-01T00:00:00.000Z', 'bbbbbbbbbbbb'))
      const ballot = { userId: 'user:00000000-0000-4000-8000-000000000000', item: 'shape:n1' }
      await store.saveVote({ ...vote('v2', '2026-01-02T00:00:00.000Z'), revealed: true, ballots: [ballot] })
      await expect(store.saveVote({ ...vote('v4', '2026-01-03T00:00:00.000Z'), votesPerPerson: 0 })).rejects.toThrow()
      await store.close()
      store = await harness.reopen()
      const listed = await store.listVotes('aaaaaaaaaaaa')
      expect(listed.map((v) => v.id)).toEqual(['v1', 'v2'])
      expect(listed[1]).toMatchObject({ revealed: true, ballots: [ballot] })
      expect((await store.listVotes('bbbbbbbbbbbb')).map((v) => v.id)).toEqual(['v3'])
      expect(await store.listVotes('nope')).toEqual([])
      // [C14] replaced only if still as read: a second writer that read the same vote stores nothing.
      const read = listed[1]
      if (!read) throw new Error('no vote v2')
      const other = { userId: 'user:00000000-0000-4000-8000-000000000001', item: 'shape:n2' }
      expect(await store.replaceVote(read, { ...read, ballots: [...read.ballots, other] })).toBe(true)
      expect(await store.replaceVote(read, { ...read, ballots: [] })).toBe(false)
      expect((await store.listVotes('aaaaaaaaaaaa'))[1]?.ballots).toEqual([ballot, other])
    })

    /** Holds that never expire (taken after 2000), at most `max` per document, `perParticipant` per participant and `perSource` per source. */
    const keep = (max = 100, perParticipant = 100, perSource = 100) => ({ since: '2000-01-01T00:00:00.000Z', max, maxPerParticipant: perParticipant, maxPerSource: perSource })
    /** `participant` connecting from `source`. */
    const as = (participant: string, source = 'source-1') => ({ participant, source })

    test('client-id holds [S29]: the first participant keeps an id; a look-up gives nothing; per document, durable, deleted with the workshop', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-01-01T00:00:00.000Z'))
      const swot = 'aaaaaaaaaaaa/swot'
      expect(await store.holdClientIds(swot, [1, 2], as('user:a#KA'), keep())).toEqual(new Map([[1, 'user:a#KA'], [2, 'user:a#KA']]))
      expect(await store.holdClientIds(swot, [2, 3], as('user:b#KB'), keep())).toEqual(new Map([[2, 'user:a#KA'], [3, 'user:b#KB']]))
      expect(await store.holdClientIds(swot, [4, 1], null, keep())).toEqual(new Map([[1, 'user:a#KA']]))
      // Yjs client ids are 32-bit; a hand-made update may use larger ones.
      expect(await store.holdClientIds(swot, [2 ** 40], as('user:b#KB'), keep())).toEqual(new Map([[2 ** 40, 'user:b#KB']]))
      expect(await store.holdClientIds('aaaaaaaaaaaa/actions', [1], as('user:b#KB'), keep())).toEqual(new Map([[1, 'user:b#KB']]))
      await store.holdClientIds('aaaaaaaaaaaa/swot/internal', [9], as('user:a#KA'), keep())
      await store.holdClientIds('bbbbbbbbbbbb/swot', [1], as('user:c#KC'), keep())
      await store.close()
      store = await harness.reopen()
      expect(await store.loadClientIdHolders(swot, keep().since)).toEqual(new Map([[1, 'user:a#KA'], [2, 'user:a#KA'], [3, 'user:b#KB'], [2 ** 40, 'user:b#KB']]))
      expect(await store.loadClientIdHolders('cccccccccccc/swot', keep().since)).toEqual(new Map())
      expect(await store.deleteWorkshop('aaaaaaaaaaaa')).toBe(true)
      for (const doc of [swot, 'aaaaaaaaaaaa/actions', 'aaaaaaaaaaaa/swot/internal']) expect(await store.loadClientIdHolders(doc, keep().since)).toEqual(new Map())
      expect(await store.loadClientIdHolders('bbbbbbbbbbbb/swot', keep().since)).toEqual(new Map([[1, 'user:c#KC']]))
    })

    test('client-id holds [S29]: holds expire after the retention; a full document gives no more; a participant keeps its newest', async () => {
      const doc = 'aaaaaaaaaaaa/swot'
      const later = new Date(Date.now() + 60_000).toISOString()
      await store.holdClientIds(doc, [1], as('user:a#KA'), keep())
      expect(await store.loadClientIdHolders(doc, later)).toEqual(new Map())
      // Expired: the next participant to ask gets it.
      expect(await store.holdClientIds(doc, [1], as('user:b#KB'), { since: later, max: 100, maxPerParticipant: 100, maxPerSource: 100 })).toEqual(new Map([[1, 'user:b#KB']]))
      // A participant over its own cap loses its own oldest, nobody else's.
      for (const client of [10, 11, 12]) await store.holdClientIds(doc, [client], as('user:a#KA'), keep(100, 2))
      expect(await store.loadClientIdHolders(doc, keep().since)).toEqual(new Map([[1, 'user:b#KB'], [11, 'user:a#KA'], [12, 'user:a#KA']]))
      // A full document gives no new hold, in one call or several: nobody's hold is pushed out.
      expect(await store.holdClientIds(doc, [20, 21], as('user:c#KC'), keep(4))).toEqual(new Map([[20, 'user:c#KC']]))
      expect(await store.holdClientIds(doc, [22], as('user:c#KC'), keep(4))).toEqual(new Map())
      // ...but a participant at its own cap still takes a new one in place of its oldest.
      expect(await store.holdClientIds(doc, [13], as('user:a#KA'), keep(4, 2))).toEqual(new Map([[13, 'user:a#KA']]))
      expect(await store.loadClientIdHolders(doc, keep().since)).toEqual(new Map([[1, 'user:b#KB'], [12, 'user:a#KA'], [13, 'user:a#KA'], [20, 'user:c#KC']]))
      // A look-up gives nothing and takes nothing.
      await store.holdClientIds(doc, [14], null, keep(2))
      expect(await store.loadClientIdHolders(doc, keep().since)).toEqual(new Map([[1, 'user:b#KB'], [12, 'user:a#KA'], [13, 'user:a#KA'], [20, 'user:c#KC']]))
    })

    test('client-id holds [S29]: a source at its quota gives no more, pushes out nobody, and leaves the others theirs', async () => {
      const doc = 'aaaaaaaaaaaa/swot'
      // Two participants from one source fill its quota of 3, in one call or several.
      expect(await store.holdClientIds(doc, [1, 2], as('user:a#KA'), keep(100, 100, 3))).toEqual(new Map([[1, 'user:a#KA'], [2, 'user:a#KA']]))
      expect(await store.holdClientIds(doc, [3, 4], as('user:b#KB'), keep(100, 100, 3))).toEqual(new Map([[3, 'user:b#KB']]))
      expect(await store.holdClientIds(doc, [5], as('user:c#KC'), keep(100, 100, 3))).toEqual(new Map())
      // Another source still gets its own; so does a participant of the full source from elsewhere.
      expect(await store.holdClientIds(doc, [6], as('user:d#KD', 'source-2'), keep(100, 100, 3))).toEqual(new Map([[6, 'user:d#KD']]))
      expect(await store.holdClientIds(doc, [7], as('user:c#KC', 'source-2'), keep(100, 100, 3))).toEqual(new Map([[7, 'user:c#KC']]))
      // A participant at its own cap, in a full source, still takes a new one in place of its oldest.
      expect(await store.holdClientIds(doc, [8], as('user:a#KA'), keep(100, 2, 3))).toEqual(new Map([[8, 'user:a#KA']]))
      expect(await store.loadClientIdHolders(doc, keep().since)).toEqual(
        new Map([[2, 'user:a#KA'], [3, 'user:b#KB'], [6, 'user:d#KD'], [7, 'user:c#KC'], [8, 'user:a#KA']]),
      )
    })

    test('client-id holds [S29]: two stores giving one id at once: one wins, and both are told which', async () => {
      const other = await harness.another()
      try {
        const answers = await Promise.all([
          store.holdClientIds('aaaaaaaaaaaa/swot', [7, 8], as('user:a#KA'), keep()),
          other.holdClientIds('aaaaaaaaaaaa/swot', [8, 7], as('user:b#KB'), keep()),
        ])
        expect(answers[0]).toEqual(answers[1])
        expect(new Set(answers[0]?.values()).size).toBe(1)
      } finally {
        await other.close()
      }
    })

    test('timer: idle until saved, replaced whole per workshop, durable, deleted with its workshop; an invalid timer stores nothing [C6]', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      await store.createWorkshop(workshop('bbbbbbbbbbbb', '2026-01-01T00:00:00.000Z'))
      expect(await store.getTimer('aaaaaaaaaaaa')).toEqual({ status: 'idle' })
      const running = { status: 'running', endsAt: 1_790_000_300_000, durationMs: 300_000 } as const
      await store.saveTimer('aaaaaaaaaaaa', { status: 'paused', remainingMs: 1000, durationMs: 60_000 })
      await store.saveTimer('aaaaaaaaaaaa', running)
      await store.saveTimer('bbbbbbbbbbbb', { status: 'paused', remainingMs: 42_000, durationMs: 60_000 })
      // @ts-expect-error a timer without its end is invalid, refused before anything is written
      await expect(store.saveTimer('aaaaaaaaaaaa', { status: 'running', durationMs: 1000 })).rejects.toThrow()
      await store.close()
      store = await harness.reopen()
      expect(await store.getTimer('aaaaaaaaaaaa')).toEqual(running)
      expect(await store.getTimer('bbbbbbbbbbbb')).toEqual({ status: 'paused', remainingMs: 42_000, durationMs: 60_000 })
      await store.saveTimer('bbbbbbbbbbbb', { status: 'idle' })
      expect(await store.getTimer('bbbbbbbbbbbb')).toEqual({ status: 'idle' })
      expect(await store.deleteWorkshop('aaaaaaaaaaaa')).toBe(true)
      expect(await store.getTimer('aaaaaaaaaaaa')).toEqual({ status: 'idle' })
    })

    test('timer: replaced only while it is as read [C14]; none stored reads as idle', async () => {
      await store.createWorkshop(workshop('aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'))
      const running = { status: 'running', endsAt: 1_790_000_300_000, durationMs: 300_000 } as const
      const longer = { ...running, endsAt: running.endsAt + 60_000, durationMs: 360_000 }
      expect(await store.replaceTimer('aaaaaaaaaaaa', running, longer)).toBe(false)
      expect(await store.getTimer('aaaaaaaaaaaa')).toEqual({ status: 'idle' })
      expect(await store.replaceTimer('aaaaaaaaaaaa', { status: 'idle' }, running)).toBe(true)
      // Another instance read it idle too: its start is not stored over this one.
      expect(await store.replaceTimer('aaaaaaaaaaaa', { status: 'idle' }, { ...running, endsAt: 1 })).toBe(false)
      expect(await store.replaceTimer('aaaaaaaaaaaa', running, longer)).toBe(true)
      expect(await store.replaceTimer('aaaaaaaaaaaa', running, { ...longer, endsAt: 2 })).toBe(false)
      expect(await store.getTimer('aaaaaaaaaaaa')).toEqual(longer)
      expect(await store.replaceTimer('aaaaaaaaaaaa', longer, { status: 'idle' })).toBe(true)
      expect(await store.replaceTimer('aaaaaaaaaaaa', { status: 'idle' }, running)).toBe(true)
      expect(await store.getTimer('aaaaaaaaaaaa')).toEqual(running)
    })
  })
}

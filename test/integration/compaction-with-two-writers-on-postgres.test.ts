/**
 * [S5] Two instances (two PostgresStores, each with its own room doc and LogCompactor) write one
 * board, as two servers behind a load balancer would before updates fan out between them: each
 * room applies only its own rows. A room's compaction may merge only rows it has applied; the
 * other writer's rows, numbered between its own, must survive every compaction of both.
 */
import * as prng from 'lib0/prng'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { Logger } from '../../server/log.ts'
import { PostgresStore } from '../../server/store/PostgresStore.ts'
import { LogCompactor } from '../../server/sync/LogCompactor.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'

const SEED = Number(process.env.SEED ?? 20261203)
const BOARD = 'aaaaaaaaaaaa/swot'

let postgres: PostgresCluster
beforeAll(async () => {
  postgres = await startPostgres()
}, POSTGRES_START_TIMEOUT_MS)
afterAll(async () => {
  await postgres?.stop()
})

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

type Instance = { store: PostgresStore; doc: Y.Doc; compactor: LogCompactor; written: string[] }

/** Opens a store and loads the board into a room doc with a compactor, as a server loading the room. */
async function openInstance(url: string): Promise<Instance> {
  const store = await PostgresStore.open(url)
  const loaded = await store.loadDocument(BOARD)
  const doc = new Y.Doc()
  for (const update of loaded.updates) Y.applyUpdate(doc, update)
  const compactor = new LogCompactor(BOARD, loaded, doc, { compactAfterUpdates: 3, compactAfterBytes: 1_000_000, store, log: silent })
  return { store, doc, compactor, written: [] }
}

/** One edit: applied to the room's doc, then stored, then reported to its compactor (the room's order). */
async function edit(instance: Instance, key: string): Promise<void> {
  const before = Y.encodeStateVector(instance.doc)
  instance.doc.getMap('m').set(key, key)
  const update = Y.encodeStateAsUpdate(instance.doc, before)
  const [seq] = await instance.store.appendUpdates([{ docName: BOARD, update }])
  instance.compactor.appended(1, update.byteLength, seq ?? 0)
  instance.written.push(key)
}

test(`two instances writing one board: each compaction keeps the other's rows (seed ${SEED}) [S5]`, async () => {
  console.log(`seed ${SEED} (rerun with SEED=${SEED})`)
  const rng = prng.create(SEED)
  const url = await postgres.createDatabase()
  const a = await openInstance(url)
  for (let i = 0; i < 5; i++) await edit(a, `a-early-${i}`)
  // B loads the board later: it has applied A's early rows, and will compact them too.
  const b = await openInstance(url)
  const instances = [a, b]
  let compactions = 0
  try {
    for (let i = 0; i < 120; i++) {
      const w = prng.int32(rng, 0, 1)
      const instance = instances[w] ?? a
      await edit(instance, `${w === 0 ? 'a' : 'b'}-${i}`)
      if (prng.int32(rng, 0, 3) === 0) {
        await instance.compactor.compactNow()
        compactions++
      }
    }
    for (const instance of instances) await instance.compactor.compactNow()
    const stored = await a.store.loadDocument(BOARD)
    const doc = new Y.Doc()
    for (const update of stored.updates) Y.applyUpdate(doc, update)
    const everything = [...a.written, ...b.written].sort()
    expect(Object.keys(doc.getMap('m').toJSON()).sort()).toEqual(everything)
    expect(compactions).toBeGreaterThan(0)
    // The compactions merged something: fewer rows than edits.
    expect(stored.updates.length).toBeLessThan(everything.length)
  } finally {
    for (const instance of instances) await instance.store.close()
  }
})

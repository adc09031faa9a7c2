import type { TLRecord } from '@tldraw/tlschema'
import type { JsonObject } from '@tldraw/utils'
import * as Y from 'yjs'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { PostgresStore } from '../../server/store/PostgresStore.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import type { DocumentUpdate, Store } from '../../server/store/Store.ts'
import { startPostgres, type PostgresCluster } from '../../test/helpers/postgres.ts'
import { noteIn } from '../../test/helpers/sampleWorkshop.ts'
import { median, timeMedian } from '../stats.ts'
import type { Row, Suite, SuiteOptions, SuiteResult, Warning } from '../types.ts'

/**
 * The two stores side by side (issue 17): the same calls through the `Store` interface, in this
 * process, against PostgreSQL 15 (a cluster the suite starts on 127.0.0.1 with PostgreSQL's
 * defaults: every commit is fsynced) and against SQLite with `synchronous = NORMAL` (the default:
 * survives a killed process, no fsync per commit) and `FULL` (fsync per commit, like PostgreSQL).
 * Measured: a group commit of 1 update and of 100 updates to 100 boards, loading a 2,000-shape
 * board stored as one merged row or as the merged row plus 499 updates, and compacting those 500
 * rows into one. Median of repeated runs after warm-up.
 *
 * Runnable alone: `node --import tsx bench/suites/store.ts` (`BENCH_QUICK=1` for a smoke run).
 */

const SUITE = 'store'
const POSTGRES = 'postgresql'
const SQLITE = 'sqlite NORMAL'
const SQLITE_FULL = 'sqlite FULL'

const round = (ms: number) => Math.round(ms * 100) / 100

type Board = {
  /** The board as one merged row. */
  merged: Uint8Array
  /** 499 small updates (one note moved each), as a room appends them between compactions. */
  tail: Uint8Array[]
  /** Everything merged: what a compaction stores. */
  all: Uint8Array
}

/** A SWOT board of `shapes` notes in the record layout, as browsers write it. */
function buildBoard(shapes: number, tailLength: number): Board {
  const quadrants = ['strengths', 'weaknesses', 'opportunities', 'threats'] as const
  const records: TLRecord[] = Array.from({ length: shapes }, (_, i) => noteIn(quadrants[i % 4] ?? 'strengths', `shape:n${i}`, `Note ${i}: a sticky note with a few words`))
  const doc = new Y.Doc()
  Y.applyUpdate(doc, createSeededBoardUpdate('swot'))
  writeRecordChanges(doc, { put: records.map((r) => r as unknown as JsonObject), remove: [] }) // tldraw records are JSON
  const merged = Y.encodeStateAsUpdate(doc)
  const tail: Uint8Array[] = []
  for (let i = 0; i < tailLength; i++) {
    const before = Y.encodeStateVector(doc)
    const record = records[(i * 7) % records.length]
    if (!record) break
    writeRecordChanges(doc, { put: [{ ...(record as unknown as JsonObject), x: i }], remove: [] }) // a note moved
    tail.push(Y.encodeStateAsUpdate(doc, before))
  }
  return { merged, tail, all: Y.encodeStateAsUpdate(doc) }
}

type Candidate = { name: string; open: () => Promise<Store> }

export const storeSuite: Suite = {
  name: SUITE,
  title: 'Stores: PostgreSQL vs SQLite',
  description:
    'The `Store` interface in process against PostgreSQL 15 on 127.0.0.1 (defaults: each commit ' +
    'fsynced) and SQLite (`synchronous` NORMAL, the default, and FULL, which fsyncs like ' +
    'PostgreSQL): group commits of 1 update and of 100 updates to 100 boards, loading a 2,000-shape ' +
    'board (one merged row; merged row + 499 updates), compacting those 500 rows. Median after warm-up.',
  columns: [POSTGRES, SQLITE, SQLITE_FULL],
  baseline: POSTGRES,
  async run(opts: SuiteOptions): Promise<SuiteResult> {
    const rows: Row[] = []
    const warnings: Warning[] = []
    const wanted = (name: string) => !opts.candidates || opts.candidates.includes(name)
    const runs = opts.quick ? 5 : 25
    const board = buildBoard(opts.quick ? 400 : 2000, 499)
    let postgres: PostgresCluster | undefined
    const candidates: Candidate[] = []
    if (wanted(POSTGRES)) {
      try {
        opts.log(`${SUITE}: starting PostgreSQL`)
        postgres = await startPostgres({ settings: { fsync: 'on' } })
        const cluster = postgres
        candidates.push({ name: POSTGRES, open: async () => PostgresStore.open(await cluster.createDatabase()) })
      } catch (error) {
        warnings.push({ kind: 'failed', suite: SUITE, candidate: POSTGRES, scenario: 'all', message: String(error) })
      }
    }
    if (wanted(SQLITE)) candidates.push({ name: SQLITE, open: async () => new SqliteStore(`${opts.tmpDir}/normal`) })
    if (wanted(SQLITE_FULL)) candidates.push({ name: SQLITE_FULL, open: async () => new SqliteStore(`${opts.tmpDir}/full`, { synchronous: 'FULL' }) })

    const scenarios = {
      one: 'group commit of 1 update (~100 B)',
      hundred: 'group commit of 100 updates to 100 boards',
      loadMerged: `load a ${opts.quick ? 400 : 2000}-shape board: 1 merged row (${Math.round(board.merged.byteLength / 1024)} KB)`,
      loadTail: `load a ${opts.quick ? 400 : 2000}-shape board: merged row + 499 updates`,
      compact: `compact that board: 500 rows → 1`,
    }
    const values: Record<keyof typeof scenarios, Record<string, number>> = { one: {}, hundred: {}, loadMerged: {}, loadTail: {}, compact: {} }
    try {
      for (const candidate of candidates) {
        opts.log(`${SUITE}: ${candidate.name}`)
        const store = await candidate.open()
        try {
          const small = board.tail[0] ?? new Uint8Array(100)
          let n = 0
          values.one[candidate.name] = round(await timeMedian(runs * 8, 20, () => store.appendUpdates([{ docName: `bench/one-${n++ % 10}`, update: small }])))
          const hundred: DocumentUpdate[] = Array.from({ length: 100 }, (_, i) => ({ docName: `bench/hundred-${i}`, update: small }))
          values.hundred[candidate.name] = round(await timeMedian(runs * 2, 5, () => store.appendUpdates(hundred)))

          await store.appendUpdates([{ docName: 'bench/merged', update: board.merged }])
          values.loadMerged[candidate.name] = round(await timeMedian(runs, 3, () => store.loadDocument('bench/merged')))
          await store.appendUpdates([board.merged, ...board.tail].map((update) => ({ docName: 'bench/tail', update })))
          values.loadTail[candidate.name] = round(await timeMedian(runs, 3, () => store.loadDocument('bench/tail')))

          // Each run compacts a fresh copy of the 500 rows; only compactDocument is timed.
          const samples: number[] = []
          for (let i = 0; i < runs + 2; i++) {
            const docName = `bench/compact-${i}`
            const seqs = await store.appendUpdates([board.merged, ...board.tail].map((update) => ({ docName, update })))
            const started = performance.now()
            await store.compactDocument(docName, board.all, seqs.at(-1) ?? 0)
            if (i >= 2) samples.push(performance.now() - started)
            const after = await store.loadDocument(docName)
            if (after.updates.length !== 1) {
              warnings.push({ suite: SUITE, candidate: candidate.name, scenario: scenarios.compact, message: `${after.updates.length} rows after compaction` })
            }
          }
          values.compact[candidate.name] = round(median(samples))
        } finally {
          await store.close()
        }
      }
    } finally {
      await postgres?.stop()
    }
    const note = 'PostgreSQL over TCP on loopback; SQLite in process. NORMAL does not fsync per commit (a killed process loses nothing, a power cut may lose the last commits); PostgreSQL and FULL do.'
    for (const key of Object.keys(scenarios) as Array<keyof typeof scenarios>) {
      if (opts.scenario && !scenarios[key].includes(opts.scenario)) continue
      rows.push({ suite: SUITE, scenario: scenarios[key], metric: 'median', unit: 'ms', better: 'lower', values: values[key], ...(key === 'one' ? { note } : {}) })
    }
    return { rows, warnings }
  },
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtemp, rm } = await import('node:fs/promises')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const { formatText } = await import('../report.ts')
  const tmpDir = await mkdtemp(join(tmpdir(), 'keyplan-bench-store-'))
  const started = performance.now()
  try {
    const quick = process.env.BENCH_QUICK === '1'
    const result = await storeSuite.run({
      quick,
      candidates: process.env.BENCH_CANDIDATES?.split(','),
      scenario: process.env.BENCH_SCENARIO,
      tmpDir,
      log: (message) => process.stderr.write(`${message}\n`),
    })
    const info = { date: new Date().toISOString(), machine: 'this machine', node: process.versions.node, quick }
    console.log(formatText({ suite: storeSuite, result, info, seconds: (performance.now() - started) / 1000 }))
  } finally {
    await rm(tmpDir, { recursive: true, force: true })
  }
}

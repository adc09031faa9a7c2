/**
 * The cost of board change history (issue 11, docs/server-rules.md [H1]–[H2]): 10,000 drag moves
 * of one note on a real Room over a real SqliteStore, with and without the HistoryRecorder, as
 * 1-second drags (60 moves) with a pause after each, and as one continuous drag (changes close at
 * HISTORY_MAX_MS). Prints history bytes stored per 10,000 moves, changes stored, and the
 * recorder's extra time per change and per move.
 *
 * Run: `node --import tsx bench/history.ts` (about a minute and a half; a standalone script, not a suite of
 * `npm run bench`).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JsonObject } from '@tldraw/utils'
import { readRecords, writeRecordChanges } from '../shared/docLayout.ts'
import { createSeededBoardUpdate } from '../shared/templates.ts'
import { HistoryRecorder } from '../server/history/HistoryRecorder.ts'
import { createLogger } from '../server/log.ts'
import { SqliteStore } from '../server/store/SqliteStore.ts'
import { GroupCommit } from '../server/sync/GroupCommit.ts'
import { Room } from '../server/sync/Room.ts'
import { note } from '../test/helpers/planBoards.ts'
import { parseEnv } from '../server/env.ts'

const MOVES = 10_000
const MOVES_PER_DRAG = 60
const MOVE_MS = 1000 / 60
const MAX_MS = 30_000

/** Measured runs per pattern and setting. */
const RUNS = 5

type Result = { ms: number; changes: number; bytes: number }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/** A writer's transaction origin: neither a Connection nor the server, so the recorder coalesces it as one author. */
const writer = { name: 'bench writer' }

async function run(withHistory: boolean, continuous: boolean): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), 'keyplan-bench-history-'))
  const store = new SqliteStore(dir)
  const log = createLogger('silent')
  const workshopId = 'benchworkshop'
  await store.createWorkshop(
    { id: workshopId, account: 'Bench', title: 'History', createdAt: new Date().toISOString(), timeZone: 'UTC' },
    [{ docName: `${workshopId}/swot`, update: createSeededBoardUpdate('swot') }],
  )
  const room = await Room.load(workshopId, 'swot', { store, commit: new GroupCommit(store, log), log, compactAfterUpdates: 500, compactAfterBytes: 4 * 1024 * 1024, updateLimits: parseEnv({}).updateLimits })
  let clock = Date.now()
  const history = new HistoryRecorder({ store, log, idleMs: 2_000, maxMs: MAX_MS, retentionDays: 30, now: () => clock })
  if (withHistory) history.roomLoaded(room)
  writeRecordChanges(room.doc, { put: [note('shape:dragged', { x: 0, y: 0 }, 'Dragged') as unknown as JsonObject], remove: [] }, writer) // a tldraw record is JSON
  await history.flushBoard(workshopId, 'swot')
  await room.whenDurable()

  let elapsed = 0
  for (let move = 1; move <= MOVES; move++) {
    const current = readRecords(room.doc).get('shape:dragged')
    if (!current) throw new Error('the note is gone')
    const started = performance.now()
    writeRecordChanges(room.doc, { put: [{ ...current, x: move, y: move / 2 }], remove: [] }, writer)
    elapsed += performance.now() - started
    clock += MOVE_MS
    if (move % MOVES_PER_DRAG === 0) {
      if (!continuous) {
        // The writer pauses: the change closes (as after HISTORY_IDLE_MS) and is stored.
        const closing = performance.now()
        await history.flushBoard(workshopId, 'swot')
        elapsed += performance.now() - closing
        clock += 3_000
      }
      await room.whenDurable()
    }
  }
  const closing = performance.now()
  await history.flushBoard(workshopId, 'swot')
  elapsed += performance.now() - closing
  await room.whenDurable()

  let changes = 0
  let bytes = 0
  let cursor: string | undefined
  do {
    const page = await store.listChanges(workshopId, 'swot', { cursor, limit: 100 })
    for (const change of page.changes) {
      changes++
      bytes += JSON.stringify(change).length
    }
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  room.destroy()
  await history.close()
  await store.close()
  await rm(dir, { recursive: true, force: true })
  return { ms: elapsed, changes, bytes }
}

async function main(): Promise<void> {
  console.log(`Board history cost: ${MOVES.toLocaleString('en')} drag moves of one note (real Room, SqliteStore; medians of ${RUNS} runs)\n`)
  const rows: string[][] = [['pattern', 'changes stored', 'history bytes', 'ms without', 'ms with', 'extra ms / change', 'extra µs / move']]
  for (const continuous of [false, true]) {
    // Warm-up, then alternating runs; the medians are compared.
    await run(true, continuous)
    const withoutMs: number[] = []
    const withMs: number[] = []
    let withHistory: Result = { ms: 0, changes: 0, bytes: 0 }
    for (let i = 0; i < RUNS; i++) {
      withoutMs.push((await run(false, continuous)).ms)
      withHistory = await run(true, continuous)
      withMs.push(withHistory.ms)
    }
    const without = { ms: median(withoutMs) }
    withHistory = { ...withHistory, ms: median(withMs) }
    const extra = withHistory.ms - without.ms
    rows.push([
      continuous ? `one continuous drag (closes every ${MAX_MS / 1000} s)` : `1 s drags of ${MOVES_PER_DRAG} moves, paused`,
      String(withHistory.changes),
      withHistory.bytes.toLocaleString('en'),
      without.ms.toFixed(0),
      withHistory.ms.toFixed(0),
      (extra / Math.max(1, withHistory.changes)).toFixed(3),
      ((extra / MOVES) * 1000).toFixed(1),
    ])
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? []
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '))
}

await main()

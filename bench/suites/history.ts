import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { JsonObject } from '@tldraw/utils'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { HistoryRecorder } from '../../server/history/HistoryRecorder.ts'
import { createLogger } from '../../server/log.ts'
import { parseEnv } from '../../server/env.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import { GroupCommit } from '../../server/sync/GroupCommit.ts'
import { Room } from '../../server/sync/Room.ts'
import { note } from '../../test/helpers/planBoards.ts'
import { measureRelayCost, type RelayPattern } from '../relayCost.ts'
import { median } from '../stats.ts'
import type { Row, Suite, SuiteOptions } from '../types.ts'

/**
 * The cost of board change history (issue 11, `docs/server-rules.md` [H1]–[H2]): the same work
 * with the HistoryRecorder following the room and without it, side by side. The relay path of the
 * server bench's updates (`bench/relayCost.ts`), and drag moves of one note on a real Room over a
 * real SqliteStore: 1-second drags (60 moves) with a pause after each, and one continuous drag
 * (changes close at HISTORY_MAX_MS), with the history stored per 10,000 moves.
 *
 * Runnable alone: `node --import tsx bench/suites/history.ts` (`BENCH_QUICK=1` for a smoke run).
 */

const SUITE = 'history'
const ON = 'history on'
const OFF = 'history off'

const MOVES_PER_DRAG = 60
const MOVE_MS = 1000 / 60
const MAX_MS = 30_000

type DragResult = { cpuMs: number; changes: number; bytes: number }

/** A writer's transaction origin: neither a Connection nor the server, so the recorder coalesces it as one author. */
const writer = { name: 'bench writer' }

/** `moves` drag moves of one note; CPU time of the moves and of closing and storing their changes. */
async function drag(tmpDir: string, withHistory: boolean, continuous: boolean, moves: number): Promise<DragResult> {
  const dir = await mkdtemp(join(tmpDir, 'drag-'))
  const config = parseEnv({})
  const store = new SqliteStore(dir)
  const log = createLogger('silent')
  const workshopId = 'benchworkshop'
  await store.createWorkshop(
    { id: workshopId, account: 'Bench', title: 'History', createdAt: new Date().toISOString(), timeZone: 'UTC' },
    [{ docName: `${workshopId}/swot`, update: createSeededBoardUpdate('swot') }],
  )
  const room = await Room.load(workshopId, 'swot', {
    store,
    commit: new GroupCommit(store, log),
    log,
    compactAfterUpdates: config.compactAfterUpdates,
    compactAfterBytes: config.compactAfterBytes,
    updateLimits: config.updateLimits,
  })
  let clock = Date.now()
  const history = new HistoryRecorder({ store, log, idleMs: config.historyIdleMs, maxMs: MAX_MS, retentionDays: 30, now: () => clock })
  if (withHistory) history.roomLoaded(room)
  writeRecordChanges(room.doc, { put: [note('shape:dragged', { x: 0, y: 0 }, 'Dragged') as unknown as JsonObject], remove: [] }, writer) // a tldraw record is JSON
  await history.flushBoard(workshopId, 'swot')
  await room.whenDurable()

  let cpu = 0
  const measured = async (work: () => unknown) => {
    const started = process.cpuUsage()
    await work()
    // The recorder records a transaction after the turn (setImmediate): that is this work's too.
    await new Promise((resolve) => setImmediate(resolve))
    const used = process.cpuUsage(started)
    cpu += (used.user + used.system) / 1000
  }
  for (let move = 1; move <= moves; move++) {
    const current = readRecords(room.doc).get('shape:dragged')
    if (!current) throw new Error('the note is gone')
    await measured(() => writeRecordChanges(room.doc, { put: [{ ...current, x: move, y: move / 2 }], remove: [] }, writer))
    clock += MOVE_MS
    if (move % MOVES_PER_DRAG === 0) {
      // The writer pauses: the change closes (as after HISTORY_IDLE_MS) and is stored.
      if (!continuous) {
        await measured(() => history.flushBoard(workshopId, 'swot'))
        clock += 3_000
      }
      await room.whenDurable()
    }
  }
  await measured(() => history.flushBoard(workshopId, 'swot'))
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
  return { cpuMs: cpu, changes, bytes }
}

/** A row of both settings, or (`off` undefined) a number only history has, shown as context. */
const row = (scenario: string, metric: string, unit: string, on: number, off?: number, note?: string): Row => ({
  suite: SUITE,
  scenario,
  metric,
  unit,
  better: 'lower',
  values: off === undefined ? { [ON]: on } : { [ON]: on, [OFF]: off },
  ...(off === undefined ? { informational: true } : {}),
  ...(note ? { note } : {}),
})

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits

async function run(opts: SuiteOptions) {
  const rows: Row[] = []
  const runs = opts.quick ? 1 : 5
  const wanted = (scenario: string) => !opts.scenario || scenario.includes(opts.scenario)

  const patterns: Array<[RelayPattern, string]> = [
    ['fan-out', 'relay: fan-out (1 writer, 50 clients)'],
    ['throughput', 'relay: throughput (10 writers, 10 clients)'],
  ]
  for (const [pattern, scenario] of patterns) {
    if (!wanted(scenario)) continue
    opts.log(`${SUITE}: ${scenario}`)
    const turns = opts.quick ? 300 : 2000
    const costs = new Map<boolean, number[]>([[true, []], [false, []]])
    // Alternating, so that load from elsewhere hits both settings alike.
    for (let i = 0; i < runs; i++) {
      for (const history of [true, false]) costs.get(history)?.push((await measureRelayCost({ pattern, history, turns, warmupTurns: 200 })).msPer1k)
    }
    const [on, off] = [median(costs.get(true) ?? []), median(costs.get(false) ?? [])]
    rows.push(row(scenario, 'server CPU per 1,000 deliveries', 'ms', round(on, 2), round(off, 2)))
  }

  const moves = opts.quick ? 1_200 : 10_000
  for (const continuous of [false, true]) {
    const scenario = continuous ? `one continuous drag of ${moves.toLocaleString('en')} moves (closes every ${MAX_MS / 1000} s)` : `${moves.toLocaleString('en')} moves in 1 s drags of ${MOVES_PER_DRAG}, paused`
    if (!wanted(scenario)) continue
    opts.log(`${SUITE}: ${scenario}`)
    await drag(opts.tmpDir, true, continuous, Math.min(moves, 600)) // warm-up
    const results = new Map<boolean, DragResult[]>([[true, []], [false, []]])
    for (let i = 0; i < runs; i++) {
      for (const history of [true, false]) results.get(history)?.push(await drag(opts.tmpDir, history, continuous, moves))
    }
    const on = results.get(true) ?? []
    const off = results.get(false) ?? []
    const cpuOn = median(on.map((r) => r.cpuMs))
    const cpuOff = median(off.map((r) => r.cpuMs))
    const changes = on[0]?.changes ?? 0
    const per10k = 10_000 / moves
    rows.push(row(scenario, 'server CPU', 'ms', round(cpuOn, 0), round(cpuOff, 0)))
    rows.push(row(scenario, 'history stored per 10,000 moves', 'KB', round(((on[0]?.bytes ?? 0) * per10k) / 1024, 0)))
    rows.push(row(scenario, 'changes stored', 'count', changes))
    rows.push(row(scenario, 'extra CPU per change', 'ms', round((cpuOn - cpuOff) / Math.max(1, changes), 3), undefined, 'history on minus off, per change stored'))
  }
  return { rows, warnings: [] }
}

export const historySuite: Suite = {
  name: SUITE,
  title: 'Board change history: on vs off',
  description:
    'The server with the HistoryRecorder following its rooms against the same server without it, in process (`process.cpuUsage`, ' +
    'medians of alternating runs). Relay: a real Room, SqliteStore and GroupCommit with the update guard on, clients over stand-in ' +
    'sockets replaying the server bench’s updates (`bench/relayCost.ts`). Drags: one note moved 60 times a second on a real Room, ' +
    'as 1-second drags each followed by a pause (a change per drag) and as one continuous drag (a change per HISTORY_MAX_MS); ' +
    'the history stored is the JSON of its changes.',
  columns: [ON, OFF],
  baseline: ON,
  run,
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { tmpdir } = await import('node:os')
  const tmpDir = await mkdtemp(join(tmpdir(), 'keyplan-bench-history-'))
  try {
    const result = await historySuite.run({ quick: process.env.BENCH_QUICK === '1', candidates: undefined, scenario: process.env.BENCH_SCENARIO, tmpDir, log: (m) => process.stderr.write(`${m}\n`) })
    for (const r of result.rows) console.log(`${r.scenario} | ${r.metric} (${r.unit}) | ${ON}: ${r.values[ON]}  ${OFF}: ${r.values[OFF]}`)
  } finally {
    await rm(tmpDir, { recursive: true, force: true })
  }
}

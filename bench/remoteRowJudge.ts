/**
 * [S39] What judging a row of another instance costs a shared document's room, in process: a real
 * Room (SQLite store, GroupCommit, its internal document) applies the same stream of remote rows
 * (the server bench's fan-out drag of one note) told clean and of its own generation, as the bus now
 * says of almost every row (two integer comparisons), and read from the store, which says nothing
 * (every row decoded and its entries judged by content, as every bus row was before). Rounds
 * alternate which goes first; CPU µs per row (`process.cpuUsage`), medians and spread.
 * `npx tsx bench/remoteRowJudge.ts [rounds] [rowsPerRound]`
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { resolveSensitivity } from '../shared/sensitivity.ts'
import { createSeededBoardUpdate } from '../shared/templates.ts'
import { parseEnv } from '../server/env.ts'
import { createLogger } from '../server/log.ts'
import { SqliteStore } from '../server/store/SqliteStore.ts'
import { GroupCommit } from '../server/sync/GroupCommit.ts'
import { Room } from '../server/sync/Room.ts'
import { noteRecord, padding, putRecords } from './clients/records.ts'
import { median } from './stats.ts'

const rounds = Number(process.argv[2] ?? 8)
const rowsPerRound = Number(process.argv[3] ?? 2_000)

async function loadRoom(dir: string, workshopId: string): Promise<Room> {
  const config = parseEnv({})
  const store = new SqliteStore(join(dir, workshopId))
  const log = createLogger('silent')
  await store.createWorkshop(
    { id: workshopId, account: 'Bench', title: 'Judge', createdAt: new Date().toISOString(), timeZone: 'UTC' },
    [{ docName: `${workshopId}/stakeholders`, update: createSeededBoardUpdate('stakeholders') }],
  )
  const deps = { store, commit: new GroupCommit(store, log), log, compactAfterUpdates: 1e9, compactAfterBytes: 1e12, updateLimits: config.updateLimits }
  const internal = await Room.load(workshopId, 'stakeholders', deps, 'internal')
  return Room.load(workshopId, 'stakeholders', { ...deps, internal, sensitivity: resolveSensitivity(undefined) })
}

const dir = await mkdtemp(join(tmpdir(), 'keyplan-remote-judge-'))
const [tagged, untagged] = await Promise.all([loadRoom(dir, 'tagged'), loadRoom(dir, 'untagged')])
// The writer starts from the board as stored, so its rows apply without pending structs.
const writer = new Y.Doc()
Y.applyUpdate(writer, Y.encodeStateAsUpdate(tagged.doc))
Y.applyUpdate(untagged.doc, Y.encodeStateAsUpdate(tagged.doc))
const rows: Uint8Array[] = []
writer.on('update', (update: Uint8Array) => rows.push(update))
for (let i = 0; i < rounds * rowsPerRound; i++) {
  putRecords(writer, [{ ...noteRecord('shape:drag', 0, i, i), meta: { pos: { seq: i, t: i, x: i, y: i, pad: padding(40) } } }])
}
const row = { instance: 'other', generation: 0, clean: true }
const apply = (room: Room, from: number, told: boolean): number => {
  const start = process.cpuUsage()
  for (let i = from; i < from + rowsPerRound; i++) room.applyRemote(rows[i] as Uint8Array, i + 10, told ? row : undefined) // i < rows.length
  const used = process.cpuUsage(start)
  return (used.user + used.system) / rowsPerRound
}
const told: number[] = []
const judged: number[] = []
for (let r = 0; r < rounds; r++) {
  const from = r * rowsPerRound
  if (r % 2 === 0) {
    told.push(apply(tagged, from, true))
    judged.push(apply(untagged, from, false))
  } else {
    judged.push(apply(untagged, from, false))
    told.push(apply(tagged, from, true))
  }
}
const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} µs (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`
console.log(`rows per round ${rowsPerRound}, rounds ${rounds}, row bytes ~${rows[1]?.byteLength}`)
console.log(`told clean, same generation: ${fmt(told)} per row`)
console.log(`judged by content:           ${fmt(judged)} per row`)
console.log(`ratio judged/told: ${(median(judged) / median(told)).toFixed(2)}`)
tagged.destroy()
untagged.destroy()
await rm(dir, { recursive: true, force: true })

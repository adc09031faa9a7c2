import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import type { BoardId } from '../shared/boards.ts'
import { syncRoomName } from '../shared/protocol.ts'
import { startServer, workshopFetch as fetch } from '../test/helpers/startServer.ts'
import { addProfile, type CpuProfile, profileSums } from './cpuProfile.ts'
import { median } from './stats.ts'
import { moveOneShape, snapshotBoardUpdate, snapshotWorkshopRecords } from './suites/snapshot.ts'

/**
 * The snapshot bench's edited scenario (`bench/suites/snapshot.ts`), alone and interleaved with its
 * floor: the same workshop (5 boards × 2,000 shapes, rooms loaded), one shape of one board moved
 * before each snapshot and before each floor run, then a quiet second (`SNAPSHOT_SCENARIO=loaded`:
 * no edit, the quiet only: the suite's loaded scenario, boards unchanged). Prints per pair the
 * snapshot and the floor (wall and process CPU) and their ratio, then medians and spread; with
 * `PROFILE_TOP=<n>`, the functions with the most self and total time during the snapshots only
 * (the inspector's sampling profiler, started and stopped around each snapshot).
 *
 * `node --import tsx bench/profileSnapshot.ts [pairs]` (`SNAPSHOT_QUIET_MS` for the quiet after an
 * edit, 1000 as the suite; `PROFILE_DUMP=<dir>` keeps each snapshot's profile for DevTools)
 */

const pairs = Number(process.argv[2] ?? 12)
const quietMs = Number(process.env.SNAPSHOT_QUIET_MS ?? 1000)
// `loaded`: the suite's loaded scenario (no edit before a snapshot, boards unchanged); `edited` (default) as above.
const scenario = process.env.SNAPSHOT_SCENARIO === 'loaded' ? 'loaded' : 'edited'
const top = Number(process.env.PROFILE_TOP ?? 0)
const shapes = 2000

const sums = profileSums()

const tmpDir = await mkdtemp(join(tmpdir(), 'keyplan-profile-snapshot-'))
const server = await startServer({ dataDir: tmpDir, logLevel: 'silent' })
const session = new Session()
session.connect()
try {
  const workshop = await server.createWorkshop({ account: 'Bench Corp', title: 'Snapshot bench' })
  const boards = snapshotWorkshopRecords(shapes)
  const ids = Object.keys(boards) as BoardId[]
  await server.store.appendUpdates(ids.map((board) => ({ docName: syncRoomName(workshop.id, board), update: snapshotBoardUpdate(board, boards[board]) })))
  for (const board of ids) await server.server.rooms.acquire(workshop.id, board)
  let edits = 0
  let dumped = 0
  const edit = async () => {
    if (scenario === 'loaded') return void (await new Promise((resolve) => setTimeout(resolve, quietMs)))
    await moveOneShape(server, workshop.id, boards, ids[edits % ids.length] ?? 'swot', edits)
    edits++
    await new Promise((resolve) => setTimeout(resolve, quietMs))
  }
  const snapshot = async () => {
    const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    if (response.status !== 201) throw new Error(`snapshot answered ${response.status}`)
    await response.arrayBuffer()
  }
  const floor = async () => {
    const { rooms, store } = server.server
    const states = ids.flatMap((board) => {
      const room = rooms.get(syncRoomName(workshop.id, board))
      if (!room) return [new Uint8Array()]
      return room.internal ? [Y.encodeStateAsUpdate(room.doc), Y.encodeStateAsUpdate(room.internal.doc)] : [Y.encodeStateAsUpdate(room.doc)]
    })
    await store.appendUpdates(states.map((update) => ({ docName: `bench-floor/${Math.random()}`, update })))
  }
  const measure = async (fn: () => Promise<void>, profile: boolean) => {
    await edit()
    if (profile) await session.post('Profiler.start')
    const cpu = process.cpuUsage()
    const started = performance.now()
    await fn()
    const wall = performance.now() - started
    const used = process.cpuUsage(cpu)
    if (profile) {
      const taken = (await session.post('Profiler.stop')).profile as CpuProfile // the inspector's Profile type is this shape
      addProfile(taken, sums)
      if (process.env.PROFILE_DUMP) writeFileSync(join(process.env.PROFILE_DUMP, `snapshot-${++dumped}.cpuprofile`), JSON.stringify(taken))
    }
    return { wall, cpu: (used.user + used.system) / 1000 }
  }
  if (top > 0) {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: 100 })
  }
  for (let i = 0; i < 3; i++) {
    await measure(snapshot, false)
    await measure(floor, false)
  }
  const rows: { wall: number; cpu: number; floorWall: number; floorCpu: number }[] = []
  for (let i = 0; i < pairs; i++) {
    const ours = await measure(snapshot, top > 0)
    const ref = await measure(floor, false)
    rows.push({ wall: ours.wall, cpu: ours.cpu, floorWall: ref.wall, floorCpu: ref.cpu })
  }
  const fmt = (n: number) => n.toFixed(1)
  const spread = (values: number[]) => `${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`
  const wallRatios = rows.map((r) => r.wall / r.floorWall)
  const cpuRatios = rows.map((r) => r.cpu / r.floorCpu)
  console.log(`${scenario}, pairs ${pairs}, quiet ${quietMs} ms`)
  console.log(`wall: snapshot ${fmt(median(rows.map((r) => r.wall)))} ms (${spread(rows.map((r) => r.wall))}), floor ${fmt(median(rows.map((r) => r.floorWall)))} ms (${spread(rows.map((r) => r.floorWall))}), ratio median ${median(wallRatios).toFixed(2)}× (${Math.min(...wallRatios).toFixed(2)}–${Math.max(...wallRatios).toFixed(2)})`)
  console.log(`cpu:  snapshot ${fmt(median(rows.map((r) => r.cpu)))} ms (${spread(rows.map((r) => r.cpu))}), floor ${fmt(median(rows.map((r) => r.floorCpu)))} ms (${spread(rows.map((r) => r.floorCpu))}), ratio median ${median(cpuRatios).toFixed(2)}× (${Math.min(...cpuRatios).toFixed(2)}–${Math.max(...cpuRatios).toFixed(2)})`)
  if (top > 0) {
    const list = (map: Map<string, number>) =>
      [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => `  ${(ms / pairs).toFixed(2).padStart(7)} ms  ${name}`).join('\n')
    console.log(`self per snapshot:\n${list(sums.self)}\ntotal per snapshot:\n${list(sums.total)}`)
  }
} finally {
  session.disconnect()
  await server.stop()
  await rm(tmpDir, { recursive: true, force: true })
}

/**
 * The server's CPU per relayed update, in process: a real Room over a real SqliteStore and
 * GroupCommit, the update guard and (optionally) the HistoryRecorder on, as `server/app.ts` wires
 * them, with connections over stand-in sockets that only count what they are sent. The updates are
 * the server bench's own (`bench/clients/records.ts`): throughput (every client of a room rewrites
 * its note's `meta`) and fan-out (one writer drags one note among 50 clients). Clients get every
 * relayed update, outside the measured time, so their next writes build on the room as a real
 * client's would.
 *
 * The board is loaded with its internal document, as the RoomManager loads it (issue 13).
 *
 * Measured: CPU time (`process.cpuUsage`) from the frames' arrival to the relay's last send,
 * per 1,000 deliveries (as the server bench's "server CPU per 1,000 deliveries", without sockets).
 * Used by the history suite (`bench/suites/history.ts`) and runnable alone for profiling:
 * `node --cpu-prof --import tsx bench/relayCost.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { WebSocket } from 'ws'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { getHeapStatistics } from 'node:v8'
import * as Y from 'yjs'
import { createSeededBoardUpdate } from '../shared/templates.ts'
import { CLOSE_CODES, MESSAGE_TYPE } from '../shared/protocol.ts'
import { resolveSensitivity } from '../shared/sensitivity.ts'
import { HistoryRecorder, rememberConnectionRole } from '../server/history/HistoryRecorder.ts'
import { createLogger } from '../server/log.ts'
import { parseEnv } from '../server/env.ts'
import { SqliteStore } from '../server/store/SqliteStore.ts'
import { Connection } from '../server/sync/Connection.ts'
import { GroupCommit } from '../server/sync/GroupCommit.ts'
import { Room } from '../server/sync/Room.ts'
import { noteRecord, padding, putRecords } from './clients/records.ts'

/** Which of the server bench's update streams to replay. */
export type RelayPattern = 'throughput' | 'fan-out'

export type RelayCostOptions = {
  pattern: RelayPattern
  history: boolean
  /** Server turns to measure (each: every writer sends one update, then one group commit). */
  turns: number
  warmupTurns: number
}

export type RelayCost = {
  cpuMs: number
  userMs: number
  deliveries: number
  msPer1k: number
  userMsPer1k: number
  turns: number
  /**
   * Server CPU per 1,000 deliveries of the median turn, and of the turn at the first quartile: on a
   * busy machine the turns other processes slowed down inflate {@link msPer1k}; these much less.
   */
  medianTurnMsPer1k: number
  lowerQuartileTurnMsPer1k: number
  /** Median wall time from a turn's first frame arriving to its first send (what every receiver waits for), µs. */
  firstSendUs: number
  /**
   * Median wall time of a whole server turn (frames to the work deferred after the relay), µs: on a
   * busy machine a steadier measure of the server's work than CPU summed over every turn.
   */
  turnUs: number
  /**
   * Median bytes the heap grew by from a turn's frames arriving to its first send, and to its end
   * (turns in which a scavenge ran left out): what the server allocates per update.
   */
  allocatedBeforeSend: number
  allocatedPerTurn: number
}

/** performance.now() of the first send since it was last cleared (shared by every stand-in socket). */
let firstSendAt: number | undefined
/** The heap's used size at the first send since it was last cleared. */
let heapAtFirstSend: number | undefined

/** A stand-in for a `ws` socket: open, never backed up, counting what it is sent. */
class CountingSocket {
  readonly OPEN = 1
  readonly readyState = 1
  readonly bufferedAmount = 0
  readonly sent: Uint8Array[] = []
  on(): void {}
  ping(): void {}
  pause(): void {}
  resume(): void {}
  close(): void {}
  terminate(): void {}
  send(message: Uint8Array): void {
    if (firstSendAt === undefined) {
      firstSendAt = performance.now()
      heapAtFirstSend = getHeapStatistics().used_heap_size
    }
    this.sent.push(message)
  }
}

type Client = { doc: Y.Doc; socket: CountingSocket; conn: Connection }

/** Applies the doc updates in `frames` (sync messages) to `doc`, as a provider would. */
function deliver(doc: Y.Doc, frames: Uint8Array[]): void {
  for (const frame of frames) {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== MESSAGE_TYPE.sync) continue
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server')
  }
  frames.length = 0
}

/** The frame a provider sends for a local update. */
function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.sync)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** Runs one pattern on a fresh room and returns the server's CPU per 1,000 deliveries. */
export async function measureRelayCost(options: RelayCostOptions): Promise<RelayCost> {
  const dir = await mkdtemp(join(tmpdir(), 'keyplan-relay-cost-'))
  const config = parseEnv({})
  const store = new SqliteStore(dir)
  const log = createLogger('silent')
  const workshopId = 'benchrelay'
  const board = 'swot'
  await store.createWorkshop(
    { id: workshopId, account: 'Bench', title: 'Relay', createdAt: new Date().toISOString(), timeZone: 'UTC' },
    [{ docName: `${workshopId}/${board}`, update: createSeededBoardUpdate(board) }],
  )
  const commit = new GroupCommit(store, log)
  const deps = {
    store,
    commit,
    log,
    compactAfterUpdates: config.compactAfterUpdates,
    compactAfterBytes: config.compactAfterBytes,
    updateLimits: config.updateLimits,
  }
  // As the RoomManager loads a board (issue 13): its internal document first, then the shared one with it.
  const internal = await Room.load(workshopId, board, deps, 'internal')
  const room = await Room.load(workshopId, board, { ...deps, internal, sensitivity: resolveSensitivity(undefined) })
  const history = new HistoryRecorder({ store, log, idleMs: config.historyIdleMs, maxMs: config.historyMaxMs, retentionDays: 30 })
  if (options.history) history.roomLoaded(room)

  const count = options.pattern === 'fan-out' ? 50 : 10
  const writers = options.pattern === 'fan-out' ? 1 : count
  const clients: Client[] = []
  for (let i = 0; i < count; i++) {
    const socket = new CountingSocket()
    const conn = new Connection(socket as unknown as WebSocket, { // the room only calls what CountingSocket has
      docName: room.name,
      readOnly: false,
      role: 'team',
      userId: `user:bench${i}`,
      key: null,
      source: '',
      rates: { ...config.rates, updates: 1e9, entries: 1e9, updateBytes: 1e12, work: 1e12 },
      maxBufferedBytes: config.maxBufferedBytes,
      pingIntervalMs: 3_600_000,
      log,
    })
    rememberConnectionRole(conn, 'team')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
    room.addConnection(conn)
    socket.sent.length = 0
    clients.push({ doc, socket, conn })
  }
  const outgoing = new Map<Client, Uint8Array[]>()
  for (const client of clients) {
    client.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'server') outgoing.get(client)?.push(updateFrame(update)) ?? outgoing.set(client, [updateFrame(update)])
    })
  }

  let seq = 0
  const firstSends: number[] = []
  const turnTimes: number[] = []
  const allocBefore: number[] = []
  const allocTurn: number[] = []
  const turnCpu: number[] = []
  /** One server turn: every writer's update arrives, the group commit applies, stores and relays. */
  const turn = async (): Promise<{ cpuMs: number; userMs: number; deliveries: number }> => {
    seq++
    for (let w = 0; w < writers; w++) {
      const client = clients[w] as Client // w < count
      if (options.pattern === 'fan-out') {
        const x = 100 + (seq % 500)
        const y = 200 + (seq % 300)
        putRecords(client.doc, [{ ...noteRecord('shape:drag', 0, x, y), meta: { pos: { seq, t: seq, x, y, pad: padding(40) } } }])
      } else {
        putRecords(client.doc, [{ ...noteRecord(`shape:tp-${w}`, w, 0, 0), meta: { tp: { seq, pad: padding(80) } } }])
      }
    }
    const frames = [...outgoing]
    outgoing.clear()
    const started = process.cpuUsage()
    firstSendAt = undefined
    heapAtFirstSend = undefined
    const heapAtArrival = getHeapStatistics().used_heap_size
    const arrived = performance.now()
    for (const [client, list] of frames) for (const frame of list) client.conn.receive(frame)
    await commit.flush()
    // Work the room or the history left for after the relay (setImmediate) is the turn's too.
    await new Promise((resolve) => setImmediate(resolve))
    const used = process.cpuUsage(started)
    turnCpu.push((used.user + used.system) / 1000 / (writers * (count - 1)) * 1000)
    const heapAtEnd = getHeapStatistics().used_heap_size
    // A scavenge during the turn shrinks the heap: such turns say nothing about allocation.
    if (heapAtFirstSend !== undefined && heapAtFirstSend >= heapAtArrival && heapAtEnd >= heapAtFirstSend) {
      allocBefore.push(heapAtFirstSend - heapAtArrival)
      allocTurn.push(heapAtEnd - heapAtArrival)
    }
    turnTimes.push((performance.now() - arrived) * 1000)
    firstSends.push(((firstSendAt ?? performance.now()) - arrived) * 1000)
    for (const client of clients) deliver(client.doc, client.socket.sent)
    // As the server bench counts them: each writer's update observed by every other client.
    return { cpuMs: (used.user + used.system) / 1000, userMs: used.user / 1000, deliveries: writers * (count - 1) }
  }

  for (let i = 0; i < options.warmupTurns; i++) await turn()
  firstSends.length = 0
  turnTimes.length = 0
  turnCpu.length = 0
  allocBefore.length = 0
  allocTurn.length = 0
  let cpuMs = 0
  let userMs = 0
  let deliveries = 0
  for (let i = 0; i < options.turns; i++) {
    const result = await turn()
    cpuMs += result.cpuMs
    userMs += result.userMs
    deliveries += result.deliveries
  }
  for (const client of clients) client.conn.close(CLOSE_CODES.goingAway, 'done')
  room.destroy()
  internal.destroy()
  await history.close()
  await store.close()
  await rm(dir, { recursive: true, force: true })
  firstSends.sort((a, b) => a - b)
  const firstSendUs = firstSends[Math.floor(firstSends.length / 2)] ?? Number.NaN
  turnTimes.sort((a, b) => a - b)
  const turnUs = turnTimes[Math.floor(turnTimes.length / 2)] ?? Number.NaN
  const middle = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
  turnCpu.sort((a, b) => a - b)
  const medianTurnMsPer1k = turnCpu[Math.floor(turnCpu.length / 2)] ?? Number.NaN
  const lowerQuartileTurnMsPer1k = turnCpu[Math.floor(turnCpu.length / 4)] ?? Number.NaN
  return { cpuMs, userMs, deliveries, msPer1k: (cpuMs / deliveries) * 1000, userMsPer1k: (userMs / deliveries) * 1000, medianTurnMsPer1k, lowerQuartileTurnMsPer1k, turns: options.turns, firstSendUs, turnUs, allocatedBeforeSend: middle(allocBefore), allocatedPerTurn: middle(allocTurn) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const turns = Number(process.env.TURNS ?? 2000)
  const patterns: RelayPattern[] = process.env.PATTERN ? [process.env.PATTERN as RelayPattern] : ['throughput', 'fan-out'] // checked by the run
  const histories = process.env.HISTORY === '0' ? [false] : process.env.HISTORY === '1' ? [true] : [true, false]
  for (const pattern of patterns) {
    for (const history of histories) {
      const result = await measureRelayCost({ pattern, history, turns, warmupTurns: 200 })
      console.log(`${pattern} history ${history ? 'on ' : 'off'}: ${result.msPer1k.toFixed(2)} ms CPU / 1,000 deliveries, user ${result.userMsPer1k.toFixed(2)}, median turn ${result.medianTurnMsPer1k.toFixed(2)}, lower quartile ${result.lowerQuartileTurnMsPer1k.toFixed(2)}, first send ${result.firstSendUs.toFixed(0)} µs after the frames, turn ${result.turnUs.toFixed(0)} µs, heap allocated ${(result.allocatedBeforeSend / 1024).toFixed(1)} KB before the first send, ${(result.allocatedPerTurn / 1024).toFixed(1)} KB per turn (medians) (${result.deliveries} deliveries)`)
    }
  }
}

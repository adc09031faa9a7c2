import * as encoding from 'lib0/encoding'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import WebSocket from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { DOC_KEYS, writeRecordChanges } from '../../shared/docLayout.ts'
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { entryRecord } from '../../test/helpers/testEntries.ts'
import { startServer, type TestServer } from '../../test/helpers/startServer.ts'
import type { Row, Suite, SuiteOptions, SuiteResult, Warning } from '../types.ts'

/**
 * The hostile payloads of issue 11, each sent by a raw websocket to the real server in this
 * process (a board with 2,000 notes): the longest the event loop was blocked while the server
 * handled it (`monitorEventLoopDelay`, 1 ms resolution), and the close code the sender got.
 * Target: at most 50 ms per payload (docs/server-rules.md [S26]–[S31]).
 *
 * Runnable alone: `node --import tsx bench/suites/hostile.ts`.
 */

const SUITE = 'hostile'
const OURS = 'keyplan'

type Payload = { name: string; frames: (live: Y.Doc) => Uint8Array[]; params?: string }

function frame(type: number, sub: number | undefined, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  if (sub !== undefined) encoding.writeVarUint(encoder, sub)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}
const updateFrame = (update: Uint8Array) => frame(MESSAGE_TYPE.sync, SYNC_MESSAGE_TYPE.update, update)

function updateOf(live: Y.Doc, change: (doc: Y.Doc) => void, clientID?: number): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(live))
  if (clientID !== undefined) doc.clientID = clientID
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  change(doc)
  return Y.mergeUpdates(updates)
}

function handMade(client: number, count: number, item: (encoder: Y.UpdateEncoderV1, i: number) => void): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, 1)
  encoding.writeVarUint(encoder.restEncoder, count)
  encoder.writeClient(client)
  encoding.writeVarUint(encoder.restEncoder, 0)
  for (let i = 0; i < count; i++) item(encoder, i)
  encoding.writeVarUint(encoder.restEncoder, 0)
  return encoder.toUint8Array()
}

const PAYLOADS: Payload[] = [
  {
    name: '68 KiB inserting at the front (O(N²) pattern)',
    frames: (live) => [updateFrame(updateOf(live, (doc) => {
      const log = doc.getArray(DOC_KEYS.records)
      for (let i = 0; i < 1500; i++) log.insert(0, [['shape:front', 'x', 'y'.repeat(30)]])
    }, 1))],
  },
  {
    name: '2,000 appends hanging off the first item',
    frames: (live) => {
      const first = (live.getArray(DOC_KEYS.records)._start as Y.Item).id // the board has records
      return [updateFrame(handMade(77, 2000, (encoder, i) => {
        encoder.writeInfo(0b1000_1000)
        encoder.writeLeftID(first)
        encoding.writeVarUint(encoder.restEncoder, 1)
        encoder.writeAny(['shape:spam', 'x', i])
      }))]
    },
  },
  { name: '15 MiB update', frames: (live) => [updateFrame(updateOf(live, (doc) => doc.getArray(DOC_KEYS.records).push([['shape:big', '', { t: 'x'.repeat(15 * 1024 * 1024) }]])))] },
  {
    name: 'delete set of 200,000 unknown clients (1.2 MiB)',
    frames: () => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 200_000)
      for (let c = 1; c <= 200_000; c++) for (const n of [1_000_000 + c, 1, 0, 1]) encoding.writeVarUint(e, n)
      return [updateFrame(encoding.toUint8Array(e))]
    },
  },
  {
    name: '20-byte origin at a later clock of its own client',
    frames: () => [updateFrame(handMade(99, 1, (encoder) => {
      encoder.writeInfo(0b1000_1000)
      encoder.writeLeftID(Y.createID(99, 5))
      encoding.writeVarUint(encoder.restEncoder, 1)
      encoder.writeAny(['shape:x', '', 1])
    }))],
  },
  {
    name: '200 sync step 1 with an empty state vector (viewer)',
    params: 'viewer',
    frames: () => Array.from({ length: 200 }, () => frame(MESSAGE_TYPE.sync, SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(new Y.Doc()))),
  },
  {
    name: '20 awareness updates of 60 KiB',
    frames: () => {
      const awareness = new awarenessProtocol.Awareness(new Y.Doc())
      return Array.from({ length: 20 }, (_, i) => {
        awareness.setLocalState({ junk: `${i}${'z'.repeat(60 * 1024)}` })
        return frame(MESSAGE_TYPE.awareness, undefined, awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]))
      })
    },
  },
]

export const hostileSuite: Suite = {
  name: SUITE,
  title: 'Hostile updates',
  description:
    'Each hostile payload of issue 11 sent by a raw websocket to the real server in process, on a board ' +
    'of 2,000 notes: the longest event-loop stall while the server handled it (`monitorEventLoopDelay`, ' +
    '1 ms resolution), until the sender was closed. Target: at most 50 ms each.',
  columns: [OURS],
  baseline: OURS,
  async run(opts: SuiteOptions): Promise<SuiteResult> {
    const rows: Row[] = []
    const warnings: Warning[] = []
    // The production default frame cap (MAX_FRAME_BYTES), not the tests' 16 MiB.
    const server: TestServer = await startServer({ dataDir: opts.tmpDir, logLevel: 'silent', maxFrameBytes: 9 * 1024 * 1024 })
    try {
      const workshop = await server.createWorkshop({ account: 'Bench Corp', title: 'Hostile bench' })
      const room = `${workshop.id}/actions`
      const live = await server.server.rooms.acquire(workshop.id, 'actions') // kept loaded for the suite
      const notes = opts.quick ? 400 : 2000
      const seed = new Y.Doc()
      Y.applyUpdate(seed, Y.encodeStateAsUpdate(live.doc))
      const before = Y.encodeStateVector(seed)
      writeRecordChanges(seed, { put: Array.from({ length: notes }, (_, i) => entryRecord(`n${i}`, i)), remove: [] })
      await live.applyServerUpdate(Y.encodeStateAsUpdate(seed, before))
      for (const payload of PAYLOADS) {
        if (opts.scenario && !payload.name.includes(opts.scenario)) continue
        opts.log(`${SUITE}: ${payload.name}`)
        const frames = payload.frames(live.doc)
        const token = payload.params === 'viewer' ? workshop.tokens.viewer : workshop.tokens.team
        const ws = new WebSocket(`${server.syncUrl}/${room}?token=${token}`)
        const opened = new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve())
          ws.once('error', reject)
        })
        const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
        const firstMessage = new Promise<void>((resolve) => ws.once('message', () => resolve()))
        await opened
        await firstMessage
        const histogram = monitorEventLoopDelay({ resolution: 1 })
        histogram.enable()
        for (const f of frames) ws.send(f)
        const code = await closed
        histogram.disable()
        const stallMs = Math.round((histogram.max / 1e6) * 10) / 10
        if ((code < 4400 || code > 4499) && code !== 1009) warnings.push({ suite: SUITE, candidate: OURS, scenario: payload.name, message: `sender closed with ${code}, not a refusal (44xx, or 1009 for a frame over MAX_FRAME_BYTES)` })
        rows.push({
          suite: SUITE,
          scenario: payload.name,
          metric: `longest event-loop stall (closed ${code})`,
          unit: 'ms',
          better: 'lower',
          values: { [OURS]: stallMs },
          note: 'Target: at most 50 ms per payload. Includes the server reading the frames (a 15 MiB frame is copied by ws).',
        })
      }
    } finally {
      await server.stop()
    }
    return { rows, warnings }
  },
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtemp, rm } = await import('node:fs/promises')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const tmpDir = await mkdtemp(join(tmpdir(), 'keyplan-bench-hostile-'))
  try {
    const result = await hostileSuite.run({
      quick: process.env.BENCH_QUICK === '1',
      candidates: undefined,
      scenario: process.env.BENCH_SCENARIO,
      tmpDir,
      log: (message) => console.error(message),
    })
    for (const row of result.rows) console.log(`${row.scenario}: ${row.values[OURS]} ms (${row.metric})`)
    for (const warning of result.warnings) console.log(`warning: ${warning.scenario}: ${warning.message}`)
  } finally {
    await rm(tmpDir, { recursive: true, force: true })
  }
}

/**
 * The update guard's CPU per update, in process, steadier than `bench/relayCost.ts` on a busy
 * machine: one writer's updates to one note of a seeded board (the server bench's throughput or
 * fan-out update, `bench/clients/records.ts`), each judged as `Room.check` judges it (the
 * structural pass `inspectUpdate`, then `checkRecordOps` with the shared document's part rules)
 * and then applied, outside the timed part, as the room applies it. Prints the mean per update of
 * batches of 50, as the minimum, tenth percentile and median over the batches: other processes
 * only ever add to a batch, so the low end is the guard's own cost.
 *
 * Compiled like `bench/relayCost.ts` (`bench/tsconfig.relaycost.json`), then
 * `PATTERN=fan-out node dist/relaycost/bench/guardCost.js`.
 */
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { parseEnv } from '../server/env.ts'
import { checkRecordOps } from '../server/sync/checkRecordOps.ts'
import { decodeClientUpdate, decodeMessage } from '../server/sync/decodeMessage.ts'
import { applyUpdateWithValues } from '../server/sync/decodeOnce.ts'
import { inspectUpdate } from '../server/sync/inspectUpdate.ts'
import { sharedPartRules } from '../server/sync/partRules.ts'
import type { Writer } from '../server/sync/updateOps.ts'
import { PreviewTurn } from '../shared/FieldIndex.ts'
import { MESSAGE_TYPE } from '../shared/protocol.ts'
import { resolveSensitivity } from '../shared/sensitivity.ts'
import { createSeededBoardUpdate } from '../shared/templates.ts'
import { noteRecord, padding, putRecords } from './clients/records.ts'

const pattern = process.env.PATTERN === 'fan-out' ? 'fan-out' : 'throughput'
const batches = Number(process.env.BATCHES ?? 600)
const BATCH = 50
const WARMUP_BATCHES = 40

const limits = parseEnv({}).updateLimits
const server = new Y.Doc()
Y.applyUpdate(server, createSeededBoardUpdate('swot'))
const client = new Y.Doc()
Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
let frame: Uint8Array | undefined
client.on('update', (update: Uint8Array) => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.sync)
  syncProtocol.writeUpdate(encoder, update)
  frame = encoding.toUint8Array(encoder)
})
const sensitivity = resolveSensitivity(undefined)
const rules = sharedPartRules({ sensitivity: () => sensitivity, isInternalItem: () => false, previous: () => undefined, misrouted: () => {}, internalRecord: () => null, moveAcross: () => {}, guestDeleted: () => {}, mayRecreateKept: () => false, guestRecreated: () => {} })
const writer: Writer = { role: 'team', userId: 'user:bench0', connId: 'bench0', board: 'swot' }

let seq = 0
/** The client's next write, as the server bench's clients write (one note rewritten). */
function write(): void {
  seq++
  if (pattern === 'fan-out') {
    const x = 100 + (seq % 500)
    const y = 200 + (seq % 300)
    putRecords(client, [{ ...noteRecord('shape:drag', 0, x, y), meta: { pos: { seq, t: seq, x, y, pad: padding(40) } } }])
  } else {
    putRecords(client, [{ ...noteRecord('shape:tp-0', 0, 0, 0), meta: { tp: { seq, pad: padding(80) } } }])
  }
}

const means: number[] = []
for (let b = 0; b < WARMUP_BATCHES + batches; b++) {
  let ns = 0n
  for (let i = 0; i < BATCH; i++) {
    write()
    const message = decodeMessage(frame ?? new Uint8Array())
    if (message.type !== 'syncUpdate') throw new Error(`not an update: ${message.type}`)
    // Decoded where the room decodes it, at its check ([S6]); timed apart from the guard, as before.
    const { decoded, values } = decodeClientUpdate(message.update)
    const started = process.hrtime.bigint()
    const turn = new PreviewTurn()
    const inspection = inspectUpdate(server, decoded, message.update.byteLength, limits)
    if (!inspection.ok) throw new Error(inspection.refusal.reason)
    const verdict = checkRecordOps(server, inspection.ops, writer, turn, rules)
    if (!verdict.ok) throw new Error(verdict.refusal.reason)
    turn.accept()
    ns += process.hrtime.bigint() - started
    Y.transact(server, () => applyUpdateWithValues(server, message.update, values, 'bench'), 'bench', false)
  }
  if (b >= WARMUP_BATCHES) means.push(Number(ns) / BATCH / 1000)
}
means.sort((a, b) => a - b)
const at = (q: number) => (means[Math.floor(means.length * q)] ?? Number.NaN).toFixed(2)
console.log(`${pattern} guard µs per update: min ${at(0)} p10 ${at(0.1)} median ${at(0.5)} (${batches} batches of ${BATCH})`)

/**
 * The layout of a V1 Yjs update at the byte level: per Yjs client id, where its run of structs
 * lies and which clocks it covers, and where the delete set starts. Read by skipping, never
 * building structs or content, so that an update can be measured before it is decoded
 * ([S28], `decodeMessage.ts`) and cut per peer without being decoded and re-encoded ([S4],
 * {@link UpdateRuns.without}).
 */
import * as decoding from 'lib0/decoding'
import { type FramedMessage, updateFrameFromParts, updateFrameOfLength, varUintLength, writeVarUint } from './messages.ts'
import * as Y from 'yjs'

/** One client's structs in an update: bytes `[start, stop)` (count, client, clock, structs), clocks `[clock, end)`. */
export type ClientRun = { client: number; clock: number; end: number; start: number; stop: number }

/**
 * Reads the struct section of a V1 update from `d` (left at the start of the delete set) and
 * returns its runs. Throws on a malformed or truncated update: lib0 reads past the end without
 * throwing, so every loop checks the position, and huge counts cannot spin.
 */
export function readClientRuns(d: decoding.Decoder): ClientRun[] {
  const runs: ClientRun[] = []
  walkClientRuns(d, runs)
  return runs
}

/**
 * What {@link skipClientRuns} counts of the struct section: its structs (Skip and GC included, as
 * `Y.decodeUpdate` lists them), the plain values its items hold (ContentAny), and per Yjs client
 * id the clock after its last struct.
 */
export type StructTally = { structs: number; values: number; writes: Map<number, number> }

/**
 * {@link readClientRuns} without the runs: checks and steps over the struct section (every update
 * received), counting into `tally` when given.
 */
export function skipClientRuns(d: decoding.Decoder, tally?: StructTally): void {
  walkClientRuns(d, undefined, tally)
}

// Reads without closures: it runs on every update received and once per relay.
function walkClientRuns(d: decoding.Decoder, runs: ClientRun[] | undefined, tally?: StructTally): void {
  const bytes = d.arr
  const clients = decoding.readVarUint(d)
  for (let c = 0; c < clients; c++) {
    if (d.pos >= bytes.length) throw new Error('truncated update')
    const start = d.pos
    const structs = decoding.readVarUint(d)
    const client = decoding.readVarUint(d)
    const clock = decoding.readVarUint(d)
    if (tally) tally.structs += structs
    let end = clock
    for (let s = 0; s < structs; s++) {
      if (d.pos >= bytes.length) throw new Error('truncated update')
      const info = decoding.readUint8(d)
      const ref = info & 0b11111
      if (info === 10 || ref === 0) {
        end += decoding.readVarUint(d) // Skip or GC: length
        continue
      }
      const hasOrigin = (info & 0b1000_0000) !== 0
      const hasRightOrigin = (info & 0b0100_0000) !== 0
      if (hasOrigin) (decoding.readVarUint(d), decoding.readVarUint(d))
      if (hasRightOrigin) (decoding.readVarUint(d), decoding.readVarUint(d))
      if (!hasOrigin && !hasRightOrigin) {
        if (decoding.readVarUint(d) === 1) skipVarBytes(d)
        else (decoding.readVarUint(d), decoding.readVarUint(d))
        if ((info & 0b0010_0000) !== 0) skipVarBytes(d)
      }
      const length = skipContent(d, ref)
      if (ref === 8 && tally) tally.values += length
      end += length
    }
    if (tally && end > (tally.writes.get(client) ?? 0)) tally.writes.set(client, end)
    runs?.push({ client, clock, end, start, stop: d.pos })
  }
}

/**
 * Skips one item's content (`ref`: Yjs content ref, V1 encoding); returns its length in clocks.
 * Strings and values are stepped over by their lengths and type tags, never decoded or built
 * (this runs on every update received and on every batch relayed), except a string item's
 * text: its clocks are UTF-16 code units, which only decoding it counts as Yjs does.
 */
function skipContent(d: decoding.Decoder, ref: number): number {
  switch (ref) {
    case 1: // deleted
      return decoding.readVarUint(d)
    case 2: {
      // JSON
      const n = decoding.readVarUint(d)
      for (let i = 0; i < n; i++) skipVarBytes(d)
      return n
    }
    case 3: // binary
      skipVarBytes(d)
      return 1
    case 4: // string: one clock per UTF-16 code unit
      return decoding.readVarString(d).length
    case 5: // embed
      skipVarBytes(d)
      return 1
    case 6: // format
      skipVarBytes(d)
      skipVarBytes(d)
      return 1
    case 7: {
      // type: XmlElement (3) and XmlHook (5) carry a name
      const typeRef = decoding.readVarUint(d)
      if (typeRef === 3 || typeRef === 5) skipVarBytes(d)
      return 1
    }
    case 8: {
      // any
      const n = decoding.readVarUint(d)
      for (let i = 0; i < n; i++) skipAny(d)
      return n
    }
    case 9: // doc
      skipVarBytes(d)
      skipAny(d)
      return 1
    default:
      throw new Error(`unknown content ${ref}`)
  }
}

/** Skips `n` bytes; throws when fewer are left (lib0 would read past the end). */
function skipBytes(d: decoding.Decoder, n: number): void {
  if (n > d.arr.length - d.pos) throw new Error('truncated update')
  d.pos += n
}

/** Skips a length-prefixed string or byte array (lib0 `writeVarString`, `writeVarUint8Array`). */
function skipVarBytes(d: decoding.Decoder): void {
  skipBytes(d, decoding.readVarUint(d))
}

/**
 * Skips one value lib0 `writeAny` wrote, by its type tags (lib0 `readAny` reads the same tags and
 * builds the value): 127 undefined, 126 null, 125 integer, 124 float32, 123 float64, 122 bigint,
 * 121 false, 120 true, 119 string, 118 object, 117 array, 116 bytes. Throws on any other tag, as
 * `readAny` does.
 */
function skipAny(d: decoding.Decoder): void {
  if (d.pos >= d.arr.length) throw new Error('truncated update')
  const type = decoding.readUint8(d)
  switch (type) {
    case 127:
    case 126:
    case 121:
    case 120:
      return
    case 125:
      decoding.readVarInt(d)
      return
    case 124:
      skipBytes(d, 4)
      return
    case 123:
    case 122:
      skipBytes(d, 8)
      return
    case 119:
    case 116:
      skipVarBytes(d)
      return
    case 118: {
      const entries = decoding.readVarUint(d)
      for (let i = 0; i < entries; i++) {
        skipVarBytes(d)
        skipAny(d)
      }
      return
    }
    case 117: {
      const items = decoding.readVarUint(d)
      for (let i = 0; i < items; i++) skipAny(d)
      return
    }
    default:
      throw new Error(`unknown value type ${type}`)
  }
}

/**
 * An update the server made (a relay, [S4]), split once into its clients' runs, to be cut per peer.
 *
 * @example
 * const runs = UpdateRuns.of(merged)
 * const cut = runs.frameWithout(clocksTheSenderHas) // undefined: the peer holds none of it
 * if (cut) conn.send(cut.message, cut.framed)
 */
export class UpdateRuns {
  private constructor(
    private readonly update: Uint8Array,
    /** Null when the update does not split cleanly (a client listed twice): every cut falls back to Yjs. */
    private readonly runs: ClientRun[] | null,
    /**
     * Each run's bytes, then the delete set's, as views made once per relay: a view per run and
     * peer (with the arrays holding them) was ~6 % of the bytes a ten-writer turn allocates.
     */
    private readonly views: Uint8Array[],
  ) {}

  static of(update: Uint8Array): UpdateRuns {
    const d = decoding.createDecoder(update)
    const runs = readClientRuns(d)
    const distinct = new Set(runs.map((run) => run.client)).size === runs.length
    const views = distinct ? runs.map((run) => update.subarray(run.start, run.stop)) : []
    views.push(update.subarray(d.pos))
    return new UpdateRuns(update, distinct ? runs : null, views)
  }

  /**
   * The update without what a peer holding `clocks` (per client, the clock below which it has
   * everything) already has: `Y.diffUpdate(update, stateVector(clocks))`, by copying the runs the
   * peer lacks and the delete set as they are. A run the peer holds only part of is cut by Yjs.
   */
  without(clocks: ReadonlyMap<number, number>): Uint8Array {
    const cut = this.frameWithout(clocks)
    if (!cut) return this.update
    const d = decoding.createDecoder(cut.message)
    decoding.readVarUint(d) // the message type
    decoding.readVarUint(d) // the sync message type
    return decoding.readVarUint8Array(d)
  }

  /**
   * {@link without} framed as the relay sends it (`updateFrameFromParts`), its runs copied once,
   * straight into the frame; undefined when the peer holds nothing of the update (the frame of the
   * whole update, which the relay has already built, is the answer).
   */
  frameWithout(clocks: ReadonlyMap<number, number>): FramedMessage | undefined {
    const runs = this.runs
    if (!runs) return updateFrameFromParts([this.diff(clocks)])
    let kept = 0
    let bytes = 0
    for (const run of runs) {
      const held = clocks.get(run.client) ?? 0
      if (held >= run.end) continue
      if (held > run.clock) return updateFrameFromParts([this.diff(clocks)])
      kept++
      bytes += run.stop - run.start
    }
    if (kept === runs.length) return undefined
    const deleteSet = this.views[runs.length] as Uint8Array // of() adds it after the runs' views
    const length = varUintLength(kept) + bytes + deleteSet.byteLength
    const out = updateFrameOfLength(length)
    const frame = out.framed
    // The run count as a lib0 varuint, then the kept runs and the delete set as they are.
    let at = writeVarUint(frame, frame.byteLength - length, kept)
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i] as ClientRun // i < length
      if ((clocks.get(run.client) ?? 0) >= run.end) continue
      frame.set(this.views[i] as Uint8Array, at) // a view per run, made in of()
      at += run.stop - run.start
    }
    frame.set(deleteSet, at)
    return out
  }

  private diff(clocks: ReadonlyMap<number, number>): Uint8Array {
    return Y.diffUpdate(this.update, Y.encodeStateVector(new Map(clocks)))
  }
}

/**
 * Decodes and validates one incoming frame completely before anything acts on it, so a bad frame
 * can never half-apply ([S6]).
 */
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { CLOSE_CODES, MESSAGE_TYPE, SYNC_MESSAGE_TYPE, type CloseCode } from '../../shared/protocol.ts'

/** A frame the server cannot accept; carries the code to close the connection with. */
export class ProtocolError extends Error {
  constructor(
    readonly closeCode: CloseCode,
    /** Short (<= 123 bytes) reason sent in the close frame. */
    readonly reason: string,
  ) {
    super(reason)
    this.name = 'ProtocolError'
  }
}

/** A validated client message. */
export type ClientMessage =
  | { type: 'syncStep1'; stateVector: Uint8Array }
  | ({ type: 'syncStep2' } & DecodedClientUpdate)
  | ({ type: 'syncUpdate' } & DecodedClientUpdate)
  | { type: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  | { type: 'queryAwareness' }

/**
 * Per Yjs client id, the clock just after the last struct an update holds of it: a peer that sent
 * the update holds every struct of those clients below that clock (a Yjs doc's state of a client
 * is a prefix).
 */
export type UpdateWrites = ReadonlyMap<number, number>

/** One client state of an awareness update: its client id, clock and JSON state (`'null'` when removed). */
export type AwarenessEntry = { client: number; clock: number; state: string }

/** A client's document update, decoded once for every check that follows. */
export type DecodedClientUpdate = {
  update: Uint8Array
  writes: UpdateWrites
  decoded: ReturnType<typeof Y.decodeUpdate>
  /** Plain values the update inserts (record-log entries, for the rate of [S28]). */
  entries: number
}

const invalid = (reason: string) => new ProtocolError(CLOSE_CODES.invalidPayload, reason)

/**
 * Decodes one frame. Throws a {@link ProtocolError} for a text frame (1003) or anything
 * malformed (1007): unknown type, truncated or overlong varint, trailing bytes, an update or
 * awareness payload that does not decode.
 */
export function decodeMessage(data: string | ArrayBuffer | Uint8Array, maxDeleteRanges = Number.POSITIVE_INFINITY): ClientMessage {
  if (typeof data === 'string') throw new ProtocolError(CLOSE_CODES.unsupportedData, 'text frames are not supported')
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
  const decoder = decoding.createDecoder(bytes)
  const message = read(decoder, maxDeleteRanges)
  if (decoding.hasContent(decoder)) throw invalid('trailing bytes after message')
  return message
}

/**
 * True when `data` is an awareness message whose update is longer than `maxBytes`
 * (`docs/security.md` [A14]). Reads two varints, never the payload, so it is cheap enough to run
 * on every frame before it is queued or decoded; a malformed frame gives false and is left to
 * {@link decodeMessage}. The update holds every client state it sets, so this bounds each of them.
 */
export function isOversizedAwareness(data: string | ArrayBuffer | Uint8Array, maxBytes: number): boolean {
  if (typeof data === 'string') return false
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
  // Cheapest exit first: a frame this short cannot carry a longer update.
  if (bytes.byteLength <= maxBytes) return false
  try {
    const decoder = decoding.createDecoder(bytes)
    if (decoding.readVarUint(decoder) !== MESSAGE_TYPE.awareness) return false
    return decoding.readVarUint(decoder) > maxBytes
  } catch {
    return false
  }
}

function read(decoder: decoding.Decoder, maxDeleteRanges: number): ClientMessage {
  const type = readVarUint(decoder, 'message type')
  switch (type) {
    case MESSAGE_TYPE.sync: {
      const syncType = readVarUint(decoder, 'sync type')
      const payload = readPayload(decoder, 'sync payload')
      switch (syncType) {
        case SYNC_MESSAGE_TYPE.step1:
          validate(() => Y.decodeStateVector(payload), 'invalid state vector')
          return { type: 'syncStep1', stateVector: payload }
        case SYNC_MESSAGE_TYPE.step2:
          return { type: 'syncStep2', ...validateUpdate(payload, maxDeleteRanges) }
        case SYNC_MESSAGE_TYPE.update:
          return { type: 'syncUpdate', ...validateUpdate(payload, maxDeleteRanges) }
        default:
          throw invalid(`unknown sync type ${syncType}`)
      }
    }
    case MESSAGE_TYPE.awareness: {
      const payload = readPayload(decoder, 'awareness payload')
      return { type: 'awareness', update: payload, entries: validateAwareness(payload) }
    }
    case MESSAGE_TYPE.queryAwareness:
      return { type: 'queryAwareness' }
    default:
      // Includes auth (2): clients never send it.
      throw invalid(`unknown message type ${type}`)
  }
}

function readVarUint(decoder: decoding.Decoder, what: string): number {
  // lib0 throws on a truncated varint and on one over 53 bits; it does not bound-check reads
  // past the end, so check the position first.
  if (!decoding.hasContent(decoder)) throw invalid(`truncated ${what}`)
  return validate(() => decoding.readVarUint(decoder), `garbled ${what}`)
}

function readPayload(decoder: decoding.Decoder, what: string): Uint8Array {
  const length = readVarUint(decoder, `${what} length`)
  if (length > decoder.arr.length - decoder.pos) throw invalid(`truncated ${what}`)
  return decoding.readUint8Array(decoder, length)
}

function validateUpdate(update: Uint8Array, maxDeleteRanges: number): DecodedClientUpdate {
  // [S28] Yjs decodes a delete set at ~1 µs per range (200,000: 200 ms): count them first.
  const ranges = validate(() => countDeleteRanges(update, maxDeleteRanges), 'invalid update')
  if (ranges > maxDeleteRanges) throw new ProtocolError(CLOSE_CODES.updateRefused, `update too large: over ${maxDeleteRanges} delete ranges`)
  // Y.applyUpdate integrates structs before it reads the delete set, so a bad tail would leave a
  // half-applied update. Decoding the whole update first (structs and delete set) rules that out.
  const decoded = validate(() => Y.decodeUpdate(update), 'invalid update')
  const writes = new Map<number, number>()
  let entries = 0
  for (const struct of decoded.structs) {
    const end = struct.id.clock + struct.length
    if (end > (writes.get(struct.id.client) ?? 0)) writes.set(struct.id.client, end)
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentAny) entries += struct.length
  }
  return { update, writes, decoded, entries }
}

/** Validates an awareness update; returns its entries. */
function validateAwareness(payload: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(payload)
  const count = readVarUint(decoder, 'awareness count')
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const client = readVarUint(decoder, 'awareness client id')
    const clock = readVarUint(decoder, 'awareness clock')
    const state = validate(() => decoding.readVarString(decoder), 'invalid awareness state')
    validate(() => JSON.parse(state), 'invalid awareness JSON')
    entries.push({ client, clock, state })
  }
  if (decoding.hasContent(decoder)) throw invalid('trailing bytes in awareness update')
  return entries
}

/**
 * The number of delete-set ranges of a V1 update (stopping once over `limit`), read without
 * building anything: the structs are skipped as Yjs's decoder reads them, then the delete set's
 * range counts are summed. Throws on a malformed update.
 */
function countDeleteRanges(update: Uint8Array, limit: number): number {
  const d = decoding.createDecoder(update)
  const uint = () => decoding.readVarUint(d)
  const str = () => decoding.readVarString(d)
  // lib0 reads past the end without throwing: every loop checks it, so huge counts cannot spin.
  const more = () => {
    if (d.pos >= update.length) throw new Error('truncated update')
  }
  const clients = uint()
  for (let c = 0; c < clients; c++) {
    more()
    const structs = uint()
    uint() // client
    uint() // first clock
    for (let s = 0; s < structs; s++) {
      more()
      const info = decoding.readUint8(d)
      const ref = info & 0b11111
      if (info === 10 || ref === 0) {
        uint() // Skip or GC: length
        continue
      }
      const hasOrigin = (info & 0b1000_0000) !== 0
      const hasRightOrigin = (info & 0b0100_0000) !== 0
      if (hasOrigin) (uint(), uint())
      if (hasRightOrigin) (uint(), uint())
      if (!hasOrigin && !hasRightOrigin) {
        if (uint() === 1) str()
        else (uint(), uint())
        if ((info & 0b0010_0000) !== 0) str()
      }
      skipContent(d, ref)
    }
  }
  let ranges = 0
  const dsClients = uint()
  for (let c = 0; c < dsClients && ranges <= limit; c++) {
    more()
    uint() // client
    const count = uint()
    ranges += count
    for (let i = 0; i < count && ranges <= limit; i++) (uint(), uint())
  }
  return ranges
}

/** Skips one item's content (`ref`: Yjs content ref, V1 encoding). */
function skipContent(d: decoding.Decoder, ref: number): void {
  switch (ref) {
    case 1: // deleted
      decoding.readVarUint(d)
      return
    case 2: // JSON
      for (let n = decoding.readVarUint(d); n > 0; n--) decoding.readVarString(d)
      return
    case 3: // binary
      decoding.readVarUint8Array(d)
      return
    case 4: // string
    case 5: // embed
      decoding.readVarString(d)
      return
    case 6: // format
      decoding.readVarString(d)
      decoding.readVarString(d)
      return
    case 7: {
      // type: XmlElement (3) and XmlHook (5) carry a name
      const typeRef = decoding.readVarUint(d)
      if (typeRef === 3 || typeRef === 5) decoding.readVarString(d)
      return
    }
    case 8: // any
      for (let n = decoding.readVarUint(d); n > 0; n--) decoding.readAny(d)
      return
    case 9: // doc
      decoding.readVarString(d)
      decoding.readAny(d)
      return
    default:
      throw new Error(`unknown content ${ref}`)
  }
}

function validate<T>(fn: () => T, reason: string): T {
  try {
    return fn()
  } catch {
    throw invalid(reason)
  }
}

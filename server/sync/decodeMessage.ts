/**
 * Reads and validates one incoming frame before anything acts on it ([S6]). A document update is
 * walked over every byte here (counts, lengths, clocks, value tags, the delete set) and decoded by
 * Yjs when its room checks it, just before it is applied ({@link decodeClientUpdate}): decoded here,
 * its structs waited for the turn's group commit with every other frame of the turn, long enough
 * for the collector to copy and promote them (most of what the server's scavenges kept).
 */
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { CLOSE_CODES, MESSAGE_TYPE, SYNC_MESSAGE_TYPE, type CloseCode } from '../../shared/protocol.ts'
import { decodeUpdateKeepingValues, type DecodedValues } from './decodeOnce.ts'
import { skipClientRuns, type StructTally } from './updateRuns.ts'

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

/** A client's document update as walked on arrival: measured, not decoded yet ({@link decodeClientUpdate}). */
export type DecodedClientUpdate = {
  update: Uint8Array
  writes: UpdateWrites
  /** Plain values the update inserts (record-log entries, for the rate of [S28]). */
  entries: number
  /** No structs and no deletes: nothing to apply (every new joiner's step 2). */
  empty: boolean
}

/** An update decoded for its check and apply: the structs and delete set, and its plain values for the apply (`decodeOnce.ts`). */
export type DecodedUpdateWithValues = { decoded: ReturnType<typeof Y.decodeUpdate>; values: DecodedValues }

/**
 * Decodes an update that {@link decodeMessage} walked, for the update guard and the apply ([S6]):
 * `Y.decodeUpdate` with its plain values kept. Throws a {@link ProtocolError} (1007) when Yjs
 * cannot decode it (what the walk does not read: a JSON or type item's content, which the
 * board layout refuses anyway).
 */
export function decodeClientUpdate(update: Uint8Array): DecodedUpdateWithValues {
  try {
    return decodeUpdateKeepingValues(update)
  } catch {
    throw invalid('invalid update')
  }
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
          return validateUpdate('syncStep2', payload, maxDeleteRanges)
        case SYNC_MESSAGE_TYPE.update:
          return validateUpdate('syncUpdate', payload, maxDeleteRanges)
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

// Every frame reads a few varints: no closure and no reason string unless it fails.
function readVarUint(decoder: decoding.Decoder, what: string, suffix = ''): number {
  // lib0 throws on a truncated varint and on one over 53 bits; it does not bound-check reads
  // past the end, so check the position first.
  if (!decoding.hasContent(decoder)) throw invalid(`truncated ${what}${suffix}`)
  try {
    return decoding.readVarUint(decoder)
  } catch {
    throw invalid(`garbled ${what}${suffix}`)
  }
}

function readPayload(decoder: decoding.Decoder, what: string): Uint8Array {
  const length = readVarUint(decoder, what, ' length')
  if (length > decoder.arr.length - decoder.pos) throw invalid(`truncated ${what}`)
  return decoding.readUint8Array(decoder, length)
}

function validateUpdate(type: 'syncStep2' | 'syncUpdate', update: Uint8Array, maxDeleteRanges: number): ClientMessage {
  const tally: StructTally = { structs: 0, values: 0, writes: new Map() }
  let ranges
  try {
    // [S28] Yjs decodes a delete set at ~1 µs per range (200,000: 200 ms): counted first, by the
    // walk that measures the structs. Y.applyUpdate integrates structs before it reads the delete
    // set, so a bad tail would leave a half-applied update: the walk reads to the end, and the
    // room decodes the whole update (structs and delete set) before it applies any of it.
    ranges = countDeleteRanges(update, maxDeleteRanges, tally)
  } catch {
    throw invalid('invalid update')
  }
  if (ranges > maxDeleteRanges) throw new ProtocolError(CLOSE_CODES.updateRefused, `update too large: over ${maxDeleteRanges} delete ranges`)
  return { type, update, writes: tally.writes, entries: tally.values, empty: tally.structs === 0 && ranges === 0 }
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
 * building anything: the structs are skipped as Yjs's decoder reads them ({@link skipClientRuns}),
 * then the delete set's range counts are summed. Throws on a malformed update.
 */
function countDeleteRanges(update: Uint8Array, limit: number, tally?: StructTally): number {
  const d = decoding.createDecoder(update)
  skipClientRuns(d, tally)
  let ranges = 0
  const dsClients = decoding.readVarUint(d)
  for (let c = 0; c < dsClients && ranges <= limit; c++) {
    // lib0 reads past the end without throwing: huge counts must not spin.
    if (d.pos >= update.length) throw new Error('truncated update')
    decoding.readVarUint(d) // client
    const count = decoding.readVarUint(d)
    ranges += count
    for (let i = 0; i < count && ranges <= limit; i++) (decoding.readVarUint(d), decoding.readVarUint(d))
  }
  return ranges
}

function validate<T>(fn: () => T, reason: string): T {
  try {
    return fn()
  } catch {
    throw invalid(reason)
  }
}

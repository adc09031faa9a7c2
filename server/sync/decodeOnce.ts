/**
 * A client update's plain values decoded once ([S6], [S26]): the room decodes the whole update
 * for its check, before any of it is applied (`Room.applyQueued`), and Yjs decodes it again to apply it. Its
 * values (the record-log entries: a record, a field, a value) are most of that work and of what it
 * allocates. {@link decodeUpdateKeepingValues} notes each value the guard's decoding reads with
 * the bytes it came from; {@link applyUpdateWithValues} hands Yjs those very values when it reads
 * the same bytes again, and decodes anything else as usual.
 *
 * A value is taken only where Yjs reads from exactly the offset it was decoded from, in the same
 * bytes, so what Yjs applies is what those bytes decode to, whatever order it reads them in. The
 * doc then holds the objects the guard judged: nothing changes them (records are read-only,
 * `shared/docLayout.ts`; Yjs copies content arrays, never the values in them).
 */
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'

/**
 * What the decoding of `bytes` read with `readAny`: per value its start offset, end offset and
 * the value, flat in `noted`.
 */
export type DecodedValues = { readonly bytes: Uint8Array; readonly noted: unknown[] }

/** The values the decoding now running is noting (set only for the length of one synchronous decode). */
let noting: unknown[] | undefined
/** The values the apply now running may take, and the index of the next one. */
let taking: unknown[] | undefined
let next = 0

class NotingDecoder extends Y.UpdateDecoderV1 {
  override readAny(): unknown {
    const at = this.restDecoder.pos
    const value = decoding.readAny(this.restDecoder)
    noting?.push(at, this.restDecoder.pos, value)
    return value
  }
}

class TakingDecoder extends Y.UpdateDecoderV1 {
  override readAny(): unknown {
    const d = this.restDecoder
    const values = taking
    if (values !== undefined && values[next] === d.pos) {
      const value = values[next + 2]
      d.pos = values[next + 1] as number // an end offset, written by NotingDecoder
      next += 3
      return value
    }
    return decoding.readAny(d)
  }
}

/**
 * `Y.decodeUpdate(update)`, also returning the values it decoded with their offsets. Throws as
 * `Y.decodeUpdate` does on a malformed update.
 */
export function decodeUpdateKeepingValues(update: Uint8Array): { decoded: ReturnType<typeof Y.decodeUpdate>; values: DecodedValues } {
  const noted: unknown[] = []
  noting = noted
  try {
    return { decoded: Y.decodeUpdateV2(update, NotingDecoder), values: { bytes: update, noted } }
  } finally {
    noting = undefined
  }
}

/**
 * `Y.applyUpdate(doc, update, origin)`, taking the values `values` noted of the same `update`
 * ({@link decodeUpdateKeepingValues}) instead of decoding them again; values noted of other bytes
 * (another array, even with equal contents) are not taken.
 */
export function applyUpdateWithValues(doc: Y.Doc, update: Uint8Array, values: DecodedValues, origin: unknown): void {
  // Offsets say nothing about other bytes.
  taking = values.bytes === update ? values.noted : undefined
  next = 0
  try {
    Y.applyUpdateV2(doc, update, origin, TakingDecoder)
  } finally {
    taking = undefined
  }
}

/**
 * What instances tell each other on Redis about the boards they serve (issue 17,
 * docs/decisions/005-several-instances.md): one channel per board, one for instance heartbeats.
 * A message is `varUint(kind)`, `varString(instance)` and the kind's fields, encoded with
 * `lib0/encoding`. Only instances of one deployment publish here; a message that does not decode
 * is dropped (and logged), never applied.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** Message kinds on the bus. */
export const BUS_KIND = {
  /** Row `seq` of the board's log, as stored: apply it in sequence order, never store it again. */
  update: 0,
  /** An awareness update of clients connected to the sending instance. */
  awareness: 1,
  /** An instance just opened the board: the others answer with their clients' awareness. */
  awarenessQuery: 2,
  /** The sending instance is alive (on the heartbeat channel). */
  heartbeat: 3,
} as const

export type BusMessage =
  | { kind: typeof BUS_KIND.update; instance: string; seq: number; update: Uint8Array }
  | { kind: typeof BUS_KIND.awareness; instance: string; update: Uint8Array }
  | { kind: typeof BUS_KIND.awarenessQuery; instance: string }
  | { kind: typeof BUS_KIND.heartbeat; instance: string }

/** The channel of a board's messages (`<workshopId>/<board>`). */
export function boardChannel(docName: string): string {
  return `keyplan:board:${docName}`
}

/** The channel every instance announces itself on. */
export const HEARTBEAT_CHANNEL = 'keyplan:instances'

export function encodeBusMessage(message: BusMessage): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, message.kind)
  encoding.writeVarString(encoder, message.instance)
  if (message.kind === BUS_KIND.update) {
    encoding.writeVarUint(encoder, message.seq)
    encoding.writeVarUint8Array(encoder, message.update)
  } else if (message.kind === BUS_KIND.awareness) {
    encoding.writeVarUint8Array(encoder, message.update)
  }
  return encoding.toUint8Array(encoder)
}

/** Decodes a bus message; throws on anything malformed or of an unknown kind. */
export function decodeBusMessage(data: Uint8Array): BusMessage {
  const decoder = decoding.createDecoder(data)
  const kind = decoding.readVarUint(decoder)
  const instance = decoding.readVarString(decoder)
  switch (kind) {
    case BUS_KIND.update: {
      const seq = decoding.readVarUint(decoder)
      return { kind, instance, seq, update: decoding.readVarUint8Array(decoder) }
    }
    case BUS_KIND.awareness:
      return { kind, instance, update: decoding.readVarUint8Array(decoder) }
    case BUS_KIND.awarenessQuery:
    case BUS_KIND.heartbeat:
      return { kind, instance }
    default:
      throw new Error(`unknown bus message kind ${kind}`)
  }
}

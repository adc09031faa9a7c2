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
  /**
   * Row `seq` of the board's log, as stored: apply it in sequence order, never store it again. Sent
   * through {@link PUBLISH_ROW_SCRIPT}, which appends the generation Redis knows ([S39]).
   */
  update: 0,
  /** An awareness update of clients connected to the sending instance. */
  awareness: 1,
  /** An instance just opened the board: the others answer with their clients' awareness. */
  awarenessQuery: 2,
  /** The sending instance is alive (on the heartbeat channel). */
  heartbeat: 3,
} as const

/**
 * [S39] How a row was judged, as its writer stored it, and what Redis knew when it was published.
 * `generation`: the workshop's sensitivity generation the writer's room judged the row by (the
 * store's fence held it, [S37]). `clean`: every update of the row was judged by that generation
 * alone (false when one was kept by the grace of docs/security.md [A37], by the sensitivity before
 * it). `known`: the newest generation on Redis when the row was published
 * ({@link sensitivityGenerationKey}), written by the publish script, never by the writer;
 * undefined when Redis had no key for the workshop ([S41]: lost with a restart, or never raised),
 * so it tells nothing, and the receiver reads the stored sensitivity before it relays the row.
 */
export type RowJudgement = { generation: number; clean: boolean; known: number | undefined }

export type BusMessage =
  | ({ kind: typeof BUS_KIND.update; instance: string; seq: number; update: Uint8Array } & RowJudgement)
  | { kind: typeof BUS_KIND.awareness; instance: string; update: Uint8Array }
  | { kind: typeof BUS_KIND.awarenessQuery; instance: string }
  | { kind: typeof BUS_KIND.heartbeat; instance: string }

/** The channel of a board's messages (`<workshopId>/<board>`). */
export function boardChannel(docName: string): string {
  return `keyplan:board:${docName}`
}

/**
 * [S39] The Redis key holding the newest sensitivity generation of a workshop that an instance
 * stored or learnt of. Only raised ({@link RAISE_GENERATION_SCRIPT}); read by
 * {@link PUBLISH_ROW_SCRIPT} in the same atomic step as each row's publish.
 */
export function sensitivityGenerationKey(workshopId: string): string {
  return `keyplan:sensitivity-generation:${workshopId}`
}

/**
 * [S39] `KEYS[1]` a {@link sensitivityGenerationKey}, `ARGV[1]` a generation: raises the key to it
 * (never lowers it, so instances telling it out of order do no harm).
 */
export const RAISE_GENERATION_SCRIPT = `
local known = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > known then redis.call('SET', KEYS[1], ARGV[1]) end
return 0
`

/**
 * [S39] `KEYS[1]` the row's workshop's {@link sensitivityGenerationKey}, `KEYS[2]` the board's
 * channel, `ARGV[1]` the update message without its last fields: publishes it with the generation
 * the key holds appended (a \`varUint\`, as lib0 writes it, then a byte: 1 when the key exists, 0
 * when it does not, [S41]) and returns that generation, -1 for no key. One atomic step in Redis's
 * one order of commands: a row published after a change's generation was raised carries it, however
 * late its writer published it, so a receiver that has not heard of the change learns of it from
 * the row before it relays the row.
 */
export const PUBLISH_ROW_SCRIPT = `
local stored = redis.call('GET', KEYS[1])
local known = tonumber(stored or '0')
local n = known
local tail = ''
while n > 127 do
  tail = tail .. string.char(128 + n % 128)
  n = math.floor(n / 128)
end
tail = tail .. string.char(n) .. string.char(stored and 1 or 0)
redis.call('PUBLISH', KEYS[2], ARGV[1] .. tail)
if stored then return known end
return -1
`

/** The channel every instance announces itself on. */
export const HEARTBEAT_CHANNEL = 'keyplan:instances'

export function encodeBusMessage(message: BusMessage): Uint8Array {
  const encoder = encoding.createEncoder()
  writeHead(encoder, message)
  if (message.kind === BUS_KIND.update) {
    encoding.writeVarUint(encoder, message.known ?? 0)
    encoding.writeUint8(encoder, message.known === undefined ? 0 : 1)
  }
  return encoding.toUint8Array(encoder)
}

/**
 * [S39] An update message without its `known` fields, which {@link PUBLISH_ROW_SCRIPT} appends.
 *
 * @example `redis.publishRow(key, channel, Buffer.from(encodeRowForScript(message)))`
 */
export function encodeRowForScript(message: Omit<Extract<BusMessage, { kind: typeof BUS_KIND.update }>, 'known'>): Uint8Array {
  const encoder = encoding.createEncoder()
  writeHead(encoder, { ...message, known: undefined })
  return encoding.toUint8Array(encoder)
}

/** Everything of a message but an update's `known`, its last fields. */
function writeHead(encoder: encoding.Encoder, message: BusMessage): void {
  encoding.writeVarUint(encoder, message.kind)
  encoding.writeVarString(encoder, message.instance)
  if (message.kind === BUS_KIND.update) {
    encoding.writeVarUint(encoder, message.seq)
    encoding.writeVarUint8Array(encoder, message.update)
    encoding.writeVarUint(encoder, message.generation)
    encoding.writeUint8(encoder, message.clean ? 1 : 0)
  } else if (message.kind === BUS_KIND.awareness) {
    encoding.writeVarUint8Array(encoder, message.update)
  }
}

/** Decodes a bus message; throws on anything malformed or of an unknown kind. */
export function decodeBusMessage(data: Uint8Array): BusMessage {
  const decoder = decoding.createDecoder(data)
  const kind = decoding.readVarUint(decoder)
  const instance = decoding.readVarString(decoder)
  switch (kind) {
    case BUS_KIND.update: {
      const seq = decoding.readVarUint(decoder)
      const update = decoding.readVarUint8Array(decoder)
      const generation = decoding.readVarUint(decoder)
      const clean = decoding.readUint8(decoder) === 1
      const known = decoding.readVarUint(decoder)
      return { kind, instance, seq, update, generation, clean, known: decoding.readUint8(decoder) === 1 ? known : undefined }
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

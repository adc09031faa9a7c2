/**
 * [S6] A frame is read whole before anything acts on it (an update walked over every byte, decoded
 * by Yjs at its room's check), and a bad one is named by its reason;
 * [S28] an update with more delete-set ranges than the cap is refused (`updateRefused`)
 * before Yjs decodes it. Checked on `decodeMessage` itself, at the cap and one over it.
 */
import * as encoding from 'lib0/encoding'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES, MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { decodeClientUpdate, decodeMessage, ProtocolError } from '../../server/sync/decodeMessage.ts'

/** An update deleting three separate items of one client: three delete-set ranges. */
function threeRanges(): Uint8Array {
  const doc = new Y.Doc()
  const log = doc.getArray('records')
  log.push(['a', 'b', 'c', 'd', 'e', 'f'])
  const before = Y.encodeStateVector(doc)
  doc.transact(() => {
    log.delete(4, 1)
    log.delete(2, 1)
    log.delete(0, 1)
  })
  return Y.encodeStateAsUpdate(doc, before)
}

function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.sync)
  encoding.writeVarUint(encoder, syncType)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

function refusal(frame: Uint8Array, maxDeleteRanges?: number): { code: number; reason: string } | undefined {
  try {
    decodeMessage(frame, maxDeleteRanges)
    return undefined
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error
    return { code: error.closeCode, reason: error.reason }
  }
}

test('an update at the delete-range cap decodes; one over it is refused before decoding [S28]', () => {
  const update = threeRanges()
  for (const type of [SYNC_MESSAGE_TYPE.update, SYNC_MESSAGE_TYPE.step2]) {
    const message = decodeMessage(syncFrame(type, update), 3)
    expect(message.type).toBe(type === SYNC_MESSAGE_TYPE.update ? 'syncUpdate' : 'syncStep2')
    if (message.type !== 'syncUpdate' && message.type !== 'syncStep2') continue
    expect(message.update).toEqual(update)
    expect([...decodeClientUpdate(message.update).decoded.ds.clients.values()][0]?.length).toBe(3)
    expect(refusal(syncFrame(type, update), 2)).toEqual({ code: CLOSE_CODES.updateRefused, reason: 'update too large: over 2 delete ranges' })
  }
})

test('a truncated or garbled frame is refused with what is wrong [S6]', () => {
  const update = threeRanges()
  expect(refusal(syncFrame(SYNC_MESSAGE_TYPE.update, update.subarray(0, update.length - 2)))).toEqual({ code: CLOSE_CODES.invalidPayload, reason: 'invalid update' })
  expect(refusal(new Uint8Array([]))).toEqual({ code: CLOSE_CODES.invalidPayload, reason: 'truncated message type' })
  expect(refusal(new Uint8Array([MESSAGE_TYPE.sync, SYNC_MESSAGE_TYPE.update]))).toEqual({ code: CLOSE_CODES.invalidPayload, reason: 'truncated sync payload length' })
  // A varint over 53 bits.
  expect(refusal(new Uint8Array([MESSAGE_TYPE.sync, ...new Array(9).fill(0xff), 1]))).toEqual({ code: CLOSE_CODES.invalidPayload, reason: 'garbled sync type' })
  expect(refusal(new Uint8Array([MESSAGE_TYPE.sync, SYNC_MESSAGE_TYPE.update, 5, 1]))).toEqual({ code: CLOSE_CODES.invalidPayload, reason: 'truncated sync payload' })
})

/** A V1 update of one item of JSON content whose text is not JSON: every length right. */
function unparsableJsonItem(): Uint8Array {
  const e = encoding.createEncoder()
  for (const n of [1, 1, 4242, 0]) encoding.writeVarUint(e, n) // one client, one struct, client id, clock
  encoding.writeUint8(e, 2) // JSON content, no origins
  encoding.writeVarUint(e, 1) // parent named by its key
  encoding.writeVarString(e, 'records')
  encoding.writeVarUint(e, 1) // one value
  encoding.writeVarString(e, '{"not json')
  encoding.writeVarUint(e, 0) // empty delete set
  return encoding.toUint8Array(e)
}

test('an update is measured on arrival and decoded for its check: its counts without structs, a bad one refused then [S6] [S28]', () => {
  const doc = new Y.Doc()
  const log = doc.getArray('records')
  log.push([['shape:a', 'x', 1], ['shape:b', 'x', 2]])
  const update = Y.encodeStateAsUpdate(doc)
  const message = decodeMessage(syncFrame(SYNC_MESSAGE_TYPE.update, update))
  if (message.type !== 'syncUpdate') throw new Error(message.type)
  // What arrival needs, read by the walk: the client ids written up to which clock, the values, empty or not.
  expect([...message.writes]).toEqual([[doc.clientID, 2]])
  expect(message.entries).toBe(2)
  expect(message.empty).toBe(false)
  expect('decoded' in message).toBe(false)
  const empty = decodeMessage(syncFrame(SYNC_MESSAGE_TYPE.step2, Y.encodeStateAsUpdate(new Y.Doc())))
  expect(empty.type === 'syncStep2' && empty.empty).toBe(true)
  expect(decodeClientUpdate(update).decoded.structs).toHaveLength(1)
  // Right in every length, so the walk passes it; Yjs parses the JSON text when decoding it.
  const bad = syncFrame(SYNC_MESSAGE_TYPE.update, unparsableJsonItem())
  expect(refusal(bad)).toBeUndefined()
  expect(() => decodeClientUpdate(unparsableJsonItem())).toThrow(ProtocolError)
  try {
    decodeClientUpdate(unparsableJsonItem())
  } catch (error) {
    expect(error instanceof ProtocolError && [error.closeCode, error.reason]).toEqual([CLOSE_CODES.invalidPayload, 'invalid update'])
  }
})

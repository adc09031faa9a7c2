/**
 * [S6] A frame is decoded whole before anything acts on it, and a bad one is named by its reason;
 * [S28] an update with more delete-set ranges than the cap is refused (`updateRefused`)
 * before Yjs decodes it. Checked on `decodeMessage` itself, at the cap and one over it.
 */
import * as encoding from 'lib0/encoding'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES, MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { decodeMessage, ProtocolError } from '../../server/sync/decodeMessage.ts'

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
    expect([...message.decoded.ds.clients.values()][0]?.length).toBe(3)
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

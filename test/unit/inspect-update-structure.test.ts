/**
 * The structural pass of the update guard on its own ([S26]–[S28]): honest updates of the board
 * layout pass, with what they do; hand-made hostile ones are refused before anything is applied.
 */
import * as encoding from 'lib0/encoding'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { DOC_KEYS, writeRecordChanges, writeStoredSchema } from '../../shared/docLayout.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { inspectUpdate, type UpdateLimits } from '../../server/sync/inspectUpdate.ts'
import { asJson } from '../helpers/boardPeers.ts'
import { note } from '../helpers/planBoards.ts'

const limits: UpdateLimits = { maxStructs: 50_000, maxEntries: 20_000, maxBytes: 8 << 20, maxDeleteRanges: 100_000, maxWork: 500_000, maxBoardRecords: 10_000, maxBoardBytes: 32 << 20 }

function seededDoc(): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, createSeededBoardUpdate('swot'))
  return doc
}

function inspect(doc: Y.Doc, update: Uint8Array, overrides: Partial<UpdateLimits> = {}) {
  return inspectUpdate(doc, Y.decodeUpdate(update), update.byteLength, { ...limits, ...overrides })
}

/** The update a change on a copy of `server` emits. */
function changeOf(server: Y.Doc, change: (doc: Y.Doc) => void, clientID?: number): Uint8Array {
  const doc = new Y.Doc()
  if (clientID !== undefined) doc.clientID = clientID
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  change(doc)
  return Y.mergeUpdates(updates)
}

const card = (id: string, x = 0) => asJson(note(id, { x, y: 0 }, 'hello'))

describe('honest updates pass with what they do', () => {
  test('a new card: its entries are the inserts', () => {
    const server = seededDoc()
    const update = changeOf(server, (doc) => writeRecordChanges(doc, { put: [card('shape:a')], remove: [] }))
    const result = inspect(server, update)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.ops.inserts.map(([id, field]) => [id, field])).toEqual([['shape:a', '']])
    expect(result.ops.deletes).toEqual([])
  })

  test('a move deletes the live entry it replaces', () => {
    const server = seededDoc()
    Y.applyUpdate(server, changeOf(server, (doc) => writeRecordChanges(doc, { put: [card('shape:a')], remove: [] })))
    const update = changeOf(server, (doc) => writeRecordChanges(doc, { put: [card('shape:a', 50)], remove: [] }))
    const result = inspect(server, update)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.ops.inserts.map(([id, field, value]) => [id, field, value])).toEqual([['shape:a', 'x', 50]])
    expect(result.ops.deletes).toEqual([])
    const again = changeOf(server, (doc) => {
      writeRecordChanges(doc, { put: [card('shape:a', 50)], remove: [] })
      writeRecordChanges(doc, { put: [], remove: ['shape:a'] })
    })
    const removed = inspect(server, again)
    expect(removed.ok && removed.ops.deletes.length).toBe(1)
  })

  test('setting the schema replaces the stored one', () => {
    const server = seededDoc()
    const update = changeOf(server, (doc) => writeStoredSchema(doc, createKeyplanSchema().serialize()))
    const result = inspect(server, update)
    expect(result.ok && result.ops.schema !== undefined).toBe(true)
  })

  test('offline edits from two page loads, concurrent with a thousand others, pass as one step 2', () => {
    const server = seededDoc()
    const offline = new Y.Doc()
    offline.clientID = 10
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(server))
    for (let i = 0; i < 30; i++) writeRecordChanges(offline, { put: [card('shape:old', i)], remove: [] })
    const reloaded = new Y.Doc()
    reloaded.clientID = 11
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(offline))
    for (let i = 0; i < 30; i++) writeRecordChanges(reloaded, { put: [card(`shape:new${i}`, i)], remove: [] })
    // A thousand pushes by a thousand other clients meanwhile.
    const others = new Y.Doc()
    Y.applyUpdate(others, Y.encodeStateAsUpdate(server))
    others.on('update', (u: Uint8Array) => Y.applyUpdate(server, u))
    for (let i = 0; i < 1000; i++) {
      others.clientID = 1000 + i
      writeRecordChanges(others, { put: [card(`shape:s${i}`)], remove: [] })
    }
    const step2 = Y.encodeStateAsUpdate(reloaded, Y.encodeStateVector(server))
    const result = inspect(server, step2)
    expect(result.ok).toBe(true)
  })
})

describe('hostile updates are refused', () => {
  test('a root type outside the layout [S26]', () => {
    const server = seededDoc()
    const update = changeOf(server, (doc) => doc.getMap('other').set('x', 1))
    expect(inspect(server, update)).toMatchObject({ ok: false, refusal: { code: 4422 } })
  })

  test('a nested Y type in the record log [S26]', () => {
    const server = seededDoc()
    const update = changeOf(server, (doc) => doc.getArray(DOC_KEYS.records).push([new Y.Map()]))
    expect(inspect(server, update)).toMatchObject({ ok: false })
  })

  test('an entry that is not [id, field, value] [S26]', () => {
    const server = seededDoc()
    const update = changeOf(server, (doc) => doc.getArray(DOC_KEYS.records).push([['a', 'b']]))
    expect(inspect(server, update)).toMatchObject({ ok: false })
  })

  test('an insert in the middle [S27]', () => {
    const server = seededDoc()
    const update = changeOf(server, (doc) => doc.getArray(DOC_KEYS.records).insert(0, [['shape:x', '', {}]]))
    expect(inspect(server, update)).toMatchObject({ ok: false, refusal: { reason: expect.stringContaining('appends') } })
  })

  test('a meta key other than the schema [S26]', () => {
    const server = seededDoc()
    const update = changeOf(server, (doc) => doc.getMap(DOC_KEYS.meta).set('other', 1))
    expect(inspect(server, update)).toMatchObject({ ok: false })
  })

  test('deleting the schema without setting one [S27]', () => {
    const server = seededDoc()
    const update = changeOf(server, (doc) => doc.getMap(DOC_KEYS.meta).delete('schema'))
    expect(inspect(server, update)).toMatchObject({ ok: false })
  })

  test('pending structs: an update whose predecessor the board lacks [S27]', () => {
    const server = seededDoc()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
    writeRecordChanges(doc, { put: [card('shape:a')], remove: [] })
    const sv = Y.encodeStateVector(doc)
    writeRecordChanges(doc, { put: [card('shape:b')], remove: [] })
    expect(inspect(server, Y.encodeStateAsUpdate(doc, sv))).toMatchObject({ ok: false })
  })

  test('a pending delete set of unknown clients [S27]', () => {
    const server = seededDoc()
    // A delete set naming a client the board has never seen.
    expect(inspect(server, encodeDeleteOnly([[123456, 0, 5]]))).toMatchObject({ ok: false, refusal: { reason: expect.stringContaining('deletes structs') } })
  })

  test('the same items at the front, concurrently, cost too much [S27]', () => {
    const server = seededDoc()
    const front = changeOf(server, (doc) => {
      const log = doc.getArray(DOC_KEYS.records)
      for (let i = 0; i < 2000; i++) log.insert(0, [['shape:x', 'x', i]])
    }, 1)
    expect(inspect(server, front)).toMatchObject({ ok: false, refusal: { reason: expect.stringContaining('appends') } })
  })

  test('many items after the first item, right origin null, cost too much [S27]', () => {
    const server = seededDoc()
    const others = new Y.Doc()
    Y.applyUpdate(others, Y.encodeStateAsUpdate(server))
    others.on('update', (u: Uint8Array) => Y.applyUpdate(server, u))
    for (let i = 0; i < 200; i++) {
      others.clientID = 5000 + i
      writeRecordChanges(others, { put: [card(`shape:s${i}`)], remove: [] })
    }
    const first = server.getArray(DOC_KEYS.records)._start as Y.Item
    const update = handMadeAppends(first.lastId, 5000, 77)
    expect(inspect(server, update, { maxWork: 100_000 })).toMatchObject({ ok: false, refusal: { reason: expect.stringContaining('costly') } })
  })

  test('an item whose origin is a later clock of its own client (20 bytes) [S27]', () => {
    const server = seededDoc()
    const encoder = new Y.UpdateEncoderV1()
    // One client, one struct at clock 0 whose origin is (client, 5).
    const e = encoder.restEncoder
    writeVar(e, 1)
    writeVar(e, 1)
    encoder.writeClient(99)
    writeVar(e, 0)
    encoder.writeInfo(0b1000_1000) // origin present, ContentAny (8)
    encoder.writeLeftID(Y.createID(99, 5))
    writeVar(e, 1)
    encoder.writeAny(['shape:x', '', 1])
    writeVar(e, 0) // empty delete set
    const update = encoder.toUint8Array()
    expect(update.byteLength).toBeLessThan(30)
    expect(inspect(server, update)).toMatchObject({ ok: false, refusal: { reason: expect.stringContaining('does not have') } })
  })

  test('per-update caps [S28]', () => {
    const server = seededDoc()
    const update = changeOf(server, (doc) => writeRecordChanges(doc, { put: Array.from({ length: 50 }, (_, i) => card(`shape:c${i}`)), remove: [] }))
    expect(inspect(server, update, { maxEntries: 10 })).toMatchObject({ ok: false })
    expect(inspect(server, update, { maxBytes: 100 })).toMatchObject({ ok: false })
  })
})

function writeVar(encoder: encoding.Encoder, n: number): void {
  encoding.writeVarUint(encoder, n)
}

/** An update with no structs that deletes `[client, clock, len]` ranges. */
function encodeDeleteOnly(ranges: Array<[number, number, number]>): Uint8Array {
  const e = encoding.createEncoder()
  writeVar(e, 0)
  writeVar(e, ranges.length)
  for (const [client, clock, len] of ranges) {
    writeVar(e, client)
    writeVar(e, 1)
    writeVar(e, clock)
    writeVar(e, len)
  }
  return encoding.toUint8Array(e)
}

/** `count` items of `client`, each with origin `origin` and no right origin. */
function handMadeAppends(origin: Y.ID, count: number, client: number): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  const e = encoder.restEncoder
  writeVar(e, 1)
  writeVar(e, count)
  encoder.writeClient(client)
  writeVar(e, 0)
  for (let i = 0; i < count; i++) {
    encoder.writeInfo(0b1000_1000)
    encoder.writeLeftID(origin)
    writeVar(e, 1)
    encoder.writeAny(['shape:x', 'x', i])
  }
  writeVar(e, 0)
  return encoder.toUint8Array()
}

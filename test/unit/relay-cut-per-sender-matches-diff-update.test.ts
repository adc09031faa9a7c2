/**
 * [S4] A sender's copy of a batch is the batch without the sender's writes. The room cuts it by
 * copying the other writers' runs of bytes (`UpdateRuns.without`); it must hold exactly what
 * `Y.diffUpdate` would: the same structs and the same delete set, for every kind of content.
 */
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as encoding from 'lib0/encoding'
import { MESSAGE_TYPE } from '../../shared/protocol.ts'
import { encodeUpdate, encodeUpdateFromParts } from '../../server/sync/messages.ts'
import { UpdateRuns } from '../../server/sync/updateRuns.ts'

/** Structs as (client, clock, length) and the delete set, comparable with toEqual. */
function shape(update: Uint8Array) {
  const { structs, ds } = Y.decodeUpdate(update)
  return {
    structs: structs.map((s) => [s.id.client, s.id.clock, s.length, s.constructor.name]),
    ds: [...ds.clients].map(([client, items]) => [client, items.map((i) => [i.clock, i.len])]).sort(),
  }
}

/** A doc with three writers' edits of every content kind, some of them deleted. */
function batch(): { update: Uint8Array; writers: Y.Doc[] } {
  const writers = [1, 2, 3].map((client) => {
    const doc = new Y.Doc()
    doc.clientID = client
    return doc
  })
  const [a, b, c] = writers as [Y.Doc, Y.Doc, Y.Doc]
  a.getArray('log').push([['shape:a', '', { x: 1, text: 'ä😀' }], ['shape:a', 'x', 2]])
  a.getArray('log').delete(0, 1)
  b.getText('t').insert(0, 'surrogates 😀😀 and more')
  b.getText('t').format(0, 4, { bold: true })
  b.getMap('m').set('k', new Uint8Array([1, 2, 3]))
  c.getXmlFragment('x').insert(0, [new Y.XmlElement('p')])
  c.getMap('m').set('sub', new Y.Doc())
  c.getArray('log').push(['plain'])
  // A value of every lib0 \`writeAny\` type: the runs step over each by its tag (updateRuns.ts).
  c.getMap('values').set('all', {
    none: undefined,
    nil: null,
    int: -5,
    f32: 1.5,
    f64: 0.1,
    large: 12_345_678_901_234,
    big: 10n ** 15n,
    yes: true,
    no: false,
    text: 'ä😀',
    list: [1, [2, { x: 'y' }], []],
    bytes: new Uint8Array([1, 2, 3]),
  })
  const room = new Y.Doc()
  for (const doc of writers) Y.applyUpdate(room, Y.encodeStateAsUpdate(doc))
  return { update: Y.encodeStateAsUpdate(room), writers }
}

describe('UpdateRuns.without', () => {
  const { update, writers } = batch()
  const runs = UpdateRuns.of(update)

  test('leaves out exactly the runs a sender holds whole', () => {
    for (const held of [[1], [2], [3], [1, 3], [1, 2, 3], []]) {
      const clocks = new Map(held.map((client) => [client, Y.getState((writers[client - 1] as Y.Doc).store, client)]))
      const cut = runs.without(clocks)
      expect(shape(cut)).toEqual(shape(Y.diffUpdate(update, Y.encodeStateVector(clocks))))
    }
  })

  test('at every clock a sender may hold, the cut is what Yjs cuts', () => {
    for (const [i, doc] of writers.entries()) {
      const client = i + 1
      for (let clock = 0; clock <= Y.getState(doc.store, client); clock++) {
        const clocks = new Map([[client, clock]])
        expect(shape(runs.without(clocks))).toEqual(shape(Y.diffUpdate(update, Y.encodeStateVector(clocks))))
      }
    }
  })

  test('the cut applies like the whole batch on the sender', () => {
    const sender = writers[1] as Y.Doc
    const whole = new Y.Doc()
    Y.applyUpdate(whole, update)
    Y.applyUpdate(sender, runs.without(new Map([[2, Y.getState(sender.store, 2)]])))
    expect(Y.encodeStateVector(sender)).toEqual(Y.encodeStateVector(whole))
    expect(sender.getArray('log').toJSON()).toEqual(whole.getArray('log').toJSON())
  })
})

test('the relayed frame of a cut is the frame y-protocols writes for it, byte for byte [S4]', () => {
  const { update, writers } = batch()
  const runs = UpdateRuns.of(update)
  for (const held of [[1], [2], [1, 3], []]) {
    const clocks = new Map(held.map((client) => [client, Y.getState((writers[client - 1] as Y.Doc).store, client)]))
    const reference = encoding.createEncoder()
    encoding.writeVarUint(reference, MESSAGE_TYPE.sync)
    syncProtocol.writeUpdate(reference, runs.without(clocks))
    // A Buffer (what `ws` sends without wrapping it); its bytes are what counts.
    const cut = runs.frameWithout(clocks)
    // Undefined: the relay sends the whole batch's frame.
    expect(new Uint8Array(cut?.message ?? encodeUpdate(update))).toEqual(encoding.toUint8Array(reference))
    if (cut) expect(cut.framed.subarray(cut.framed.byteLength - cut.message.byteLength)).toEqual(cut.message)
  }
  expect(encodeUpdate(update)).toEqual(encodeUpdateFromParts([update.subarray(0, 7), update.subarray(7)]))
})

test('the relayed frame of an update of any length is the frame y-protocols writes for it [S4]', () => {
  // Around each length where the payload's length prefix takes one more byte.
  for (const length of [0, 1, 127, 128, 129, 16_383, 16_384, 16_385, 2_097_152]) {
    const update = new Uint8Array(length).fill(7)
    const reference = encoding.createEncoder()
    encoding.writeVarUint(reference, MESSAGE_TYPE.sync)
    syncProtocol.writeUpdate(reference, update)
    // Compared as bytes: a deep equality of 2 MB element by element takes seconds.
    expect(Buffer.compare(encodeUpdate(update), encoding.toUint8Array(reference)), `update of ${length} bytes`).toBe(0)
  }
})

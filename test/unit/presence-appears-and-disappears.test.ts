import { TLPOINTER_ID, atom, type TLUserId } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { bindPresence, readParticipants, type PresenceUser } from '../../client/board/presence.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { createPeer } from '../helpers/boardPeers.ts'

/** Relays awareness changes between two clients like y-websocket does. */
function linkAwareness(a: Awareness, b: Awareness): void {
  const relay = (from: Awareness, to: Awareness) => {
    from.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === 'relay') return
      applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...added, ...updated, ...removed]), 'relay')
    })
  }
  relay(a, b)
  relay(b, a)
}

/** Lets the throttled presence publication run (it waits 33 ms). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 60))

function seededPeer() {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, createSeededBoardUpdate('swot'))
  return createPeer(doc)
}

/** Two seeded peers whose awareness is linked, each with its presence bound for `users`. */
function twoPeers(users: [PresenceUser, PresenceUser]) {
  const [a, b] = [seededPeer(), seededPeer()]
  const [awarenessA, awarenessB] = [new Awareness(a.doc), new Awareness(b.doc)]
  linkAwareness(awarenessA, awarenessB)
  const [userA, userB] = [atom<PresenceUser>('a', users[0]), atom<PresenceUser>('b', users[1])]
  const unbindA = bindPresence({ store: a.store, awareness: awarenessA, user: userA })
  bindPresence({ store: b.store, awareness: awarenessB, user: userB })
  return { a, b, awarenessA, awarenessB, userA, unbindA }
}

describe('presence over awareness', () => {
  it("shows the other participant's cursor with name and colour, and removes it when they leave", async () => {
    const { a, b, awarenessA, awarenessB, userA: ada, unbindA } = twoPeers([
      { id: 'ada', name: 'Ada', color: '#e03131' },
      { id: 'user:bob', name: 'Bob', color: '#1971c2' },
    ])
    await settle()

    const seenByB = b.store.query.records('instance_presence').get()
    expect(seenByB).toHaveLength(1)
    expect(seenByB[0]).toMatchObject({ userId: 'user:ada', userName: 'Ada', color: '#e03131' })
    expect(a.store.query.records('instance_presence').get()[0]).toMatchObject({ userId: 'user:bob', userName: 'Bob' })

    ada.set({ id: 'ada', name: 'Ada L.', color: '#e03131' })
    await settle()
    expect(b.store.query.records('instance_presence').get()[0]).toMatchObject({ userName: 'Ada L.' })

    expect(readParticipants(awarenessB).map((p) => [p.name, p.userId, p.isSelf])).toEqual([
      ['Ada L.', 'user:ada', false],
      ['Bob', 'user:bob', true],
    ])

    unbindA()
    removeAwarenessStates(awarenessA, [awarenessA.clientID], 'leave')
    expect(b.store.query.records('instance_presence').get()).toHaveLength(0)
    expect(readParticipants(awarenessB).map((p) => p.name)).toEqual(['Bob'])
  })

  it('ignores a malformed presence from a peer', async () => {
    const a = seededPeer()
    const awarenessA = new Awareness(a.doc)
    const awarenessEvil = new Awareness(new Y.Doc())
    linkAwareness(awarenessA, awarenessEvil)
    bindPresence({ store: a.store, awareness: awarenessA, user: atom('u', { id: 'u', name: 'U', color: '#000' }) })
    awarenessEvil.setLocalStateField('presence', { userId: 'not-a-user', cursor: 'everywhere' })
    await settle()
    expect(a.store.query.records('instance_presence').get()).toHaveLength(0)
    expect(a.store.query.records('instance').get()).toHaveLength(1)
  })
})

describe('presence on the wire', () => {
  it('carries cursor, page and selection, and the viewport only while a peer follows', async () => {
    const { a, b, awarenessA } = twoPeers([
      { id: 'ada', name: 'Ada', color: '#e03131' },
      { id: 'bob', name: 'Bob', color: '#1971c2' },
    ])
    const shapeId = [...a.store.query.ids('shape').get()][0]
    if (!shapeId) throw new Error('the template has no shapes')
    a.store.put([{ ...a.store.get(TLPOINTER_ID)!, x: 123.456, y: 78.9 }]) // the store always has a pointer
    const pageState = a.store.query.records('instance_page_state').get()[0]!
    a.store.put([{ ...pageState, selectedShapeIds: [shapeId] }])
    await settle()

    const seen = () => b.store.query.records('instance_presence').get()[0]
    expect(seen()).toMatchObject({ cursor: { x: 123.5, y: 78.9 }, selectedShapeIds: [shapeId], currentPageId: pageState.pageId })
    expect(awarenessA.getLocalState()?.presence).not.toHaveProperty('view')

    const instanceB = b.store.query.records('instance').get()[0]!
    // B publishes that it follows, then A publishes its viewport: two publications.
    b.store.put([{ ...instanceB, followingUserId: 'user:ada' as TLUserId }])
    await settle()
    await settle()
    expect(awarenessA.getLocalState()?.presence).toHaveProperty('view')
    const camera = a.store.query.records('camera').get()[0]!
    expect(seen()?.camera).toEqual({ x: camera.x, y: camera.y, z: camera.z })

    b.store.put([{ ...instanceB, followingUserId: null }])
    await settle()
    await settle()
    expect(awarenessA.getLocalState()?.presence).not.toHaveProperty('view')
  })

  it("sends Keyplan's user ids packed and shows them whole to the peer", async () => {
    const id = 'user:f85eab6a-782a-474e-a19f-83d74199c5ff'
    const { b, awarenessA, awarenessB } = twoPeers([
      { id, name: 'Ada', color: '#e03131' },
      { id: 'bob', name: 'Bob', color: '#1971c2' },
    ])
    await settle()
    expect(awarenessA.getLocalState()?.presence).toMatchObject({ userId: '~-F6rangqR06hn4PXQZnF_w' })
    expect(b.store.query.records('instance_presence').get()[0]).toMatchObject({ userId: id })
    expect(readParticipants(awarenessB).map((p) => p.userId)).toEqual([id, 'user:bob'])
  })

  it("shows the name of a guest, stamped so by the server, as a guest's [A44]", async () => {
    const { a, b, awarenessA } = twoPeers([
      { id: 'user:gina', name: 'Fiona Facilitator', color: '#e03131' },
      { id: 'user:bob', name: 'Bob', color: '#1971c2' },
    ])
    await settle()
    expect(b.store.query.records('instance_presence').get()[0]).toMatchObject({ userName: 'Fiona Facilitator' })
    // What the server adds to every state of a guest's connection (here straight on A's state).
    awarenessA.setLocalStateField('keyplanGuest', true)
    await settle()
    expect(b.store.query.records('instance_presence').get()[0]).toMatchObject({ userId: 'user:gina', userName: 'Fiona Facilitator (guest)' })
    // A team member's name reads as it is.
    expect(a.store.query.records('instance_presence').get()[0]).toMatchObject({ userName: 'Bob' })
  })
})

import {
  InstancePresenceRecordType,
  UserRecordType,
  atom,
  computed,
  createPresenceStateDerivation,
  createUserId,
  react,
  type Signal,
  type TLInstancePresence,
  type TLStore,
  type TLUserId,
} from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import { guestMarkedName } from '../../shared/protocol.ts'
import { presenceFromWire, presenceToWire, unpackUserId } from './presenceWire.ts'
import { EDITING_META_KEY, ownClaim, watchClaims } from './fieldLocks.ts'

/**
 * Presence over y-websocket awareness, following tldraw's own wiring
 * (`packages/sync/src/useSync.ts`): our `TLInstancePresence`, derived from the store and a user
 * signal with `createPresenceStateDerivation`, is published as the awareness field `presence` in
 * its compact wire form (`presenceWire.ts`), and only when that form changed; every other
 * client's `presence` is mirrored into the store as an `instance_presence` record, which is what
 * tldraw draws cursors from and follows. Pure code, no React.
 */

/** Our presence is published at most this often (about 30 times a second while the cursor moves). */
const PUBLISH_INTERVAL_MS = 33

/** Awareness field holding a client's `TLInstancePresence`. */
export const PRESENCE_FIELD = 'presence'

/** Who we are on the board. `id` may be given with or without tldraw's `user:` prefix. */
export interface PresenceUser {
  id: string
  name: string
  color: string
}

/** One client in the room (one per browser tab), for a participant list. */
export interface Participant {
  /** Awareness client id: unique per tab. */
  clientId: number
  userId: TLUserId
  name: string
  color: string
  isSelf: boolean
}

function toUserId(id: string): TLUserId {
  return id.startsWith('user:') ? (id as TLUserId) : createUserId(id) // a prefixed id is already a user id
}

/** The store record id of a remote client's presence. */
function presenceRecordId(clientId: number): TLInstancePresence['id'] {
  return InstancePresenceRecordType.createId(`awareness-${clientId}`)
}

/**
 * Publishes our presence into `awareness` and mirrors the others' presence into `store`.
 * Changes of our presence are published at most every 33 ms.
 * @returns a function that stops both and removes the mirrored records
 * @example
 * const $user = atom('user', { id: 'user:ab12', name: 'Ada', color: '#e03131' })
 * const unbind = bindPresence({ store, awareness: provider.awareness, user: $user })
 * // later: $user.set({ ...$user.get(), name: 'Ada L.' })
 */
export function bindPresence({
  store,
  awareness,
  user,
}: {
  store: TLStore
  awareness: Awareness
  user: Signal<PresenceUser>
}): () => void {
  const $user = computed('keyplan user', () => {
    const { id, name, color } = user.get()
    return UserRecordType.create({ id: toUserId(id), name, color })
  })
  const $tldrawPresence = createPresenceStateDerivation($user)(store)
  // The field this page is typing into goes out with its presence (client/board/fieldLocks.ts).
  const $claim = ownClaim(store)
  const $presence = computed('keyplan presence', () => {
    const presence = $tldrawPresence.get()
    const claim = $claim.get()
    return presence && claim ? { ...presence, meta: { ...presence.meta, [EDITING_META_KEY]: { ...claim } } } : presence
  })
  // Whether a peer follows us: only then does our presence carry our viewport (presenceWire.ts).
  const $followed = atom('followed by a peer', false)

  // Publish at most every PUBLISH_INTERVAL_MS, and never from inside the store's reactive flush:
  // the awareness change may synchronously update other stores, and @tldraw/state does not
  // support re-entrant flushes. A timer rather than an animation frame, so a tab opened in the
  // background still shows up in everyone's participant list.
  // y-protocols sends the whole state on every set, even an equal one: publish only what changed
  // in the wire form (most store changes that recompute the presence change nothing in it).
  let timer: ReturnType<typeof setTimeout> | null = null
  let published = ''
  const publish = () => {
    const presence = $presence.get()
    const wire = presence && presenceToWire(presence, $followed.get())
    const json = JSON.stringify(wire)
    if (json === published) return
    published = json
    awareness.setLocalStateField(PRESENCE_FIELD, wire)
  }
  const stopPublishing = react('publish presence', publish, {
    scheduleEffect: (execute) => {
      timer ??= setTimeout(() => {
        timer = null
        execute()
      }, PUBLISH_INTERVAL_MS)
    },
  })

  // Before the first mirror: when a peer's claim was first seen decides when it lapses.
  const stopWatchingClaims = watchClaims(store)
  const mirrored = new Set<TLInstancePresence['id']>()
  const mirror = (clientIds: number[]) => {
    const put: TLInstancePresence[] = []
    const remove: TLInstancePresence['id'][] = []
    const states = awareness.getStates()
    for (const clientId of clientIds) {
      if (clientId === awareness.clientID) continue
      const id = presenceRecordId(clientId)
      const state = states.get(clientId)
      const presence: unknown = state?.[PRESENCE_FIELD]
      try {
        const record = presenceFromWire(presence, id)
        // [A44] A guest's name, stamped so by the server: on the cursor, in "is typing", in notices.
        put.push({ ...record, userName: guestMarkedName(record.userName, state) })
      } catch {
        // Gone, not ready yet, or malformed: show no cursor rather than a broken one.
        if (store.has(id)) remove.push(id)
      }
    }
    if (put.length === 0 && remove.length === 0) return
    for (const id of remove) mirrored.delete(id)
    for (const record of put) mirrored.add(record.id)
    store.mergeRemoteChanges(() => {
      if (remove.length > 0) store.remove(remove)
      if (put.length > 0) store.put(put)
    })
    const me = $user.get().id
    $followed.set([...mirrored].some((id) => store.get(id)?.followingUserId === me))
  }
  const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) =>
    mirror([...added, ...updated, ...removed])
  awareness.on('change', onChange)
  mirror([...awareness.getStates().keys()])

  return () => {
    if (timer !== null) clearTimeout(timer)
    stopPublishing()
    stopWatchingClaims()
    awareness.off('change', onChange)
    awareness.setLocalStateField(PRESENCE_FIELD, null)
    const left = [...mirrored].filter((id) => store.has(id))
    if (left.length > 0) store.mergeRemoteChanges(() => store.remove(left))
  }
}

/**
 * Everyone on the board with a presence, ourselves included, sorted by name.
 * Re-read it on the awareness `change` event.
 * @example
 * const update = () => setParticipants(readParticipants(provider.awareness))
 * provider.awareness.on('change', update)
 */
export function readParticipants(awareness: Awareness): Participant[] {
  const participants: Participant[] = []
  for (const [clientId, state] of awareness.getStates()) {
    const presence: unknown = state[PRESENCE_FIELD]
    if (typeof presence !== 'object' || presence === null) continue
    const { userId: packed, userName, color } = presence as Partial<Record<string, unknown>> // fields checked one by one
    let userId: string
    try {
      userId = typeof packed === 'string' ? unpackUserId(packed) : ''
    } catch {
      continue // a malformed packed id
    }
    if (!userId.startsWith('user:') || typeof userName !== 'string') continue
    participants.push({
      clientId,
      userId: userId as TLUserId, // prefix checked above
      name: userName,
      color: typeof color === 'string' ? color : '#888888',
      isSelf: clientId === awareness.clientID,
    })
  }
  return participants.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId)
}

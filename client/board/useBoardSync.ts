import { noteBoardConnection } from './newCardsApart.ts'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { atom, createTLStore, defaultBindingUtils, defaultShapeUtils, type TLStore } from 'tldraw'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/boards.ts'
import { readRecord } from '../../shared/docLayout.ts'
import { CLOSE_CODES, SYNC_PATH, isPermanentCloseCode, syncRoomName } from '../../shared/protocol.ts'
import { workshopToken } from '../credentials.ts'
import { getParticipantKey, getUserId } from '../identity.ts'
import { refusalNotice } from './refusalNotice.ts'
import type { Role } from '../../shared/roles.ts'
import { readMergedRecord } from '../../shared/boardParts.ts'
import { internalRoomName, resolveSensitivity } from '../../shared/sensitivity.ts'
import { currentSensitivity, onSensitivityChanged, useWorkshopSensitivity } from '../access/workshopSensitivity.ts'
import { bindStoreToYDoc } from './bindStoreToYDoc.ts'
import { encodeOwnChangesOnly } from './encodeOwnChangesOnly.ts'
import { mergedPartsSource } from './internalParts.ts'
import { trackOfflineEdits } from './offlineEdits.ts'
import { dropWhenSilent } from './dropWhenSilent.ts'
import { refreshableSource } from './refreshableSource.ts'
import { trackSeen } from './seenVersions.ts'
import { bindPresence, readParticipants, type Participant, type PresenceUser } from './presence.ts'
import { customShapeUtils } from './shapes/customShapeUtils.ts'
import { skipRemovedRecordsInCaches } from './removedRecordCaches.ts'

/**
 * What the header shows: `connecting` only before the first connection of this page; `offline`
 * while the browser is offline or the server could not be reached for a few seconds; `full` while
 * the server turns the connection away because the board (or the network) has as many connections
 * as it allows (4503; the provider keeps retrying, so the page gets in when someone leaves).
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'full'

/** This browser's person on the board: tldraw user id (`user:…`), display name, colour. */
export type BoardUser = PresenceUser
export type { Participant }

/** A board's live store and the state of its connection. */
export interface BoardSync {
  /** Null until the board's document is loaded (from this browser or the server). */
  store: TLStore | null
  connection: ConnectionState
  participants: Participant[]
  /** Set when the server refused the board for good (unknown workshop, bad room, token, role). */
  fatalError: string | null
  /** The 44xx close code behind {@link fatalError} (`CLOSE_CODES`), so the page can explain it. */
  closeCode: number | null
  /**
   * Set when the server refused a change of this page (4422) and the board was reloaded from the
   * server: says plainly what happened. Null otherwise.
   */
  notice: string | null
  /**
   * Issue 13, team roles only: the board as a guest's page shows it, bound to the shared document
   * alone ("View as customer"); null for guests and until the board is loaded.
   */
  customerStore: TLStore | null
  /**
   * Call before showing {@link customerStore}: it is bound to the document the first time (until
   * then it takes no remote changes; a hidden second store doubled the work of every remote batch).
   */
  showCustomer: () => void
  /** Hides {@link notice} (its Dismiss button, or Esc). */
  dismissNotice: () => void
  /**
   * True while the board is shown without any content: this device has no copy of it and the
   * server has not answered yet (a board never opened here, reached offline). Its template is not
   * there either, so nothing should be added to it yet (QA q27b: an action added so landed behind
   * a column once the columns came).
   */
  notLoaded: boolean
}

/** How long the page waits before reconnecting after the server said it sent too much (4429). */
const RATE_LIMITED_PAUSE_MS = 5000

/**
 * How long the server may stay out of reach (connections failing or closing, with the provider's
 * backoff of 0.1, 0.2, 0.4, ... 2.5 s between them) before the header says Offline. An open socket
 * that heard nothing for `SILENT_SERVER_MS` (as long) says Offline at once ([S45]).
 */
const UNREACHABLE_AFTER_MS = 4000

/** How long a first visit waits for the server before showing what this browser has. */
const FIRST_SYNC_TIMEOUT_MS = 4000

/** The websocket base URL of this origin's sync endpoint (`ws(s)://host/sync`). */
function syncUrl(): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${protocol}//${window.location.host}${SYNC_PATH}`
}

/** The internal document of a board (issue 13): its own doc, IndexedDB copy and provider. */
function openInternalPart(workshopId: string, board: BoardId, token: string | null | undefined, clientID: number) {
  const roomName = internalRoomName(workshopId, board)
  const doc = new Y.Doc()
  // The shared document's client id: a log entry of either document then names its writer through
  // the shared provider's awareness (offlineEdits.ts). The rooms are separate, so [S29] holds.
  doc.clientID = clientID
  const persistence = new IndexeddbPersistence(`keyplan:${roomName}`, doc)
  const provider = new WebsocketProvider(syncUrl(), roomName, doc, {
    connect: navigator.onLine,
    // [S29] the key holds this page's client ids of the internal document too.
    params: token ? { token, user: getUserId(), key: getParticipantKey() } : { user: getUserId(), key: getParticipantKey() },
    disableBc: true,
  })
  // Presence lives on the shared document's provider only; this one keeps the provider's empty
  // state (no name, no cursor): its renewal every 15 s, which the server relays back to its sender
  // too, is what a quiet room's socket heard before the server's beats ([S45]). With none (a null
  // state) the provider heard nothing and dropped and reopened this socket every 30 s.
  const stopSkippingEncodes = encodeOwnChangesOnly(doc, provider, persistence)
  // [S45] A server that stopped answering: reconnect, as the shared document's provider does.
  const stopSilence = dropWhenSilent(provider)
  return {
    doc,
    provider,
    persistence,
    destroy() {
      stopSilence()
      stopSkippingEncodes()
      provider.destroy()
      void persistence.destroy()
      doc.destroy()
    },
  }
}

/** The tldraw store of a Keyplan board: tldraw's shapes plus the stakeholder and action cards. */
export function createBoardStore(): TLStore {
  const store = createTLStore({
    // A custom util of a default type (the frame) takes the default's place, as in `<Tldraw>`.
    shapeUtils: [...defaultShapeUtils.filter((util) => !customShapeUtils.some((custom) => custom.type === util.type)), ...customShapeUtils],
    bindingUtils: defaultBindingUtils,
  })
  skipRemovedRecordsInCaches(store)
  return store
}

/**
 * Keeps one board live: a Y.Doc per board, persisted in IndexedDB (offline edits survive a
 * reload) and synced with the server over `y-websocket`; the tldraw store bound to it; presence
 * through the provider's awareness.
 */
export function useBoardSync(workshopId: string, board: BoardId, user: BoardUser, role: Role = 'guest'): BoardSync {
  // Issue 13: the team's pages also sync the board's internal document, merged by sensitivity.
  const withInternal = role !== 'guest'
  // Loaded once before the board binds; later changes are followed inside the binding ([C11]).
  const sensitivityLoaded = useWorkshopSensitivity(workshopId, withInternal) !== null
  // Presence reads the user through a signal, so a new name reaches the others without a reconnect.
  const [$user] = useState(() => atom<PresenceUser>('board user', user))
  useEffect(() => {
    $user.set(user)
  }, [$user, user])
  const [state, setState] = useState<Omit<BoardSync, 'dismissNotice'>>({
    store: null,
    connection: 'connecting',
    participants: [],
    fatalError: null,
    closeCode: null,
    notice: null,
    customerStore: null,
    showCustomer: () => {},
    notLoaded: false,
  })
  // Bumped to start over from the server's copy (after a refused change: 4422).
  const [generation, setGeneration] = useState(0)

  useEffect(() => {
    if (withInternal && !sensitivityLoaded) return
    const roomName = syncRoomName(workshopId, board)
    const doc = new Y.Doc()
    const store = createBoardStore()
    const persistence = new IndexeddbPersistence(`keyplan:${roomName}`, doc)
    const token = workshopToken(workshopId)
    const parts = withInternal ? openInternalPart(workshopId, board, token, doc.clientID) : null
    // [S29] `user` and the secret `key` let this participant's next connection take over the Yjs
    // client id of this one (the server may still hold it until its ping times out), and keep
    // anyone else from writing with it, even after this page left. No BroadcastChannel: tabs would
    // forward each other's changes, which the server refuses as another connection's client id.
    const provider = new WebsocketProvider(syncUrl(), roomName, doc, {
      connect: navigator.onLine,
      params: token ? { token, user: getUserId(), key: getParticipantKey() } : { user: getUserId(), key: getParticipantKey() },
      disableBc: true,
    })
    const stopSkippingEncodes = encodeOwnChangesOnly(doc, provider, persistence)
    // [S42] a snapshot saved from this page waits for what this page wrote.
    const stopSeen = [trackSeen(workshopId, board, 'shared', doc), ...(parts ? [trackSeen(workshopId, board, 'internal', parts.doc)] : [])]
    let disposed = false
    let everConnected = false
    let shown = false
    let refused = false

    const update = (patch: Partial<BoardSync>) => {
      if (!disposed) setState((previous) => ({ ...previous, ...patch }))
    }

    // One peer's bad record must not stop the board: the binding skips it and tells us.
    const onInvalidRecord = (id: string, error: Error) => console.warn(`[keyplan] skipped invalid record ${id} on ${roomName}:`, error.message)
    // [C11] the merge and the routing of writes read the workshop's sensitivity as it is now: a
    // change pushed while the board is open applies to the next write, and the board is read again.
    let sensitivity = currentSensitivity(workshopId) ?? resolveSensitivity(undefined)
    const merged = parts ? refreshableSource(mergedPartsSource(doc, parts.doc, () => sensitivity)) : null
    const stopSensitivity = merged
      ? onSensitivityChanged(workshopId, (next) => {
          sensitivity = next
          merged.refresh()
        })
      : () => {}
    const unbind = bindStoreToYDoc(store, doc, { onInvalidRecord, ...(merged ? { source: merged.source } : {}) })
    // "View as customer": the shared document alone, exactly what a guest's page binds.
    const customerStore = parts ? createBoardStore() : null
    let unbindCustomer = () => {}
    let customerBound = false
    const showCustomer = () => {
      if (!customerStore || customerBound || disposed) return
      customerBound = true
      unbindCustomer = bindStoreToYDoc(customerStore, doc, { onInvalidRecord })
    }

    const unbindPresence = bindPresence({ store, awareness: provider.awareness, user: $user })
    // Offline edits that lose to a newer edit are announced once the board is synced again.
    const offlineEdits = trackOfflineEdits(store, parts ? [doc, parts.doc] : [doc], provider.awareness, (id) =>
      parts ? readMergedRecord(doc, parts.doc, id, sensitivity) : readRecord(doc, id).record,
    )
    parts?.provider.on('sync', (synced) => {
      if (synced) offlineEdits.synced(parts.doc)
    })
    parts?.provider.on('status', ({ status }) => {
      if (status !== 'connected') offlineEdits.disconnected(parts.doc)
    })
    const onAwareness = () => update({ participants: readParticipants(provider.awareness) })
    provider.awareness.on('change', onAwareness)

    // Show the board once it holds something: the server's copy, or this browser's copy, or
    // (first visit while offline) an empty board after a short wait.
    const show = () => {
      if (disposed) return
      const notLoaded = doc.store.clients.size === 0 && !provider.synced
      if (shown) {
        // Shown empty before, and the content has come: the board is there now.
        if (!notLoaded) update({ notLoaded: false })
        return
      }
      shown = true
      update({ store, customerStore, showCustomer, notLoaded })
    }
    const timeout = window.setTimeout(show, FIRST_SYNC_TIMEOUT_MS)
    provider.on('sync', (synced) => {
      if (!synced) return
      show()
      offlineEdits.synced(doc)
    })
    void persistence.whenSynced.then(() => {
      if (doc.store.clients.size > 0) show()
    })

    // Set by a 4503 close, until a connection is accepted again.
    let full = false
    // Set once the server could not be reached for UNREACHABLE_AFTER_MS, until a connection opens.
    let unreachable = false
    let unreachableTimer: number | undefined
    const connectionState = (status: 'connected' | 'connecting' | 'disconnected'): ConnectionState => {
      if (status === 'connected') return 'connected'
      if (!navigator.onLine) return 'offline'
      if (full) return 'full'
      if (unreachable) return 'offline'
      return everConnected ? 'reconnecting' : 'connecting'
    }
    // A stopped server looks like any dropped connection: the provider retries for ever (its
    // status goes connecting, connecting, ...) and the browser still says it is online. After a
    // short grace the header says Offline, so no one believes their edits are being shared.
    const watchReachability = (status: 'connected' | 'connecting' | 'disconnected') => {
      if (status === 'connected') {
        window.clearTimeout(unreachableTimer)
        unreachableTimer = undefined
        unreachable = false
        return
      }
      if (unreachable || unreachableTimer !== undefined) return
      unreachableTimer = window.setTimeout(() => {
        unreachableTimer = undefined
        // Not while the page itself holds off (offline, a 4429 pause, a refusal): only a provider
        // that keeps trying and gets nowhere.
        if (disposed || provider.wsconnected || !provider.shouldConnect) return
        unreachable = true
        update({ connection: connectionState('connecting') })
      }, UNREACHABLE_AFTER_MS)
    }
    provider.on('status', ({ status }) => {
      // Before the peers' changes this connection brings: cards added offline give way to theirs.
      noteBoardConnection(store, status === 'connected')
      if (status === 'connected') {
        everConnected = true
        full = false
      } else {
        offlineEdits.disconnected(doc)
      }
      watchReachability(status)
      update({ connection: connectionState(status) })
    })
    const onClose = (event: CloseEvent | null) => {
      if (event?.code === CLOSE_CODES.updateRefused) {
        // [S26] The server refused a change of ours: this copy holds it, so drop the copy (memory
        // and IndexedDB) and load the board afresh from the server.
        refused = true
        provider.disconnect()
        update({
          connection: 'reconnecting',
          notice: refusalNotice(event.reason),
        })
        void persistence.clearData().finally(() => {
          if (!disposed) setGeneration((g) => g + 1)
        })
        return
      }
      if (event?.code === CLOSE_CODES.rateLimited) {
        // [S28] Sent too much too fast: pause, then reconnect (the provider stops on 44xx).
        update({ connection: 'reconnecting' })
        window.setTimeout(() => {
          if (!disposed && !refused && navigator.onLine) provider.connect()
        }, RATE_LIMITED_PAUSE_MS)
        return
      }
      if (event?.code === CLOSE_CODES.tooManyConnections) {
        full = true
        update({ connection: 'full' })
      }
      if (event && isPermanentCloseCode(event.code)) {
        refused = true
        // [A6] a board that became internal keeps no copy in a guest's browser.
        if (event.code === CLOSE_CODES.forbidden) void persistence.clearData()
        update({ fatalError: event.reason || 'The server refused this board.', closeCode: event.code })
      }
    }
    provider.on('connection-close', onClose)
    // [S45] An open socket that hears nothing (not even the server's beats): the server stopped
    // answering, as long as a server out of reach says Offline; the socket is dropped and the
    // provider reconnects, which succeeds once the server answers again.
    const stopSilence = dropWhenSilent(provider, () => {
      unreachable = true
    })
    // A refused change of the internal document reloads the board as one of the shared one does.
    parts?.provider.on('connection-close', (event) => {
      if (event?.code === CLOSE_CODES.updateRefused) {
        void parts.persistence.clearData()
        onClose(event)
      }
    })

    // Chromium keeps an open websocket alive when the network goes away (and tests emulate
    // offline the same way), so follow the browser's own online state: stop syncing while
    // offline (edits stay in the Y.Doc and IndexedDB) and reconnect as soon as it is back.
    const onOffline = () => {
      offlineEdits.disconnected(doc)
      if (parts) offlineEdits.disconnected(parts.doc)
      provider.disconnect()
      parts?.provider.disconnect()
      update({ connection: 'offline' })
    }
    const onOnline = () => {
      if (refused) return
      update({ connection: everConnected ? 'reconnecting' : 'connecting' })
      provider.connect()
      parts?.provider.connect()
    }
    window.addEventListener('offline', onOffline)
    window.addEventListener('online', onOnline)
    if (!navigator.onLine) update({ connection: 'offline' })

    return () => {
      disposed = true
      window.clearTimeout(timeout)
      window.clearTimeout(unreachableTimer)
      stopSilence()
      window.removeEventListener('offline', onOffline)
      window.removeEventListener('online', onOnline)
      provider.awareness.off('change', onAwareness)
      unbindPresence()
      stopSensitivity()
      offlineEdits.stop()
      unbind()
      unbindCustomer()
      stopSkippingEncodes()
      // A copy the server refused is dropped, and with it what it wrote.
      for (const stop of stopSeen) stop({ keep: !refused })
      provider.destroy()
      void persistence.destroy()
      doc.destroy()
      parts?.destroy()
      // A reload after a refused change keeps its notice.
      setState((previous) => ({
        store: null,
        connection: 'connecting',
        participants: [],
        fatalError: null,
        closeCode: null,
        notice: previous.notice,
        customerStore: null,
        showCustomer: () => {},
        notLoaded: false,
      }))
    }
  }, [workshopId, board, $user, generation, withInternal, sensitivityLoaded])

  const dismissNotice = useCallback(() => setState((previous) => ({ ...previous, notice: null })), [])
  // One object per state, as before: effects and memos that depend on the sync run when it changes, not on every render.
  return useMemo(() => ({ ...state, dismissNotice }), [state, dismissNotice])
}

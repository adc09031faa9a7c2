import { noteBoardConnection } from './newCardsApart.ts'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { atom, createTLStore, defaultBindingUtils, defaultShapeUtils, type TLStore } from 'tldraw'
import * as Y from 'yjs'
import type { BoardId } from '../../shared/boards.ts'
import { readRecord } from '../../shared/docLayout.ts'
import { CLOSE_CODES, syncRoomName } from '../../shared/protocol.ts'
import { refusalNotice, replayNotice } from './refusalNotice.ts'
import { noteWithdrawnTexts, refusalReplayOf, storeCaughtUp, type UnsentText } from './replayAfterRefusal.ts'
import { fieldBeingTyped } from './UnsentChanges.tsx'
import type { Role } from '../../shared/roles.ts'
import { readMergedRecord } from '../../shared/boardParts.ts'
import { internalRoomName, isInternalField, resolveSensitivity } from '../../shared/sensitivity.ts'
import { currentSensitivity, loadSensitivity, onSensitivityChanged, useWorkshopSensitivity } from '../access/workshopSensitivity.ts'
import { bindStoreToYDoc } from './bindStoreToYDoc.ts'
import { followServerCloses } from './followServerCloses.ts'
import { mergedPartsSource } from './internalParts.ts'
import { openBoardPart, type BoardPart } from './openBoardPart.ts'
import { trackOfflineEdits } from './offlineEdits.ts'
import { refreshableSource } from './refreshableSource.ts'
import { holdOpen, sendBeforeClosing } from './sendUnsent.ts'
import { trackSeen } from './seenVersions.ts'
import { bindPresence, readParticipants, type Participant, type PresenceUser } from './presence.ts'
import { customShapeUtils } from './shapes/customShapeUtils.ts'
import { skipRemovedRecordsInCaches } from './removedRecordCaches.ts'
import { clearUnsent, trackUnsent } from './unsentEdits.ts'

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
  /**
   * What this person changed on the board that had not reached the server when it was withdrawn
   * from them (4403: made internal while a guest was offline), in their own words, to copy: the
   * page drops its copy ([A6]) and with it these changes (QA q30a). Empty otherwise.
   */
  unsent: readonly UnsentText[]
}

/**
 * How long the server may stay out of reach (connections failing or closing, with the provider's
 * backoff of 0.1, 0.2, 0.4, ... 2.5 s between them) before the header says Offline. An open socket
 * that heard nothing for `SILENT_SERVER_MS` (as long) says Offline at once ([S45]).
 */
const UNREACHABLE_AFTER_MS = 4000

/** How often the replay of a refused copy's changes looks whether the store caught up with the fresh copy, and how many times at most. */
const REPLAY_AFTER_MS = 50
const REPLAY_WAIT_TRIES = 60

/** How long a first visit waits for the server before showing what this browser has. */
const FIRST_SYNC_TIMEOUT_MS = 4000

/** The internal document of a board (issue 13): its own doc, IndexedDB copy and provider. */
function openInternalPart(workshopId: string, board: BoardId, clientID: number): BoardPart {
  // The shared document's client id: a log entry of either document then names its writer through
  // the shared provider's awareness (offlineEdits.ts). The rooms are separate, so [S29] holds.
  // Presence lives on the shared document's provider only; this one keeps the provider's empty
  // state (no name, no cursor): its renewal every 15 s, which the server relays back to its sender
  // too, is what a quiet room's socket heard before the server's beats ([S45]). With none (a null
  // state) the provider heard nothing and dropped and reopened this socket every 30 s. A server that
  // stopped answering is noticed as on the shared document's provider (openBoardPart, [S45]).
  return openBoardPart(workshopId, internalRoomName(workshopId, board), { clientID })
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
    unsent: [],
  })
  // Bumped to start over from the server's copy (after a refused change: 4422).
  const [generation, setGeneration] = useState(0)

  useEffect(() => {
    if (withInternal && !sensitivityLoaded) return
    const roomName = syncRoomName(workshopId, board)
    const store = createBoardStore()
    // [S45] A server that stopped answering, noticed on the open socket: the header says Offline at once.
    const main = openBoardPart(workshopId, roomName, {
      onSilent: () => {
        unreachable = true
      },
    })
    const { doc, provider, persistence } = main
    const parts = withInternal ? openInternalPart(workshopId, board, doc.clientID) : null
    // [S44] a part this page changed while the server may not have the change is marked until it
    // has; one left so stays open in the background until it is sent (sendUnsent.ts).
    const unsent = new Map([main, ...(parts ? [parts] : [])].map((part) => [part, trackUnsent(part)]))
    const releases = [...unsent.keys()].map((part) => holdOpen(part.roomName))
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
          offlineEdits.sensitivityChanged()
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
    const offlineEdits = trackOfflineEdits(
      store,
      parts ? [doc, parts.doc] : [doc],
      provider.awareness,
      (id) => (parts ? readMergedRecord(doc, parts.doc, id, sensitivity) : readRecord(doc, id).record),
      (type, prop) => parts !== null && isInternalField(sensitivity, type, prop),
    )
    // A refused change costs only itself: what this person made since the board was last
    // confirmed is made again on the fresh copy (replayAfterRefusal.ts).
    const replay = refusalReplayOf(roomName)
    const stopReplay = replay.follow(store)
    const unsyncedDocs = new Set<Y.Doc>(parts ? [doc, parts.doc] : [doc])
    const docSynced = (synced: Y.Doc) => {
      // A part left with unsent edits stays connected for a while (sendUnsent.ts): not this page's any more.
      if (disposed) return
      offlineEdits.synced(synced)
      if (!unsyncedDocs.delete(synced) || unsyncedDocs.size > 0) return
      replay.synced()
      if (replay.waiting) void replayRefused()
    }
    const docDisconnected = (gone: Y.Doc) => {
      if (disposed) return
      offlineEdits.disconnected(gone)
      unsyncedDocs.add(gone)
      replay.disconnected()
    }
    // Once the fresh copy holds the server's state and the sensitivity is read again (the binding
    // routes by it), after the frame the binding applies it in.
    const replayRefused = async () => {
      const reason = replay.reason
      try {
        const now = await loadSensitivity(workshopId)
        replay.takeCopy({ shared: doc, internal: parts?.doc ?? null }, (shared, internal, id) =>
          internal ? readMergedRecord(shared, internal, id, sensitivity) : readRecord(shared, id).record,
        )
        // The refused copy held nothing more than the fresh one: nothing to make again.
        if (!replay.waiting) {
          update({ notice: refusalNotice(reason) })
          return
        }
        const inDocuments = (id: string) => (parts ? readMergedRecord(doc, parts.doc, id, sensitivity) : readRecord(doc, id).record) !== null
        for (let tries = 0; tries < REPLAY_WAIT_TRIES && !disposed && !storeCaughtUp(store, replay.waitingIds, inDocuments); tries++) {
          await new Promise((resolve) => window.setTimeout(resolve, REPLAY_AFTER_MS))
        }
        if (disposed) return
        const { leftOut } = replay.replay(store, withInternal ? null : now)
        update({ notice: replayNotice(reason, leftOut, withInternal) })
      } catch (error) {
        // Not made again: say what the refusal said, as before the replay.
        console.warn('[keyplan] could not make the refused copy\'s changes again:', error)
        update({ notice: refusalNotice(reason) })
      }
    }
    parts?.provider.on('sync', (synced) => {
      if (synced) docSynced(parts.doc)
    })
    parts?.provider.on('status', ({ status }) => {
      if (status !== 'connected') docDisconnected(parts.doc)
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
      docSynced(doc)
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
      // A part left with unsent edits stays connected for a while (sendUnsent.ts): not this page's any more.
      if (disposed) return
      // Before the peers' changes this connection brings: cards added offline give way to theirs.
      noteBoardConnection(store, status === 'connected')
      if (status === 'connected') {
        everConnected = true
        full = false
      } else {
        docDisconnected(doc)
      }
      watchReachability(status)
      update({ connection: connectionState(status) })
    })
    const mayReconnect = () => !disposed && !refused && navigator.onLine
    // [S26] The server refused a change of ours: this copy holds it, so drop the copy (memory and
    // IndexedDB) and load the board afresh from the server.
    const reload = (event: CloseEvent, cleared: Promise<unknown>) => {
      // Once per copy: both parts refused in one go reload it once (review of session 31).
      if (refused) return
      refused = true
      // What this page had not sent is gone with the copy.
      for (const part of unsent.keys()) clearUnsent(part.roomName, null)
      // The copy's documents as they are: what it held that the journal does not know is found once
      // the fresh copy synced (edits of an earlier visit, or of a tab since closed).
      replay.refused(event.reason, { shared: Y.encodeStateAsUpdate(doc), internal: parts ? Y.encodeStateAsUpdate(parts.doc) : null })
      // With changes to make again, the notice comes once they are made, saying what was kept.
      update(replay.waiting ? { connection: 'reconnecting' } : { connection: 'reconnecting', notice: refusalNotice(event.reason) })
      void cleared.finally(() => {
        if (!disposed) setGeneration((g) => g + 1)
      })
    }
    const stopFollowingCloses = [
      followServerCloses(main, {
        refused: reload,
        // [S28] Sent too much too fast: the part reconnects after a pause.
        rateLimited: () => update({ connection: 'reconnecting' }),
        full: () => {
          full = true
          update({ connection: 'full' })
        },
        stopped: (event) => {
          refused = true
          if (event.code === CLOSE_CODES.forbidden) clearUnsent(roomName, null)
          // [A6] the copy is dropped on 4403, and with it what this person had not sent: listed to copy.
          const typing = event.code === CLOSE_CODES.forbidden ? fieldBeingTyped() : null
          const unsentTexts = event.code === CLOSE_CODES.forbidden ? [...replay.unsentTexts(), ...(typing ? [typing] : [])] : []
          if (event.code === CLOSE_CODES.forbidden) noteWithdrawnTexts(roomName, unsentTexts)
          update({ fatalError: event.reason || 'The server refused this board.', closeCode: event.code, unsent: unsentTexts })
        },
        mayReconnect,
      }),
      // A refused change of the internal document reloads the board as one of the shared one does.
      ...(parts
        ? [
            followServerCloses(parts, {
              refused: (event, cleared) => {
                provider.disconnect()
                reload(event, Promise.allSettled([cleared, persistence.clearData()]))
              },
              stopped: (event) => {
                if (event.code === CLOSE_CODES.forbidden) clearUnsent(parts.roomName, null)
              },
              mayReconnect,
            }),
          ]
        : []),
    ]

    // Chromium keeps an open websocket alive when the network goes away (and tests emulate
    // offline the same way), so follow the browser's own online state: stop syncing while
    // offline (edits stay in the Y.Doc and IndexedDB) and reconnect as soon as it is back.
    const onOffline = () => {
      docDisconnected(doc)
      if (parts) docDisconnected(parts.doc)
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
      window.removeEventListener('offline', onOffline)
      window.removeEventListener('online', onOnline)
      provider.awareness.off('change', onAwareness)
      unbindPresence()
      stopSensitivity()
      offlineEdits.stop()
      stopReplay()
      unbind()
      unbindCustomer()
      for (const stop of stopFollowingCloses) stop()
      // A copy the server refused is dropped, and with it what it wrote.
      for (const stop of stopSeen) stop({ keep: !refused })
      for (const release of releases) release()
      for (const [part, tracker] of unsent) {
        if (!refused && tracker.pending()) {
          sendBeforeClosing(part, tracker)
        } else {
          tracker.stop()
          part.destroy()
        }
      }
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
        unsent: previous.unsent,
      }))
    }
  }, [workshopId, board, $user, generation, withInternal, sensitivityLoaded])

  const dismissNotice = useCallback(() => setState((previous) => ({ ...previous, notice: null })), [])
  // One object per state, as before: effects and memos that depend on the sync run when it changes, not on every render.
  return useMemo(() => ({ ...state, dismissNotice }), [state, dismissNotice])
}

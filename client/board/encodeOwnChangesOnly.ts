import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type { IndexeddbPersistence } from 'y-indexeddb'
import { messageSync, type WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'

/**
 * Keeps Yjs from re-encoding the changes a board's page receives (issue 14).
 *
 * Yjs encodes every transaction back into an update as soon as the document has an `update`
 * listener, and a board's document has two: the provider's (to send local changes; it ignores its
 * own) and y-indexeddb's (to store every change). For a remote batch that re-encode ran in the
 * same task as the decode: ~16 ms of 1,000 remote moves, ~39 ms of 1,000 creates, and garbage.
 * Here:
 * - the two listeners are taken off the document and put back only around the transactions that
 *   were not received through `provider` (this page's edits, IndexedDB's load, a reload's merge),
 *   so those are encoded once, sent and stored exactly as before;
 * - what the provider receives (sync step 2 and updates) is stored in IndexedDB as the bytes that
 *   came in, once Yjs has applied them without error. Yjs applies an update idempotently, so the
 *   stored copy loads into the same document. It is stored in a task after the next frame (at the
 *   latest {@link STORE_RECEIVED_WITHIN_MS} later, and at once when the page is hidden or the board
 *   closed), not in the task that received it: the frame that shows the change does not wait for
 *   IndexedDB (2–6 ms of 1,000 remote moves, fifteenth session). What was received is the
 *   server's, stored there before it was sent ([S1]); this page's own changes are still stored as
 *   they are made.
 *
 * Call once, right after creating the provider and the persistence of `doc`. Returns a function
 * that undoes it (before destroying them).
 */
export function encodeOwnChangesOnly(doc: Y.Doc, provider: WebsocketProvider, persistence: IndexeddbPersistence): () => void {
  const received = receivedStore(persistence, provider)
  // y-websocket and y-indexeddb declare these handlers on their classes (`_updateHandler`,
  // `_storeUpdate`); they are the document's only `update` listeners.
  const send = provider._updateHandler
  const store = persistence._storeUpdate
  const forward = (update: Uint8Array, origin: unknown) => {
    send(update, origin)
    store(update, origin)
  }
  doc.off('update', send)
  doc.off('update', store)

  // Yjs checks for `update` listeners right after `afterTransactionCleanup`, once per transaction.
  let listening = false
  const listenFor = (tr: Y.Transaction) => {
    const wanted = tr.origin !== provider
    if (wanted && !listening) doc.on('update', forward)
    if (!wanted && listening) doc.off('update', forward)
    listening = wanted
  }
  const stopListening = () => {
    if (listening) doc.off('update', forward)
    listening = false
  }
  doc.on('afterTransactionCleanup', listenFor)
  doc.on('afterAllTransactions', stopListening)

  // y-websocket's sync handler, plus: the update's bytes go to IndexedDB once they applied cleanly.
  const original = provider.messageHandlers[messageSync]
  provider.messageHandlers[messageSync] = (encoder, decoder, from, emitSynced) => {
    encoding.writeVarUint(encoder, messageSync)
    const peek = decoding.clone(decoder)
    const update = decoding.readVarUint(peek) === syncProtocol.messageYjsSyncStep1 ? null : decoding.readVarUint8Array(peek)
    let failed = false
    const type = syncProtocol.readSyncMessage(decoder, encoder, from.doc, from, () => {
      failed = true
    })
    // Stored with the provider as origin, as the `update` listener would have been called, and
    // not once the persistence is destroyed ({@link receivedStore}).
    if (update && !failed) received.add(update.slice())
    if (emitSynced && type === syncProtocol.messageYjsSyncStep2 && !from.synced) from.synced = true
  }

  return () => {
    received.stop()
    doc.off('afterTransactionCleanup', listenFor)
    doc.off('afterAllTransactions', stopListening)
    stopListening()
    if (original) provider.messageHandlers[messageSync] = original
    doc.on('update', send)
    doc.on('update', store)
  }
}

/** The longest a received update waits to be stored (a hidden page draws no frames). */
export const STORE_RECEIVED_WITHIN_MS = 1000

/**
 * Stores received updates in IndexedDB in the order they came, in a task after the next frame
 * (whose animation-frame callbacks show them on the canvas), or {@link STORE_RECEIVED_WITHIN_MS}
 * later when no frame comes; at once when the page is hidden (it may be closed next) and when
 * stopped (before the persistence is destroyed).
 */
function receivedStore(persistence: IndexeddbPersistence, provider: WebsocketProvider) {
  let pending: Uint8Array[] = []
  let frame: number | undefined
  let afterFrame: number | undefined
  let fallback: number | undefined
  const cancel = () => {
    if (frame !== undefined) cancelAnimationFrame(frame)
    window.clearTimeout(afterFrame)
    window.clearTimeout(fallback)
    frame = afterFrame = fallback = undefined
  }
  const flush = () => {
    cancel()
    const updates = pending
    pending = []
    // Not once the persistence is destroyed (its listener would have been gone): a refused change
    // (4422, [S26]) clears the copy while the socket may still deliver.
    if (persistence._destroyed) return
    for (const update of updates) persistence._storeUpdate(update, provider)
  }
  const onHidden = () => {
    if (document.visibilityState === 'hidden') flush()
  }
  window.addEventListener('pagehide', flush)
  document.addEventListener('visibilitychange', onHidden)
  return {
    add(update: Uint8Array) {
      pending.push(update)
      if (fallback !== undefined) return
      frame = requestAnimationFrame(() => {
        frame = undefined
        afterFrame = window.setTimeout(flush, 0)
      })
      fallback = window.setTimeout(flush, STORE_RECEIVED_WITHIN_MS)
    },
    stop() {
      flush()
      window.removeEventListener('pagehide', flush)
      document.removeEventListener('visibilitychange', onHidden)
    },
  }
}

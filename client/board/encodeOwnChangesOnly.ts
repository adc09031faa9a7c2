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
 *   stored copy loads into the same document.
 *
 * Call once, right after creating the provider and the persistence of `doc`. Returns a function
 * that undoes it (before destroying them).
 */
export function encodeOwnChangesOnly(doc: Y.Doc, provider: WebsocketProvider, persistence: IndexeddbPersistence): () => void {
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
    // Stored with the provider as origin, as the `update` listener would have been called; not
    // once the persistence is destroyed (its listener would have been gone: a refused change
    // clears the copy while the socket may still deliver).
    if (update && !failed && !persistence._destroyed) store(update.slice(), from)
    if (emitSynced && type === syncProtocol.messageYjsSyncStep2 && !from.synced) from.synced = true
  }

  return () => {
    doc.off('afterTransactionCleanup', listenFor)
    doc.off('afterAllTransactions', stopListening)
    stopListening()
    if (original) provider.messageHandlers[messageSync] = original
    doc.on('update', send)
    doc.on('update', store)
  }
}

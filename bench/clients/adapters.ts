import { HocuspocusProvider } from '@hocuspocus/provider'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { Endpoint } from './protocol.ts'
import { withTimeout } from './wait.ts'

/**
 * One simulated user: a Y.Doc kept in sync with a room by a real provider. Scenarios are
 * written against this interface once and run against every server.
 */
export interface SyncClient {
  doc: Y.Doc
  /** Resolves on the first sync with the server (step 2 received). */
  synced: Promise<void>
  /** Times the connection closed after having been open (server closed it, or it died). */
  drops(): number
  /**
   * From now on, document updates the server sends (sync step 2 and update messages, once
   * synced) go to `sink` as the raw Yjs update instead of being applied by the provider; the
   * caller applies them (e.g. several in one transaction). Everything else the provider handles
   * as before. Used by the throughput scenario to keep the client processes' cost per delivery low.
   */
  deferUpdates(sink: (update: Uint8Array) => void): void
  /**
   * Applies deferred updates in one transaction whose origin is the provider, as the provider's
   * own would be (so it does not send them back to the server).
   */
  applyUpdates(updates: readonly Uint8Array[]): void
  destroy(): void
}

/** Applies `updates` to `doc` in one transaction with `origin`. */
function applyAll(doc: Y.Doc, updates: readonly Uint8Array[], origin: unknown): void {
  // Y.applyUpdate inside a transaction joins it: one cleanup, one observer call, one 'update' event.
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update)
  }, origin)
}

/** y-protocols' sync message types that carry a document update (step 2 and update). */
const SYNC_STEP_2 = 1
const SYNC_UPDATE = 2

/**
 * Reads a y-protocols sync message at `decoder`: its update if it carries one, else null with
 * the decoder left where it was (a step 1 goes to the provider).
 */
function takeSyncUpdate(decoder: decoding.Decoder): Uint8Array | null {
  const syncType = decoding.peekVarUint(decoder)
  if (syncType !== SYNC_STEP_2 && syncType !== SYNC_UPDATE) return null
  decoding.readVarUint(decoder)
  return decoding.readVarUint8Array(decoder)
}

/** Connects a client to `room` on the endpoint's server. */
export function connect(endpoint: Endpoint, room: string, doc: Y.Doc = new Y.Doc()): SyncClient {
  return endpoint.protocol === 'y-websocket' ? connectYWebsocket(endpoint.wsUrl, room, doc) : connectHocuspocus(endpoint.wsUrl, room, doc)
}

function connectYWebsocket(wsUrl: string, room: string, doc: Y.Doc): SyncClient {
  // disableBc: Node 20 has a BroadcastChannel that would sync providers of this process
  // directly, bypassing the server under test.
  const provider = new WebsocketProvider(wsUrl, room, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true }) // ws is API-compatible; its types differ from the DOM's
  let drops = 0
  let wasOpen = false
  provider.on('status', ({ status }) => {
    if (status === 'connected') wasOpen = true
    if (status === 'disconnected' && wasOpen) drops++
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) return resolve()
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return
      provider.off('sync', onSync)
      resolve()
    }
    provider.on('sync', onSync)
  })
  const MESSAGE_SYNC = 0 // y-websocket's message type of sync messages
  const handleSync = provider.messageHandlers[MESSAGE_SYNC]
  return {
    doc,
    synced,
    drops: () => drops,
    deferUpdates: (sink) => {
      if (!handleSync) throw new Error('y-websocket provider without a sync message handler')
      // The provider's own table of handlers (a copy per provider): an update is handed over,
      // anything else (and a resync after a reconnect) is the provider's as before.
      provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, messageType) => {
        const update = p.synced ? takeSyncUpdate(decoder) : null
        if (update) sink(update)
        else handleSync(encoder, decoder, p, emitSynced, messageType)
      }
    },
    applyUpdates: (updates) => applyAll(doc, updates, provider),
    destroy: () => provider.destroy(),
  }
}

function connectHocuspocus(wsUrl: string, room: string, doc: Y.Doc): SyncClient {
  let drops = 0
  let wasOpen = false
  let resolveSynced: () => void = () => {}
  const synced = new Promise<void>((resolve) => (resolveSynced = resolve))
  // One provider per socket, like a browser tab, so both protocols open one socket per user.
  const provider = new HocuspocusProvider({
    url: wsUrl,
    name: room,
    document: doc,
    WebSocketPolyfill: WebSocket,
    onSynced: ({ state }) => state && resolveSynced(),
    onStatus: ({ status }) => {
      if (status === 'connected') wasOpen = true
      if (status === 'disconnected' && wasOpen) drops++
    },
  } as ConstructorParameters<typeof HocuspocusProvider>[0]) // WebSocketPolyfill is passed on to the socket it creates but missing from the provider's type
  const MESSAGE_SYNC = 0 // Hocuspocus's message type of sync messages
  const onMessage = provider.onMessage.bind(provider)
  return {
    doc,
    synced,
    drops: () => drops,
    deferUpdates: (sink) => {
      // The provider's socket calls its provider's onMessage per message: a message is the
      // document's name, the message type, then (for sync) the y-protocols sync message.
      provider.onMessage = (event: MessageEvent) => {
        if (provider.synced) {
          const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer)) // the provider reads it the same way (IncomingMessage)
          decoding.readVarString(decoder)
          if (decoding.readVarUint(decoder) === MESSAGE_SYNC) {
            const update = takeSyncUpdate(decoder)
            if (update) return sink(update)
          }
        }
        onMessage(event)
      }
    },
    applyUpdates: (updates) => applyAll(doc, updates, provider),
    destroy: () => provider.destroy(),
  }
}

/** Connects `count` clients to `room` and waits until all are synced (or `timeoutMs`). */
export async function connectMany(endpoint: Endpoint, room: string, count: number, timeoutMs = 30_000): Promise<SyncClient[]> {
  const clients = Array.from({ length: count }, () => connect(endpoint, room))
  await withTimeout(Promise.all(clients.map((c) => c.synced)), timeoutMs, `${count} clients of ${room} to sync`)
  return clients
}

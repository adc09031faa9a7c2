import { HocuspocusProvider } from '@hocuspocus/provider'
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
  destroy(): void
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
  return {
    doc,
    synced,
    drops: () => drops,
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
  return {
    doc,
    synced,
    drops: () => drops,
    destroy: () => provider.destroy(),
  }
}

/** Connects `count` clients to `room` and waits until all are synced (or `timeoutMs`). */
export async function connectMany(endpoint: Endpoint, room: string, count: number, timeoutMs = 30_000): Promise<SyncClient[]> {
  const clients = Array.from({ length: count }, () => connect(endpoint, room))
  await withTimeout(Promise.all(clients.map((c) => c.synced)), timeoutMs, `${count} clients of ${room} to sync`)
  return clients
}

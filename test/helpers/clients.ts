/**
 * Sync clients for integration tests: real `y-websocket` providers over `ws` (with
 * `disableBc: true`, or Node's BroadcastChannel would sync providers without the server), and a
 * raw websocket for hostile frames.
 */
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { defaultTokens } from './startServer.ts'
import { entries } from './testEntries.ts'

// Each open y-websocket provider listens for the process's exit (to close its socket): a test with
// a workshop's boards open (two documents each) holds more than Node's default of 10 at once.
process.setMaxListeners(Math.max(process.getMaxListeners(), 100))

export type TestClient = {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves on the provider's first `sync` (it has the server's whole doc). */
  synced: Promise<void>
  destroy(): void
}

/** `ws` connecting from `localAddress` (any of 127.0.0.0/8 reaches a server on 127.0.0.1): another client address. */
function webSocketFrom(localAddress: string): unknown {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { localAddress })
    }
  }
}

/**
 * Connects a provider to `syncUrl` (`ws://host:port/sync`) for `room` (`<workshopId>/<board>`).
 * Pass `doc` to reuse one; pass provider options through `options`; `localAddress` connects from
 * another loopback address (e.g. `127.0.0.2`). Without `params`, the team token of a workshop
 * created by the test helpers is sent (see `startServer.ts`).
 */
export function connectClient(
  syncUrl: string,
  room: string,
  options: { doc?: Y.Doc; params?: Record<string, string>; shouldReconnect?: (event: CloseEvent) => boolean; localAddress?: string } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc()
  const provider = new WebsocketProvider(syncUrl, room, doc, {
    // ws implements the browser API the provider uses
    WebSocketPolyfill: (options.localAddress === undefined ? WebSocket : webSocketFrom(options.localAddress)) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: options.params ?? defaultParams(room),
    ...(options.shouldReconnect ? { shouldReconnect: options.shouldReconnect } : {}),
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    else provider.once('sync', () => resolve())
  })
  return {
    doc,
    provider,
    synced,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Connects and waits for the first sync. */
export async function connectSynced(syncUrl: string, room: string, options: Parameters<typeof connectClient>[2] = {}): Promise<TestClient> {
  const client = connectClient(syncUrl, room, options)
  await client.synced
  return client
}

/**
 * Polls `predicate` until it is true; rejects with `message` after `timeoutMs` (a safety net
 * against hangs, not a timing assertion: keep it generous).
 */
export async function waitFor(predicate: () => boolean, message = 'condition', timeoutMs = 20_000): Promise<void> {
  const start = Date.now()
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${message}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Resolves with the code and reason of the next close the provider hears from the server. */
export function nextClose(provider: WebsocketProvider): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    const listener = (event: CloseEvent | null) => {
      if (event === null) return
      provider.off('connection-close', listener)
      resolve({ code: event.code, reason: event.reason })
    }
    provider.on('connection-close', listener)
  })
}

/** A bare websocket for sending hand-made frames. */
export type RawClient = {
  ws: WebSocket
  /** Binary frames received so far. */
  received: Uint8Array[]
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
  send(data: Uint8Array | string): void
}

function defaultParams(room: string): Record<string, string> {
  const token = defaultTokens.get(room.split('/')[0] ?? '')
  return token === undefined ? {} : { token }
}

/**
 * Opens a raw websocket to `url` (e.g. `ws://host:port/sync/<id>/swot`); `options` go to `ws`
 * (e.g. `{ autoPong: false }` for a peer that ignores pings). A URL without a `token` parameter
 * gets the team token of its workshop if the test helpers created it, unless `defaultToken: false`.
 */
export function rawClient(url: string, options: WebSocket.ClientOptions & { defaultToken?: boolean } = {}): RawClient {
  const { defaultToken = true, ...wsOptions } = options
  const target = new URL(url)
  const token = defaultTokens.get(target.pathname.split('/')[2] ?? '')
  if (defaultToken && token !== undefined && !target.searchParams.has('token')) target.searchParams.set('token', token)
  const ws = new WebSocket(target, wsOptions)
  const received: Uint8Array[] = []
  ws.binaryType = 'nodebuffer'
  ws.on('message', (data, isBinary) => {
    if (isBinary) received.push(new Uint8Array(data as Buffer)) // binaryType nodebuffer: one Buffer per frame
  })
  ws.on('error', () => {})
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
  return { ws, received, opened, closed, send: (data) => ws.send(data) }
}

/** Encodes a sync message (`type` from SYNC_MESSAGE_TYPE) with `payload`. */
export function syncFrame(type: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.sync)
  encoding.writeVarUint(encoder, type)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/** An awareness frame carrying `update` (`encodeAwarenessUpdate`). */
export function awarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** A sync update frame carrying `update`. */
export function updateFrame(update: Uint8Array): Uint8Array {
  return syncFrame(SYNC_MESSAGE_TYPE.update, update)
}

/** The JSON-comparable test data of a doc, written with `setEntry` (`testEntries.ts`). */
export function mapContent(doc: Y.Doc): Record<string, unknown> {
  return entries(doc)
}

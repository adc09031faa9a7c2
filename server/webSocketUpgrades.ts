/**
 * Accepts websockets on the Node http server's `upgrade` event, on our own `ws` WebSocketServer
 * (`noServer`), for the paths given (`/sync`, `/control`). Each upgrade is admitted (tokens, caps)
 * before the handshake; the admitted socket's events then go straight to its handler.
 *
 * Not through Hono's `upgradeWebSocket`: that adapter builds a `MessageEvent` and copies every
 * frame into a fresh ArrayBuffer before the handler sees it, and keeps the upgrade's Hono context
 * (Context, Request, IncomingMessage, URLs, headers, closures: ~3 KB) alive for as long as the
 * socket is open. Here a socket holds only what its handler keeps.
 *
 * @example
 * ```ts
 * acceptWebSockets(httpServer, wss, [{ prefix: SYNC_PATH, admit: async (request) => ({ open: (ws) => …, abandon: () => … }) }])
 * ```
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { getPath } from 'hono/utils/url'
import type { WebSocket, WebSocketServer } from 'ws'

/** What an upgrade request tells its route. */
export type UpgradeRequest = {
  /** The path without its query, percent-decoded as Hono decodes the paths it routes. */
  path: string
  /** The query parameters (tokens travel here: never log them). */
  params: URLSearchParams
  /** The TCP peer's address. */
  remoteAddress: string | undefined
  /** The `X-Forwarded-For` header, if any (trust it only as far as the configured proxies). */
  forwardedFor: string | undefined
}

/** An admitted upgrade: what to do once its socket is open, or when it never opens. */
export type AdmittedUpgrade = {
  /** The handshake completed: attach to `ws` (in this call, so that no frame is missed). */
  open(ws: WebSocket): void
  /** The client left, or its handshake was refused, before the socket opened. */
  abandon(): void
}

/** One websocket path: `prefix` itself and everything under `prefix/`. */
export type WebSocketRoute = {
  prefix: string
  /** Decides before the handshake; refusals are admitted too and closed with a 44xx code ([S11]). */
  admit(request: UpgradeRequest): Promise<AdmittedUpgrade>
}

/**
 * Takes every `upgrade` of `server`: a websocket upgrade to one of `routes` is admitted, then
 * handed to `wss` for the handshake (which answers a malformed one with 400 itself); anything
 * else is answered 404 (another path) or 400 (not a websocket upgrade) and closed.
 */
export function acceptWebSockets(server: Server, wss: WebSocketServer, routes: readonly WebSocketRoute[]): void {
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void upgrade(wss, routes, request, socket, head)
  })
}

async function upgrade(wss: WebSocketServer, routes: readonly WebSocketRoute[], request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  // Node removed its own listener when it handed the socket over; a reset during the admission
  // must not crash the process (ws adds its own listener with the handshake).
  const ignoreError = () => {}
  socket.on('error', ignoreError)
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') return refuse(socket, 400, 'Bad Request')
  let url: URL
  try {
    url = new URL(request.url ?? '/', 'http://localhost')
  } catch {
    return refuse(socket, 400, 'Bad Request')
  }
  const path = getPath({ url: url.href } as Request) // getPath reads only `url`
  const route = routes.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`))
  if (!route) return refuse(socket, 404, 'Not Found')
  const forwarded = request.headers['x-forwarded-for']
  let admitted: AdmittedUpgrade
  try {
    admitted = await route.admit({
      path,
      params: url.searchParams,
      remoteAddress: request.socket.remoteAddress,
      forwardedFor: Array.isArray(forwarded) ? forwarded.join(', ') : forwarded,
    })
  } catch {
    return refuse(socket, 500, 'Internal Server Error')
  }
  if (socket.destroyed) return admitted.abandon()
  let opened = false
  // ws completes a valid handshake synchronously; a refused one never calls back.
  wss.handleUpgrade(request, socket, head, (ws) => {
    opened = true
    socket.off('error', ignoreError)
    // ws emits a peer's protocol error (a bad frame, even after a refusal's close was sent) on the
    // socket, then closes it: unheard, the emit would throw and take the process down.
    ws.on('error', ignoreError)
    admitted.open(ws)
  })
  if (!opened) admitted.abandon()
}

function refuse(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

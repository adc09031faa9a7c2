import { TLSocketRoom } from '@tldraw/sync-core'
import type { TLRecord } from '@tldraw/tlschema'
import react from '@vitejs/plugin-react'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { WebSocketServer } from 'ws'
import { createKeyplanSchema } from '../../shared/schema.ts'

/**
 * tldraw's own multiplayer as a peer of the browser bench: `TLSocketRoom` (`@tldraw/sync-core`)
 * on Node with the page of `page/` (tldraw + `useSync` from `@tldraw/sync`, Keyplan's card
 * shapes), built with Vite into `outDir` and served from the same origin. Rooms use Keyplan's
 * schema and live in memory; the bench seeds and changes them through `updateStore`, which the
 * room sends to its clients like any other change.
 */
export class TldrawSyncPeer {
  private readonly rooms = new Map<string, TLSocketRoom<TLRecord>>()

  private constructor(
    private readonly http: Server,
    private readonly sockets: WebSocketServer,
    /** The page's origin, `http://127.0.0.1:<port>`. */
    readonly url: string,
  ) {}

  /** Builds the page into `outDir` and starts the server on a free loopback port. */
  static async start(outDir: string): Promise<TldrawSyncPeer> {
    await build({
      configFile: false,
      root: fileURLToPath(new URL('./page/', import.meta.url)),
      publicDir: false,
      logLevel: 'warn',
      plugins: [react()],
      build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 8000 },
    })
    const sockets = new WebSocketServer({ noServer: true })
    const http = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname
      const file = join(outDir, normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, ''))
      stat(file).then(
        (info) => {
          if (!info.isFile()) throw new Error('not a file')
          res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' })
          createReadStream(file).pipe(res)
        },
        () => {
          res.writeHead(404).end()
        },
      )
    })
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    const { port } = http.address() as AddressInfo // listening on TCP just above
    const peer = new TldrawSyncPeer(http, sockets, `http://127.0.0.1:${port}`)
    http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const match = /^\/connect\/([^/]+)$/.exec(url.pathname)
      const sessionId = url.searchParams.get('sessionId')
      if (!match?.[1] || !sessionId) return socket.destroy()
      const room = peer.room(decodeURIComponent(match[1]))
      sockets.handleUpgrade(req, socket, head, (ws) => room.handleSocketConnect({ sessionId, socket: ws }))
    })
    return peer
  }

  /** The room `name`, created empty on first use. */
  room(name: string): TLSocketRoom<TLRecord> {
    let room = this.rooms.get(name)
    if (!room) {
      room = new TLSocketRoom<TLRecord>({ schema: createKeyplanSchema() })
      this.rooms.set(name, room)
    }
    return room
  }

  /** The address of the page showing room `name`. */
  pageUrl(name: string): string {
    return `${this.url}/?room=${encodeURIComponent(name)}`
  }

  /** Puts `put` and deletes `remove` in room `name`, as one change sent to its clients. */
  async change(name: string, put: readonly TLRecord[], remove: readonly string[] = []): Promise<void> {
    await this.room(name).updateStore((store) => {
      for (const record of put) store.put(record)
      for (const id of remove) store.delete(id)
    })
  }

  async close(): Promise<void> {
    for (const room of this.rooms.values()) room.close()
    for (const client of this.sockets.clients) client.terminate()
    this.sockets.close()
    await new Promise<void>((resolve) => this.http.close(() => resolve()))
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
}

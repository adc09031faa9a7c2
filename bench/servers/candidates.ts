import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { CreatedWorkshopSchema } from '../../shared/api.ts'
import { BOARD_IDS } from '../../shared/boards.ts'
import type { Protocol } from '../clients/protocol.ts'
import { buildServer, isServerBuildFresh, serverEntry } from '../../scripts/serverBuild.mjs'
import { ServerProcess } from './ServerProcess.ts'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const HOST = '127.0.0.1'

/** A started server: its process, where clients connect, and how to get rooms on it. */
export interface RunningServer {
  process: ServerProcess
  /** Base URL the client adapter appends the room name to. */
  wsUrl: string
  /** Names of `count` new, empty rooms; `tag` makes names readable in server logs. */
  createRooms(count: number, tag: string): Promise<string[]>
}

/** A sync server compared by the server suite. */
export interface Candidate {
  name: string
  /** Which client adapter speaks to it. */
  protocol: Protocol
  /** Start on a free loopback port, persisting to `dataDir` (reuse it to restart cold). */
  start(dataDir: string): Promise<RunningServer>
}

/** Any free loopback port (for servers that cannot report the port they bound). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, HOST, () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** Room names that any server accepts without set-up. */
function freeRoomNames(count: number, tag: string): Promise<string[]> {
  const nonce = Math.random().toString(36).slice(2, 8)
  return Promise.resolve(Array.from({ length: count }, (_, i) => `${tag}-${nonce}-${i}`))
}

/** The organisation key the bench gives Keyplan (`KEYPLAN_ORG_KEY`) to create workshops. */
const BENCH_ORG_KEY = 'keyplan-bench-organisation-key'

/**
 * Keyplan's own server as `npm start` runs it: bundled into dist/node (built here when stale) on
 * plain Node. Rooms are boards of workshops made over REST. A room
 * name carries the team token as its query string (`<id>/<board>?token=…`): the provider appends
 * the room name to the server URL as is, and every client of the bench connects as a team member.
 */
export const keyplan: Candidate = {
  name: 'keyplan',
  protocol: 'y-websocket',
  async start(dataDir) {
    if (!isServerBuildFresh() && buildServer() !== 0) throw new Error('building the server failed')
    const proc = await ServerProcess.start({
      args: [serverEntry],
      typescript: false,
      env: {
        PORT: '0',
        HOST,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn', // the peers log nothing per connection either
        KEYPLAN_ORG_KEY: BENCH_ORG_KEY,
        // Every bench client comes from 127.0.0.1: the per-address cap ([A13]) would refuse all
        // but 50 of them. The peers have no such cap.
        MAX_CONNECTIONS_PER_ADDRESS: '100000',
      },
      cwd: REPO_ROOT,
      ready: /listening on http:\/\/127\.0\.0\.1:(\d+)/,
      readyTimeoutMs: 20_000,
    })
    const httpUrl = `http://${HOST}:${proc.port}`
    return {
      process: proc,
      wsUrl: `ws://${HOST}:${proc.port}/sync`,
      async createRooms(count, tag) {
        const rooms: string[] = []
        for (let i = 0; i < count; i++) {
          const res = await fetch(`${httpUrl}/api/workshops`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ORG_KEY}` },
            body: JSON.stringify({ account: 'Bench', title: `${tag} ${i}` }),
          })
          if (res.status !== 201) throw new Error(`POST /api/workshops → ${res.status} ${await res.text()}`)
          const { id, links } = CreatedWorkshopSchema.parse(await res.json())
          rooms.push(`${id}/${BOARD_IDS[0]}?token=${new URL(links.team).searchParams.get('token') ?? ''}`)
        }
        return rooms
      },
    }
  },
}

/**
 * Starts `@y/websocket-server` on `dataDir`; `extra` puts Node arguments (a preload) before its entry
 * and adds to its environment, for experiments on it (`bench/fanOutLatency.ts`).
 */
export async function startYWebsocketServer(dataDir: string, extra: { args?: string[]; env?: Record<string, string> } = {}): Promise<RunningServer> {
  // It prints the port it was given, so it cannot be asked for port 0.
  const port = await freePort()
  const proc = await ServerProcess.start({
    args: [...(extra.args ?? []), 'node_modules/@y/websocket-server/src/server.js'],
    typescript: false,
    env: { PORT: String(port), HOST, YPERSISTENCE: dataDir, ...extra.env },
    cwd: REPO_ROOT,
    ready: /running at '127\.0\.0\.1' on port (\d+)/,
    readyTimeoutMs: 20_000,
  })
  return { process: proc, wsUrl: `ws://${HOST}:${port}`, createRooms: freeRoomNames }
}

/** The reference server `@y/websocket-server` 0.1.1 with LevelDB persistence. */
export const yWebsocketServer: Candidate = {
  name: 'y-websocket-server',
  protocol: 'y-websocket',
  start: (dataDir) => startYWebsocketServer(dataDir),
}

/** Hocuspocus 4 with its SQLite extension on a file (`bench/servers/hocuspocusServer.mjs`). */
export const hocuspocus: Candidate = {
  name: 'hocuspocus',
  protocol: 'hocuspocus',
  async start(dataDir) {
    const proc = await ServerProcess.start({
      args: ['bench/servers/hocuspocusServer.mjs'],
      typescript: false,
      env: { PORT: '0', HOST, DATA_DIR: dataDir },
      cwd: REPO_ROOT,
      ready: /listening on http:\/\/127\.0\.0\.1:(\d+)/,
      readyTimeoutMs: 20_000,
    })
    return { process: proc, wsUrl: `ws://${HOST}:${proc.port}`, createRooms: freeRoomNames }
  },
}

/** All servers, Keyplan first (the baseline column). */
export const CANDIDATES: readonly Candidate[] = [keyplan, yWebsocketServer, hocuspocus]

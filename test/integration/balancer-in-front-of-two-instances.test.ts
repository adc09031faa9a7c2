/**
 * End to end through `deploy/nginx.conf` (docs/server-rules.md [I1], [I6]): Debian's nginx in front
 * of two Keyplan instances (child processes) on one PostgreSQL database and one Redis, as
 * deploy/README.md runs them. REST calls and websocket sync work through the balancer, websockets
 * land on both instances (plain round robin), what one instance stored another serves, and the
 * per-address limits count the address nginx saw, whatever a client writes into X-Forwarded-For
 * (docs/security.md [A16]).
 */
import fs from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { BoardId } from '../../shared/boards.ts'
import { connectClient, connectSynced, mapContent, waitFor, type TestClient } from '../helpers/clients.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { startNginx, type Nginx } from '../helpers/nginx.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { startRedis, type RedisServer } from '../helpers/redis.ts'
import { createWorkshop, tempDataDir } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

const TIMEOUT_MS = 240_000
const TOKEN_SECRET = `k1:${Buffer.alloc(32, 9).toString('base64url')}`
const BOARDS: BoardId[] = ['swot', 'stakeholders', 'objectives', 'actions']

let postgres: PostgresCluster
let redis: RedisServer
let nginx: Nginx
const instances: ChildServer[] = []
const dataDirs: string[] = []

beforeAll(async () => {
  postgres = await startPostgres()
  redis = await startRedis()
  const env = {
    DATABASE_URL: await postgres.createDatabase(),
    REDIS_URL: redis.url,
    KEYPLAN_TOKEN_SECRET: TOKEN_SECRET,
    TRUST_PROXY_HOPS: '1',
    ROOM_UNLOAD_GRACE_MS: '50',
  }
  // Started at once against the empty database: they migrate it once between them.
  instances.push(
    ...(await Promise.all(
      [0, 1].map(() => {
        const dataDir = tempDataDir()
        dataDirs.push(dataDir)
        return startChildServer({ ...env, DATA_DIR: dataDir })
      }),
    )),
  )
  nginx = await startNginx(instances.map((instance) => new URL(instance.url).host))
}, TIMEOUT_MS)

afterAll(async () => {
  await nginx?.stop()
  for (const instance of instances) instance.process.kill('SIGKILL')
  await Promise.all(instances.map((instance) => instance.exited))
  await redis?.stop()
  await postgres?.stop()
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
})

const syncUrl = () => `${nginx.url.replace(/^http/, 'ws')}/sync`

async function roomsOn(instance: ChildServer): Promise<number> {
  return ((await (await fetch(`${instance.url}/api/health`)).json()) as { rooms: number }).rooms
}

async function untilNoRooms(): Promise<void> {
  const start = Date.now()
  for (const instance of instances) {
    while ((await roomsOn(instance)) > 0) {
      if (Date.now() - start > 60_000) throw new Error('timed out waiting for the rooms to unload')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

test('[I6] REST and websocket sync through nginx: clients land on both instances, and what one stored the other serves', async () => {
  const health = await fetch(`${nginx.url}/api/health`)
  expect(health.status).toBe(200)
  expect(await health.json()).toMatchObject({ status: 'ok', redis: 'ready' })

  const workshop = await createWorkshop(nginx.url)
  const read = await fetch(`${nginx.url}/api/workshops/${workshop.id}`, { headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })
  expect(read.status).toBe(200)

  // One writer per board, one after the other: round robin puts them on both instances.
  const writers: TestClient[] = []
  for (const board of BOARDS) {
    const writer = await connectSynced(syncUrl(), `${workshop.id}/${board}`)
    setEntry(writer.doc, `written-on-${board}`, board)
    writers.push(writer)
  }
  const rooms = await Promise.all(instances.map(roomsOn))
  expect(rooms.every((count) => count > 0)).toBe(true)
  // Each board is two documents (shared and internal, issue 13), loaded together.
  expect(rooms.reduce((sum, count) => sum + count, 0)).toBe(2 * BOARDS.length)

  // A graceful close of each writer: its room stores every update before it unloads ([S12]).
  for (const writer of writers) writer.destroy()
  await untilNoRooms()

  // Every board loads from PostgreSQL on whichever instance nginx picks now.
  const readers = await Promise.all(BOARDS.map((board) => connectSynced(syncUrl(), `${workshop.id}/${board}`)))
  expect(readers.map((reader) => mapContent(reader.doc))).toEqual(BOARDS.map((board) => expect.objectContaining({ [`written-on-${board}`]: board })))
  for (const reader of readers) reader.destroy()
}, TIMEOUT_MS)

test('[I6] an instance that hangs (SIGSTOP): new websockets through nginx land on the other, and its clients come back there (QA q36a)', async () => {
  const workshop = await createWorkshop(nginx.url)
  const room = `${workshop.id}/actions`
  const before = await connectSynced(syncUrl(), room)
  const counts = await Promise.all(instances.map(roomsOn))
  const stopped = instances[counts.findIndex((count) => count > 0)]
  if (!stopped) throw new Error('the client is on no instance')
  stopped.process.kill('SIGSTOP')
  try {
    // Round robin offers the stopped instance every other time: each of these is answered.
    const after: TestClient[] = []
    for (let i = 0; i < 3; i++) {
      const client = connectClient(syncUrl(), room)
      after.push(client)
      await waitFor(() => client.provider.synced, `client ${i + 1} to sync through nginx`, 60_000)
    }
    // The client on the stopped instance: its socket closes, it reconnects to the other, and what
    // it wrote meanwhile arrives.
    setEntry(before.doc, 'written-while-hung', 'kept')
    await waitFor(() => after.every((client) => mapContent(client.doc)['written-while-hung'] === 'kept'), 'the edit to reach the others', 60_000)
    for (const client of [before, ...after]) client.destroy()
  } finally {
    stopped.process.kill('SIGCONT')
  }
  // Running again, it lets go of the room its clients left.
  await untilNoRooms()
}, TIMEOUT_MS)

test('[I6] kill -9 of the instance a client is on: it reconnects through nginx to the other, and its edit made meanwhile arrives', async () => {
  const workshop = await createWorkshop(nginx.url)
  const room = `${workshop.id}/swot`
  const client = await connectSynced(syncUrl(), room)
  const counts = await Promise.all(instances.map(roomsOn))
  const victim = instances[counts.findIndex((count) => count > 0)]
  if (!victim) throw new Error('the client is on no instance')
  victim.process.kill('SIGKILL')
  await victim.exited
  await waitFor(() => !client.provider.wsconnected, 'the client to notice')
  setEntry(client.doc, 'written-while-away', 'kept')
  await waitFor(() => client.provider.wsconnected && client.provider.synced, 'the client to be back through nginx', 60_000)

  const reader = await connectSynced(syncUrl(), room)
  await waitFor(() => mapContent(reader.doc)['written-while-away'] === 'kept', 'the edit to reach the surviving instance', 60_000)
  reader.destroy()
  client.destroy()
}, TIMEOUT_MS)

test('[A16] a forged X-Forwarded-For does not escape the per-address limit: Keyplan counts the address nginx saw', async () => {
  // Created on an instance still running (the kill test left one dead): a POST that nginx sends on
  // its way to a dead instance is not tried on another (not idempotent), and answers 502 (CI).
  const running = instances.find((instance) => instance.process.exitCode === null && instance.process.signalCode === null)
  if (!running) throw new Error('no instance is running')
  const workshop = await createWorkshop(running.url)
  const attempt = (token: string, forged: string) =>
    fetch(`${nginx.url}/api/workshops/${workshop.id}/access`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': forged } })
  // 30 failed checks, each claiming another address (last: it blocks 127.0.0.1 for a minute).
  for (let i = 0; i < 30; i++) expect((await attempt(`not-a-token-${i}`, `203.0.113.${i}`)).status).toBe(401)
  expect((await attempt(workshop.tokens.team, '198.51.100.1')).status).toBe(429)
}, TIMEOUT_MS)

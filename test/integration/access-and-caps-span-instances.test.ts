/**
 * Two Keyplan instances (child processes) on one PostgreSQL database and one Redis
 * (docs/server-rules.md [I1]): a revocation or a board turned internal on one closes the holders
 * on both ([A24]); connection caps and failed-check windows count over both ([A25]); with Redis
 * killed mid-session each instance keeps its own caps, revocations still reach the other instance
 * (by reading PostgreSQL), `/api/health` says `degraded` ([I5]), and everything is shared again
 * once Redis is back; a killed instance's counts expire ([A25]).
 *
 * Each scenario sends its own `X-Forwarded-For` address (TRUST_PROXY_HOPS=1, as behind the
 * balancer of deploy/), so the per-address counts of one never touch another.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { INSTANCE_COUNTS_TTL_MS } from '../../server/app.ts'
import { rawClient, waitFor, type RawClient } from '../helpers/clients.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { openControl } from '../helpers/controlClient.ts'
import { POSTGRES_START_TIMEOUT_MS, freePort, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { startRedis, type RedisServer } from '../helpers/redis.ts'
import { createWorkshop, tempDataDir, type TestWorkshop } from '../helpers/startServer.ts'

/** Child servers start through tsx: slow on a loaded 2-core machine. */
const TIMEOUT_MS = 240_000
const TOKEN_SECRET = `k1:${Buffer.alloc(32, 3).toString('base64url')}`

let postgres: PostgresCluster
let databaseUrl: string
let redis: RedisServer
let a: ChildServer
let b: ChildServer
const dataDirs: string[] = []
const sockets: RawClient[] = []

function instance(env: Record<string, string>): Promise<ChildServer> {
  const dataDir = tempDataDir()
  dataDirs.push(dataDir)
  return startChildServer({ DATA_DIR: dataDir, KEYPLAN_TOKEN_SECRET: TOKEN_SECRET, TRUST_PROXY_HOPS: '1', ...env })
}

beforeAll(async () => {
  postgres = await startPostgres()
  redis = await startRedis()
  databaseUrl = await postgres.createDatabase()
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, MAX_CONNECTIONS_PER_ROOM: '2', MAX_CONNECTIONS_PER_ADDRESS: '3' }
  // Started together against the empty database: they migrate it once between them.
  ;[a, b] = await Promise.all([instance(env), instance(env)])
}, TIMEOUT_MS)

afterAll(async () => {
  for (const socket of sockets) socket.ws.terminate()
  for (const child of [a, b]) child?.process.kill('SIGKILL')
  await Promise.all([a, b].map((child) => child?.exited))
  await redis?.stop()
  await postgres?.stop()
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
})

/** Opens a sync socket from `address`; resolves once it is admitted (the server's step 1 arrived) or closed. */
async function open(server: ChildServer, room: string, address: string, token?: string): Promise<{ socket: RawClient; closed?: number }> {
  const url = new URL(`${server.syncUrl}/${room}`)
  if (token !== undefined) url.searchParams.set('token', token)
  const socket = rawClient(url.href, { headers: { 'x-forwarded-for': address } })
  sockets.push(socket)
  let closed: number | undefined
  void socket.closed.then(({ code }) => (closed = code))
  await waitFor(() => socket.received.length > 0 || closed !== undefined, `a socket to ${room} to be admitted or closed`)
  return closed === undefined ? { socket } : { socket, closed }
}

async function admitted(server: ChildServer, room: string, address: string, token?: string): Promise<RawClient> {
  const { socket, closed } = await open(server, room, address, token)
  expect(closed).toBeUndefined()
  return socket
}

async function refused(server: ChildServer, room: string, address: string): Promise<number | undefined> {
  return (await open(server, room, address)).closed
}

async function closeAll(...open: RawClient[]): Promise<void> {
  for (const socket of open) socket.ws.close()
  await Promise.all(open.map((socket) => socket.closed))
}

/** Polls `check` until it resolves true; rejects after `timeoutMs` (a safety net against hangs, not a timing assertion). */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function health(server: ChildServer): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/api/health`)
  return { status: response.status, body: await response.json() }
}

async function revoke(server: ChildServer, workshop: TestWorkshop, role: string): Promise<void> {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/links/revoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role }),
  })
  expect(response.status).toBe(200)
}

test('[A24] revoking a role on one instance closes its holders on both with 4401; a board turned internal closes guests on both with 4403 and reaches their pages; a rename reaches their pages; archiving sends everyone back with 1013', async () => {
  const workshop = await createWorkshop(a.url)
  const teamOnA = await admitted(a, `${workshop.id}/swot`, '10.0.1.1')
  const teamOnB = await admitted(b, `${workshop.id}/objectives`, '10.0.1.2')
  const guestOnB = await admitted(b, `${workshop.id}/actions`, '10.0.1.3', workshop.tokens.guest)
  const teamPageOnB = await openControl(b, workshop.id, workshop.tokens.team, 'Tom')
  const guestPageOnB = await openControl(b, workshop.id, workshop.tokens.guest, 'Gus')

  await revoke(a, workshop, 'team')
  expect(await teamOnA.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'link revoked' })
  expect(await teamOnB.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'link revoked' })
  expect(await teamPageOnB.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'link revoked' })
  // The old team link is refused by both.
  expect(await refused(b, `${workshop.id}/swot`, '10.0.1.4')).toBe(CLOSE_CODES.unauthorized)

  const settings = await fetch(`${a.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: false, objectives: false, actions: false, whitespace: false } }),
  })
  expect(settings.status).toBe(200)
  expect(await guestOnB.closed).toEqual({ code: CLOSE_CODES.forbidden, reason: 'board is no longer customer-facing' })
  expect((await guestPageOnB.next('access')).customerFacing).toMatchObject({ actions: false })
  // [C13] a rename on one instance reaches the pages on the other.
  const rename = await fetch(`${a.url}/api/workshops/${workshop.id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Renamed on A' }),
  })
  expect(rename.status).toBe(200)
  await guestPageOnB.next('workshop')
  guestPageOnB.close()

  const facilitatorOnB = await admitted(b, `${workshop.id}/swot`, '10.0.1.5', workshop.tokens.facilitator)
  const archive = await fetch(`${a.url}/api/workshops/${workshop.id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ archived: true }),
  })
  expect(archive.status).toBe(200)
  expect(await facilitatorOnB.closed).toEqual({ code: CLOSE_CODES.tryAgainLater, reason: 'workshop archived, reconnect' })
  // The access events travel on their own channel of the subscriber connection the board bus shares:
  // no instance takes them for bad bus messages (each one logged a warning).
  for (const child of [a, b]) expect(child.stderr()).not.toContain('cluster.bad_message')
}, TIMEOUT_MS)

test('[A25] caps count over both instances: the room cap and the address cap refuse with 4503 whichever instance is asked', async () => {
  const workshop = await createWorkshop(b.url)
  const room = `${workshop.id}/swot`
  const first = await admitted(a, room, '10.0.2.1')
  const second = await admitted(b, room, '10.0.2.2')
  // MAX_CONNECTIONS_PER_ROOM=2: each instance alone would admit a third.
  expect(await refused(a, room, '10.0.2.3')).toBe(CLOSE_CODES.tooManyConnections)
  expect(await refused(b, room, '10.0.2.3')).toBe(CLOSE_CODES.tooManyConnections)
  await closeAll(first)
  // The slot comes back once the close reached instance A.
  let third: RawClient | undefined
  await until(async () => {
    const attempt = await open(b, room, '10.0.2.3')
    third = attempt.socket
    return attempt.closed === undefined
  }, 'the released slot')

  // MAX_CONNECTIONS_PER_ADDRESS=3, over all boards and both instances.
  const address = '10.0.2.9'
  const held = [await admitted(a, `${workshop.id}/actions`, address), await admitted(b, `${workshop.id}/objectives`, address), await admitted(a, `${workshop.id}/whitespace`, address)]
  expect(await refused(b, `${workshop.id}/stakeholders`, address)).toBe(CLOSE_CODES.tooManyConnections)
  await closeAll(second, ...(third ? [third] : []), ...held)
}, TIMEOUT_MS)

test('[A25] failed token checks count over both instances: 30 a minute per address, then 429 from either', async () => {
  const workshop = await createWorkshop(a.url)
  const attempt = (server: ChildServer, token: string) =>
    fetch(`${server.url}/api/workshops/${workshop.id}/access`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '10.0.3.1' } })
  for (let i = 0; i < 30; i++) expect((await attempt(i % 2 === 0 ? a : b, `not-a-token-${i}`)).status).toBe(401)
  expect((await attempt(a, workshop.tokens.team)).status).toBe(429)
  expect((await attempt(b, workshop.tokens.team)).status).toBe(429)
}, TIMEOUT_MS)

test('[A25][I5] Redis killed mid-session: health says degraded, caps hold per instance, revocations still reach the other instance; all shared again when Redis returns', async () => {
  const workshop = await createWorkshop(a.url)
  const room = `${workshop.id}/swot`
  const teamOnB = await admitted(b, `${workshop.id}/actions`, '10.0.4.9')
  expect(await health(a)).toEqual({ status: 200, body: { status: 'ok', rooms: expect.any(Number), database: 'ready', redis: 'ready', fanout: 'redis', presence: 'redis' } })

  await redis.kill()
  for (const server of [a, b]) {
    await until(async () => ((await health(server)).body as { status: string }).status === 'degraded', 'health to say degraded')
    expect(await health(server)).toEqual({ status: 200, body: { status: 'degraded', rooms: expect.any(Number), database: 'ready', redis: 'down', fanout: 'postgres-polling', presence: 'postgres-polling' } })
  }

  // Per instance: two on A, the third refused by A; B, not knowing A's, admits two more.
  const onA = [await admitted(a, room, '10.0.4.1'), await admitted(a, room, '10.0.4.2')]
  expect(await refused(a, room, '10.0.4.3')).toBe(CLOSE_CODES.tooManyConnections)
  const onB = [await admitted(b, room, '10.0.4.4'), await admitted(b, room, '10.0.4.5')]

  // A revocation made on A reaches B without Redis: B reads the access state from PostgreSQL.
  await revoke(a, workshop, 'team')
  expect(await teamOnB.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'link revoked' })
  for (const socket of [...onA, ...onB]) expect(await socket.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'link revoked' })

  // The new team link; Redis comes back (empty: it kept nothing).
  const links = (await (await fetch(`${a.url}/api/workshops/${workshop.id}/links`, { headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })).json()) as { links: { team: string } }
  const team = new URL(links.links.team).searchParams.get('token') ?? ''
  const heldOnA = [await admitted(a, room, '10.0.4.6', team), await admitted(a, room, '10.0.4.7', team)]
  await redis.restart()
  for (const server of [a, b]) {
    await until(async () => ((await health(server)).body as { status: string }).status === 'ok', 'health to say ok again')
  }
  // A wrote its two sockets back into Redis: B, with none of its own, refuses a third.
  await until(async () => {
    const attempt = await open(b, room, '10.0.4.8', team)
    if (attempt.closed === CLOSE_CODES.tooManyConnections) return true
    // Until A's counts are written back, B may still admit: close that one and ask again.
    await closeAll(attempt.socket)
    return false
  }, "A's counts to be shared again")
  await closeAll(...heldOnA)
}, TIMEOUT_MS)

test('[I4][I5] an instance whose Redis is away at start starts, serves REST and sync, and says degraded', async () => {
  const dead = await freePort() // nothing listens there
  const lonely = await instance({ DATABASE_URL: databaseUrl, REDIS_URL: `redis://127.0.0.1:${dead}` })
  try {
    expect(await health(lonely)).toEqual({ status: 200, body: { status: 'degraded', rooms: 0, database: 'ready', redis: 'down', fanout: 'postgres-polling', presence: 'postgres-polling' } })
    const workshop = await createWorkshop(lonely.url)
    const socket = await admitted(lonely, `${workshop.id}/swot`, '10.0.6.1')
    await closeAll(socket)
  } finally {
    lonely.process.kill('SIGKILL')
    await lonely.exited
  }
}, TIMEOUT_MS)

test('[A25] the counts of a killed instance expire: its slots come back within INSTANCE_COUNTS_TTL_MS', async () => {
  const workshop = await createWorkshop(a.url)
  const room = `${workshop.id}/swot`
  await admitted(b, room, '10.0.5.1')
  await admitted(b, room, '10.0.5.2')
  expect(await refused(a, room, '10.0.5.3')).toBe(CLOSE_CODES.tooManyConnections)
  b.process.kill('SIGKILL')
  await b.exited
  await until(async () => {
    const attempt = await open(a, room, '10.0.5.3')
    if (attempt.closed !== undefined) expect(attempt.closed).toBe(CLOSE_CODES.tooManyConnections)
    return attempt.closed === undefined
  }, "the killed instance's counts to expire", INSTANCE_COUNTS_TTL_MS * 6)
}, TIMEOUT_MS)

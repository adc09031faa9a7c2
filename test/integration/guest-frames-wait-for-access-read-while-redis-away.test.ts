/**
 * docs/security.md [A24] with Redis away. Two instances on one PostgreSQL database: a guest and a
 * team member on instance B, on a customer-facing SWOT. Redis dies; the facilitator makes the
 * SWOT internal on instance A, whose event cannot travel; the team member on B writes at once. B
 * learns of the change only by reading PostgreSQL, so what it sends a guest meanwhile waits for
 * its next read: the guest is closed with 4403 and never receives the note written after the
 * change (QA q36a: it did, up to a second after the board was made internal). Notes written while
 * the board was still customer-facing reach the guest all the same, a moment later. The same with
 * Redis paused (SIGSTOP: its connections stay open, nothing is answered): each instance takes a
 * Redis that does not answer its PING as away, and health says so.
 *
 * A guest link revoked on A in the seconds before B notices that Redis is away (its event lost, and
 * B's first read of PostgreSQL already shows the new generation, so it has nothing to compare):
 * B still closes the guest's sync and room-control connections with 4401, by the generation each
 * was admitted under.
 */
import fs from 'node:fs'
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { connectSynced, waitFor, type TestClient } from '../helpers/clients.ts'
import { openControl } from '../helpers/controlClient.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { note } from '../helpers/planBoards.ts'
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { startRedis, type RedisServer } from '../helpers/redis.ts'
import { createWorkshop, tempDataDir } from '../helpers/startServer.ts'
import { heard, onlyCustomerFacing, recordingGuest } from '../helpers/teamAndGuest.ts'

/** Child servers start through tsx: slow on a loaded 2-core machine. */
const TIMEOUT_MS = 240_000
const TOKEN_SECRET = `k1:${Buffer.alloc(32, 5).toString('base64url')}`
const CANARY = 'CANARY-after-internal-3f9'

let postgres: PostgresCluster
let redis: RedisServer
let a: ChildServer
let b: ChildServer
const dataDirs: string[] = []

beforeAll(async () => {
  postgres = await startPostgres()
  redis = await startRedis()
  const env = { DATABASE_URL: await postgres.createDatabase(), REDIS_URL: redis.url, KEYPLAN_TOKEN_SECRET: TOKEN_SECRET }
  const instance = () => {
    const dataDir = tempDataDir()
    dataDirs.push(dataDir)
    return startChildServer({ DATA_DIR: dataDir, ...env })
  }
  ;[a, b] = await Promise.all([instance(), instance()])
}, TIMEOUT_MS)

afterAll(async () => {
  for (const child of [a, b]) child?.process.kill('SIGKILL')
  await Promise.all([a, b].map((child) => child?.exited))
  await redis?.stop()
  await postgres?.stop()
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
})

async function status(server: ChildServer): Promise<string> {
  return ((await (await fetch(`${server.url}/api/health`)).json()) as { status: string }).status
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  expect(await check(), what).toBe(true)
}

async function degraded(server: ChildServer): Promise<boolean> {
  const body = (await (await fetch(`${server.url}/api/health`)).json()) as { status: string }
  return body.status === 'degraded'
}

const write = (team: TestClient, id: string, text: string) =>
  writeRecordChanges(team.doc, { put: [note(id, { x: 100, y: 100 }, text) as unknown as JsonObject], remove: [] }) // tldraw records are JSON

test('a board made internal on one instance while Redis is away: the guest on the other never receives what is written after [A24]', async () => {
  const workshop = await createWorkshop(a.url)
  await onlyCustomerFacing(a, workshop, 'swot')
  const room = `${workshop.id}/swot`
  const guest = await recordingGuest(b, workshop, 'swot')
  let closed: { code: number } | undefined
  void guest.closed.then((event) => (closed = event))
  const team = await connectSynced(b.syncUrl, room, { params: { token: workshop.tokens.team, user: 'user:tom' } })

  await redis.kill()
  for (const server of [a, b]) {
    for (let i = 0; i < 600 && !(await degraded(server)); i++) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await degraded(server)).toBe(true)
  }
  // Still customer-facing: the guest gets the note, once B has read the access state.
  write(team, 'shape:before', 'Written while shared')
  await waitFor(() => heard(guest).includes('Written while shared'), 'the guest to receive the note written while shared', 30_000)

  // Made internal on A; the team member on B writes at once.
  const response = await fetch(`${a.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: false } }),
  })
  expect(response.status).toBe(200)
  write(team, 'shape:after', CANARY)
  await waitFor(() => closed !== undefined, 'the guest to be closed', 30_000)
  expect(closed?.code).toBe(CLOSE_CODES.forbidden)
  expect(heard(guest)).not.toContain(CANARY)
  // The team's note is kept and served (the team member's own copy is not the proof: a fresh one).
  const check = await connectSynced(b.syncUrl, room, { params: { token: workshop.tokens.team, user: 'user:tina' } })
  await waitFor(() => readRecords(check.doc).has('shape:after'), 'the note to be on the board', 30_000)
  for (const client of [team, check]) client.destroy()
}, TIMEOUT_MS)

test('Redis paused (SIGSTOP, connections open): both instances take it as away, and the guest on B never receives what is written after the board is made internal on A [A24]', async () => {
  await redis.restart()
  await until(async () => (await status(a)) === 'ok' && (await status(b)) === 'ok', 'both instances to hear Redis again')
  const workshop = await createWorkshop(a.url)
  await onlyCustomerFacing(a, workshop, 'swot')
  const room = `${workshop.id}/swot`
  const guest = await recordingGuest(b, workshop, 'swot')
  let closed: { code: number } | undefined
  void guest.closed.then((event) => (closed = event))
  const team = await connectSynced(b.syncUrl, room, { params: { token: workshop.tokens.team, user: 'user:tom' } })

  const pid = redis.pid()
  if (pid === undefined) throw new Error('redis is not running')
  process.kill(pid, 'SIGSTOP')
  try {
    await until(async () => (await status(a)) === 'degraded' && (await status(b)) === 'degraded', 'both instances to take the silent Redis as away')
    const response = await fetch(`${a.url}/api/workshops/${workshop.id}/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customerFacing: { swot: false } }),
    })
    expect(response.status).toBe(200)
    write(team, 'shape:after-paused', `${CANARY}-paused`)
    await waitFor(() => closed !== undefined, 'the guest to be closed', 30_000)
    expect(closed?.code).toBe(CLOSE_CODES.forbidden)
    expect(heard(guest)).not.toContain(`${CANARY}-paused`)
  } finally {
    process.kill(pid, 'SIGCONT')
  }
  await until(async () => (await status(a)) === 'ok' && (await status(b)) === 'ok', 'both instances to hear Redis once it answers')
  team.destroy()
}, TIMEOUT_MS)


test('a guest link revoked on A before B notices that Redis is paused: B closes the guest\'s sync and control connections with 4401 at its first read [A4][A24]', async () => {
  await until(async () => (await status(a)) === 'ok' && (await status(b)) === 'ok', 'both instances to hear Redis')
  const workshop = await createWorkshop(a.url)
  await onlyCustomerFacing(a, workshop, 'swot')
  const guest = await recordingGuest(b, workshop, 'swot')
  let closed: { code: number; reason: string } | undefined
  void guest.closed.then((event) => (closed = event))
  const guestPage = await openControl(b, workshop.id, workshop.tokens.guest, 'Gina')
  let controlClosed: { code: number; reason: string } | undefined
  void guestPage.closed.then((event) => (controlClosed = event))
  const teamPage = await openControl(b, workshop.id, workshop.tokens.team, 'Tom')

  const pid = redis.pid()
  if (pid === undefined) throw new Error('redis is not running')
  process.kill(pid, 'SIGSTOP')
  try {
    // At once: the event goes to a Redis that does not deliver it; B has not noticed yet.
    const response = await fetch(`${a.url}/api/workshops/${workshop.id}/links/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'guest' }),
    })
    expect(response.status).toBe(200)
    await until(async () => (await status(b)) === 'degraded', 'B to take the silent Redis as away')
    await waitFor(() => closed !== undefined && controlClosed !== undefined, 'the guest\'s connections on B to be closed while Redis is paused', 30_000)
    expect(closed?.code).toBe(CLOSE_CODES.unauthorized)
    expect(controlClosed?.code).toBe(CLOSE_CODES.unauthorized)
    // The team's page on B, admitted under its own role's generation, stays.
    expect(teamPage.ws.readyState).toBe(teamPage.ws.OPEN)
  } finally {
    process.kill(pid, 'SIGCONT')
  }
  teamPage.close()
}, TIMEOUT_MS)

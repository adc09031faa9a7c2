/**
 * docs/server-rules.md [S40] and [S41] with docs/security.md [A38], issues 13 and 17: Redis's
 * generation key of a workshop is never left behind a sensitivity change the store committed, so
 * every row published after the commit tells the instances that have not heard of it. Real
 * PostgreSQL and Redis, several instances; each window is opened by a pause (of a proxy, of a pause
 * point of the test hooks), never by timing.
 *
 * - [S40] Redis away for the changing instance only (its connection through a proxy, cut): the
 *   change, waiting for the link at most as long as for the raise, answers 503 and is not stored;
 *   a guest on another instance keeps receiving the field; once Redis is back the same change goes
 *   through. Fails on code that committed a change it could not raise (200, stored unannounced).
 * - [S40] Redis silent for the changing instance (its link open, carrying nothing): signed-in
 *   requests there still answer (their failed-token check's Redis read gives up after its deadline
 *   and the instance's own count decides), and the change, whose raise gets no answer within its
 *   deadline, answers 503 and is not stored. Fails on code whose Redis commands had no deadline
 *   (the requests wait as long as Redis is silent).
 * - [S41] A writer re-creating a key Redis lost read the stored generation g; a change then raised
 *   the key to g + 1 and paused before its commit; Redis restarted (the key lost again); the writer
 *   raised g; the change committed. The key ends at g + 1. Fails without the writer's second,
 *   settled read of the store (the key stays at g). Then a row the writer stored before the change
 *   and published after it does not reach the guest of a third instance that has not heard of the
 *   change. That part holds without the fix too: the third instance catches up from the log when it
 *   reconnects after the restart (held here until the end, the row's bus message queued behind it),
 *   and a catch-up reads the stored sensitivity, settled, before the rows ([S39], [S40]). A key
 *   behind the store would leak only through an instance that did not catch up then; the second
 *   read is defence in depth, and the key is what this test checks.
 */
import fs from 'node:fs'
import path from 'node:path'
import { Redis } from 'ioredis'
import pg from 'pg'
import { expect, test } from 'vitest'
import { sensitivityGenerationKey } from '../../server/cluster/busMessages.ts'
import { readRecords } from '../../shared/docLayout.ts'
import { setSensitivity, stalePage } from '../helpers/boardPartsOnServer.ts'
import type { ChildServer } from '../helpers/childServer.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, untilHealth, useCluster } from '../helpers/cluster.ts'
import { startCuttableProxy } from '../helpers/cuttableProxy.ts'
import { createWorkshop, tempDataDir, type TestWorkshop } from '../helpers/startServer.ts'
import { DEPARTMENT_INTERNAL, SENSITIVITY_HOOKS, departmentCard } from '../helpers/sensitivityHooks.ts'
import { drained, heard, onlyCustomerFacing, recordingGuest } from '../helpers/teamAndGuest.ts'

const cluster = useCluster()


/** The facilitator's `PUT /sensitivity` through `server`, answered as it is. */
const putSensitivity = (server: ChildServer, workshop: TestWorkshop, fields: Record<string, string>) =>
  fetch(`${server.url}/api/workshops/${workshop.id}/sensitivity`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields }),
  })

/** The workshop's stored sensitivity generation, read from PostgreSQL. */
async function storedGeneration(env: Record<string, string>, workshop: TestWorkshop): Promise<number> {
  const db = new pg.Client({ connectionString: env['DATABASE_URL'] })
  await db.connect()
  try {
    const { rows } = await db.query<{ generation: string | null }>(`SELECT access->>'sensitivityGeneration' AS generation FROM workshop_access WHERE workshop_id = $1`, [workshop.id])
    return Number(rows[0]?.generation ?? 0)
  } finally {
    await db.end()
  }
}

/** Polls Redis until the key holds `value`; rejects after `timeoutMs` (a safety net, not a timing assertion). */
async function untilKey(redis: Redis, workshop: TestWorkshop, value: number, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now()
  while ((await redis.get(sensitivityGenerationKey(workshop.id))) !== String(value)) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const onRedis = (server: ChildServer) => untilHealth(server, (health) => health['fanout'] === 'redis', 'the instance to be on Redis')

test(
  'a sensitivity change whose generation cannot be raised on Redis is not applied: 503, nothing stored, guests unaffected [S40][A38]',
  async () => {
    const env = await cluster.env()
    const proxy = await startCuttableProxy(cluster.redis().port)
    const a = await cluster.start({ ...env, REDIS_URL: `redis://127.0.0.1:${proxy.port}` })
    const b = await cluster.start(env)
    await Promise.all([onRedis(a), onRedis(b)])
    const workshop = await createWorkshop(a.url)
    await onlyCustomerFacing(a, workshop, 'stakeholders')
    const guest = await recordingGuest(b, workshop, 'stakeholders')
    const page = await stalePage(b.syncUrl, workshop)
    page.write(departmentCard('shape:fay', 'Fay', 'Procurement-before'))
    await waitFor(() => heard(guest).includes('Procurement-before'), 'the guest to receive the department', 60_000)

    // Redis is away for A only (its link cut; B's is not): the change cannot be raised.
    proxy.cut()
    await untilHealth(a, (health) => health['fanout'] !== 'redis', 'A to see Redis away')
    const refused = await putSensitivity(a, workshop, DEPARTMENT_INTERNAL)
    expect(refused.status).toBe(503)
    const body = (await refused.json()) as { error: { code: string; message: string } } // ApiError
    expect(body.error.code).toBe('sensitivity_not_announced')
    expect(body.error.message).toMatch(/not applied.*could not be told.*try again/i)
    expect(await storedGeneration(env, workshop)).toBe(0)
    const view = await fetch(`${b.url}/api/workshops/${workshop.id}/sensitivity`, { headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })
    expect(((await view.json()) as { fields: Record<string, string> }).fields).toEqual({}) // SensitivityView

    // The field is still visible everywhere: B's guest gets a new department as before.
    page.write(departmentCard('shape:fay', 'Fay', 'Procurement-after-refused'))
    await waitFor(() => heard(guest).includes('Procurement-after-refused'), 'the guest to receive the new department', 60_000)
    expect(a.stderr()).toContain('"msg":"access.sensitivity_not_announced"')

    // Redis is back for A; the same change goes through.
    proxy.restore()
    await onRedis(a)
    const accepted = await putSensitivity(a, workshop, DEPARTMENT_INTERNAL)
    expect(accepted.status).toBe(200)
    expect(await storedGeneration(env, workshop)).toBe(1)
    page.write(departmentCard('shape:fay', 'Fay', 'CANARY-after-applied-4d1'))
    await drained(guest)
    expect(heard(guest)).not.toContain('CANARY-after-applied-4d1')

    guest.ws.close()
    page.destroy()
    await proxy.close()
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

/** `request`'s answer, or 'no answer' after `ms`: a hung request fails the test plainly, not by its timeout. */
async function answered(request: Promise<Response>, ms = 20_000): Promise<Response | 'no answer'> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'no answer'>((resolve) => (timer = setTimeout(() => resolve('no answer'), ms)))
  try {
    return await Promise.race([request, late])
  } finally {
    clearTimeout(timer)
  }
}

test(
  'Redis silent for one instance: its signed-in requests still answer, and a sensitivity change there answers 503 unstored [S40][A38]',
  async () => {
    const env = await cluster.env()
    const proxy = await startCuttableProxy(cluster.redis().port)
    const a = await cluster.start({ ...env, REDIS_URL: `redis://127.0.0.1:${proxy.port}` })
    await onRedis(a)
    const workshop = await createWorkshop(a.url)
    const view = () => fetch(`${a.url}/api/workshops/${workshop.id}/sensitivity`, { headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })
    expect((await view()).status).toBe(200)

    // Redis stops answering A without closing its link: to ioredis it is still ready.
    proxy.silence()
    const read = await answered(view())
    expect(read === 'no answer' ? read : read.status).toBe(200)
    const refused = await answered(putSensitivity(a, workshop, DEPARTMENT_INTERNAL))
    expect(refused === 'no answer' ? refused : refused.status).toBe(503)
    expect(await storedGeneration(env, workshop)).toBe(0)

    // Redis answers again, what waited first; the same change goes through.
    proxy.restore()
    await untilHealth(a, (health) => health['fanout'] === 'redis', 'A on Redis again')
    const accepted = await answered(putSensitivity(a, workshop, DEPARTMENT_INTERNAL))
    expect(accepted === 'no answer' ? accepted : accepted.status).toBe(200)
    expect(await storedGeneration(env, workshop)).toBe(1)
    await proxy.close()
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

test(
  'a writer re-creating a lost generation key raises it again when a change committed behind its read [S41][A38]',
  async () => {
    const CANARY = 'CANARY-key-behind-change-7a3'
    const dir = tempDataDir()
    const file = (name: string) => path.join(dir, name)
    const files = { pause: file('pause-change'), raise: file('pause-raise'), catchUpB: file('hold-catch-up-b'), catchUpC: file('hold-catch-up-c'), delay: file('delay-publish'), hold: file('hold-events') }
    const env = await cluster.env({ LOG_LEVEL: 'info' })
    // A changes the sensitivity; B writes (its raises, log reads and publishes held when asked); C
    // serves a guest and has not heard of the change (its events and log reads held when asked).
    const a = await cluster.start({ ...env, KEYPLAN_TEST_PAUSE_BEFORE_SENSITIVITY_COMMIT: files.pause }, { imports: [SENSITIVITY_HOOKS.pauseChange] })
    const b = await cluster.start(
      { ...env, KEYPLAN_TEST_PAUSE_GENERATION_RAISE: files.raise, KEYPLAN_TEST_HOLD_CATCH_UP: files.catchUpB, KEYPLAN_TEST_DELAY_PUBLISH: files.delay },
      { imports: [SENSITIVITY_HOOKS.pauseRaise, SENSITIVITY_HOOKS.holdCatchUp, SENSITIVITY_HOOKS.delayPublish] },
    )
    const c = await cluster.start(
      { ...env, CLUSTER_POLL_MS: '3600000', KEYPLAN_TEST_HOLD_SENSITIVITY: files.hold, KEYPLAN_TEST_HOLD_CATCH_UP: files.catchUpC },
      { imports: [SENSITIVITY_HOOKS.holdEvents, SENSITIVITY_HOOKS.holdCatchUp] },
    )
    const all = () => Promise.all([a, b, c].map(onRedis))
    await all()
    const redis = new Redis(cluster.redis().url, { lazyConnect: true, maxRetriesPerRequest: null })
    try {
      const workshop = await createWorkshop(a.url)
      await onlyCustomerFacing(a, workshop, 'stakeholders')
      await setSensitivity(a, workshop, { 'stakeholder.department': 'visible' })
      const g = await storedGeneration(env, workshop)
      const room = `${workshop.id}/stakeholders`
      const guest = await recordingGuest(c, workshop, 'stakeholders')
      const onC = await connectSynced(c.syncUrl, room, { params: { token: workshop.tokens.team } })
      const page = await stalePage(b.syncUrl, workshop)
      const onB = await connectSynced(b.syncUrl, room, { params: { token: workshop.tokens.team } })
      await drained(guest)

      // Redis loses the key. B's log reads wait from now on, so that B learns of the change only
      // from its own reads of the store (not from the change's moves reaching it).
      await cluster.redis().restart()
      await all()
      fs.writeFileSync(files.catchUpB, '')
      // B's row finds no key: B reads the stored generation (g) and pauses before raising it. C
      // reads the store too ([S41]) and relays the row.
      fs.writeFileSync(files.raise, '')
      page.write(departmentCard('shape:fay', 'Fay', 'Procurement'))
      await waitFor(() => fs.existsSync(`${files.raise}.reached`), 'B to pause before its raise', 60_000)
      await waitFor(() => readRecords(onC.doc).has('shape:fay'), 'C to relay the row', 60_000)
      // B stores a row while the department is visible, published only at the end; C hears nothing
      // of the change from now on but through that row.
      fs.writeFileSync(files.delay, '')
      fs.writeFileSync(files.hold, '')
      fs.writeFileSync(files.catchUpC, '')
      page.write(departmentCard('shape:gus', 'Gus', CANARY))
      await waitFor(() => readRecords(onB.doc).has('shape:gus'), 'the row to be stored on B', 60_000)

      // The change raises the key to g + 1 and pauses before its commit; Redis restarts again.
      fs.writeFileSync(files.pause, '')
      const change = setSensitivity(a, workshop, DEPARTMENT_INTERNAL)
      change.catch(() => undefined)
      await waitFor(() => fs.existsSync(`${files.pause}.reached`), 'the change to pause on A', 60_000)
      await redis.connect()
      expect(await redis.get(sensitivityGenerationKey(workshop.id))).toBe(String(g + 1))
      redis.disconnect()
      await cluster.redis().restart()
      await all()
      await redis.connect()

      // B raises what it read: the key is re-created one generation behind the change in flight.
      fs.rmSync(files.raise)
      await untilKey(redis, workshop, g, 'B to raise the key to what it read')
      fs.rmSync(files.pause)
      await change
      expect(await storedGeneration(env, workshop)).toBe(g + 1)
      await untilKey(redis, workshop, g + 1, 'the key to reach the committed generation', 30_000)
      expect(b.stderr()).not.toContain('"msg":"cluster.generation_behind_store"')

      // B's row stored before the change, published now, never reaches C's guest with the
      // department (C, which has not heard, judges it by the change once it reads the store).
      fs.rmSync(files.delay)
      fs.rmSync(files.catchUpC)
      fs.rmSync(files.catchUpB)
      await waitFor(() => heard(guest).includes('Gus'), 'the guest to receive Gus', 60_000)
      await drained(guest)
      expect(heard(guest)).not.toContain(CANARY)
      expect(fs.existsSync(files.hold)).toBe(true)

      guest.ws.close()
      onB.destroy()
      onC.destroy()
      page.destroy()
    } finally {
      redis.disconnect()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

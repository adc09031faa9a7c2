/**
 * docs/server-rules.md [S40] and [S41] with docs/security.md [A38], issues 13 and 17: the last two
 * windows in which a row stored before a change of field sensitivities could reach a guest through
 * Redis with a value the change made internal. Three instances on real PostgreSQL and Redis: A
 * changes the sensitivity, B stored a team page's row (department visible, a canary in it) and is
 * slow to publish it, C has a raw guest recording every byte and has not heard of the change (its
 * events held). Each window is opened by a pause point of the test hooks, never by timing.
 *
 * - [S40] The row published after the change committed, before A did anything more (on code that
 *   raised the generation on Redis after the commit: before that raise). Fails on that code: C
 *   relays the row by the sensitivity it last heard of.
 * - [S40] The row published after A announced the generation, its transaction still open. Fails
 *   when C's read of the stored sensitivity does not wait for the change in flight: it reads the
 *   old one and relays the row to the guest, moments before the commit.
 * - [S41] Redis restarted without persistence after the commit, A killed before its moves: the
 *   generation key is gone, the row finds none. Fails on code that read a missing key as
 *   generation 0, which C took for "nothing changed".
 */
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { expect, test } from 'vitest'
import { readRecords } from '../../shared/docLayout.ts'
import { setSensitivity, stalePage } from '../helpers/boardPartsOnServer.ts'
import type { ChildServer } from '../helpers/childServer.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, movesLogged, untilHealth, useCluster } from '../helpers/cluster.ts'
import { createWorkshop, tempDataDir, type TestWorkshop } from '../helpers/startServer.ts'
import { DEPARTMENT_INTERNAL, SENSITIVITY_HOOKS, departmentCard } from '../helpers/sensitivityHooks.ts'
import { drained, heard, onlyCustomerFacing, recordingGuest } from '../helpers/teamAndGuest.ts'

const cluster = useCluster()

/** A team member's socket on `room` at `server`, to see what the instance relayed. */
const teamOn = (server: ChildServer, workshop: TestWorkshop, room: string) => connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.team } })

/**
 * A (changer, paused by `pause` as `pauseVariable` says), B (its publishes delayed while `delay`
 * exists), C (sensitivity events held while `hold` exists; the log read only when asked); a guest
 * and a team socket on C, and B's team page's row of Fay stored with `canary` in her department
 * while it is visible, not yet published. The workshop's sensitivity was changed once before
 * (nothing made internal), so that Redis holds its generation key.
 */
async function rowStoredOnB(canary: string, pauseVariable: string, extra: { c?: Record<string, string>; cImports?: string[] } = {}) {
  const dir = tempDataDir()
  const files = { hold: path.join(dir, 'hold-sensitivity'), delay: path.join(dir, 'delay-publish'), pause: path.join(dir, 'pause-change'), catchUp: path.join(dir, 'hold-catch-up') }
  const env = await cluster.env({ LOG_LEVEL: 'info' })
  const a = await cluster.start({ ...env, [pauseVariable]: files.pause }, { imports: [SENSITIVITY_HOOKS.pauseChange] })
  const b = await cluster.start({ ...env, KEYPLAN_TEST_DELAY_PUBLISH: files.delay }, { imports: [SENSITIVITY_HOOKS.delayPublish] })
  const c = await cluster.start(
    { ...env, CLUSTER_POLL_MS: '3600000', KEYPLAN_TEST_HOLD_SENSITIVITY: files.hold, KEYPLAN_TEST_HOLD_CATCH_UP: files.catchUp, ...extra.c },
    { imports: [SENSITIVITY_HOOKS.holdEvents, SENSITIVITY_HOOKS.holdCatchUp] },
  )
  const workshop = await createWorkshop(a.url)
  await onlyCustomerFacing(a, workshop, 'stakeholders')
  // A first change (nothing moves), before any board loads: Redis holds a generation of the workshop.
  await setSensitivity(a, workshop, { 'stakeholder.department': 'visible' })
  const room = `${workshop.id}/stakeholders`
  const guest = await recordingGuest(c, workshop, 'stakeholders')
  const onC = await teamOn(c, workshop, room)
  await drained(guest)

  const page = await stalePage(b.syncUrl, workshop)
  const onB = await teamOn(b, workshop, room)
  fs.writeFileSync(files.delay, '')
  page.write(departmentCard('shape:fay', 'Fay', canary))
  // Relayed to B's other peers only once stored ([S1]).
  await waitFor(() => readRecords(onB.doc).has('shape:fay'), 'the row to be stored', 30_000)
  fs.writeFileSync(files.hold, '')
  const cleanUp = () => {
    guest.ws.close()
    onC.destroy()
    onB.destroy()
    page.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return { a, b, c, env, workshop, room, guest, onC, files, cleanUp }
}

/** Starts the change through A and resolves once A paused where `pause` says, with the change's request (wrapped: awaited, it would wait for the end of the pause). */
async function changePausedOnA(a: ChildServer, workshop: TestWorkshop, pause: string): Promise<{ change: Promise<void> }> {
  fs.writeFileSync(pause, '')
  const change = setSensitivity(a, workshop, DEPARTMENT_INTERNAL)
  change.catch(() => undefined)
  await waitFor(() => fs.existsSync(`${pause}.reached`), 'the change to pause on A', 60_000)
  return { change }
}

test(
  'a row published after a sensitivity change committed, before its changer went on, never reaches a guest [S40][A38]',
  async () => {
    const CANARY = 'CANARY-after-commit-before-raise-5e2'
    const { a, workshop, guest, onC, files, cleanUp } = await rowStoredOnB(CANARY, 'KEYPLAN_TEST_PAUSE_AFTER_SENSITIVITY_COMMIT')
    const { change } = await changePausedOnA(a, workshop, files.pause)

    // B publishes now; C has it (its team socket) before A goes on.
    fs.rmSync(files.delay)
    await waitFor(() => readRecords(onC.doc).has('shape:fay'), 'the row to reach C', 60_000)
    fs.rmSync(files.pause)
    await change
    await waitFor(() => heard(guest).includes('Fay'), 'the guest to receive Fay', 60_000)
    await drained(guest)
    expect(heard(guest)).not.toContain(CANARY)
    expect(fs.existsSync(files.hold)).toBe(true)
    cleanUp()
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

test(
  'a row published after a sensitivity change was announced, before it committed, is judged by the change [S40][A38]',
  async () => {
    const CANARY = 'CANARY-announced-not-committed-8b0'
    const { a, env, workshop, guest, onC, files, cleanUp } = await rowStoredOnB(CANARY, 'KEYPLAN_TEST_PAUSE_BEFORE_SENSITIVITY_COMMIT')
    const { change } = await changePausedOnA(a, workshop, files.pause)

    // B publishes with the announced generation. C either relays the row (judged by the old
    // sensitivity) or waits in PostgreSQL for A's transaction: either is seen before A goes on.
    fs.rmSync(files.delay)
    const db = new pg.Client({ connectionString: env['DATABASE_URL'] })
    await db.connect()
    const waitingForChange = async () =>
      Number(
        (await db.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%workshop_access%FOR SHARE%'`)).rows[0]?.n ?? 0,
      ) > 0
    const start = Date.now()
    while (!readRecords(onC.doc).has('shape:fay') && !(await waitingForChange())) {
      if (Date.now() - start > 60_000) throw new Error('timed out waiting for C to relay the row or wait for the change')
      await sleep(20)
    }
    await db.end()
    fs.rmSync(files.pause)
    await change
    await waitFor(() => heard(guest).includes('Fay'), 'the guest to receive Fay', 60_000)
    await drained(guest)
    expect(heard(guest)).not.toContain(CANARY)
    cleanUp()
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

test(
  'a row published after Redis lost the generation key, its changer dead before its moves, never reaches a guest [S41][A38]',
  async () => {
    const CANARY = 'CANARY-lost-generation-key-3c9'
    const { a, b, c, workshop, room, guest, onC, files, cleanUp } = await rowStoredOnB(CANARY, 'KEYPLAN_TEST_PAUSE_AFTER_SENSITIVITY_COMMIT')
    // A commits the change (and raises the key), then dies before its moves and before its event.
    await changePausedOnA(a, workshop, files.pause)
    a.process.kill('SIGKILL')
    await a.exited
    // Redis restarts with nothing (no persistence). C's log reads wait: the bus is faster than PostgreSQL.
    fs.writeFileSync(files.catchUp, '')
    await cluster.redis().restart()
    for (const server of [b, c]) await untilHealth(server, (health) => health['fanout'] === 'redis', 'the instance to be back on Redis')

    // B publishes the row, which finds no generation on Redis. C relays it (what it took for
    // generation 0) or B learns of the change from the store and moves: either is seen first.
    fs.rmSync(files.delay)
    await waitFor(() => readRecords(onC.doc).has('shape:fay') || movesLogged(b, room) > 0, 'C to relay the row or B to move it', 60_000)
    fs.rmSync(files.catchUp)
    await waitFor(() => heard(guest).includes('Fay'), 'the guest to receive Fay', 60_000)
    await drained(guest)
    expect(heard(guest)).not.toContain(CANARY)
    cleanUp()
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

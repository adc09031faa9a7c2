/**
 * docs/server-rules.md [S39] with docs/security.md [A37] and [A38], issues 13 and 17: rows that
 * cross instances on Redis around a change of field sensitivities never reach a guest with a value
 * internal by then, and one instance moves them.
 *
 * - A row stored before the change, published late (its writer paused), reaching an instance that
 *   has not heard of the change, with no gap in its numbers: Redis appends the generation it knows
 *   to every row it publishes, raised by the changing instance before its moves, so the receiver
 *   learns of the change from the row and judges it by it. Fails on code that applied such a row by
 *   the sensitivity the receiver last heard of.
 * - A team page's write kept by the grace after a change ([A37]) is held from the guests of its own
 *   instance until its move. Fails on code that relayed it to them at once.
 * - Exactly one instance moves such a write: the one that stored it. The others hold it from their
 *   guests until its move's rows reach them. Fails on code where every receiver moved it too.
 * - Killed before its move, the writer is taken over by one instance, the board's lease holder.
 *   Fails on code where every receiver moved it.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import { readRecords } from '../../shared/docLayout.ts'
import { setSensitivity, stalePage } from '../helpers/boardPartsOnServer.ts'
import type { ChildServer } from '../helpers/childServer.ts'
import { connectSynced, waitFor, type RawClient } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, movesLogged, useCluster } from '../helpers/cluster.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { createWorkshop, tempDataDir, type TestWorkshop } from '../helpers/startServer.ts'
import { drained, heard, onlyCustomerFacing, recordingGuest } from '../helpers/teamAndGuest.ts'

const cluster = useCluster()
const HOLD_EVENTS = './test/helpers/holdSensitivityEvents.ts'
const DELAY_PUBLISH = './test/helpers/delayRowPublish.ts'
const HOLD_MOVES = './test/helpers/holdMoves.ts'
const DEPARTMENT_INTERNAL = { 'stakeholder.department': 'internal' } as const

/** A stakeholder card named `name` whose department holds `department`. */
const card = (id: string, name: string, department: string) => stakeholder(id, { x: 0, y: 0 }, { name, department }) as unknown as JsonObject // test records are JSON

/** A team member's socket on `room` at `server`, to see what the instance relayed. */
const teamOn = (server: ChildServer, workshop: TestWorkshop, room: string) => connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.team } })

/** Waits until every guest received the card named `name`, and everything sent to it before. */
async function guestsGot(guests: RawClient[], name: string): Promise<void> {
  for (const guest of guests) {
    await waitFor(() => heard(guest).includes(name), `a guest to receive ${name}`, 60_000)
    await drained(guest)
  }
}

test(
  'a row stored before a sensitivity change and published after it tells an instance that has not heard of the change [S39][A38]',
  async () => {
    const CANARY = 'CANARY-late-publish-no-gap-4d7'
    const dir = tempDataDir()
    const hold = path.join(dir, 'hold-sensitivity')
    const delay = path.join(dir, 'delay-publish')
    const env = await cluster.env()
    // A hears no event of the change and reads the log only when a gap or a row asks.
    const a = await cluster.start({ ...env, CLUSTER_POLL_MS: '3600000', KEYPLAN_TEST_HOLD_SENSITIVITY: hold }, { imports: [HOLD_EVENTS] })
    const b = await cluster.start({ ...env, KEYPLAN_TEST_DELAY_PUBLISH: delay }, { imports: [DELAY_PUBLISH] })
    const c = await cluster.start(env)
    const workshop = await createWorkshop(a.url)
    await onlyCustomerFacing(a, workshop, 'stakeholders')
    const room = `${workshop.id}/stakeholders`
    const guest = await recordingGuest(a, workshop, 'stakeholders')
    await drained(guest)

    // A team page on B writes while department is visible; B stores the row and is slow to publish it.
    const page = await stalePage(b.syncUrl, workshop)
    const onB = await teamOn(b, workshop, room)
    fs.writeFileSync(delay, '')
    page.write(card('shape:fay', 'Fay', CANARY))
    // Relayed to B's other peers only once stored ([S1]).
    await waitFor(() => readRecords(onB.doc).has('shape:fay'), 'the row to be stored', 30_000)

    // Department turns internal through C, where the board is not loaded: its load moves the row
    // before the room is followed, so nothing of it is published and A sees no gap. Then B publishes.
    fs.writeFileSync(hold, '')
    await setSensitivity(c, workshop, DEPARTMENT_INTERNAL)
    fs.rmSync(delay)
    await guestsGot([guest], 'Fay')
    expect(heard(guest)).not.toContain(CANARY)
    expect(fs.existsSync(hold)).toBe(true)

    guest.ws.close()
    onB.destroy()
    page.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

test(
  'a team write kept by the grace after a change reaches the guests of its own instance only after its move [S39][A37]',
  async () => {
    const CANARY = 'CANARY-grace-own-instance-9a1'
    const env = await cluster.env()
    const [a, b] = await Promise.all([cluster.start(env), cluster.start(env)])
    const workshop = await createWorkshop(a.url)
    await onlyCustomerFacing(a, workshop, 'stakeholders')
    const onA = await recordingGuest(a, workshop, 'stakeholders')
    const onB = await recordingGuest(b, workshop, 'stakeholders')
    const page = await stalePage(a.syncUrl, workshop)
    await Promise.all([drained(onA), drained(onB)])

    // Department turns internal through A; the page has not been told and routes it as visible.
    await setSensitivity(a, workshop, DEPARTMENT_INTERNAL)
    page.write(card('shape:gus', 'Gus', CANARY))
    await guestsGot([onA, onB], 'Gus')
    expect(heard(onA)).not.toContain(CANARY)
    expect(heard(onB)).not.toContain(CANARY)
    expect(page.closes).toEqual([])

    onA.ws.close()
    onB.ws.close()
    page.destroy()
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

/**
 * Three instances with a guest on each; a team page on A (whose moves wait while `moves` exists)
 * that has not been told department turned internal, through A. Resolves once B and C have heard
 * of the change and moved their boards for it, with the lengths of their logs then.
 */
async function graceWriteOnThreeInstances(moves: string) {
  const env = await cluster.env({ LOG_LEVEL: 'info' })
  const a = await cluster.start({ ...env, KEYPLAN_TEST_HOLD_MOVES: moves }, { imports: [HOLD_MOVES] })
  const [b, c] = await Promise.all([cluster.start(env), cluster.start(env)])
  const workshop = await createWorkshop(a.url)
  await onlyCustomerFacing(a, workshop, 'stakeholders')
  const room = `${workshop.id}/stakeholders`
  const guests = await Promise.all([a, b, c].map((server) => recordingGuest(server, workshop, 'stakeholders')))
  const page = await stalePage(a.syncUrl, workshop)
  const teams = await Promise.all([b, c].map((server) => teamOn(server, workshop, room)))
  await Promise.all(guests.map(drained))
  await setSensitivity(a, workshop, DEPARTMENT_INTERNAL)
  // B and C move their loaded boards when they hear of a change ([S37]); a guest's step 1 waits for that move.
  for (const server of [b, c]) await waitFor(() => movesLogged(server, room, 0) > 0, 'the instance to hear of the change', 60_000)
  await Promise.all(guests.map(drained))
  return { a, b, c, workshop, room, guests, page, teams, marks: [b.stderr().length, c.stderr().length] }
}

test(
  'a write kept by the grace is moved by the instance that stored it; the others hold it from their guests until its move reaches them [S39][A37]',
  async () => {
    const CANARY = 'CANARY-one-mover-2f6'
    const dir = tempDataDir()
    const moves = path.join(dir, 'hold-moves')
    const { b, c, room, guests, page, teams, marks } = await graceWriteOnThreeInstances(moves)

    // A's move waits until the row reached B and C.
    fs.writeFileSync(moves, '')
    page.write(card('shape:hal', 'Hal', CANARY))
    for (const team of teams) await waitFor(() => readRecords(team.doc).has('shape:hal'), 'the row to reach B and C', 30_000)
    fs.rmSync(moves)
    await guestsGot(guests, 'Hal')
    for (const guest of guests) expect(heard(guest)).not.toContain(CANARY)
    expect(movesLogged(b, room, marks[0] ?? 0)).toBe(0)
    expect(movesLogged(c, room, marks[1] ?? 0)).toBe(0)

    for (const guest of guests) guest.ws.close()
    for (const team of teams) team.destroy()
    page.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

test(
  'the writer of a held row killed before its move is taken over by one instance [S39][S35]',
  async () => {
    const CANARY = 'CANARY-writer-killed-7c3'
    const dir = tempDataDir()
    const moves = path.join(dir, 'hold-moves')
    const { a, b, c, room, guests, page, teams, marks } = await graceWriteOnThreeInstances(moves)

    // A stores the write and dies before it moves it.
    fs.writeFileSync(moves, '')
    page.write(card('shape:ida', 'Ida', CANARY))
    for (const team of teams) await waitFor(() => readRecords(team.doc).has('shape:ida'), 'the row to reach B and C', 30_000)
    a.process.kill('SIGKILL')
    await a.exited
    page.destroy()
    const [, ...survivors] = guests
    await guestsGot(survivors, 'Ida')
    for (const guest of survivors) expect(heard(guest)).not.toContain(CANARY)
    expect(movesLogged(b, room, marks[0] ?? 0) + movesLogged(c, room, marks[1] ?? 0)).toBe(1)

    for (const guest of guests) guest.ws.close()
    for (const team of teams) team.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  },
  CLUSTER_TEST_TIMEOUT_MS,
)
